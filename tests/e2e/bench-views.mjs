// Browser benchmark of the analysis views (prints figures; not a pass/fail test). Loads the
// generated Jaeger traces of 100k and 1M spans (bench-data/, from `spanscope bench`) by file
// input into the built app in headless Chromium, then measures, from the User Timing marks:
// each tab's time from its click to `spanscope:view-rendered`; sorting the spans table by
// duration; and redraw times while hovering the flame graph. Run: node tests/e2e/bench-views.mjs
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, repo, openTraceFile } from './harness.js';
import { timeToView, scrollFrames, hoverFrames, p50p95 } from './bench-lib.mjs';

const dir = process.env.BENCH_DIR || path.join(repo, 'bench-data');
const sizes = (process.env.VIEW_SIZES ?? '100000,1000000').split(',').filter(Boolean).map(Number);
const server = await startServer();
const browser = await launchBrowser();

/** Clicks `testid` and waits for the view-rendered mark with `detail`; returns ms. */
const timeTo = (page, testid, detail) => timeToView(page, () => page.getByTestId(testid).click(), detail);

async function measure(file, spans) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await openTraceFile(page, server.base, file, spans);
  const stats = await timeTo(page, 'tab-stats', 'stats');
  const flame = await timeTo(page, 'tab-flame', 'flame');
  const hover = await hoverFrames(page, 'flame');
  const spansTab = await timeTo(page, 'tab-spans', 'spans');
  const sort = await timeTo(page, 'spans-sort-duration', 'spans');
  const scroll = await scrollFrames(page, 'spans-table');
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
  console.log(`| ${spans.toLocaleString('en')} | ${r.stats.toFixed(0)} | ${r.flame.toFixed(0)} | ${p50p95(r.hover)} | ${r.spansTab.toFixed(0)} | ${r.sort.toFixed(0)} | ${p50p95(r.scroll)} |`);
}
await browser.close();
await server.stop();
