-- GET the stock with a bearer token (BENCH_TOKEN, fetched once). The bare reference ignores the header.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
