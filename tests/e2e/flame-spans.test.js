// End-to-end: the Flame graph tab (merged and time-ordered frames where their times say, in
// service colours; width by self time; zoom and breadcrumb; tooltip; find matches) and the
// Spans tab (every span, sorted by any column, only the rows on screen in the DOM, a click
// selects the span in the timeline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rgb, waitForAttr, canvasPixel, cssColour } from './pages/trace.js';
import { withPage } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

async function frames(page) {
  return JSON.parse(await page.getByTestId('flame').getAttribute('data-frames'));
}

const flamePixel = (page, x, y) => canvasPixel(page, '[data-testid=flame]', x, y);

const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1.5, `${what}: ${a} vs ${b}`);

test('flame graph: frames as wide as their time, self-time widths, zoom, tooltip, matches', async () => {
  await withPage(app.browser, 'flame', async (page) => {
    await page.goto(app.server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    await page.evaluate(() => performance.clearMarks());
    await page.getByTestId('tab-flame').click();
    const flame = page.getByTestId('flame');
    await flame.waitFor();
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:view-rendered').some((m) => m.detail === 'flame'));
    const W = await flame.evaluate((c) => c.clientWidth);
    // POST /checkout (200 ms) fills the width; under it, by total time: GET /products 90 ms,
    // charge card 60, verify token 50 (they add up to 200).
    let f = await frames(page);
    const byName = (list, name) => list.find((x) => x.name === name);
    close(byName(f, 'POST /checkout').w, W, 'root');
    const products = byName(f, 'GET /products');
    close(products.w, W * 90 / 200, 'GET /products');
    close(byName(f, 'charge card').w, W * 60 / 200, 'charge card');
    close(byName(f, 'verify token').x, W * 150 / 200, 'verify token comes last');
    // Its pixels are product-service's colour.
    const productColour = rgb(await page.locator('[data-service="product-service"]').getAttribute('data-colour'));
    assert.deepEqual(await flamePixel(page, products.x + products.w / 2, products.depth * 20 + 10), productColour);
    // By self time: 215 ms in all (GET /products and charge card overlap 135–150), of which
    // GET /products' subtree holds 50 + 40.
    await page.getByTestId('flame-by-self').check();
    await page.waitForFunction((w) => {
      const f = JSON.parse(document.querySelector('[data-testid=flame]').dataset.frames);
      const p = f.find((x) => x.name === 'GET /products');
      return p && Math.abs(p.w - w * 90 / 215) < 1.5;
    }, W);
    await page.getByTestId('flame-by-self').uncheck();
    // Hover: the tooltip says what the frame is.
    const box = await flame.boundingBox();
    await page.mouse.move(box.x + products.x + products.w / 2, box.y + products.depth * 20 + 10);
    await page.getByTestId('flame-tooltip').filter({ hasText: 'product-service · GET /products: 1 span(s), total 90.0 ms, self 50.0 ms' }).waitFor();
    // Click: zoom into GET /products; the breadcrumb leads back.
    await page.mouse.click(box.x + products.x + products.w / 2, box.y + products.depth * 20 + 10);
    await page.getByTestId('flame-breadcrumb').filter({ hasText: 'All › POST /checkout › GET /products' }).waitFor();
    f = await frames(page);
    close(byName(f, 'GET /products').w, W, 'zoomed: GET /products fills the width');
    assert.equal(byName(f, 'GET /products').depth, 0);
    close(byName(f, 'SELECT products').w, W * 40 / 90, 'SELECT products under it');
    await page.getByTestId('flame-breadcrumb').getByRole('button', { name: 'All' }).click();
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=flame]').dataset.frames)[0]?.name === 'POST /checkout');
    // Time order: wall-clock positions, verify token at 5–55 ms.
    await page.getByTestId('flame-time').check();
    await page.waitForFunction((w) => {
      const v = JSON.parse(document.querySelector('[data-testid=flame]').dataset.frames).find((x) => x.name === 'verify token');
      return v && Math.abs(v.x - w * 5 / 200) < 1.5 && Math.abs(v.w - w * 50 / 200) < 1.5;
    }, W);
    // A find match is outlined in the strong match colour.
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('find-input').fill('verify');
    await page.getByTestId('tab-flame').click();
    await page.getByTestId('flame-time').check();
    await page.waitForTimeout(150);
    const strong = await cssColour(page, '--match-strong');
    const v = byName(await frames(page), 'verify token');
    assert.deepEqual(await flamePixel(page, v.x + v.w / 2, v.depth * 20 + 1), strong, "the outline");
    assert.notDeepEqual(await flamePixel(page, v.x + v.w / 2, v.depth * 20 + 10), strong, "inside the frame");
  });
});

