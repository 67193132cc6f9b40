#!/usr/bin/env bash
# Runs Hyperstore on this machine: Redis (configured as a ledger: AOF, fsync on every write), the projector and the API
# on 127.0.0.1, each usable when this script says so. Creates the OAuth2 clients 'demo', 'loadtest' and 'auditor',
# sets every region's stock to 500 on first start, and prints a working curl sequence.
#
#   scripts/run.sh             run in the foreground; Ctrl+C stops all three
#   scripts/run.sh --detach    leave them running; scripts/stop.sh stops them
#
# Settings (environment): HYPERSTORE_PORT (8080), HYPERSTORE_REDIS_PORT (6380), HYPERSTORE_PROJECTOR_PORT (8081),
# HYPERSTORE_DATA (./.run: Redis data, signing key, credentials, logs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh

detach=0
[ "${1:-}" = "--detach" ] && detach=1
port=${HYPERSTORE_PORT:-8080}
redis_port=${HYPERSTORE_REDIS_PORT:-6380}
projector_port=${HYPERSTORE_PROJECTOR_PORT:-8081}
data=${HYPERSTORE_DATA:-$PWD/.run}
mkdir -p "$data/redis" "$data/logs"
chmod 700 "$data"

ensure_dotnet
ensure_redis_server
ensure_tools

if [ -f "$data/pids" ]; then
  echo "Hyperstore seems to be running already (see $data/pids); run scripts/stop.sh first." >&2
  exit 1
fi
# Something else on a port would answer the readiness checks below in place of what this script starts.
for p in "$redis_port" "$port" "$projector_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "error: port $p is in use; stop what listens there, or set HYPERSTORE_PORT, HYPERSTORE_REDIS_PORT, HYPERSTORE_PROJECTOR_PORT." >&2
    exit 1
  fi
done

echo "Building (Release)…"
dotnet build src/Api -c Release -nologo -v quiet
dotnet build src/Projector -c Release -nologo -v quiet
api_dll=$PWD/src/Api/bin/Release/net10.0/Hyperstore.Api.dll
projector_dll=$PWD/src/Projector/bin/Release/net10.0/Hyperstore.Projector.dll

pids=()
detached=0
stop_all() {
  # API and projector first, Redis last, so that nothing in flight loses its ledger.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  rm -f "$data/pids"
}
# Whatever ends this script (a failed step, Ctrl+C, a service that exits) stops what it started, unless it detached.
on_exit() {
  local status=$?
  [ "$detached" = 1 ] && return
  [ "$status" = 0 ] || echo "run.sh failed (exit $status); stopping what it started. Logs in $data/logs." >&2
  stop_all
}
trap on_exit EXIT
trap 'echo; echo "Stopping…"; exit 0' INT TERM

echo "Starting Redis on 127.0.0.1:$redis_port (data in $data/redis)…"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$data/redis" \
  --appendonly yes --appendfsync always --no-appendfsync-on-rewrite no --save "" \
  --daemonize no --logfile "$data/logs/redis.log" </dev/null >/dev/null 2>&1 &
pids+=($!)
echo "${pids[*]}" > "$data/pids"
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null

if [ ! -f "$data/signing-key.pem" ]; then
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$data/signing-key.pem" 2>/dev/null)
fi

export ConnectionStrings__Redis="127.0.0.1:$redis_port"
export Hyperstore__Regions="eu,na,sa"
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production

# Clients: created once; their secrets live only in $data/credentials.env (mode 600).
if [ ! -f "$data/credentials.env" ]; then
  (
    umask 077
    for spec in demo:read,buy,stock,audit loadtest:read,buy,stock auditor:read,audit; do
      id=${spec%%:*}
      json=$(dotnet "$api_dll" clients add --id "$id" --scopes "${spec#*:}" --json 2>/dev/null \
        || dotnet "$api_dll" clients rotate --id "$id" --json)
      secret=$(printf '%s' "$json" | sed -E 's/.*"client_secret":"([^"]+)".*/\1/')
      upper=$(printf '%s' "$id" | tr '[:lower:]' '[:upper:]')
      echo "HYPERSTORE_${upper}_CLIENT_SECRET=$secret"
    done > "$data/credentials.env.partial"
  )
  # Only a complete file: a run that failed halfway creates (or rotates) the clients again next time.
  mv "$data/credentials.env.partial" "$data/credentials.env"
