#!/usr/bin/env bash
# Measures Hyperstore on this machine and writes the figures: a table on the console, benchmarks/results/latest.json, and
# the generated section of docs/performance.md (docs/performance.md says how to read them). Not part of the tests.
#
#   scripts/bench.sh                  full run, about 13 minutes, stops by itself within 15 (build included)
#   scripts/bench.sh --quick          every part, small and short: a smoke run of about 2 minutes (after the build);
#                                     writes results/quick.json and leaves the document alone
#   scripts/bench.sh --micro          BenchmarkDotNet microbenchmarks only (short jobs, a few minutes); results/micro.json
#   options: --fsync always|everysec|no   Redis appendfsync for the run (default always, like production)
#            --compare-fsync              also measure PUT and the EVALSHA yardstick with appendfsync everysec, same run
#            --compare-keys               also measure GET, PUT and the token endpoint with an RSA-2048 signing key (RS256)
#                                         instead of the default EC P-256 (ES256): a restart of the API, about 45 s
#            --trace                      also sample the API's threads (dotnet-trace, installed from NuGet into
#                                         benchmarks/.data/tools) for 10 s of GET at 256 connections; top frames in
#                                         raw/api-get-topN.txt, the trace in raw/api-get.nettrace (about 25 s)
#            --perf                       also sample the API core's CPU with Linux perf (Debian package linux-perf) for
#                                         12 s of GET at 256 connections, the runtime writing its perf map so that
#                                         JIT-compiled methods have names; the share of each library and the top
#                                         functions in raw/api-get-perf.txt (about 30 s). perf counts CPU time only,
#                                         where --trace also counts threads that wait
#
# It starts its own Redis (AOF, own port and data directory), projector, API and bare reference service on 127.0.0.1.
# The API and the bare reference are pinned to one core (taskset -c BENCH_API_CPU); Redis, the projector and every load
# generator (wrk, redis-benchmark, the load client) to the other (BENCH_LOAD_CPU). It stops only what it started.
# The per-client rate limit of the API is turned off (RateLimiting__PermitsPerSecond=0): it is not what is measured.
#
# Settings (environment): BENCH_REDIS_PORT (16380), BENCH_API_PORT (18080), BENCH_PROJECTOR_PORT (18081),
# BENCH_BARE_PORT (18082), BENCH_API_CPU (1), BENCH_LOAD_CPU (0), BENCH_DATA (benchmarks/.data).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/lib/prerequisites.sh

mode=full
fsync=always
compare_fsync=0
compare_keys=0
trace=0
perf=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --micro) mode=micro ;;
    --full) mode=full ;;
    --fsync) fsync=${2:?--fsync needs always, everysec or no}; shift ;;
    --compare-fsync) compare_fsync=1 ;;
    --compare-keys) compare_keys=1 ;;
    --trace) trace=1 ;;
    --perf) perf=1 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option '$1' (see --help)" >&2; exit 1 ;;
  esac
  shift
done
case "$fsync" in always|everysec|no) ;; *) echo "error: --fsync is always, everysec or no" >&2; exit 1 ;; esac

redis_port=${BENCH_REDIS_PORT:-16380}
api_port=${BENCH_API_PORT:-18080}
projector_port=${BENCH_PROJECTOR_PORT:-18081}
bare_port=${BENCH_BARE_PORT:-18082}
api_cpu=${BENCH_API_CPU:-1}
load_cpu=${BENCH_LOAD_CPU:-0}
data=${BENCH_DATA:-$root/benchmarks/.data}
artifacts=$data/artifacts
run_dir=$data/run
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw=$root/benchmarks/results/raw/$stamp
results=$root/benchmarks/results

# Everything that scales with the mode. Durations in seconds.
if [ "$mode" = full ]; then
  budget=860            # the whole run, build included; a watchdog stops it after this (and the report after it, ≤ 30 s)
  warmup_seconds=10
  warmup_window=5; warmup_max=90; jit_settled=50
  wrk_seconds=8; wrk_warmup=2; wrk_repeats=3; wrk_threads=1
  wrk_side_seconds=5; wrk_side_warmup=1   # the 64- and 1000-connection points: one run each, no ratio target
  connection_levels="64 256 1000"
  token_seconds=8
  redis_get_requests=250000; redis_eval_requests=100000; redis_repeats=3
  lag_seconds=25; lag_warmup=5
  keyspace_keys=2097153   # 2^21 + 1: room for the run's ~1.2 million idempotency records before the next doubling
  replay_events=1000000; replay_repeats=5; replay_warmup=10; replay_warmup_max=40
  capacity_first_seconds=50; capacity_step_seconds=40; capacity_steps="1000 2000 5000 10000 15000"; capacity_margin=25
  seed_need=90
elif [ "$mode" = quick ]; then
  budget=160
  warmup_seconds=3
  warmup_window=2; warmup_max=4; jit_settled=50
  wrk_seconds=2; wrk_warmup=1; wrk_repeats=1; wrk_threads=1
  wrk_side_seconds=2; wrk_side_warmup=1
  connection_levels="64 256 1000"
  token_seconds=2
  redis_get_requests=40000; redis_eval_requests=10000; redis_repeats=1
  lag_seconds=5; lag_warmup=1
  keyspace_keys=0
  replay_events=100000; replay_repeats=1; replay_warmup=2; replay_warmup_max=4
  capacity_first_seconds=12; capacity_step_seconds=8; capacity_steps="1000 2000"; capacity_margin=15
  seed_need=15
else
  budget=900
fi
started=$(date +%s)
deadline=$((started + budget))
# A quick run's budget starts once the build is done (a cold build alone can take a minute or two).
[ "$mode" = quick ] && quick_budget=$budget

ensure_dotnet
ensure_tools
ensure_redis_server
command -v redis-benchmark >/dev/null 2>&1 || apt_install redis-tools
command -v wrk >/dev/null 2>&1 || { echo "Installing wrk…"; apt_install wrk; }
command -v taskset >/dev/null 2>&1 || apt_install util-linux
# Up to 15,000 users with a connection each, plus the server's side of them.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

pids=()
watchdog=""
report_pending=0
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  # Stopped early (watchdog, Ctrl+C, an error): still report what was measured, bounded.
  if [ "$report_pending" = 1 ]; then
    echo "bench: reporting what was measured before the stop" >&2
    echo "the run was stopped before its end (exit status $status): later phases are missing" >> "$raw/notes.txt"
    timeout 30 dotnet "$(bin Hyperstore.Bench.Driver)/hyperstore-bench.dll" report --raw "$raw" --results "$results" \
      --mode partial || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo "bench: stopped" >&2; exit 130' INT TERM
