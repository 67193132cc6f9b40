#!/usr/bin/env bash
# Runs every test of Hyperstore: the .NET test projects (against real redis-server processes that the
# test fixtures start on free loopback ports) and the offline infrastructure checks.
# Installs redis-server (and node for the infrastructure checks) when missing. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
ensure_dotnet
ensure_redis_server

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

echo "== .NET tests"
dotnet build Hyperstore.sln -c Release -warnaserror -nologo -v quiet
dotnet test Hyperstore.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=1

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$passed" = 0 ]; then
  echo "error: no .NET test ran" >&2
  status=1
fi

infra=""
if [ -f infrastructure/checks/run.sh ]; then
  echo "== Infrastructure checks"
  ensure_node
  bash infrastructure/checks/run.sh | tee "$log" || status=1
  infra=$(grep -E '^infrastructure: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
fi

echo
[ -n "$infra" ] && echo "$infra"
echo "dotnet: $passed passed, $failed failed"
exit "$status"
