// Browser benchmark of the compare view (prints figures; not a pass/fail test). Two traces
// of 100k spans each, in one file made by the CLI's generator: the same request twice
// (`--same-request`: one call tree, other timings) and two unrelated requests (almost no
// shared call path: the most rows). Loads the file by file input into the built app in
// headless Chromium, ticks both traces, and measures from the click on Compare to the
// `spanscope:view-rendered` mark, redraws while scrolling the rows, and the differential
// flame graph. Run: node tests/e2e/bench-compare.mjs
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, repo } from './harness.js';
import { timeToView, scrollFrames, hoverFrames, p50p95 } from './bench-lib.mjs';

const dir = process.env.BENCH_DIR || path.join(repo, 'bench-data');
const spans = Number(process.env.COMPARE_SPANS || 100000);
const cli = path.join(repo, 'target/release/spanscope');

function pairFile(name, args) {
  const file = path.join(dir, `compare-${name}-2x${spans}.jaeger.json`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, execFileSync(cli, ['generate', '--spans', String(2 * spans), '--traces', '2', ...args], { maxBuffer: 2 ** 31 - 1 }));
  }
  return file;
}

const server = await startServer();
const browser = await launchBrowser();
console.log('| pair (2 × spans) | call paths | compare on screen ms | rows scroll p50 / p95 ms | flame graph on screen ms | flame hover p50 / p95 ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, args] of [['same-request', ['--same-request']], ['unrelated', []]]) {
  const file = pairFile(name, args);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.base);
  await page.getByTestId('trace-header').waitFor();
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('trace-list').locator('tbody tr').nth(2).waitFor({ timeout: 600000 });
  await page.getByTestId('compare-pick').nth(1).check();
  await page.getByTestId('compare-pick').nth(2).check();
  const open = await timeToView(page, () => page.getByTestId('compare-button').click(), 'compare');
  const rows = await page.getByTestId('compare-view').getAttribute('data-rows');
  const scroll = await scrollFrames(page, 'compare-rows');
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('compare-flame-tab').click();
  await page.getByTestId('diff-flame').waitFor();
  const flame = await page.evaluate(async (t0) => {
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    return performance.now() - t0;
  }, t0);
  const hover = await hoverFrames(page, 'diff-flame');
  console.log(`| ${name} (2 × ${spans.toLocaleString('en')}) | ${Number(rows).toLocaleString('en')} | ${open.toFixed(0)} | ${p50p95(scroll)} | ${flame.toFixed(0)} | ${p50p95(hover)} |`);
  await page.close();
}
await browser.close();
await server.stop();
