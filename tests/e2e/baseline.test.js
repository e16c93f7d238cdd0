// End-to-end against a stub Zipkin holding one endpoint's requests (the N+1 sample and five
// requests after its fix, tests/data/compare/): *vs typical* with a baseline searched on the
// backend (its progress, the request's limit), the statistics' baseline columns and the flame
// graph against the typical trace; and two ticked search results compared, with a link that
// reproduces the comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttr, canvasPixel, cssColour, rowY, geometry, readGeometry } from './pages/trace.js';
import { flameBoxes } from './pages/compare.js';
import { withPage, text } from './harness.js';
import { backendsFixture } from './fixtures.js';

const app = backendsFixture();
const N_PLUS_ONE = '5b8efff798038103d269b633813fc60c';
const BATCHED_2 = 'a3c1e5f0b8d24c7e9f6a1b2c3d4e5f62';

async function openFromBackend(page) {
  await page.goto(`${app.server.base}?backend=orders&trace=${N_PLUS_ONE}`);
  await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '29');
  await readGeometry(page);
}

test('vs typical from a backend: the latest requests of the endpoint, with progress', async () => {
  await withPage(app.browser, 'baseline-backend', async (page) => {
    await openFromBackend(page);
    assert.equal(await page.getByTestId('baseline-limit').inputValue(), '50');
    await page.getByTestId('baseline-limit').fill('20');
    await page.getByTestId('baseline-limit').dispatchEvent('change');
    await page.getByTestId('baseline-search').click();
    // The stub answers after 400 ms: the progress bar shows meanwhile, then goes.
    await page.getByTestId('baseline-progress').waitFor();
    await page.getByTestId('baseline-progress').waitFor({ state: 'detached' });
    // The same numbers as with the five requests loaded (compare.test.js) and as the CLI's
    // `diff --baseline`: the trace itself is not part of its baseline.
    assert.equal(await text(page, 'baseline-status'), 'vs 5 traces of this endpoint (from orders): 5 call path(s) above their p90, 2 new');
    const asked = app.stub.requests.filter((r) => r.startsWith('GET /cors/orders/api/v2/traces?'));
    assert.equal(asked.length, 1);
    const q = new URL(asked[0].slice(4), 'http://stub').searchParams;
    assert.deepEqual([q.get('serviceName'), q.get('spanName'), q.get('limit')], ['web-frontend', 'get /orders/history', '20']);
    // The waterfall marks the root (182 ms against a p90 of 66 ms), not `select orders`.
    const error = await cssColour(page, '--error');
    const canvas = '[data-testid=waterfall] canvas';
    assert.deepEqual(await canvasPixel(page, canvas, geometry.labelW - 2.5, rowY(0)), error);
    assert.notDeepEqual(await canvasPixel(page, canvas, geometry.labelW - 2.5, rowY(3)), error);

    // Statistics: each group against the same group of the five requests.
    await page.getByTestId('tab-stats').click();
    const table = page.getByTestId('stats-table');
    await table.waitFor();
    const head = await table.locator('thead th').allTextContents();
    assert.deepEqual(head.slice(-3), ['Typical total', 'vs typical', 'Percentile']);
    const row = async (name) => (await table.locator('tbody tr', { hasText: name }).first().locator('td').allTextContents()).slice(-3);
    // Twelve item queries, 63 ms, against 7–11 ms per request (median 9 ms).
    assert.deepEqual(await row('order-service select order_items'), ['9.0 ms', '+54.0 ms', 'p100']);
    assert.match(await table.locator('tbody tr', { hasText: 'order-service select order_items' }).getByTestId('stats-vs-typical').getAttribute('class'), /slower/);
    assert.deepEqual(await row('order-service select orders'), ['6.0 ms', '0 µs', 'p50']);
    assert.deepEqual(await row('pricing get /api/prices/{sku}'), ['—', 'new', '—']);
    // Sorting by the excess puts the biggest first.
    await page.getByTestId('stats-sort-14').click();
    assert.match((await table.locator('tbody tr').first().textContent()), /^web-frontend get \/orders\/history/);

    // The flame graph against the typical trace: this trace's 8 call paths, coloured.
    await page.getByTestId('tab-flame').click();
    await page.getByTestId('flame-typical').check();
    await waitForAttr(page.getByTestId('diff-flame'), 'data-boxes', '8');
    const boxes = await flameBoxes(page);
    assert.deepEqual(boxes[0], { name: 'get /orders/history', depth: 0, x0: 0, x1: 1 });
    // The root, slower than typical, is drawn red-ish; a click opens its span in the timeline.
    const diff = page.getByTestId('diff-flame');
    const box = await diff.boundingBox();
    const [r, g] = await canvasPixel(page, '[data-testid=diff-flame]', box.width / 2, 5);
    assert.ok(r > 180 && g < 80, `root box colour ${r},${g}`);
    await diff.click({ position: { x: box.width / 2, y: 5 } });
    await page.getByTestId('waterfall').waitFor();
    assert.match(await text(page, 'span-detail'), /get \/orders\/history/);
  });
});

test('two ticked search results compared, and the link reproduces it', async () => {
  await withPage(app.browser, 'compare-search-results', async (page) => {
    await page.goto(`${app.server.base}?view=search&backend=orders&service=web-frontend`);
    await page.getByTestId('results-count').waitFor();
    assert.equal(await page.getByTestId('result-row').count(), 6);
    assert.ok(await page.getByTestId('compare-selected').isDisabled());
    // Ticked later request first: the earlier request is still A.
    const tick = (id) => page.locator(`[data-testid=result-row][data-trace-id="${id}"] input[type=checkbox]`).check();
    await tick(BATCHED_2);
    await tick(N_PLUS_ONE);
    await page.getByTestId('compare-selected').click();
    await waitForAttr(page.getByTestId('compare-view'), 'data-rows', '10');
    assert.equal(await text(page, 'compare-summary'), '5 changed · 2 added · 2 removed · 1 the same');
    const link = new URL(page.url());
    assert.equal(link.searchParams.get('backend'), 'orders');
    assert.equal(link.searchParams.get('compare'), `${N_PLUS_ONE}|${BATCHED_2}`);

    // A fresh start from the link.
    await page.goto('about:blank');
    await page.goto(link.href);
    await waitForAttr(page.getByTestId('compare-view'), 'data-rows', '10');
    assert.equal(await text(page, 'compare-summary'), '5 changed · 2 added · 2 removed · 1 the same');
  });
});