# The run stops by itself: past the budget, the watchdog ends this script, and cleanup stops what it started.
start_watchdog() {
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
  ( sleep "$1"; echo "bench: time budget exceeded, stopping" >&2; kill -TERM $$ ) 2>/dev/null &
  watchdog=$!
}
start_watchdog "$budget"

log() { printf '[%4ss] %s\n' "$(($(date +%s) - started))" "$*"; }
note() { log "note: $*"; echo "$*" >> "$raw/notes.txt"; }
remaining() { echo $((deadline - $(date +%s))); }
# has_time SECONDS: whether a phase that needs SECONDS still fits, keeping 15 s for the report and the cleanup.
has_time() { [ "$(remaining)" -gt $(($1 + 15)) ]; }
# bound SECONDS: SECONDS, or less so that a command started now ends 20 s before the deadline (for `timeout`).
bound() { local left=$(( $(remaining) - 20 )); [ "$left" -lt 5 ] && left=5; [ "$1" -lt "$left" ] && echo "$1" || echo "$left"; }
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

mkdir -p "$raw" "$data"
ln -sfn "$stamp" "$root/benchmarks/results/raw/last"

build() {
  log "Building (Release, into $artifacts, apart from other builds)…"
  for project in "$@"; do
    dotnet build "$project" -c Release --artifacts-path "$artifacts" -nologo -v quiet -clp:ErrorsOnly >/dev/null \
      || { dotnet build "$project" -c Release --artifacts-path "$artifacts" -nologo -v quiet -clp:ErrorsOnly; exit 1; }
  done
}
bin() { echo "$artifacts/bin/$1/release"; }

write_machine() {
  local os memory cpu
  os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-Linux}" || echo Linux)
  memory=$(free -h | awk '/^Mem:/ {print $2}')
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
  cat > "$raw/machine.json" <<JSON
{"cpuModel":$(json_str "${cpu:-unknown}"),"cores":$(nproc --all),"memory":$(json_str "$memory"),"kernel":$(json_str "$(uname -r)"),
 "os":$(json_str "$os"),"dotnetSdk":$(json_str "$(dotnet --version)"),
 "redis":$(json_str "$(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')"),
 "wrk":$(json_str "$(wrk -v 2>&1 | head -n 1 | awk '{print $1" "$2}')")}
JSON
  # The last commit that changed what is measured (the services, the load client, the bare reference, this script, the
  # driver's measuring commands): commits of docs or of the report alone leave it, so their runs still compare as one build.
  local commit measured=(src benchmarks scripts ':(exclude)benchmarks/results' ':(exclude)benchmarks/Driver/Report' ':(exclude)*.md')
  commit=$(git log -1 --format=%h -- "${measured[@]}" 2>/dev/null || true)
  commit=${commit:-unknown}
  git diff --quiet HEAD -- "${measured[@]}" 2>/dev/null || commit="$commit+uncommitted"
  cat > "$raw/config.json" <<JSON
{"mode":"$mode","startedAt":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","commit":"$commit","fsync":"$fsync","apiCpu":"$api_cpu","loadCpu":"$load_cpu",
 "rateLimit":"off (RateLimiting__PermitsPerSecond=0)","signingKey":"EC P-256 (ES256)","wrkThreads":"${wrk_threads:-}","wrkSeconds":"${wrk_seconds:-}",
 "wrkWarmupSeconds":"${wrk_warmup:-}","wrkSideSeconds":"${wrk_side_seconds:-}","wrkSideWarmupSeconds":"${wrk_side_warmup:-}","wrkRepeats":"${wrk_repeats:-}","capacitySteps":"${capacity_steps:-}",
 "capacityStepSeconds":"${capacity_step_seconds:-}","lagSeconds":"${lag_seconds:-}","replayEvents":"${replay_events:-}","keyspaceKeys":"${keyspace_keys:-0}"}
JSON
  log "Machine: ${cpu:-?}, $(nproc --all) cores, $memory, $(uname -r), .NET SDK $(dotnet --version), Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')"
}

report() {
  local doc_args=()
  [ "$mode" != quick ] && doc_args=(--doc "$root/docs/performance.md")
  dotnet "$(bin Hyperstore.Bench.Driver)/hyperstore-bench.dll" report --raw "$raw" --results "$results" --mode "$mode" "${doc_args[@]}"
}

# ---------------------------------------------------------------------------------------------------------------------
# Microbenchmarks: BenchmarkDotNet only, no servers.
if [ "$mode" = micro ]; then
  build benchmarks/Microbenchmarks benchmarks/Driver
  write_machine
  log "Microbenchmarks (BenchmarkDotNet, short jobs, in process)…"
  (cd "$data" && taskset -c "$api_cpu" dotnet "$(bin Hyperstore.Bench.Microbenchmarks)/hyperstore-microbenchmarks.dll" \
    --out "$raw/micro.json" --artifacts "$data/micro") | tee "$raw/micro.log" | grep -E '^\|' || true
  report
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------------
build src/Api src/Projector src/LoadTest benchmarks/BareReference benchmarks/Driver
if [ "$mode" = quick ]; then
  deadline=$(($(date +%s) + quick_budget))
  start_watchdog "$quick_budget"
fi
write_machine
report_pending=1
api_dll=$(bin Hyperstore.Api)/Hyperstore.Api.dll
projector_dll=$(bin Hyperstore.Projector)/Hyperstore.Projector.dll
bare_dll=$(bin Hyperstore.Bench.BareReference)/Hyperstore.Bench.BareReference.dll
loadtest_dll=$(bin Hyperstore.LoadTest)/hyperstore-loadtest.dll
driver="dotnet $(bin Hyperstore.Bench.Driver)/hyperstore-bench.dll"
redis="127.0.0.1:$redis_port"
api="http://127.0.0.1:$api_port"
bare="http://127.0.0.1:$bare_port"

for port in "$redis_port" "$api_port" "$projector_port" "$bare_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: port $port is in use (another bench run?); set BENCH_*_PORT" >&2
    exit 1
  fi
done

rm -rf "$run_dir"
mkdir -p "$run_dir/redis" "$run_dir/logs"
chmod 700 "$run_dir"

