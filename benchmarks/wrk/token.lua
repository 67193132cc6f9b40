-- POST /oauth/token: the client_credentials grant with a form body (BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_SCOPE).
-- Secrets made by the API are base64url, so they need no URL encoding.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&client_id=" .. os.getenv("BENCH_CLIENT_ID") ..
  "&client_secret=" .. os.getenv("BENCH_CLIENT_SECRET") .. "&scope=" .. (os.getenv("BENCH_SCOPE") or "read")
