// Browser benchmark (prints figures; not a pass/fail test). Loads generated Jaeger traces of
// 10k, 100k and 1M spans by file input into the built app in headless Chromium and reports,
// from the User Timing marks: time to read the bytes, to parse, and to the first waterfall
// paint; redraw times while scrolling and zooming; click-to-detail time; JS heap and wasm
// memory. Files come from `spanscope bench` (bench-data/). Run: bash scripts/bench.sh
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, repo, openTraceFile } from './harness.js';

const dir = process.env.BENCH_DIR || path.join(repo, 'bench-data');
// UI_SIZES= (empty) skips the waterfall rows and measures only the graphs.
// UI_FILES=realistic reads the production-like traces of `spanscope bench --realistic`.
const prefix = process.env.UI_FILES || 'trace';
const sizes = (process.env.UI_SIZES ?? '10000,100000,1000000').split(',').filter(Boolean).map(Number);
const server = await startServer();
const browser = await launchBrowser();

const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function measure(file, spans) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await openTraceFile(page, server.base, file, spans);
  const load = await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName(n).at(-1).startTime;
    const start = at('spanscope:load-start');
    return { read: at('spanscope:bytes-read') - start, parsed: at('spanscope:parsed') - start, paint: at('spanscope:first-paint') - start, longest: Math.max(0, ...window.spanscopeLongTasks) };
  });
  // Redraw cost: from the input event to the end of the effects it triggers.
  const frames = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid=waterfall]');
    const canvas = el.querySelector('canvas');
    const settle = () => new Promise((r) => setTimeout(r, 0));
    const scroll = [];
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const t0 = performance.now();
      el.scrollTop += el.scrollHeight / 60;
      el.dispatchEvent(new Event('scroll'));
      await settle();
      scroll.push(performance.now() - t0);
    }
    const zoom = [];
    const rect = canvas.getBoundingClientRect();
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const t0 = performance.now();
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 40 < 20 ? -100 : 100, ctrlKey: true, clientX: rect.left + rect.width * 0.7, clientY: rect.top + 100, bubbles: true, cancelable: true }));
      await settle();
      zoom.push(performance.now() - t0);
    }
    return { scroll, zoom };
  });
  // Click a row and time until the detail panel shows it.
  const box = await page.getByTestId('waterfall').locator('canvas').boundingBox();
  const click = await page.evaluate(async ({ x, y }) => {
    const canvas = document.querySelector('[data-testid=waterfall] canvas');
    const detail = document.querySelector('[data-testid=span-detail]');
    const before = detail.textContent;
    const t0 = performance.now();
    canvas.dispatchEvent(new MouseEvent('click', { clientX: x, clientY: y, bubbles: true }));
    while (detail.textContent === before) await new Promise((r) => setTimeout(r, 0));
    return performance.now() - t0;
  }, { x: box.x + 700, y: box.y + 26 + 22 * 3 + 11 });
  const memory = await page.evaluate(() => ({
    js: performance.memory ? performance.memory.usedJSHeapSize : NaN,
    wasm: window.wasmBindings.wasm_memory_bytes(),
  }));
  await page.close();
  return { load, frames, click, memory };
}

