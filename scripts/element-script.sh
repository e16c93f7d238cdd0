#!/usr/bin/env bash
# Trunk post-build hook: writes spanscope-element.js (the web component) from src/element.js
# with the names of this build's hashed files (JS glue, wasm, CSS) filled in, minified with
# terser when it is there (as the glue is: scripts/minify-glue.sh).
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
name() {
  local found
  found="$(cd "$dir" && ls $1 2>/dev/null | head -n 1)"
  [ -n "$found" ] || { echo "element-script: no $1 in $dir" >&2; exit 1; }
  printf '%s' "$found"
}
wasm="$(name 'spanscope-app-*_bg.wasm')"
glue="${wasm%_bg.wasm}.js"
css="$(name 'main-*.css')"
out="$dir/spanscope-element.js"
GLUE="$glue" WASM="$wasm" CSS="$css" perl -pe 's/%GLUE%/$ENV{GLUE}/; s/%WASM%/$ENV{WASM}/; s/%CSS%/$ENV{CSS}/' \
  src/element.js > "$out"
if command -v terser >/dev/null 2>&1; then
  terser "$out" --module --compress --mangle --output "$out.min"
  mv "$out.min" "$out"
fi
chmod 644 "$out"
