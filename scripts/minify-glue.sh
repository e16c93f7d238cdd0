#!/usr/bin/env bash
# Trunk post-build hook: minifies wasm-bindgen's JS glue with terser (Trunk's own minifier
# leaves it as it is; 2.5 KB gzipped less) and puts its new Subresource Integrity hash in
# index.html's preload link. Without terser (`ensure_wasm_toolchain` installs it) the glue
# stays unminified and says so. Uses perl's core modules for the hash.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
if ! command -v terser >/dev/null 2>&1; then
  echo "minify-glue: terser not found; the JS glue is left unminified" >&2
  exit 0
fi
for js in "$dir"/spanscope-app-*.js; do
  terser "$js" --module --compress --mangle --output "$js.min"
  mv "$js.min" "$js"
  chmod 644 "$js"
  sri="sha384-$(perl -MDigest::SHA=sha384_base64 -0777 -ne '
    my $d = sha384_base64($_); print $d . "=" x ((4 - length($d) % 4) % 4)' "$js")"
  NAME="$(basename "$js")" SRI="$sri" perl -0777 -i -pe '
    s{(<link[^>]*\Q$ENV{NAME}\E[^>]*>)}{ my $t = $1; $t =~ s/sha384-[A-Za-z0-9+\/=]+/$ENV{SRI}/; $t }ge
  ' "$dir/index.html"
done
