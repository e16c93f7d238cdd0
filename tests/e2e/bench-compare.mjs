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

const dir = process.env.BENCH_DIR || path.join(repo, 'bench-data');
const spans = Number(process.env.COMPARE_SPANS || 100000);
const cli = path.join(repo, 'target/release/spanscope');
const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function pairFile(name, args) {
  const file = path.join(dir, `compare-${name}-2x${spans}.jaeger.json`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, execFileSync(cli, ['generate', '--spans', String(2 * spans), '--traces', '2', ...args], { maxBuffer: 2 ** 31 - 1 }));
  }
  return file;
}

async function timeTo(page, click, detail) {
  await page.evaluate(() => performance.clearMarks('spanscope:view-rendered'));
  const t0 = await page.evaluate(() => performance.now());
  await click();
  await page.waitForFunction((d) => performance.getEntriesByName('spanscope:view-rendered').some((m) => m.detail === d), detail, { timeout: 600000 });
  return page.evaluate(({ d, t0 }) => performance.getEntriesByName('spanscope:view-rendered').find((m) => m.detail === d).startTime - t0, { d: detail, t0 });
}

async function frames(page, body) {
  return page.evaluate(body);
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
  const open = await timeTo(page, () => page.getByTestId('compare-button').click(), 'compare');
  const rows = await page.getByTestId('compare-view').getAttribute('data-rows');
  const scroll = await frames(page, async () => {
    const el = document.querySelector('[data-testid=compare-rows]');
    const times = [];
    for (let i = 0; i < 60; i++) {
      await new Promise((res) => requestAnimationFrame(res));
      const t = performance.now();
      el.scrollTop += el.scrollHeight / 60;
      el.dispatchEvent(new Event('scroll'));
      await new Promise((res) => setTimeout(res, 0));
      times.push(performance.now() - t);
    }
    return times;
  });
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('compare-flame-tab').click();
  await page.getByTestId('diff-flame').waitFor();
  const flame = await page.evaluate(async (t0) => {
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    return performance.now() - t0;
  }, t0);
  const hover = await frames(page, async () => {
    const c = document.querySelector('[data-testid=diff-flame]');
    const r = c.getBoundingClientRect();
    const times = [];
    for (let i = 0; i < 100; i++) {
      await new Promise((res) => requestAnimationFrame(res));
      const t = performance.now();
      c.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + 20 + (i * 13) % (r.width - 40), clientY: r.top + 10 + (i % 8) * 20, bubbles: true }));
      await new Promise((res) => setTimeout(res, 0));
      times.push(performance.now() - t);
    }
    return times;
  });
  const f = (xs) => `${percentile(xs, 0.5).toFixed(1)} / ${percentile(xs, 0.95).toFixed(1)}`;
  console.log(`| ${name} (2 × ${spans.toLocaleString('en')}) | ${Number(rows).toLocaleString('en')} | ${open.toFixed(0)} | ${f(scroll)} | ${flame.toFixed(0)} | ${f(hover)} |`);
  await page.close();
}
await browser.close();
await server.stop();