log "Starting Redis on $redis (appendonly, appendfsync $fsync, no automatic AOF rewrite), CPU $load_cpu…"
# No automatic AOF rewrite: a rewrite forks and would compete with what is measured; production rewrites now and then.
taskset -c "$load_cpu" redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$run_dir/redis" \
  --appendonly yes --appendfsync "$fsync" --no-appendfsync-on-rewrite no --auto-aof-rewrite-percentage 0 --save "" \
  --maxclients 20000 --daemonize no --logfile "$run_dir/logs/redis.log" </dev/null >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null

# Every API PUT leaves an idempotency record, a key with an expiry. When the number of keys passes a power of two, Redis
# doubles its key and expiry tables and moves the entries over step by step, on the commands that follow: in the
# harness a 10 s window that crossed 2^20 or 2^21 keys cost Redis 41-43 us per API PUT against 20-28 in windows that
# crossed none (docs/performance.md). The bare buy writes no keys, so such a window would lower only the API's
# figures, by chance of where it falls. Filler keys with expiries take the tables past 2^21 before anything is
# measured; the run's own records (its PUTs and the capacity steps'; the yardsticks remove theirs) then stay below 2^22.
if [ "${keyspace_keys:-0}" -gt 0 ]; then
  log "Growing Redis's keyspace to $keyspace_keys keys (filler keys with an expiry), so that no measurement crosses a doubling of its tables…"
  for ((first = 1; first <= keyspace_keys; first += 100000)); do
    redis-cli -p "$redis_port" EVAL "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do redis.call('SET', 'bench:keyspace:' .. i, '1', 'EX', 86400) end return 1" \
      0 "$first" "$((first + 99999 < keyspace_keys ? first + 99999 : keyspace_keys))" >/dev/null
  done
fi

# Token signing keys: EC P-256 (ES256) as scripts/run.sh and production make them, and RSA-2048 (RS256) for --compare-keys.
(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$run_dir/signing-key-ec.pem" 2>/dev/null \
  && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$run_dir/signing-key-rsa.pem" 2>/dev/null)
secret_of() { sed -E 's/.*"client_secret":"([^"]+)".*/\1/'; }
add_client() { dotnet "$api_dll" clients add --id "$1" --scopes "$2" --json --redis "$redis" 2>/dev/null | secret_of; }
bench_secret=$(add_client bench read,buy,stock,audit)
loadtest_secret=$(add_client loadtest read,buy,stock)
auditor_secret=$(add_client auditor read,audit)

export ConnectionStrings__Redis="$redis" Hyperstore__Regions="eu,na,sa" DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production

log "Starting the projector (CPU $load_cpu), the API and the bare reference (CPU $api_cpu)…"
# The API and the bare reference each run on one core, as an API task does on one vCPU in AWS, with the runtime setting
# that deployment uses there: idle thread-pool workers sleep at once instead of spinning (on one core nothing else can
# produce their work while they spin). Both get it, so the ratios compare the applications, not the setting. The
# projector gets it too, as its half-vCPU task does: here it shares a core with Redis, and a perf profile of it under
# PUT load had 11 % of its samples in sched_yield, spinning workers giving the core away.
one_core_runtime=(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)
# The two services also get the runtime's inline socket completions, as the API's one-vCPU task does; the API, as there,
# runs its pipeline inline (Hyperstore__InlineScheduling, a setting of the application, which the bare service lacks).
one_core_service_runtime=("${one_core_runtime[@]}" DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1)
env "${one_core_runtime[@]}" DOTNET_CONTENTROOT="$(dirname "$projector_dll")" Projector__Urls="http://127.0.0.1:$projector_port" \
  taskset -c "$load_cpu" dotnet "$projector_dll" </dev/null > "$run_dir/logs/projector.log" 2>&1 &
pids+=($!)
# start_api KEY (ec|rsa): the API on its core, with that signing key; api_pid is its PID (also in pids, for the cleanup).
start_api() {
  local perf_map=()
  # Names for JIT-compiled code in perf's samples; W^X off, or perf sees the code through an anonymous double mapping.
  [ "$perf" = 1 ] && perf_map=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
  env "${perf_map[@]}" "${one_core_service_runtime[@]}" ASPNETCORE_URLS="$api" Auth__Issuer="$api/" Auth__RequireHttps=false Auth__SigningKeyPath="$run_dir/signing-key-$1.pem" \
    Hyperstore__Region=eu Hyperstore__InlineScheduling=true RateLimiting__PermitsPerSecond=0 DOTNET_CONTENTROOT="$(dirname "$api_dll")" \
    taskset -c "$api_cpu" dotnet "$api_dll" </dev/null >> "$run_dir/logs/api.log" 2>&1 &
  api_pid=$!
  pids+=("$api_pid")
}
stop_api() {
  kill -TERM "$api_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$api_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$api_pid" 2>/dev/null || true
  local kept=() pid
  for pid in "${pids[@]}"; do [ "$pid" != "$api_pid" ] && kept+=("$pid"); done
  pids=("${kept[@]}")
}
start_api ec
env "${one_core_service_runtime[@]}" ASPNETCORE_URLS="$bare" DOTNET_CONTENTROOT="$(dirname "$bare_dll")" \
  taskset -c "$api_cpu" dotnet "$bare_dll" </dev/null > "$run_dir/logs/bare.log" 2>&1 &
pids+=($!)
wait_for_url "$api/health/ready" 60
wait_for_url "$bare/health" 60
wait_for_url "http://127.0.0.1:$projector_port/health/live" 60

token() {
  curl -fsS -X POST "$api/oauth/token" -d grant_type=client_credentials -d client_id="$1" \
    --data-urlencode client_secret="$2" --data-urlencode scope="$3" | grep -o '"access_token": *"[^"]*"' | cut -d'"' -f4
}
bench_token=$(token bench "$bench_secret" "read buy stock audit")

# A stock that cannot run out during the run: the ledger's largest level.
curl -fsS -o /dev/null -X POST "$api/api/hyper?region=eu" -H "Authorization: Bearer $bench_token" \
  -H 'Content-Type: application/json' -d '{"quantity":1000000000}'
redis-cli -p "$redis_port" SET '{hyper:bare}:stock' 1000000000 >/dev/null
for _ in $(seq 1 100); do
  curl -fsS "$api/api/hyper" -H "Authorization: Bearer $bench_token" | grep -q '"quantity":1000000000' && break
  sleep 0.1
