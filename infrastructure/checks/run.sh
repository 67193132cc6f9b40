#!/usr/bin/env bash
# Offline checks of infrastructure/: installs the checker's pinned npm packages, runs its tests (good and
# broken fixtures), the checker over the real tree and `terraform fmt -check` (when a terraform binary is
# on PATH). The last line is always "infrastructure: N passed, N failed"; exit code non-zero on any failure.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here" || exit 1

if ! npm ci --no-audit --no-fund --loglevel=error </dev/null; then
  echo "npm ci failed in infrastructure/checks" >&2
  echo "infrastructure: 0 passed, 1 failed"
  exit 1
fi

tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  test/*.test.js </dev/null
status=$?

passed=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$tap" | tail -n 1)
failed=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$tap" | tail -n 1)
if [ -z "$passed" ] || [ -z "$failed" ]; then
  echo "could not read the test counts" >&2
  passed=${passed:-0}
  failed=$((${failed:-0} + 1))
  status=1
fi
[ "$failed" -eq 0 ] || status=1

echo "infrastructure: ${passed} passed, ${failed} failed"
exit "$status"
