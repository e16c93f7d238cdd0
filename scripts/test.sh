#!/usr/bin/env bash
# Installs test needs and runs every test: rustfmt and clippy (warnings are errors); native unit, integration, CLI and property (fuzz)
# tests; the core compiled to wasm32 in headless Chromium; and end-to-end tests of the built
# app served by nginx on 127.0.0.1 in headless Chromium (all of it) and in Firefox ESR and
# WebKit (the cross-engine checks). Fails if any test fails.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_wasm_toolchain
ensure_browser_test_tools
cd "$REPO"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=300

failed=()
run() {
  local name="$1"; shift
  say "$name"
  if "$@"; then echo "[$name] passed"; else echo "[$name] FAILED"; failed+=("$name"); fi
}

run "rustfmt" cargo fmt --all --check
run "clippy, native and wasm32" bash -c "cargo clippy --release --workspace --all-targets -- -D warnings \
  && cargo clippy --release --target wasm32-unknown-unknown -p spanscope --all-targets -- -D warnings"
run "native tests (core, backends, service graph, CLI, property fuzzing)" cargo test --release -p spanscope-core -p spanscope-backend -p spanscope-graph -p spanscope-cli
run "core in wasm32, headless Chromium" cargo test --target wasm32-unknown-unknown --test wasm_core
# The end-to-end tests also run `spanscope serve`.
if build_app && cargo build --release -p spanscope-cli; then
  run "end-to-end: Chromium (all), Firefox ESR and WebKit (engines.test.js), nginx" bash -c "cd tests/e2e && npm test"
else
  failed+=("trunk build")
fi

total=5
echo "suites: $((total - ${#failed[@]})) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed suites: ${failed[*]}"
  exit 1
fi
