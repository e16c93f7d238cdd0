// End-to-end: two loaded traces compared by call path (the bundled N+1 sample against its
// batched rewrite, and two ticked requests of tests/data/compare/), the differential flame
// graph, and a jump from a compared path to its span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { waitForAttr, canvasPixel, cssColour, rowY, geometry } from './pages/trace.js';
import { compareRows, compareRow, flameBoxes } from './pages/compare.js';
import { withPage, text, repo } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

async function openSampleComparison(page) {
  await page.goto(app.server.base);
  await page.getByTestId('waterfall').waitFor();
  await page.getByTestId('compare-samples').click();
  await waitForAttr(page.getByTestId('compare-view'), 'data-rows', '10');
}

test('the N+1 sample against its fix: every call path with its change', async () => {
  await withPage(app.browser, 'compare-samples', async (page) => {
    await openSampleComparison(page);
    assert.equal(await text(page, 'compare-summary'), '5 changed · 2 added · 2 removed · 1 the same');
    // Hand-checked against the two files (the CLI's `diff` test checks the same numbers).
    assert.deepEqual((await compareRows(page)).map((r) => [r.name, r.counts, r.total, r.change]), [
      ['web-frontend: get /orders/history', '1 / 1', '-120.0 ms', 'changed'],
      ['web-frontend: get /api/orders', '1 / 1', '-114.0 ms', 'changed'],
      ['order-service: get /api/orders', '1 / 1', '-113.0 ms', 'changed'],
      ['order-service: get /api/prices/{sku}', '6 / 0', '-50.0 ms', 'removed'],
      ['pricing: get /api/prices/{sku}', '6 / 0', '-44.0 ms', 'removed'],
      ['order-service: post /api/prices/batch', '0 / 1', '+14.0 ms', 'added'],
      ['pricing: post /api/prices/batch', '0 / 1', '+13.0 ms', 'added'],
      ['order-service: select order_items', '12 / 1', '-54.0 ms', 'changed'],
      ['order-service: select orders', '1 / 1', '0 µs', 'same'],
      ['web-frontend: render orders.html', '1 / 1', '-3.0 ms', 'changed'],
    ]);
    const items = (await compareRows(page))[7];
    assert.match(items.totalClass, /faster/);
    assert.equal(items.self, '-54.0 ms');

    // Both bars on one axis (the longer trace, 182 ms): A's twelve queries run 11–85 ms, B's
    // one query 11–20 ms.
    const bars = await compareRow(page, 'select order_items').evaluate((row) => {
      const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.width]; };
      const axis = row.querySelector('.bars').getBoundingClientRect();
      return { axis: [axis.left, axis.width], a: box(row.querySelector('.bar.a')), b: box(row.querySelector('.bar.b')) };
    });
    const at = (x) => (x - bars.axis[0]) / bars.axis[1];
    assert.ok(Math.abs(at(bars.a[0]) - 11 / 182) < 0.01, JSON.stringify(bars));
    assert.ok(Math.abs(bars.a[1] / bars.axis[1] - 74 / 182) < 0.01, JSON.stringify(bars));
    assert.ok(Math.abs(bars.b[1] / bars.axis[1] - 9 / 182) < 0.01, JSON.stringify(bars));

    // Biggest regression first: what B added; then the rest down to the biggest saving.
    await page.getByTestId('compare-order').selectOption('regression');
    const byRegression = (await compareRows(page)).map((r) => r.name);
    assert.deepEqual(byRegression.slice(0, 3), ['order-service: post /api/prices/batch', 'pricing: post /api/prices/batch', 'order-service: select orders']);
    assert.equal(byRegression.at(-1), 'web-frontend: get /orders/history');
    // Changed only: the one path that stayed the same goes.
    await page.getByTestId('compare-changed-only').check();
    await waitForAttr(page.getByTestId('compare-view'), 'data-rows', '9');
    assert.ok(!(await compareRows(page)).some((r) => r.change === 'same'));

    // Swapping makes the fix A: the same paths, every change reversed.
    await page.getByTestId('compare-swap').click();
    await page.getByTestId('compare-order').selectOption('tree');
    await waitForAttr(page.getByTestId('compare-view'), 'data-rows', '10');
    const swapped = await compareRows(page);
    assert.deepEqual(swapped[7].counts, '1 / 12');
    assert.equal(swapped[7].total, '+54.0 ms');
    assert.match(swapped[7].totalClass, /slower/);
    assert.equal(swapped[5].change, 'removed');
  });
});

