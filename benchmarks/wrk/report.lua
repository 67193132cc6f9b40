-- Shared by the wrk scripts of scripts/bench.sh (loaded with dofile): at the end of a run, prints one line
-- "WRK_JSON {…}" with the run's counts and latency percentiles in microseconds. BENCH_META (environment) is a JSON
-- fragment such as "target":"api","endpoint":"GET /api/hyper" put in front of the figures.
local meta = os.getenv("BENCH_META")
meta = (meta and meta ~= "") and (meta .. ",") or ""

function done(summary, latency, requests)
  local e = summary.errors
  local function us(p) return math.floor(latency:percentile(p)) end
  io.write(string.format(
    'WRK_JSON {%s"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeout_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    meta, summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    us(50), us(90), us(99), us(99.9), math.floor(latency.max), latency.mean))
end
