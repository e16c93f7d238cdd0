// End-to-end: where the time went. The critical path on the waterfall's bars (canvas pixels
// where `spanscope analyze` puts its sections) and the minimap, its toggle, the filter
// pills, the error path, and the Statistics tab (numbers, sorting, a row shown in the
// timeline, the view-rendered mark).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { geometry, rowY, barY, waitForAttr, pixels, rgb, canvasPixel, cssColour } from './pages/trace.js';
import { withPage, text, repo } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

/** The CLI's analysis of a file: the same core code, as a hand-checkable reference. */
function analyze(file) {
  const out = execFileSync(path.join(repo, 'target/release/spanscope'), ['analyze', '--json', file]);
  return JSON.parse(out)[0];
}

test('the critical path is drawn where its sections are, and the toggle hides it', async () => {
  await withPage(app.browser, 'critical-path', async (page) => {
    await page.goto(app.server.base);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length > 0);
    const report = analyze(path.join(repo, 'public/samples/checkout.jaeger.json'));
    // By hand (spans: POST /checkout 0–200 ms, verify token 5–55, GET /products 60–150,
    // SELECT 80–120, charge card 135–195): web-api 0–5, verify token 5–55, web-api 55–135,
    // charge card 135–195, web-api 195–200. GET /products ends at 150, after charge card
    // starts, so it is not on the path.
    const start = report.criticalPath[0].startMicros;
    const sections = report.criticalPath.map((s) => [(s.startMicros - start) / 1000, (s.endMicros - start) / 1000]);
    assert.deepEqual(sections, [[0, 5], [5, 55], [55, 135], [135, 195], [195, 200]]);
    assert.equal(report.criticalPathMicros, 200000);
    const fg = await cssColour(page, '--fg');
    const web = rgb(await page.locator('[data-service="web-api"]').getAttribute('data-colour'));
    const products = rgb(await page.locator('[data-service="product-service"]').getAttribute('data-colour'));
    // Rows: 0 POST /checkout, 1 verify token, 2 GET /products, 3 SELECT, 4 charge card.
    const at = (ms) => ms / 200;
    const [rootBand, authBand, productsMiddle, chargeBand, rootAbove] = await pixels(page, [
      [at(100), rowY(0)], [at(35), rowY(1)], [at(100), rowY(2)], [at(165), rowY(4)], [at(100), barY(0)],
    ]);
    assert.deepEqual(rootBand, fg, 'web-api 55–135 ms is on the path');
    assert.deepEqual(authBand, fg, 'verify token is on the path');
    assert.deepEqual(productsMiddle, products, 'GET /products is not');
    assert.deepEqual(chargeBand, fg, 'charge card is on the path');
    assert.deepEqual(rootAbove, web, 'the band is a stripe: the bar shows around it');
    // The minimap draws it too: its picture changes when the toggle goes off.
    const minimapPixels = () => page.evaluate(() => {
      const c = document.querySelector('[data-testid=minimap]');
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join(',');
    });
    const withPath = await minimapPixels();
    await page.getByTestId('critical-path-toggle').uncheck();
    await page.waitForTimeout(100);
    const [rootOff] = await pixels(page, [[at(100), rowY(0)]]);
    assert.deepEqual(rootOff, web, 'toggle off: no band');
    assert.notEqual(await minimapPixels(), withPath, 'the minimap drew the path');
    await page.getByTestId('critical-path-toggle').check();
    await page.waitForTimeout(100);
    assert.deepEqual((await pixels(page, [[at(100), rowY(0)]]))[0], fg);
    // Collapsed, the root row draws its subtree's part: all of 0–200 ms.
    await waterfall.locator('canvas').click({ position: { x: 8, y: rowY(0) } });
    await waitForAttr(waterfall, 'data-rows', '1');
    const collapsed = await pixels(page, [[at(5), rowY(0)], [at(40), rowY(0)], [at(170), rowY(0)]]);
    assert.deepEqual(collapsed, [fg, fg, fg]);
    assert.ok(geometry.criticalH > 0);
  });
});