done

# cpu_times: the /proc/stat lines of the API's and the load CPU. cpu_busy BEFORE AFTER: JSON fields for the time in
# between, in /proc/stat's order: each core's busy share ("apiCpuBusy":0.42,"loadCpuBusy":0.97; idle and iowait count as
# not busy) and the API core's busy time in seconds ("apiCpuSeconds", from its clock ticks), which over a step's
# requests is what a request cost the API core. The busy time, not share x elapsed time: this VM's /proc/stat misses
# some of an idle core's ticks (6-15 % of a capacity step's elapsed time in one full run), so the busy share is a little
# high at low load, and the ticks undercount the elapsed time.
clock_ticks=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_times() { grep -E "^cpu($api_cpu|$load_cpu) " /proc/stat; }
cpu_busy() {
  paste -d' ' <(printf '%s\n' "$1") <(printf '%s\n' "$2") | awk -v api="cpu$api_cpu" -v hz="$clock_ticks" '{
    n = (NF - 2) / 2; total = 0; idle = 0
    for (i = 2; i <= 1 + n; i++) total -= $i
    for (i = 3 + n; i <= NF; i++) total += $i
    idle = ($(3 + n + 3) + $(3 + n + 4)) - ($5 + $6)
    printf "%s\"%s\":%.3f", (NR > 1 ? "," : ""), ($1 == api ? "apiCpuBusy" : "loadCpuBusy"), (total > 0 ? 1 - idle / total : 0)
    if ($1 == api) printf ",\"apiCpuSeconds\":%.3f", (hz > 0 ? (total - idle) / hz : 0)
  }'
}

# run_wrk META SCRIPT URL CONNECTIONS SECONDS: one wrk run on the load CPU; appends its JSON line to wrk.jsonl when META is
# set, with how busy the API's and the load CPU were meanwhile (a request's cost on the API core is busy time / requests).
run_wrk() {
  local meta=$1 script=$2 url=$3 connections=$4 seconds=$5 out cpu_before
  local token=$bench_token
  [ -n "${BENCH_NO_TOKEN:-}" ] && token=""
  cpu_before=$(cpu_times)
  out=$(BENCH_META="$meta" BENCH_WRK_DIR="$root/benchmarks/wrk" BENCH_TOKEN="$token" BENCH_RUN_ID="$stamp-$RANDOM" \
    timeout "$(bound $((seconds + 30)))" taskset -c "$load_cpu" wrk -t "$wrk_threads" -c "$connections" -d "${seconds}s" --timeout 5s \
      -s "$root/benchmarks/wrk/$script" "$url" 2>&1) || true
  local line
  line=$(printf '%s\n' "$out" | sed -n 's/^WRK_JSON //p')
  if [ -z "$line" ]; then
    note "wrk produced no result for $meta: $(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')"
    return
  fi
  line="${line%\}},$(cpu_busy "$cpu_before" "$(cpu_times)")}"
  [ -n "$meta" ] && echo "$line" >> "$raw/wrk.jsonl"
  local requests duration p99
  requests=$(printf '%s' "$line" | sed -E 's/.*"requests":([0-9]+).*/\1/')
  duration=$(printf '%s' "$line" | sed -E 's/.*"duration_us":([0-9]+).*/\1/')
  p99=$(printf '%s' "$line" | sed -E 's/.*"p99_us":([0-9]+).*/\1/')
  [ -n "$meta" ] && log "  $meta: $((requests * 1000000 / (duration > 0 ? duration : 1))) req/s, p99 $((p99 / 1000)) ms"
  return 0
}

# ---------------------------------------------------------------------------------------------------------------------
# Warm-up: the JIT compiles the hot paths again with profile data (tiered PGO) during the first seconds under load, and on
# a single busy core that takes a while: from cold, the API's PUT path took 60-70 s of load at 256 connections before
# its JIT went quiet (several hundred methods compiled per 5 s until then). A service still compiling measures the
# compiler, not the service. So GET and PUT run in turns on the API until a turn of each compiled fewer than
# $jit_settled methods (the runtime's counter on /metrics), at most $warmup_max s; the bare reference, which has no
# such counter, then gets as long.
# (awk reads to the end: exiting early would fail curl's write, and the pipeline with it.)
jit_compiled() { curl -fsS "$api/metrics" 2>/dev/null | awk '/^dotnet_jit_compiled_methods/ && !n++ {print $2}' || true; }
# warm_api: the turns above on the API; sets warmed (seconds), jit_quiet (yes/no) and jit_counts.
warm_api() {
  local before middle after
  warmed=0; jit_quiet=no; jit_counts=""
  while [ "$warmed" -lt "$warmup_max" ]; do
    before=$(jit_compiled)
    run_wrk "" get.lua "$api/api/hyper" 256 "$warmup_window"
    middle=$(jit_compiled)
    run_wrk "" put.lua "$api/api/hyper/own" 256 "$warmup_window"
    after=$(jit_compiled)
    warmed=$((warmed + 2 * warmup_window))
    [ -n "$before" ] && [ -n "$after" ] || { note "warm-up: the API's /metrics has no JIT counter; warmed ${warmed}s"; return; }
    jit_counts="$jit_counts $((middle - before))/$((after - middle))"
    if [ $((middle - before)) -lt "$jit_settled" ] && [ $((after - middle)) -lt "$jit_settled" ]; then
      jit_quiet=yes
      break
    fi
  done
  log "  API warmed ${warmed}s; methods compiled per GET/PUT turn:${jit_counts:- –}; settled: $jit_quiet"
  [ "$jit_quiet" = yes ] || note "warm-up: the API's JIT was still compiling after ${warmed}s (per GET/PUT turn:$jit_counts)"
}
log "Warm-up (GET and PUT in ${warmup_window}s turns at 256 connections until the API's JIT settles, at most ${warmup_max}s; the bare reference as long)…"
warm_api
run_wrk "" get.lua "$bare/api/hyper" 256 $((warmed / 2))
run_wrk "" put.lua "$bare/api/hyper/own" 256 $((warmed / 2))
sed -i '$ s/}$/,"warmupSeconds":"'"$warmed"'","warmupJitSettled":"'"$jit_quiet"'","warmupJitThreshold":"'"$jit_settled"'"}/' "$raw/config.json"

