// End-to-end: the size budget. Everything the browser downloads to show a trace (index.html,
// CSS, JS and wasm in dist/), gzipped at level 9, stays within the product's 600 KB (600,000
// bytes; Jaeger UI ships 1.36 MB). Samples and config.json are data, not the app; the
// embedding examples (embed-example and element-example, .html and .js) are host pages, not the
// app. The web component's script (spanscope-element.js) is the app's and counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist } from './harness.js';

const BUDGET_BYTES = 600_000;

test(`the app is at most ${BUDGET_BYTES / 1000} KB gzipped`, () => {
  const shipped = fs.readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f) && !/^(embed|element)-example\./.test(f));
  assert.ok(shipped.some((f) => f.endsWith('.wasm')), `no wasm in ${dist}`);
  assert.ok(shipped.includes('index.html'), `no index.html in ${dist}`);
  const sizes = shipped.map((f) => [f, zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length]);
  const bytes = sizes.reduce((n, [, s]) => n + s, 0);
  console.log(`app size: ${(bytes / 1024).toFixed(1)} KiB = ${bytes} bytes gzipped (${sizes.map(([f, s]) => `${f} ${(s / 1024).toFixed(1)}`).join(', ')})`);
  assert.ok(bytes <= BUDGET_BYTES, `the app is ${bytes} bytes gzipped, over the ${BUDGET_BYTES}-byte budget`);
});