test('spans table: every span, sorted by any column, rows on screen only, click to the timeline', async () => {
  await withPage(app.browser, 'spans-table', async (page) => {
    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/jaeger/genaiTestTrace.json')}`);
    await page.getByTestId('span-count').filter({ hasText: '57' }).waitFor();
    await page.getByTestId('tab-spans').click();
    const table = page.getByTestId('spans-table');
    await waitForAttr(table, 'data-rows', '57');
    const first = async () => (await table.locator('.spans-row').first().locator('span').allTextContents());
    // Start order first; only the rows on screen are in the DOM.
    assert.deepEqual((await first()).slice(0, 2), ['api-edge', 'POST /api/graphql']);
    const inDom = await table.locator('.spans-row').count();
    assert.ok(inDom < 57, `${inDom} rows in the DOM`);
    // Duration, longest first; then shortest first.
    await page.getByTestId('spans-sort-duration').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=spans-table] .spans-row span:nth-child(4)')?.textContent === '44.00 s');
    await page.getByTestId('spans-sort-duration').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=spans-table] .spans-row span:nth-child(2)')?.textContent !== 'POST /api/graphql');
    const shortest = await first();
    // Self time, longest first: graphql.execution (43 s, no children).
    await page.getByTestId('spans-sort-self').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=spans-table] .spans-row span:nth-child(2)')?.textContent === 'graphql.execution');
    // Status: the error first when sorted down.
    await page.getByTestId('spans-sort-status').click();
    await page.getByTestId('spans-sort-status').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=spans-table] .spans-row span:nth-child(6)')?.textContent === 'error');
    // Scrolled to the end, the last rows are drawn.
    await table.evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=spans-table] .spans-row')].some((r) => parseFloat(r.style.top) >= 56 * 24));
    // The find box narrows the table.
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('find-input').fill('mcp-gateway');
    await page.getByTestId('tab-spans').click();
    await waitForAttr(page.getByTestId('spans-table'), 'data-rows', '7');
    // A click selects the span in the timeline.
    const row = page.getByTestId('spans-table').locator('.spans-row').first();
    const op = await row.locator('span').nth(1).textContent();
    await row.click();
    await page.getByTestId('span-detail').getByRole('heading', { name: op }).waitFor();
    assert.ok(shortest[3].endsWith('ms') || shortest[3].endsWith('µs'), `${shortest}`);
  });
});

test('flame graph: every depth is laid out and the canvas scrolls down to the deepest frame', async () => {
  await withPage(app.browser, 'flame-depth', async (page) => {
    // A chain of 80 nested calls, each 1 µs inside its parent: 80 rows of full-width frames,
    // far more than fit on screen.
    const id = (k) => (0x1000 + k).toString(16).padStart(16, '0');
    const spans = Array.from({ length: 80 }, (_, k) => ({
      traceID: 'c0ffee0000000000c0ffee0000000001', spanID: id(k), operationName: `level ${k + 1}`,
      startTime: 1700000000000000 + k, duration: 1000 - 2 * k, processID: 'p1', tags: [], logs: [],
      references: k ? [{ refType: 'CHILD_OF', traceID: 'c0ffee0000000000c0ffee0000000001', spanID: id(k - 1) }] : [],
    }));
    const file = { data: [{ traceID: 'c0ffee0000000000c0ffee0000000001', spans, processes: { p1: { serviceName: 'recursive', tags: [] } } }] };
    await page.goto(app.server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    await page.getByTestId('file-input').setInputFiles({ name: 'chain.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.getByTestId('span-count').filter({ hasText: '80' }).waitFor();
    await page.getByTestId('tab-flame').click();
    const flame = page.getByTestId('flame');
    await waitForAttr(flame, 'data-depth', '80');
    const rowH = Number(await flame.getAttribute('data-row-h'));
    const scroller = page.getByTestId('flame-scroller');
    const viewH = await scroller.evaluate((el) => el.clientHeight);
    assert.ok(80 * rowH > viewH + rowH, 'the chain is deeper than the view');
    assert.equal(await scroller.evaluate((el) => el.scrollHeight), 80 * rowH);
    // Scrolled to the bottom, the last row on screen is level 80.
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const box = await flame.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + viewH - rowH / 2);
    await page.getByTestId('flame-tooltip').filter({ hasText: 'recursive · level 80: 1 span(s)' }).waitFor();
    const colour = rgb(await page.locator('[data-service="recursive"]').getAttribute('data-colour'));
    assert.deepEqual(await flamePixel(page, box.width / 2, viewH - rowH / 2), colour);
    // A click there zooms into level 80, and the view goes back to the top.
    await page.mouse.click(box.x + box.width / 2, box.y + viewH - rowH / 2);
    await waitForAttr(flame, 'data-depth', '1');
    assert.equal(await scroller.evaluate((el) => el.scrollTop), 0);
  });
});