test('a compared call path opens its first span in either trace', async () => {
  await withPage(app.browser, 'compare-jump', async (page) => {
    await openSampleComparison(page);
    // B has no per-item price lookups: only A's button works.
    const prices = compareRow(page, 'order-service: get /api/prices/{sku}');
    assert.equal(await prices.getByTestId('compare-open-b').isDisabled(), true);
    await compareRow(page, 'order-service: select order_items').getByTestId('compare-open-a').click();
    const detail = page.getByTestId('span-detail');
    await detail.getByRole('heading', { name: 'select order_items' }).waitFor();
    // The first of the twelve queries, in the N+1 trace.
    assert.match(await detail.textContent(), /6a1f0c0000000005/);
    assert.match(await text(page, 'trace-header'), /5b8efff798038103d269b633813fc60c/);
  });
});

test('the differential flame graph: widths from B, colour from the change', async () => {
  await withPage(app.browser, 'compare-flame', async (page) => {
    await openSampleComparison(page);
    await page.getByTestId('compare-flame-tab').click();
    const flame = page.getByTestId('diff-flame');
    await waitForAttr(flame, 'data-boxes', '8');
    const boxes = await flameBoxes(page);
    const box = (name) => boxes.find((b) => b.name === name);
    // B's root is the whole width; the API call is 36 of its 62 ms.
    assert.deepEqual([box('get /orders/history').x0, box('get /orders/history').x1], [0, 1]);
    assert.ok(Math.abs(box('get /api/orders').x1 - box('get /api/orders').x0 - 36 / 62) < 1e-4);
    assert.equal(box('get /api/prices/{sku}'), undefined);
    const rowH = Number(await flame.getAttribute('data-row-h'));
    const width = (await flame.boundingBox()).width;
    const centre = (b) => [((b.x0 + b.x1) / 2) * width, b.depth * rowH + rowH / 2];
    const batch = boxes.find((b) => b.name === 'post /api/prices/batch' && b.depth === 3);
    // Added in B: violet. The item query, 63 ms → 9 ms: green. Its sibling, unchanged: grey.
    // (Sampled near the box's bottom edge, away from its label.)
    const px = async (b) => { const [x, y] = centre(b); return canvasPixel(page, '[data-testid=diff-flame]', x, y + rowH / 2 - 3); };
    assert.deepEqual(await px(batch), [142, 68, 173]);
    const [r, g, bl] = await px(box('select order_items'));
    assert.ok(g > r + 40 && g > bl + 40, `green for faster: ${[r, g, bl]}`);
    assert.deepEqual(await px(box('select orders')), [150, 160, 172]);
    // Hover says what changed; a click opens the span in B.
    const [x, y] = centre(box('select order_items'));
    await flame.hover({ position: { x, y } });
    assert.match(await flame.getAttribute('title'), /select order_items · B 9\.0 ms \(1 spans\) · A 63\.0 ms \(12 spans\) · Δ -54\.0 ms · changed/);
    await flame.click({ position: { x, y } });
    await page.getByTestId('span-detail').getByRole('heading', { name: 'select order_items' }).waitFor();
    assert.match(await text(page, 'trace-header'), /a3c1e5f0b8d24c7e9f6a1b2c3d4e5f60/);
  });
});