fi
source "$data/credentials.env"

echo "Starting the projector (health on 127.0.0.1:$projector_port)…"
DOTNET_CONTENTROOT="$(dirname "$projector_dll")" Projector__Urls="http://127.0.0.1:$projector_port" \
  dotnet "$projector_dll" </dev/null > "$data/logs/projector.log" 2>&1 &
pids+=($!)
echo "${pids[*]}" > "$data/pids"

echo "Starting the API on http://127.0.0.1:$port…"
ASPNETCORE_URLS="http://127.0.0.1:$port" Auth__Issuer="http://127.0.0.1:$port/" Auth__RequireHttps=false \
  Auth__SigningKeyPath="$data/signing-key.pem" Hyperstore__Region=eu DOTNET_CONTENTROOT="$(dirname "$api_dll")" \
  dotnet "$api_dll" </dev/null > "$data/logs/api.log" 2>&1 &
pids+=($!)
echo "${pids[*]}" > "$data/pids"

wait_for_url "http://127.0.0.1:$port/health/ready" 60
wait_for_url "http://127.0.0.1:$projector_port/health/live" 60
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "error: process $pid exited during start; see $data/logs." >&2; exit 1; }
done

base="http://127.0.0.1:$port"
token() {
  curl -fsS -X POST "$base/oauth/token" -d grant_type=client_credentials -d client_id="$1" \
    --data-urlencode client_secret="$2" --data-urlencode scope="$3" | grep -o '"access_token": *"[^"]*"' | cut -d'"' -f4
}
if [ "$(redis-cli -p "$redis_port" xlen '{hyper:eu}:events')" = 0 ]; then
  seed_token=$(token demo "$HYPERSTORE_DEMO_CLIENT_SECRET" stock)
  for region in eu na sa; do
    curl -fsS -o /dev/null -X POST "$base/api/hyper?region=$region" -H "Authorization: Bearer $seed_token" \
      -H 'Content-Type: application/json' -d '{"quantity":500}'
  done
fi

cat <<MSG

Hyperstore is running: API $base, projector health http://127.0.0.1:$projector_port/health/ready, Redis 127.0.0.1:$redis_port.
Logs in $data/logs; client secrets in $data/credentials.env.

Try it:
  source $data/credentials.env
  TOKEN=\$(curl -s -X POST $base/oauth/token -d grant_type=client_credentials -d client_id=demo \\
      --data-urlencode client_secret=\$HYPERSTORE_DEMO_CLIENT_SECRET -d 'scope=read buy stock audit' \\
      | grep -o '"access_token": *"[^"]*"' | cut -d'"' -f4)
  curl -s $base/api/hyper -H "Authorization: Bearer \$TOKEN"
  curl -s -X PUT $base/api/hyper/own -H "Authorization: Bearer \$TOKEN" -H 'Idempotency-Key: my-first-buy'
  curl -s -X POST $base/api/hyper -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' -d '{"quantity":500}'
  curl -s "$base/api/hyper/activity?count=5" -H "Authorization: Bearer \$TOKEN"
  curl -s $base/api/audit/verify -H "Authorization: Bearer \$TOKEN"

MSG

if [ "$detach" = 1 ]; then
  detached=1
  echo "Running in the background (PIDs ${pids[*]}); stop with scripts/stop.sh"
  exit 0
fi
echo "Ctrl+C stops Redis, the projector and the API."
wait -n || true
echo "A service exited; stopping the others. Logs in $data/logs." >&2
exit 1
