// End-to-end: the size budget. Everything the browser downloads to show a trace (index.html,
// CSS, JS and wasm in dist/), gzipped at level 9, stays within 500 KiB: issue 10's target,
// below the product's 600 KB budget (Jaeger UI ships 1.36 MB). Samples and config.json are
// data, not the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist } from './harness.js';

const BUDGET_KIB = 500;

test(`the app is at most ${BUDGET_KIB} KiB gzipped`, () => {
  const shipped = fs.readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f));
  assert.ok(shipped.some((f) => f.endsWith('.wasm')), `no wasm in ${dist}`);
  assert.ok(shipped.includes('index.html'), `no index.html in ${dist}`);
  const sizes = shipped.map((f) => [f, zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length]);
  const kib = sizes.reduce((n, [, s]) => n + s, 0) / 1024;
  console.log(`app size: ${kib.toFixed(1)} KiB gzipped (${sizes.map(([f, s]) => `${f} ${(s / 1024).toFixed(1)}`).join(', ')})`);
  assert.ok(kib <= BUDGET_KIB, `the app is ${kib.toFixed(1)} KiB gzipped, over the ${BUDGET_KIB} KiB budget`);
});