const rows = [];
for (const spans of sizes) {
  const file = path.join(dir, `${prefix}-${spans}.jaeger.json`);
  if (!fs.existsSync(file)) {
    console.error(`skipping ${file}: run \`spanscope bench ${prefix === 'trace' ? '' : '--realistic '}--sizes ${spans}\` first`);
    continue;
  }
  const r = await measure(file, spans);
  rows.push({ spans, mb: fs.statSync(file).size / 1e6, ...r });
}
// Service graphs: from Jaeger UI's large.json (4,271 links) and from a generated 100k-span
// trace. Time from input to the laid-out graph on screen, then redraw times while panning
// and while zooming with the wheel.
async function graphBench(open) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.base);
  await page.getByTestId('trace-header').waitFor();
  const t0 = Date.now();
  await open(page);
  await page.waitForFunction(() => document.querySelector('[data-testid=service-graph]')?.dataset.nodes);
  const shown = Date.now() - t0;
  const pan = await page.evaluate(async () => {
    const c = document.querySelector('[data-testid=service-graph]');
    const r = c.getBoundingClientRect();
    const at = (x) => ({ clientX: r.left + x, clientY: r.top + 200, bubbles: true });
    c.dispatchEvent(new MouseEvent('mousedown', at(300)));
    const times = [];
    for (let i = 0; i < 100; i++) {
      await new Promise((res) => requestAnimationFrame(res));
      const t = performance.now();
      c.dispatchEvent(new MouseEvent('mousemove', at(300 + (i % 50) * 5)));
      await new Promise((res) => setTimeout(res, 0));
      times.push(performance.now() - t);
    }
    c.dispatchEvent(new MouseEvent('mouseup', at(500)));
    return times;
  });
  const zoom = await page.evaluate(async () => {
    const c = document.querySelector('[data-testid=service-graph]');
    const r = c.getBoundingClientRect();
    const times = [];
    for (let i = 0; i < 100; i++) {
      await new Promise((res) => requestAnimationFrame(res));
      const t = performance.now();
      // In five steps, out five steps, at the centre.
      c.dispatchEvent(new WheelEvent('wheel', { deltaY: i % 10 < 5 ? -100 : 100, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
      await new Promise((res) => setTimeout(res, 0));
      times.push(performance.now() - t);
    }
    return times;
  });
  const nodes = JSON.parse(await page.getByTestId('service-graph').getAttribute('data-nodes')).length;
  await page.close();
  return { shown, pan, zoom, nodes };
}
const graphRows = [];
const large = path.join(repo, 'tests/data/refdata/jaeger/large.json');
if (fs.existsSync(large)) {
  graphRows.push(['large.json (4,271 dependency links)', await graphBench((p) => p.getByTestId('file-input').setInputFiles(large))]);
}
graphRows.push(['generated 100k-span trace', await graphBench(async (p) => {
  await p.goto(`${server.base}?generate=100000`);
  await p.getByTestId('span-count').filter({ hasText: '100000' }).waitFor({ timeout: 120000 });
  await p.getByTestId('tab-graph').click();
})]);

const gzip = (await import('node:zlib')).gzipSync;
const distDir = path.join(repo, 'dist');
const shipped = fs.readdirSync(distDir).filter((f) => /\.(wasm|js|css|html)$/.test(f));
const gz = shipped.reduce((n, f) => n + gzip(fs.readFileSync(path.join(distDir, f)), { level: 9 }).length, 0);

if (rows.length) console.log('| spans | file MB | bytes read ms | parsed ms | first paint ms | scroll p50 / p95 ms | zoom p50 / p95 ms | longest main-thread task ms | click → detail ms | JS heap MB | wasm memory MB |');
if (rows.length) console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const f = (xs) => `${percentile(xs, 0.5).toFixed(1)} / ${percentile(xs, 0.95).toFixed(1)}`;
  console.log(`| ${r.spans.toLocaleString('en')} | ${r.mb.toFixed(1)} | ${r.load.read.toFixed(0)} | ${r.load.parsed.toFixed(0)} | ${r.load.paint.toFixed(0)} | ${f(r.frames.scroll)} | ${f(r.frames.zoom)} | ${r.load.longest.toFixed(0)} | ${r.click.toFixed(1)} | ${(r.memory.js / 1e6).toFixed(0)} | ${(r.memory.wasm / 1e6).toFixed(0)} |`);
}
console.log('\n| service graph | nodes | input → graph on screen ms | pan redraw p50 / p95 ms | zoom redraw p50 / p95 ms |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, g] of graphRows) {
  console.log(`| ${name} | ${g.nodes} | ${g.shown} | ${percentile(g.pan, 0.5).toFixed(1)} / ${percentile(g.pan, 0.95).toFixed(1)} | ${percentile(g.zoom, 0.5).toFixed(1)} / ${percentile(g.zoom, 0.95).toFixed(1)} |`);
}
console.log(`\napp size: ${(gz / 1024).toFixed(0)} KB gzipped (${shipped.join(', ')})`);
await browser.close();
await server.stop();
