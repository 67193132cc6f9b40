-- PUT /api/hyper/own (buy one) with a bearer token and a fresh Idempotency-Key per request, as real clients send:
-- "<BENCH_RUN_ID>-<thread>-<n>", so no request is a replay of an earlier one, in this run or another.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local authorization = "Bearer " .. os.getenv("BENCH_TOKEN")
local run = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local threads = 0
local counter = 0
local prefix

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  prefix = run .. "-" .. tostring(thread_number or 0) .. "-"
end

function request()
  counter = counter + 1
  return wrk.format("PUT", nil, {
    ["Host"] = wrk.headers["Host"],
    ["Authorization"] = authorization,
    ["Idempotency-Key"] = prefix .. counter,
  })
end