# Yardsticks: Redis alone, driven by redis-benchmark from the API's core while it is idle, so Redis keeps its own core.
append_sha=$(redis-cli -p "$redis_port" SCRIPT LOAD "$(cat src/Ledger/Scripts/append.lua)")
redis-cli -p "$redis_port" SET '{hyper:yardstick}:stock' 1000000000 >/dev/null
# run_redis_benchmark NAME REQUESTS ARGS…: appends {"name","fsync","rps","p50_ms","p99_ms"} to redis-benchmark.jsonl.
run_redis_benchmark() {
  local name=$1 requests=$2 current
  shift 2
  current=$(redis-cli -p "$redis_port" CONFIG GET appendfsync | tail -n 1)
  local csv
  csv=$(timeout "$(bound 60)" taskset -c "$api_cpu" redis-benchmark -p "$redis_port" -n "$requests" -r 1000000000 --csv "$@" 2>/dev/null | tail -n 1) || true
  if [ -z "$csv" ]; then
    note "redis-benchmark $name gave no result"
    return
  fi
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  printf '%s\n' "$csv" | awk -F'","' -v name="$name" -v fsync="$current" \
    '{gsub(/"/, "", $8); printf "{\"name\":\"%s\",\"fsync\":\"%s\",\"rps\":%s,\"p50_ms\":%s,\"p99_ms\":%s}\n", name, fsync, $2, $5, $7}' \
    >> "$raw/redis-benchmark.jsonl"
  log "  $name ($current): $(printf '%s' "$csv" | awk -F'","' '{print $2}') req/s"
}
# The ceiling drives append.lua as a PUT with an Idempotency-Key does (every PUT of put.lua has one): a buy of one with a
# fresh command id, whose idempotency record is kept for the API's window (24 h), so Redis checks and writes the record
# as for such a PUT. redis-benchmark puts a random number in place of each __rand_int__. The same buy with ttl 0 (no
# record: a PUT without a key, or an id the server generated) is measured beside it.
yardstick_now="$(date +%s)000"
evalsha_put_args=(EVALSHA "$append_sha" 3 '{hyper:yardstick}:stock' '{hyper:yardstick}:events'
  '{hyper:yardstick}:cmd:bench:yardstick-__rand_int__' buy 1 bench 'yardstick-__rand_int__' "$yardstick_now" buy:1 86400 1000000000)
evalsha_no_record_args=(EVALSHA "$append_sha" 3 '{hyper:yardstick}:stock' '{hyper:yardstick}:events' '{hyper:yardstick}:cmd:bench:x'
  buy 1 bench 'yardstick-__rand_int__' "$yardstick_now" buy:1 0 1000000000)
# remove_yardstick_records: the records and events the yardsticks wrote, after each repetition, so that at most one
# repetition's (100,000) ever takes room before Redis's next doubling of its tables (see the keyspace filler above). The
# driver walks the keyspace a SCAN page at a time, from the idle API core; it prints how many it removed, which also
# shows that the calls were applied.
remove_yardstick_records() {
  timeout "$(bound 70)" taskset -c "$api_cpu" $driver unlink --redis "$redis" --pattern '{hyper:yardstick}:cmd:*' --max-seconds 60 \
    | while IFS= read -r line; do log "  $line"; done || note "yardsticks: removing their idempotency records failed"
  redis-cli -p "$redis_port" DEL '{hyper:yardstick}:events' >/dev/null || true
}

# 1. Throughput, zero think time: API and bare reference, interleaved point by point.
log "Throughput (wrk; at 256 connections ${wrk_repeats} runs of ${wrk_seconds}s after ${wrk_warmup}s warm-up, elsewhere one of ${wrk_side_seconds}s after ${wrk_side_warmup}s)…"
for endpoint in "GET /api/hyper" "PUT /api/hyper/own"; do
  script=get.lua; path=/api/hyper
  [ "${endpoint%% *}" = PUT ] && { script=put.lua; path=/api/hyper/own; }
  for connections in $connection_levels; do
    # The ratio targets are at 256 connections: several full-length runs there (median), one shorter run elsewhere, so
    # the capacity ramp at the end still fits in the time budget after a full build.
    repeats=1; seconds=$wrk_side_seconds; warmup=$wrk_side_warmup
    [ "$connections" = 256 ] && { repeats=$wrk_repeats; seconds=$wrk_seconds; warmup=$wrk_warmup; }
    for rep in $(seq 1 "$repeats"); do
      for target in api bare; do
        if ! has_time $((seconds + warmup + 5)); then
          note "throughput: $endpoint at $connections connections ($target, run $rep) skipped: time budget"
          continue
        fi
        base=$api; [ "$target" = bare ] && base=$bare
        run_wrk "" "$script" "$base$path" "$connections" "$warmup"
        run_wrk "\"phase\":\"throughput\",\"target\":\"$target\",\"endpoint\":\"$endpoint\",\"connections\":$connections,\"rep\":$rep" \
          "$script" "$base$path" "$connections" "$seconds"
      done
      # The PUT's ceiling right after its two runs, so that the VM's slow and fast minutes reach both sides of the ratio.
      if [ "$script" = put.lua ] && [ "$connections" = 256 ] && has_time 15; then
        run_redis_benchmark "EVALSHA append.lua as a PUT, pipelined 16" "$redis_eval_requests" -c 64 -P 16 "${evalsha_put_args[@]}"
        remove_yardstick_records
      fi
    done
  done
done

# Where the time goes: the same core answering without Redis or a token. /health/live passes every middleware but needs
# no auth; GET /api/hyper without a token is refused by authentication (401) before any handler.
# Half-length runs: these are one-off diagnostics, and the capacity ramp at the end needs the time (a full build at
# the start had left too little for its 10,000-user step).
decomposition_seconds=$(( (wrk_seconds + 1) / 2 ))
if has_time $((3 * (decomposition_seconds + wrk_warmup) + 10)); then
  log "Decomposition (256 connections, ${decomposition_seconds}s runs): health endpoints, and GET without a token…"
  run_wrk "" get.lua "$api/health/live" 256 "$wrk_warmup"
  run_wrk "\"phase\":\"decomposition\",\"target\":\"api\",\"endpoint\":\"GET health, no auth (API /health/live, bare /health)\",\"connections\":256,\"rep\":1" \
    get.lua "$api/health/live" 256 "$decomposition_seconds"
  run_wrk "" get.lua "$bare/health" 256 "$wrk_warmup"
  run_wrk "\"phase\":\"decomposition\",\"target\":\"bare\",\"endpoint\":\"GET health, no auth (API /health/live, bare /health)\",\"connections\":256,\"rep\":1" \
    get.lua "$bare/health" 256 "$decomposition_seconds"
  BENCH_NO_TOKEN=1 run_wrk "" get.lua "$api/api/hyper" 256 "$wrk_warmup"
  BENCH_NO_TOKEN=1 run_wrk "\"phase\":\"decomposition\",\"target\":\"api\",\"endpoint\":\"GET /api/hyper without a token (401)\",\"connections\":256,\"rep\":1" \
    get.lua "$api/api/hyper" 256 "$decomposition_seconds"
