# Shared install helpers for serve.sh, test.sh and bench.sh. Every step checks first and
# installs only what is missing, so a second run is fast.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than the one pinned here
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
# apt_install PACKAGE...: installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The wasm-bindgen version the project is locked to (the CLI must match it exactly).
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO/Cargo.lock"
}

ensure_node() {
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
}

TERSER_VERSION=5.51.4

# Everything needed to build the web app: wasm32 target, Trunk, wasm-bindgen-cli, wasm-opt,
# terser (minifies the JS glue); and rustfmt and clippy, which the tests run.
ensure_wasm_toolchain() {
  command -v cc >/dev/null 2>&1 || apt_install build-essential
  for c in rustfmt clippy; do
    rustup component list --installed | grep -q "^$c" || rustup component add "$c"
  done
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (about 12 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local wbg
  wbg="$(locked_wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    say "installing wasm-bindgen-cli $wbg (about 5 minutes, once)"
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  if ! command -v wasm-opt >/dev/null 2>&1; then
    ensure_node
    say "installing wasm-opt (binaryen from npm)"
    as_root npm install -g binaryen >/dev/null
  fi
  if ! command -v terser >/dev/null 2>&1; then
    ensure_node
    say "installing terser $TERSER_VERSION (npm)"
    as_root npm install -g "terser@$TERSER_VERSION" >/dev/null
  fi
}

GECKODRIVER_VERSION=0.37.1

# The three engines with their WebDriver drivers (Chromium, Firefox ESR, WebKit under Xvfb),
# all from Debian's packages (geckodriver from crates.io), and nginx to serve the built app.
ensure_browser_test_tools() {
  apt_install chromium chromium-driver nginx firefox-esr webkit2gtk-driver xvfb
  if ! geckodriver --version 2>/dev/null | grep -q "$GECKODRIVER_VERSION"; then
    say "installing geckodriver $GECKODRIVER_VERSION (about 3 minutes, once)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked
  fi
  ensure_node
  if [ ! -d "$REPO/tests/e2e/node_modules/playwright-core" ]; then
    say "installing playwright-core for the end-to-end tests"
    (cd "$REPO/tests/e2e" && npm ci --no-audit --no-fund >/dev/null)
  fi
}

build_app() {
  say "building the web app (trunk build --release)"
  (cd "$REPO" && trunk build --release)
}
