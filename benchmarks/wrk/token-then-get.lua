-- A new token, then its first use: POST /oauth/token (client_credentials, as token.lua) and GET /api/hyper with the
-- token just received, alternately. Each token is used once, so every GET pays for validating a token never seen,
-- as each user's first request does in the load scenario. Counts both kinds of request.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local form = "grant_type=client_credentials&client_id=" .. os.getenv("BENCH_CLIENT_ID") ..
  "&client_secret=" .. os.getenv("BENCH_CLIENT_SECRET") .. "&scope=" .. (os.getenv("BENCH_SCOPE") or "read")
local fresh = {}

function request()
  local token = table.remove(fresh)
  if token then
    return wrk.format("GET", "/api/hyper", { ["Host"] = wrk.headers["Host"], ["Authorization"] = "Bearer " .. token })
  end
  return wrk.format("POST", "/oauth/token",
    { ["Host"] = wrk.headers["Host"], ["Content-Type"] = "application/x-www-form-urlencoded" }, form)
end

function response(status, headers, body)
  local token = status == 200 and string.match(body, '"access_token"%s*:%s*"([^"]+)"')
  if token then
    fresh[#fresh + 1] = token
  end
end
