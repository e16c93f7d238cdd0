// Browser benchmark of the analysis views (prints figures; not a pass/fail test). Loads the
// generated Jaeger traces of 100k and 1M spans (bench-data/, from `spanscope bench`) by file
// input into the built app in headless Chromium, then measures, from the User Timing marks:
// each tab's time from its click to `spanscope:view-rendered`; sorting the spans table by
// duration; and redraw times while hovering the flame graph. Run: node tests/e2e/bench-views.mjs
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, repo, openTraceFile } from './harness.js';

const dir = process.env.BENCH_DIR || path.join(repo, 'bench-data');
const sizes = (process.env.VIEW_SIZES ?? '100000,1000000').split(',').filter(Boolean).map(Number);
const server = await startServer();
const browser = await launchBrowser();
const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** Clicks `testid` and waits for the view-rendered mark with `detail`; returns ms. */
async function timeTo(page, testid, detail) {
  await page.evaluate(() => performance.clearMarks('spanscope:view-rendered'));
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId(testid).click();
  await page.waitForFunction((d) => performance.getEntriesByName('spanscope:view-rendered').some((m) => m.detail === d), detail, { timeout: 600000 });
  return page.evaluate(({ d, t0 }) => performance.getEntriesByName('spanscope:view-rendered').find((m) => m.detail === d).startTime - t0, { d: detail, t0 });
}

async function measure(file, spans) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await openTraceFile(page, server.base, file, spans);
  const stats = await timeTo(page, 'tab-stats', 'stats');
  const flame = await timeTo(page, 'tab-flame', 'flame');
  const hover = await page.evaluate(async () => {
    const c = document.querySelector('[data-testid=flame]');
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
  const spansTab = await timeTo(page, 'tab-spans', 'spans');
  const sort = await timeTo(page, 'spans-sort-duration', 'spans');
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid=spans-table]');
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
  await page.close();
  return { stats, flame, hover, spansTab, sort, scroll };
}

console.log('| spans | Statistics on screen ms | Flame graph on screen ms | flame hover redraw p50 / p95 ms | Spans on screen ms | sort spans by duration ms | spans scroll p50 / p95 ms |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const spans of sizes) {
  const file = path.join(dir, `trace-${spans}.jaeger.json`);
  if (!fs.existsSync(file)) {
    console.error(`skipping ${file}: run \`spanscope bench --sizes ${spans}\` first`);
    continue;
  }
  const r = await measure(file, spans);
  const f = (xs) => `${percentile(xs, 0.5).toFixed(1)} / ${percentile(xs, 0.95).toFixed(1)}`;
  console.log(`| ${spans.toLocaleString('en')} | ${r.stats.toFixed(0)} | ${r.flame.toFixed(0)} | ${f(r.hover)} | ${r.spansTab.toFixed(0)} | ${r.sort.toFixed(0)} | ${f(r.scroll)} |`);
}
await browser.close();
await server.stop();
