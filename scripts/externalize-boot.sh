#!/usr/bin/env bash
# Trunk post-build hook: moves Trunk's inline boot script out of index.html into
# boot-HASH.js, so the page's Content-Security-Policy can say `script-src 'self'` with no
# 'unsafe-inline' and no hash to keep in step (Trunk has no option for it: trunk-rs/trunk#288).
# The name carries a hash of the content, like Trunk's own files, so a cached copy never
# points at an older build. Uses perl and sha256sum, which every Debian system has.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
boot="$(mktemp)"
BOOT="$boot" perl -0777 -ne '
  m{<script type="?module"?[^>]*>(.*?)</script>}s or die "externalize-boot: no inline module script in index.html\n";
  open(my $f, ">", $ENV{BOOT}) or die $!; print $f $1; close $f;
' "$dir/index.html"
name="boot-$(sha256sum "$boot" | cut -c1-16).js"
mv "$boot" "$dir/$name"
chmod 644 "$dir/$name"
NAME="$name" perl -0777 -i -pe 's{<script type="?module"?[^>]*>.*?</script>}{<script type="module" src="./$ENV{NAME}"></script>}s' "$dir/index.html"
