// Browser benchmark of the compare view (prints figures; not a pass/fail test). Two traces
// of 100k spans each, in one file made by the CLI's generator: the same request twice
// (`--same-request`: one call tree, other timings) and two unrelated requests (almost no
// shared call path: the most rows). Loads the file by file input into the built app in
// headless Chromium, ticks both traces, and measures from the click on Compare to the
// `spanscope:view-rendered` mark, redraws while scrolling the rows, and the differential
// flame graph. Then *vs typical* from a backend: a stub Jaeger answers the endpoint's search
// with 201 requests of 1,000 spans (`--same-request`); from the click to the ratings on
// screen. Run: node tests/e2e/bench-compare.mjs
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, repo } from './harness.js';
import { startStubBackends } from './stub-backends.js';
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
console.log('| pair (2 × spans) | call paths | compare on screen ms | rows wheel scroll p50 / p95 ms | rows jumps p50 / p95 ms | flame graph on screen ms | flame hover p50 / p95 ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, args] of process.env.SKIP_PAIRS ? [] : [['same-request', ['--same-request']], ['unrelated', []]]) {
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
  // A wheel's step is about three rows; jumps of 1/60 of the list rebuild every row.
  const wheel = await scrollFrames(page, 'compare-rows', 78);
  const scroll = await scrollFrames(page, 'compare-rows');
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('compare-flame-tab').click();
  await page.getByTestId('diff-flame').waitFor();
  const flame = await page.evaluate(async (t0) => {
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    return performance.now() - t0;
  }, t0);
  const hover = await hoverFrames(page, 'diff-flame');
  console.log(`| ${name} (2 × ${spans.toLocaleString('en')}) | ${Number(rows).toLocaleString('en')} | ${open.toFixed(0)} | ${p50p95(wheel)} | ${p50p95(scroll)} | ${flame.toFixed(0)} | ${p50p95(hover)} |`);
  await page.close();
}
await server.stop();

// vs typical from a backend: the first request of the file is rated against the other 200.
const baselineTraces = Number(process.env.BASELINE_TRACES || 200);
const answer = path.join(dir, `baseline-${baselineTraces + 1}x1000.jaeger.json`);
if (!fs.existsSync(answer)) {
  fs.writeFileSync(answer, execFileSync(cli, ['generate', '--spans', String((baselineTraces + 1) * 1000), '--traces', String(baselineTraces + 1), '--same-request'], { maxBuffer: 2 ** 31 - 1 }));
}
const all = JSON.parse(fs.readFileSync(answer, 'utf8')).data;
const rated = path.join(dir, 'baseline-rated.jaeger.json');
fs.writeFileSync(rated, JSON.stringify({ data: [all[0]] }));
const root = all[0].spans.find((s) => !s.references?.length);
process.env.SPANSCOPE_MANY_TRACES = answer;
process.env.SPANSCOPE_MANY_SERVICE = all[0].processes[root.processID].serviceName;
const stub = await startStubBackends();
const withBackend = await startServer({ config: { backends: [{ name: 'stub', type: 'jaeger', url: stub.url('cors', 'jaeger') }] } });
console.log('');
console.log('| vs typical from a backend | answer MB | click → answer received ms | → answer read ms | → ratings on screen ms | status |');
console.log('|---|---:|---:|---:|---:|---|');
for (let run = 0; run < 3; run++) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(withBackend.base);
  await page.getByTestId('trace-header').waitFor();
  await page.getByTestId('file-input').setInputFiles(rated);
  await page.getByTestId('trace-list').locator('tbody tr').nth(1).waitFor();
  await page.getByTestId('trace-list').locator('tbody tr').nth(1).click();
  await page.getByTestId('baseline-search').waitFor();
  await page.getByTestId('baseline-limit').fill(String(baselineTraces + 1));
  await page.getByTestId('baseline-limit').dispatchEvent('change');
  const t0 = await page.evaluate(() => performance.now());
  const ms = await timeToView(page, () => page.getByTestId('baseline-search').click(), 'baseline');
  const [received, read] = await page.evaluate((t0) => ['spanscope:search-response', 'spanscope:parsed'].map((m) => performance.getEntriesByName(m).at(-1).startTime - t0), t0);
  const status = await page.getByTestId('baseline-status').textContent();
  console.log(`| ${baselineTraces} traces × 1,000 spans | ${(fs.statSync(answer).size / 1e6).toFixed(0)} | ${received.toFixed(0)} | ${read.toFixed(0)} | ${ms.toFixed(0)} | ${status} |`);
  await page.close();
}
await browser.close();
await withBackend.stop();
await stub.stop();
