-- GET with a bearer token (BENCH_TOKEN, fetched once); none when BENCH_TOKEN is empty. The bare reference ignores it.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "GET"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
