# Set-up steps shared by scripts/steward and .ci/run (sourced, not run): Node 24 from npm into a per-machine
# cache when the machine's Node is older, npm dependencies when the lock file changed, PostgreSQL for the tests,
# the Temporal CLI and the full Temporal server (each built once per machine from its Go module, then cached).

steward_cache="${STEWARD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/steward}"

ensure_node() {
  if node --version 2>/dev/null | grep -Eq '^v(2[4-9]|[3-9][0-9])\.'; then return; fi
  local prefix="$steward_cache/node24"
  if [ ! -x "$prefix/node_modules/.bin/node" ]; then
    echo "Installing Node 24 into $prefix (once per machine)..."
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error node@24
  fi
  export PATH="$prefix/node_modules/.bin:$PATH"
}

ensure_dependencies() {
  local stamp=node_modules/.steward-lock-hash hash
  hash=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return; fi
  echo "Installing npm dependencies..."
  # `npm install` with the committed lock file, not `npm ci`: the lock lacks other platforms' optional native
  # packages (@swc/core-darwin-*, ...) that this machine's registry snapshot cannot resolve, and `npm ci` rejects
  # a lock without them. The versions installed are still the locked ones.
  npm install --no-audit --no-fund --loglevel=error
  echo "$hash" >"$stamp"
}

ensure_postgres() {
  [ -n "${TEST_DATABASE_ADMIN_URL:-}" ] && return
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then return; fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
  fi
  echo "The tests need PostgreSQL on 127.0.0.1:5432 (trust auth), or TEST_DATABASE_ADMIN_URL." >&2
  exit 1
}

ensure_temporal_cli() {
  npx --no-install tsx src/temporal/ensure-cli.ts "$@"
}

# The full Temporal server and its schema tool (for `npm run test:cluster` and `npm run temporal:cluster`), built
# once per machine from their Go module, then cached.
ensure_temporal_server() {
  npx --no-install tsx src/temporal/ensure-server.ts
}

# Debian's Chromium, which the sandbox page's browser test drives through playwright-core (no browser download).
ensure_chromium() {
  if command -v chromium >/dev/null; then return; fi
  echo "Installing Debian's chromium for the browser test..."
  if ! command -v apt-get >/dev/null; then
    echo "The browser test needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH); apt-get is not available to install it." >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y --no-install-recommends chromium >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends chromium >/dev/null; }
}