fi

# Where the time goes, sampled: the API's thread stacks during GET load (wall-clock samples: waiting on a lock counts too).
if [ "$trace" = 1 ] && has_time 40; then
  tools=$data/tools
  [ -x "$tools/dotnet-trace" ] || dotnet tool install --tool-path "$tools" dotnet-trace >/dev/null 2>&1 \
    || note "trace: dotnet-trace could not be installed"
  if [ -x "$tools/dotnet-trace" ]; then
    log "Sampling the API's threads during 10 s of GET at 256 connections (dotnet-trace)…"
    run_wrk "" get.lua "$api/api/hyper" 256 16 &
    load=$!
    sleep 2
    timeout 60 taskset -c "$load_cpu" "$tools/dotnet-trace" collect -p "$api_pid" --profile dotnet-sampled-thread-time \
      --duration 00:00:00:10 -o "$raw/api-get.nettrace" >/dev/null 2>&1 || note "trace: collection failed"
    wait "$load" || true
    timeout 120 "$tools/dotnet-trace" report "$raw/api-get.nettrace" topN -n 60 --inclusive > "$raw/api-get-topN.txt" 2>&1 || true
    log "  top frames in $raw/api-get-topN.txt"
  fi
fi

if [ "$perf" = 1 ] && has_time 45; then
  command -v perf >/dev/null 2>&1 || apt_install linux-perf || note "perf: linux-perf could not be installed"
  if command -v perf >/dev/null 2>&1; then
    log "Sampling the API core's CPU during 12 s of GET at 256 connections (perf)…"
    run_wrk "" get.lua "$api/api/hyper" 256 20 &
    load=$!
    sleep 4
    timeout 60 taskset -c "$load_cpu" perf record -F 999 -g -p "$api_pid" -o "$raw/api-get.perf.data" -- sleep 12 >/dev/null 2>&1 \
      || note "perf: recording failed (perf_event_paranoid?)"
    wait "$load" || true
    if [ -s "$raw/api-get.perf.data" ]; then
      {
        echo "# Share of the API core by library (JIT-compiled code by its assembly; [kernel] is the kernel)"
        # perf shows a JIT-compiled method as "[JIT] tid N  [.] returntype [Assembly] Namespace.Type::Method…": its
        # assembly is the bracketed name right before the name with "::" (the return type may name another one).
        perf report -i "$raw/api-get.perf.data" -n --no-children --sort dso,sym -g none 2>/dev/null | grep -v '^#' | awk '
          NF == 0 { next }
          { samples = $2; library = $3 }
          /\[k\]/ { library = "[kernel]" }
          /\[JIT\]/ {
            library = "JIT-compiled, unnamed"
            method = substr($0, index($0, "[.] ") + 4)
            if (match(method, /\[[A-Za-z][A-Za-z0-9.]+\] [^ ]+::/)) {
              method = substr(method, RSTART + 1)
              library = substr(method, 1, index(method, "]") - 1)
            }
          }
          { count[library] += samples; total += samples }
          END { for (l in count) printf "%6.2f %%  %s\n", 100 * count[l] / total, l }' | sort -rn | head -n 30
        echo
        echo "# Native libraries"
        perf report -i "$raw/api-get.perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | sed '/^$/d' | head -n 12
        echo
        echo "# Top functions (self time)"
        perf report -i "$raw/api-get.perf.data" --no-children --sort sym -g none 2>/dev/null | grep -v '^#' | sed '/^$/d' \
          | sed -E 's/\[OptimizedTier1\]//; s/instance //; s/valuetype //g' | cut -c1-220 | head -n 60
      } > "$raw/api-get-perf.txt" || true  # head closing its pipe early is not a failure
      log "  CPU by library and top functions in $raw/api-get-perf.txt"
    fi
  fi
fi

# Nothing oversold: once the projector has caught up (read model at the stream head), replay, write side and read model
# must agree (GET /api/audit/verify replays the whole stream, so it is asked once).
for _ in $(seq 1 300); do
  head=$(redis-cli -p "$redis_port" XREVRANGE '{hyper:eu}:events' + - COUNT 1 | head -n 1)
  [ "$(redis-cli -p "$redis_port" HGET '{hyper:eu}:view:stock' position)" = "$head" ] && break
  sleep 0.1
done
curl -fsS --max-time "$(bound 120)" "$api/api/audit/verify" -H "Authorization: Bearer $bench_token" > "$raw/verify.json" || true
if grep -q '"consistent":true' "$raw/verify.json" 2>/dev/null; then
  log "Ledger after the PUT runs: consistent, nothing oversold"
else
  note "ledger check after the PUT runs: NOT consistent (or no answer): $(head -c 400 "$raw/verify.json" 2>/dev/null)"
fi

# 2. The token endpoint on the API's core.
if has_time $((token_seconds + 5)); then
  log "Token endpoint (wrk POST /oauth/token, 64 connections, after $((2 * warmup_seconds))s of warm-up)…"
  # OpenIddict's server pipeline is a few hundred small handlers that nothing before has run: measured cold, the JIT
  # compiling them halves the figure (about 1,100 tokens/s in the first seconds, 4,000–5,000 after 20 s).
  BENCH_CLIENT_ID=bench BENCH_CLIENT_SECRET="$bench_secret" BENCH_SCOPE=read \
    run_wrk "" token.lua "$api/oauth/token" 64 "$((2 * warmup_seconds))"
  BENCH_CLIENT_ID=bench BENCH_CLIENT_SECRET="$bench_secret" BENCH_SCOPE=read \
    run_wrk "\"phase\":\"token\",\"target\":\"api\",\"endpoint\":\"POST /oauth/token\",\"connections\":64,\"rep\":1" \
    token.lua "$api/oauth/token" 64 "$token_seconds"
