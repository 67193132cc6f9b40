#!/usr/bin/env bash
# Stops what scripts/run.sh --detach started, by the PIDs it recorded (nothing else: a PID that now belongs to another
# program, after a reboot say, is left alone).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${HYPERSTORE_DATA:-$PWD/.run}
[ -f "$data/pids" ] || { echo "Nothing recorded in $data/pids."; exit 0; }
read -r -a pids < "$data/pids"

ours() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qE 'redis-server|Hyperstore\.(Api|Projector)\.dll'
}

left=()
# API and projector first, Redis last, so that nothing in flight loses its ledger.
for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
  pid=${pids[i]}
  if ! ours "$pid"; then
    continue
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do ours "$pid" || break; sleep 0.1; done
  if ours "$pid"; then
    echo "Process $pid did not stop within 30 s of SIGTERM; sending SIGKILL." >&2
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    ours "$pid" && left+=("$pid")
  fi
done
if [ "${#left[@]}" -gt 0 ]; then
  echo "Still running: ${left[*]} (kept in $data/pids)." >&2
  exit 1
fi
rm -f "$data/pids"
echo "Stopped."
