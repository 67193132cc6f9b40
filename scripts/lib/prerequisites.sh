# Installs what Hyperstore's scripts need on a fresh Debian machine, only when it is missing.
# Sourced by scripts/run.sh, scripts/test.sh and scripts/bench.sh.

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "error: '$*' is missing; install it (as root: apt-get install -y $*)" >&2
    return 1
  fi
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_redis_server() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    echo "Installing redis-server and redis-tools…"
    apt_install redis-server redis-tools
  fi
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK 10 is required (https://dot.net); 'dotnet' is not on PATH" >&2
    return 1
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Installing Node.js and npm…"
    apt_install nodejs npm
  fi
}

ensure_tools() {
  local missing=()
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}…"
    apt_install "${missing[@]}"
  fi
}

# wait_for_url URL SECONDS: polls until the URL answers 2xx, or fails after SECONDS.
wait_for_url() {
  local url=$1 seconds=$2 i
  for ((i = 0; i < seconds * 10; i++)); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "error: $url did not become ready within ${seconds}s" >&2
  return 1
}