fi
# A new token, then its first use: what each arriving user does first.
if has_time $((token_seconds + 5)); then
  log "A new token, then its first use (wrk token-then-get.lua, 64 connections)…"
  BENCH_CLIENT_ID=bench BENCH_CLIENT_SECRET="$bench_secret" BENCH_SCOPE=read \
    run_wrk "" token-then-get.lua "$api/" 64 2
  BENCH_CLIENT_ID=bench BENCH_CLIENT_SECRET="$bench_secret" BENCH_SCOPE=read \
    run_wrk "\"phase\":\"token-then-get\",\"target\":\"api\",\"endpoint\":\"POST /oauth/token then GET /api/hyper\",\"connections\":64,\"rep\":1" \
    token-then-get.lua "$api/" 64 "$token_seconds"
fi

# The other signing key: tokens validated on every request and signed on every token request cost differently.
if [ "$compare_keys" = 1 ] && has_time $((4 * (wrk_seconds + wrk_warmup) + 2 * warmup_max + 30)); then
  log "Signing key comparison: restarting the API with an RSA-2048 key…"
  stop_api
  start_api rsa
  wait_for_url "$api/health/ready" 60
  ec_token=$bench_token
  bench_token=$(token bench "$bench_secret" "read buy stock audit")
  warm_api
  for endpoint in "GET /api/hyper" "PUT /api/hyper/own"; do
    script=get.lua; path=/api/hyper
    [ "${endpoint%% *}" = PUT ] && { script=put.lua; path=/api/hyper/own; }
    run_wrk "" "$script" "$api$path" 256 "$wrk_warmup"
    run_wrk "\"phase\":\"keys-rsa\",\"target\":\"api\",\"endpoint\":\"$endpoint RS256\",\"connections\":256,\"rep\":1" \
      "$script" "$api$path" 256 "$wrk_seconds"
  done
  BENCH_CLIENT_ID=bench BENCH_CLIENT_SECRET="$bench_secret" BENCH_SCOPE=read \
    run_wrk "\"phase\":\"keys-rsa\",\"target\":\"api\",\"endpoint\":\"POST /oauth/token RS256\",\"connections\":64,\"rep\":1" \
    token.lua "$api/oauth/token" 64 "$token_seconds"
  stop_api
  start_api ec
  wait_for_url "$api/health/ready" 60
  bench_token=$ec_token
  # Warm again, so what follows (the appendfsync comparison, the capacity runs) does not meet a cold API.
  warm_api
fi

# 3. Yardsticks: Redis alone, driven by redis-benchmark from the (now idle) API core, so Redis keeps its own core. The
# ceiling as a PUT, pipelined, was measured beside each PUT repetition above; here the rest.
if has_time 30; then
  log "Redis yardsticks (redis-benchmark: GET of the stock key; EVALSHA append.lua as a PUT, with its idempotency record, and without)…"
  for rep in $(seq 1 "$redis_repeats"); do
    has_time 25 || { note "yardsticks: run $rep skipped: time budget"; break; }
    run_redis_benchmark "GET" "$redis_get_requests" -c 256 GET '{hyper:bare}:stock'
    run_redis_benchmark "GET, pipelined 16" "$redis_get_requests" -c 64 -P 16 GET '{hyper:bare}:stock'
    run_redis_benchmark "EVALSHA append.lua as a PUT" "$redis_eval_requests" -c 256 "${evalsha_put_args[@]}"
    run_redis_benchmark "EVALSHA append.lua without idempotency record, pipelined 16" "$redis_eval_requests" -c 64 -P 16 \
      "${evalsha_no_record_args[@]}"
    remove_yardstick_records
  done
fi
# The same PUT point and Redis ceiling with fsync once a second, for comparison.
if [ "$compare_fsync" = 1 ] && [ "$fsync" != everysec ] && has_time $((wrk_seconds * 2 + 30)); then
  log "appendfsync everysec for comparison…"
  redis-cli -p "$redis_port" CONFIG SET appendfsync everysec >/dev/null
  run_wrk "" put.lua "$api/api/hyper/own" 256 "$wrk_warmup"
  run_wrk "\"phase\":\"fsync-everysec\",\"target\":\"api\",\"endpoint\":\"PUT /api/hyper/own everysec\",\"connections\":256,\"rep\":1" \
    put.lua "$api/api/hyper/own" 256 "$wrk_seconds"
  run_redis_benchmark "EVALSHA append.lua as a PUT" "$redis_eval_requests" -c 256 "${evalsha_put_args[@]}"
  redis-cli -p "$redis_port" CONFIG SET appendfsync "$fsync" >/dev/null
  remove_yardstick_records
fi

# 4. Projection: lag at 2,000 buys/s (region na, the API idle), then replay and memory over a large stream (region replay,
# which no projector reads). The driver runs on the API's core, so it does not take Redis's or the projector's.
if has_time $((lag_seconds + lag_warmup + 10)); then
  log "Projection lag at 2,000 buys/s for ${lag_seconds}s…"
  timeout "$(bound $((lag_seconds + lag_warmup + 40)))" taskset -c "$api_cpu" $driver lag --redis "$redis" --region na --rate 2000 --seconds "$lag_seconds" \
    --warmup-seconds "$lag_warmup" --projector-metrics "http://127.0.0.1:$projector_port/metrics" --out "$raw/lag.json" \
    || note "lag: the driver reported unseen or failed appends (see lag.json)"
else
  note "projection lag skipped: time budget"
fi
if has_time "$seed_need"; then
  log "Seeding $replay_events events (redis-cli --pipe of append.lua), memory per event…"
  if timeout "$(bound $(( $(remaining) / 4 + 40 )))" taskset -c "$api_cpu" $driver seed --redis "$redis" --region replay --events "$replay_events" \
       --max-seconds $(( $(remaining) / 4 )) --out "$raw/seed.json"; then
    log "Replaying them (EventStreamReader.ReplayAsync) once cold, ${replay_warmup}–${replay_warmup_max} s to warm up (until the JIT settles), then up to $replay_repeats time(s) warm…"
    timeout "$(bound $(( $(remaining) / 5 + 60 )))" taskset -c "$api_cpu" $driver replay --redis "$redis" --region replay --repeat "$replay_repeats" \
      --warmup-seconds "$replay_warmup" --warmup-max-seconds "$replay_warmup_max" \
      --max-seconds $(( $(remaining) / 5 )) --out "$raw/replay.json" \
      || note "replay failed"
  else
    note "seeding failed"
  fi
  redis-cli -p "$redis_port" DEL '{hyper:replay}:events' >/dev/null
