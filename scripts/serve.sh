#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it on http://127.0.0.1:8080 with the
# bundled samples (the first page shows a real trace).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_wasm_toolchain
cd "$REPO"
say "serving on http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve --release