test('pills: critical path, errors and high latency; the error path is marked', async () => {
  await withPage(app.browser, 'pills', async (page) => {
    await page.goto(app.server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    const count = () => text(page, 'find-count');
    await page.getByTestId('pill-critical').check();
    await page.getByTestId('find-count').filter({ hasText: '3 matches' }).waitFor();
    await page.getByTestId('only-matches').check();
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '3');
    await page.getByTestId('only-matches').uncheck();
    await page.getByTestId('pill-critical').uncheck();
    // Durations 200, 50, 90, 40, 60 ms: the 80th percentile is 90 ms, so two spans.
    await page.getByTestId('pill-latency').check();
    await page.getByTestId('find-count').filter({ hasText: '2 matches' }).waitFor();
    assert.match(await page.locator('.pill', { has: page.getByTestId('pill-latency') }).getAttribute('title'), /90\.0 ms/);
    await page.getByTestId('pill-latency').uncheck();
    assert.doesNotMatch(await count(), /match/);

    // The genai trace has one failed span (k8s-api, deep in the tree): the rows from the
    // root down to it carry the error mark at the left edge; a row beside the path does not.
    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/jaeger/genaiTestTrace.json')}`);
    await page.getByTestId('span-count').filter({ hasText: '57' }).waitFor();
    await page.waitForTimeout(200);
    const error = await cssColour(page, '--error');
    const edge = (row) => canvasPixel(page, '[data-testid=waterfall]', 1, rowY(row));
    // Row 0 POST /api/graphql and row 1 Query.assistantReply lead to it; row 2
    // graphql.execution has no children.
    assert.deepEqual(await edge(0), error);
    assert.deepEqual(await edge(1), error);
    assert.notDeepEqual(await edge(2), error);
    await page.getByTestId('errors-only').check();
    await page.getByTestId('find-count').filter({ hasText: '1 match' }).waitFor();
  });
});

test('statistics: numbers per group, every column sorts, a row shows its spans', async () => {
  await withPage(app.browser, 'statistics', async (page) => {
    await page.goto(app.server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    await page.evaluate(() => performance.clearMarks());
    await page.getByTestId('tab-stats').click();
    const table = page.getByTestId('stats-table');
    await table.waitFor();
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:view-rendered').some((m) => m.detail === 'stats'));
    const rows = async () => (await table.locator('tbody tr').allTextContents());
    const row = async (name) => {
      const cells = await table.locator('tbody tr', { hasText: name }).locator('td').allTextContents();
      return cells;
    };
    // POST /checkout: 200 ms; its own time is 15 ms (its children cover 5–55, 60–150 and
    // 135–195: 0–5, 55–60 and 195–200 are its own) = 7.5 % of the trace; 90 ms on the path.
    const root = await row('web-api POST /checkout');
    assert.deepEqual(root, ['web-api POST /checkout', '1', '200.0 ms', '200.0 ms', '200.0 ms', '200.0 ms', '200.0 ms', '200.0 ms', '200.0 ms', '15.0 ms', '15.0 ms', '7.5%', '90.0 ms', '0']);
    // Sorted by self time, longest first, as it opens: charge card (60 ms) leads.
    assert.match((await rows())[0], /^payment-gateway charge card/);
    // By count (click twice: smallest first), by name.
    await page.getByTestId('stats-sort-12').click();
    await page.getByTestId('stats-sort-name').click();
    assert.match((await rows())[0], /^auth-service verify token/);
    await page.getByTestId('stats-sort-1').click();
    assert.match((await rows())[0], /^web-api POST \/checkout/, 'total, longest first');
    await page.getByTestId('stats-sort-1').click();
    assert.match((await rows())[0], /^product-service SELECT products/, 'total, shortest first');
    // By service: product-service has two spans, 130 ms in total.
    await page.getByTestId('stats-by').selectOption('service');
    await table.locator('tbody tr', { hasText: 'product-service' }).first().waitFor();
    assert.equal((await rows()).length, 4);
    const product = await row('product-service');
    assert.deepEqual(product.slice(0, 3), ['product-service', '2', '130.0 ms']);
    // Then by operation: a second key column.
    await page.getByTestId('stats-then').selectOption('operation');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=stats-table] tbody tr').length === 5);
    // A row opens the timeline with its spans found and the first selected.
    await table.locator('tbody tr', { hasText: 'SELECT products' }).click();
    await page.getByTestId('group-chip').filter({ hasText: 'product-service · SELECT products (1)' }).waitFor();
    await page.getByTestId('find-count').filter({ hasText: '1 match' }).waitFor();
    await page.getByTestId('span-detail').getByRole('heading', { name: 'SELECT products' }).waitFor();
    await page.getByTestId('group-chip').getByRole('button').click();
    await page.getByTestId('group-chip').waitFor({ state: 'detached' });
  });
});