else
  note "replay and memory skipped: time budget"
fi

# 5. Capacity: the default user scenario with think time, a connection per user, step by step while the API holds
# p99 < 100 ms with no failures. The first step (1,000 users) also checks the ledger and stands for the default run.
# Region sa: a fresh stream, so the ledger check (which replays the region) measures this run, not the PUT runs before.
log "Capacity: default user scenario (think 1-2 s), region sa, steps: $capacity_steps users…"
curl -fsS -o /dev/null -X POST "$api/api/hyper?region=sa" -H "Authorization: Bearer $bench_token" \
  -H 'Content-Type: application/json' -d '{"quantity":500}'
# What else each step records, to tell a miss's causes apart: the API's time in its garbage collector (the runtime's
# counter on /metrics), and Redis's longest stalls (its latency monitor, on from here on: events of 10 ms or more;
# with appendfsync always an fsync that waits for the disk holds up every command behind it).
api_gc_pause() { curl -fsS "$api/metrics" 2>/dev/null | awk '/^dotnet_gc_pause_time_seconds_total/ {print $2; exit}' || true; }
# LATENCY LATEST lists event, time, latest ms, max ms per event since the last reset: the largest max of the fsync
# event and of any event, as JSON fields.
redis_stalls() {
  redis-cli -p "$redis_port" LATENCY LATEST 2>/dev/null | paste -d' ' - - - - | awk '
    { if ($4 > all) all = $4; if ($1 == "aof-fsync-always" && $4 > fsync) fsync = $4 }
    END { printf "\"redisStallMaxMs\":%d,\"redisFsyncMaxMs\":%d", all, fsync }'
}
redis-cli -p "$redis_port" CONFIG SET latency-monitor-threshold 10 >/dev/null
first=1
for users in $capacity_steps; do
  seconds=$capacity_step_seconds
  [ "$first" = 1 ] && seconds=$capacity_first_seconds
  # Ramp up over about a quarter of the step: each new user fetches a token first.
  spawn=$(( users * 4 / seconds )); [ "$spawn" -lt 50 ] && spawn=50
  if ! has_time $((seconds + capacity_margin)); then
    note "capacity step $users users skipped: time budget"
    break
  fi
  name=users-$users
  audit=()
  kind=step
  if [ "$first" = 1 ]; then
    audit=(--audit-client-id auditor --ledger-wait 20s)
    kind=default
  fi
  exit_code=0
  # What the API measured itself (its RequestStats log lines, every 10 s) and how busy each core was: a latency that the
  # API does not see was spent in the load client or the queues before the API's pipeline.
  api_log_from=$(stat -c %s "$run_dir/logs/api.log")
  gc_before=$(api_gc_pause)
  redis-cli -p "$redis_port" LATENCY RESET >/dev/null
  cpu_before=$(cpu_times)
  # Secrets go in the environment, not on the command line (older releases made secrets that start with '-', which
  # would be read as an option). The load client is pinned to one core too, shared with Redis: its idle workers
  # spinning would take Redis's time. Its socket completions run inline, without a hop to a worker thread per
  # answer (harness, 10,000 users, two alternating pairs: 0.62 -> 0.54 of a core, 89,000 -> 49,000 context
  # switches per 10 s). Its garbage collector gets a 256 MB gen0 budget: this VM does not tell the runtime its cache
  # size, so the runtime's default is 6 MB, and at 10,000 users the client then collected 5-6 times a second and stood
  # still for 15-20 % of the step, every request in flight measured that much slower. Each collection looks through
  # the users' long-lived objects that were written to since the one before, so fewer collections cost less in all
  # (harness, 10,000 users, 40 s: pauses of 6-8 s with 6 MB, 1.9-2.5 s with 32 MB, 0.9-1.2 s with 256 MB).
  # Even so each of those collections stopped it for about 110 ms, and the answers that came in meanwhile were measured
  # that much slower: so the step runs with no collection at all (--no-gc-mb, a no-GC region; a step allocates about
  # 4 KB per request, 1.5 GB at 15,000 users, and the report says if the region did not last).
  env "${one_core_service_runtime[@]}" DOTNET_GCgen0size=0x10000000 HYPERSTORE_CLIENT_SECRET="$loadtest_secret" HYPERSTORE_AUDIT_CLIENT_SECRET="$auditor_secret" \
    timeout "$(bound $((seconds + 90)))" taskset -c "$load_cpu" dotnet "$loadtest_dll" run \
    --host "$api" --region sa -u "$users" -r "$spawn" -t "${seconds}s" --think-time 1-2 --seed 1 --client-id loadtest \
    --stop-timeout 5s --no-gc-mb 4096 --progress-interval 10s --json "$raw/loadtest-$name.json" "${audit[@]}" \
    > "$raw/loadtest-$name.log" 2>&1 || exit_code=$?
  busy=$(cpu_busy "$cpu_before" "$(cpu_times)")
  gc_after=$(api_gc_pause)
  gc_pause=$(awk -v a="$gc_before" -v b="$gc_after" 'BEGIN { if (a != "" && b != "") printf ",\"apiGcPauseSeconds\":%.3f", b - a }')
  tail -c +"$((api_log_from + 1))" "$run_dir/logs/api.log" | grep 'RequestStatsReporter' > "$raw/api-stats-$name.jsonl" || true
  echo "{\"kind\":\"$kind\",\"users\":$users,\"file\":\"loadtest-$name.json\",\"exit\":$exit_code,\"apiStats\":\"api-stats-$name.jsonl\",$busy$gc_pause,$(redis_stalls)}" \
    >> "$raw/capacity.jsonl"
  verdict=0
  line=$($driver held --result "$raw/loadtest-$name.json" --p99-ms 100) || verdict=$?
  log "  $users users: $line (load client exit code $exit_code)"
  if [ "$verdict" != 0 ]; then
    log "  $users users not held (p99 >= 100 ms or failures): the ramp stops here"
    break
  fi
  first=0
done

# ---------------------------------------------------------------------------------------------------------------------
log "Report…"
report_pending=0
report
log "Done in $(($(date +%s) - started)) s; raw measurements in $raw"