test('a link reproduces a comparison of two traces fetched from URLs', async () => {
  await withPage(app.browser, 'compare-link', async (page) => {
    await openSampleComparison(page);
    const link = new URL(page.url());
    assert.equal(link.searchParams.get('compare'), 'samples/orders-n-plus-one.zipkin.json|samples/orders-batched.zipkin.json');
    // Swapped, the link swaps too.
    await page.getByTestId('compare-swap').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('compare')?.startsWith('samples/orders-batched'));
    // The link opened afresh: both traces fetched again, the fix as A.
    await page.goto(page.url());
    await waitForAttr(page.getByTestId('compare-view'), 'data-rows', '10');
    assert.match(await text(page, 'compare-view'), /A: web-frontend: get \/orders\/history · a3c1e5f0b8d24c7e9f6a1b2c3d4e5f60/);
    assert.equal((await compareRows(page))[7].total, '+54.0 ms');
    // Opening a trace from the comparison leaves the comparison out of the link.
    await compareRow(page, 'order-service: select order_items').getByTestId('compare-open-a').click();
    await page.getByTestId('span-detail').getByRole('heading', { name: 'select order_items' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('compare'), null);
  });
});

test('two traces ticked in the trace list are compared, first ticked as A', async () => {
  await withPage(app.browser, 'compare-ticks', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('waterfall').waitFor();
    await page.getByTestId('file-input').setInputFiles(path.join(repo, 'tests/data/compare/orders-batched-x5.zipkin.json'));
    // The sample and five requests.
    await page.getByTestId('trace-list').locator('tbody tr').nth(5).waitFor();
    const button = page.getByTestId('compare-button');
    assert.equal(await button.isDisabled(), true);
    const picks = page.getByTestId('compare-pick');
    // Ticking a box does not open that trace.
    await picks.nth(2).check();
    await picks.nth(1).check();
    assert.equal(await button.isDisabled(), false);
    await button.click();
    await waitForAttr(page.getByTestId('compare-view'), 'data-rows', '8');
    // A is the second request (query 8 ms), B the first (7 ms): the query is 1 ms faster, so
    // its caller has 1 ms more time of its own (6 → 7 ms, over the 10 % bar).
    assert.match(await text(page, 'compare-view'), /A: web-frontend: get \/orders\/history · a3c1e5f0b8d24c7e9f6a1b2c3d4e5f62/);
    assert.equal(await text(page, 'compare-summary'), '2 changed · 0 added · 0 removed · 6 the same');
    const changed = (await compareRows(page)).filter((r) => r.change === 'changed');
    assert.deepEqual(changed.map((r) => [r.name, r.total, r.self]), [
      ['order-service: get /api/orders', '0 µs', '+1.0 ms'],
      ['order-service: select order_items', '-1.0 ms', '-1.0 ms'],
    ]);
  });
});

test('vs typical: the N+1 trace against five loaded requests of the same endpoint', async () => {
  await withPage(app.browser, 'compare-typical', async (page) => {
    const sample = `${app.server.base}samples/orders-n-plus-one.zipkin.json`;
    await page.goto(`${app.server.base}?url=${encodeURIComponent(sample)}`);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '29');
    // Alone, there is nothing typical to compare with.
    await page.getByTestId('baseline-button').click();
    assert.equal(await text(page, 'baseline-status'), 'No other trace of web-frontend: get /orders/history (loaded) to compare with');
    await page.getByTestId('file-input').setInputFiles(path.join(repo, 'tests/data/compare/orders-batched-x5.zipkin.json'));
    await page.getByTestId('trace-list').locator('tbody tr').nth(5).waitFor();
    await page.getByTestId('trace-list').locator('tbody tr').first().click();
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '29');
    await page.getByTestId('baseline-button').click();
    // Above the five requests' p90: the root, both API spans, the item queries and the render
    // (`diff --baseline` prints the same); the per-item price lookups are new.
    assert.equal(await text(page, 'baseline-status'), 'vs 5 traces of this endpoint (loaded): 5 call path(s) above their p90, 2 new');
    const error = await cssColour(page, '--error');
    const marker = geometry.labelW - 2.5;
    const canvas = '[data-testid=waterfall] canvas';
    // The root (182 ms against a p90 of 66 ms) is marked; `select orders` (row 3, 6 ms like
    // every baseline request) is not.
    assert.deepEqual(await canvasPixel(page, canvas, marker, rowY(0)), error);
    assert.notDeepEqual(await canvasPixel(page, canvas, marker, rowY(3)), error);
    assert.deepEqual(await canvasPixel(page, canvas, marker, rowY(4)), error);
  });
});