test('a link carries the tab, the statistics grouping and the pills', async () => {
  await withPage(app.browser, 'analysis-link', async (page) => {
    const url = encodeURIComponent('/refdata/jaeger/genaiTestTrace.json');
    await page.goto(`${app.server.base}?url=${url}&tab=stats&group=service,operation&pills=errors,critical`);
    const table = page.getByTestId('stats-table');
    await table.waitFor();
    // Grouped by service, then operation: a second key column, and genai's 10 services.
    await page.waitForFunction(() => document.querySelector('[data-testid=stats-table] thead')?.textContent.includes('Then'));
    assert.equal(await page.getByTestId('stats-by').inputValue(), 'service');
    await page.getByTestId('tab-timeline').click();
    assert.equal(await page.getByTestId('errors-only').isChecked(), true);
    assert.equal(await page.getByTestId('pill-critical').isChecked(), true);
    assert.equal(await page.getByTestId('pill-latency').isChecked(), false);
    // The failed span is not on the critical path: nothing matches both.
    await page.getByTestId('find-count').filter({ hasText: 'no matches' }).waitFor();
    // What the user changes goes back into the link.
    await page.getByTestId('pill-critical').uncheck();
    await page.getByTestId('tab-flame').click();
    await page.waitForFunction(() => location.search.includes('tab=flame') && location.search.includes('pills=errors') && !location.search.includes('critical'));
    assert.match(decodeURIComponent(await page.evaluate(() => location.search)), /group=service,operation/);
  });
});

test('span links: a marker on linked rows, and an arrow for the selected span', async () => {
  await withPage(app.browser, 'span-links', async (page) => {
    // ui_01's reference-test span refers (CHILD_OF and FOLLOWS_FROM, besides its parent)
    // to span 2, test-general-conversion.
    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/jaeger/ui_01.json')}`);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');
    assert.equal(await waterfall.getAttribute('data-arrows'), '[]');
    await page.getByTestId('find-input').fill('reference-test');
    await page.getByTestId('find-input').press('Enter');
    await page.getByTestId('span-detail').getByRole('heading', { name: 'reference-test' }).waitFor();
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=waterfall]').dataset.arrows).length > 0);
    const selectedArrows = await waterfall.getAttribute('data-arrows');
    const [arrow] = JSON.parse(selectedArrows);
    const accent = await cssColour(page, '--accent');
    const [lo, hi] = [Math.min(arrow.y1, arrow.y2), Math.max(arrow.y1, arrow.y2)];
    assert.ok(hi - lo >= geometry.rowH, `the arrow joins two rows: ${JSON.stringify(arrow)}`);
    const onArrow = await canvasPixel(page, '[data-testid=waterfall]', arrow.x, (lo + hi) / 2);
    assert.deepEqual(onArrow, accent, 'the arrow is drawn where it says');
    // Both rows carry the link marker just left of the timeline.
    const marker = (y) => canvasPixel(page, '[data-testid=waterfall]', geometry.labelW - 6.5, y);
    assert.deepEqual(await marker(arrow.y1), accent);
    assert.deepEqual(await marker(arrow.y2), accent);
    // The linked span lists its back-references, and each jumps to the linking span.
    const detail = page.getByTestId('span-detail');
    await page.getByTestId('find-input').fill('test-general-conversion');
    await page.getByTestId('find-input').press('Enter');
    await detail.getByRole('heading', { name: 'test-general-conversion' }).waitFor();
    const from = page.getByTestId('linked-from');
    assert.match(await from.textContent(), /reference-test/);
    await from.getByRole('button').first().click();
    await detail.getByRole('heading', { name: 'reference-test' }).waitFor();
    // A span without links selected: no arrow.
    await page.getByTestId('find-input').fill('preserveParentID-test');
    await page.getByTestId('find-input').press('Enter');
    await page.getByTestId('span-detail').getByRole('heading', { name: 'preserveParentID-test' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=waterfall]').dataset.arrows === '[]');
    // "All links": the arrows of every link on screen, whatever is selected (here the trace's
    // only link, the one drawn for reference-test above); off again, none.
    await page.getByTestId('all-links-toggle').check();
    await page.waitForFunction((want) => document.querySelector('[data-testid=waterfall]').dataset.arrows === want, selectedArrows);
    await page.getByTestId('all-links-toggle').uncheck();
    await page.waitForFunction(() => document.querySelector('[data-testid=waterfall]').dataset.arrows === '[]');
  });
});
