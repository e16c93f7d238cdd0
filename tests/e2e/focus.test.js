// End-to-end: focus on a span. The waterfall, minimap and statistics re-root on its subtree,
// the breadcrumb goes back, the link carries the focus, and find and pills survive it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttr, pixels, rgb, barY, rowY } from './pages/trace.js';
import { withPage, text } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('focus re-roots every view on a subtree, and the breadcrumb goes back', async () => {
  await withPage(app.browser, 'focus', async (page) => {
    const sample = `${app.server.base}samples/checkout.jaeger.json`;
    await page.goto(`${app.server.base}?url=${encodeURIComponent(sample)}`);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');
    await page.getByTestId('pill-latency').check();
    await page.getByTestId('find-input').fill('GET /products');
    await page.getByTestId('find-input').press('Enter');
    const detail = page.getByTestId('span-detail');
    await detail.getByRole('heading', { name: 'GET /products' }).waitFor();
    await page.getByTestId('focus-span').click();
    // GET /products (60–150 ms) and SELECT products: two rows, and the bar fills the width.
    await waitForAttr(waterfall, 'data-rows', '2');
    const crumbs = page.getByTestId('focus-breadcrumb');
    assert.equal((await crumbs.textContent()).replace(/\s+/g, ' '), 'Whole trace › web-api: POST /checkout › product-service: GET /products');
    const products = rgb(await page.locator('[data-service="product-service"]').getAttribute('data-colour'));
    const [left, right] = await pixels(page, [[0.01, barY(0)], [0.99, barY(0)]]);
    assert.deepEqual([left, right], [products, products], 'the focused span spans the timeline');
    // The header still describes the whole trace; find and pills were carried over.
    assert.equal(await text(page, 'span-count'), '5');
    assert.equal(await page.getByTestId('pill-latency').isChecked(), true);
    assert.equal(await page.getByTestId('find-input').inputValue(), 'GET /products');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('focus') === '00f067aa0ba902b3');
    // Statistics are the subtree's: two operations, GET /products 90 ms with 50 ms its own.
    await page.getByTestId('tab-stats').click();
    const table = page.getByTestId('stats-table');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=stats-table] tbody tr').length === 2);
    const row = await table.locator('tbody tr', { hasText: 'GET /products' }).locator('td').allTextContents();
    assert.deepEqual([row[1], row[2], row[9], row[11]], ['1', '90.0 ms', '50.0 ms', '55.6%']);
    await page.getByTestId('tab-timeline').click();
    // A link with the focus opens focused.
    const link = await page.evaluate(() => location.href);
    await page.goto(link);
    await waitForAttr(waterfall, 'data-rows', '2');
    await page.getByTestId('focus-breadcrumb').waitFor();
    // Back to the whole trace: five rows, the focused span selected.
    await page.getByTestId('focus-whole').click();
    await waitForAttr(waterfall, 'data-rows', '5');
    await page.getByTestId('focus-breadcrumb').waitFor({ state: 'detached' });
    await detail.getByRole('heading', { name: 'GET /products' }).waitFor();
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('focus'));
    // The keyboard: f focuses on the selected span, Backspace goes one level up.
    await page.getByTestId('pill-latency').uncheck();
    await page.getByTestId('find-input').fill('');
    await waterfall.locator('canvas').click({ position: { x: 700, y: rowY(3) } });
    await detail.getByRole('heading', { name: 'SELECT products' }).waitFor();
    await page.keyboard.press('f');
    await waitForAttr(waterfall, 'data-rows', '1');
    await page.keyboard.press('Backspace');
    await waitForAttr(waterfall, 'data-rows', '2');
    await page.keyboard.press('Backspace');
    await waitForAttr(waterfall, 'data-rows', '5');
  });
});
