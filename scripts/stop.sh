#!/usr/bin/env bash
# Stops what scripts/run.sh --detach started, by the PIDs it recorded (nothing else).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${HYPERSTORE_DATA:-$PWD/.run}
[ -f "$data/pids" ] || { echo "Nothing recorded in $data/pids."; exit 0; }
read -r -a pids < "$data/pids"
# API and projector first, Redis last, so that nothing in flight loses its ledger.
for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
  kill -TERM "${pids[i]}" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
done
rm -f "$data/pids"
echo "Stopped."
