#!/usr/bin/env bash
# Benchmark: generates 10k/100k/1M-span traces in each format (bench-data/, reused later) and
# reads them natively, then reads 10k/100k-span traces in wasm32 in headless Chromium.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"
SIZES="${SIZES:-10000,100000,1000000}"
say "native (release build)"
cargo run --release -q -p spanscope-cli -- bench --sizes "$SIZES" --dir bench-data
ensure_wasm_toolchain
ensure_browser_test_tools
say "wasm32 in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=600 \
  cargo test --release --target wasm32-unknown-unknown --test wasm_bench -- --nocapture 2>&1 \
  | grep -E "^(format|jaeger|otlp|zipkin) |^search answer|^graph |^analysis |^compare: "
say "the app in headless Chromium: load by file input, scroll, zoom, click (bench-data/*.jaeger.json)"
build_app
node tests/e2e/bench-ui.mjs
say "the search page: 1,500 traces from a stub Jaeger"
node tests/e2e/bench-search.mjs
say "the analysis views in headless Chromium: Statistics, Flame graph, Spans (bench-data/*.jaeger.json)"
node tests/e2e/bench-views.mjs
say "the compare view: two traces of 100k spans, by call path"
node tests/e2e/bench-compare.mjs
