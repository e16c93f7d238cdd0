// UI benchmark (prints figures; not a pass/fail test): load times from the User Timing marks
// and waterfall frame times while scrolling, in headless Chromium against the built app.
// Run: node tests/e2e/bench-ui.mjs   (after `trunk build --release` and `spanscope bench`)
import path from 'node:path';
import fs from 'node:fs';
import { startServer, launchBrowser, repo } from './harness.js';

const server = await startServer();
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.base);
await page.getByTestId('trace-header').waitFor();

async function loadTimes() {
  return page.evaluate(() => {
    const last = (n) => performance.getEntriesByName(n).at(-1)?.startTime;
    const start = last('spanscope:load-start');
    return { read: (last('spanscope:bytes-read') ?? start) - start, parsed: last('spanscope:parsed') - start, firstPaint: last('spanscope:first-paint') - start };
  });
}

// Time from a scroll to the end of the redraw it triggers (effects run before a timeout).
async function scrollFrames(steps) {
  return page.evaluate(async (steps) => {
    const el = document.querySelector('[data-testid=waterfall]');
    const times = [];
    for (let i = 0; i < steps; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const t0 = performance.now();
      el.scrollTop += el.scrollHeight / steps;
      el.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 0));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)] };
  }, steps);
}

const rows = [];
const file = process.env.BENCH_FILE || path.join(repo, 'bench-data/trace-100000.jaeger.json');
if (fs.existsSync(file)) {
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('span-count').filter({ hasText: '100000' }).waitFor({ timeout: 120000 });
  await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length >= 2);
  const t = await loadTimes();
  const f = await scrollFrames(60);
  rows.push([`file ${path.basename(file)} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)`, t.read, t.parsed, t.firstPaint, f.median, f.p95]);
}
for (const spans of [100000, 1000000]) {
  await page.goto(`${server.base}?generate=${spans}`);
  await page.getByTestId('span-count').filter({ hasText: String(spans) }).waitFor({ timeout: 300000 });
  await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length >= 1, null, { timeout: 60000 });
  const t = await loadTimes();
  const f = await scrollFrames(60);
  rows.push([`generated in the browser, ${spans} spans`, 0, t.parsed, t.firstPaint, f.median, f.p95]);
}
console.log('| input | bytes read ms | → parsed ms | → first paint ms | scroll redraw median ms | p95 ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, read, parsed, paint, med, p95] of rows) {
  console.log(`| ${name} | ${read.toFixed(0)} | ${parsed.toFixed(0)} | ${paint.toFixed(0)} | ${med.toFixed(1)} | ${p95.toFixed(1)} |`);
}
await browser.close();
await server.stop();
