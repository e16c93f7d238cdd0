// End-to-end: runs of repeated calls fold into one group row (the bundled N+1 sample), a
// collapsed row marks the links it hides, and a link to another loaded trace opens it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForAttr, pixels, rgb, barY, rowY, canvasPixel, cssColour, geometry } from './pages/trace.js';
import { withPage, text } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('repeated calls fold into a group row, which expands and folds again', async () => {
  await withPage(app.browser, 'sibling-groups', async (page) => {
    const sample = `${app.server.base}samples/orders-n-plus-one.zipkin.json`;
    await page.goto(`${app.server.base}?url=${encodeURIComponent(sample)}`);
    const waterfall = page.getByTestId('waterfall');
    const toggle = page.getByTestId('sibling-groups-toggle');
    // 29 spans: a small trace opens with every span on its own row.
    await waitForAttr(waterfall, 'data-rows', '29');
    assert.equal(await toggle.isChecked(), false);
    await toggle.check();
    // Root, client, server, select orders, × 12 select order_items, × 6 prices, render.
    await waitForAttr(waterfall, 'data-rows', '7');

    // The group row draws each call: order-service's colour where a call runs (the first,
    // 11–16 ms of 182 ms), the faint range bar in the 1 ms gap after it (16–17 ms).
    const at = (ms) => ms / 182;
    const colour = rgb(await page.locator('[data-service="order-service"]').getAttribute('data-colour'));
    const [call, gap] = await pixels(page, [[at(13.5), barY(4)], [at(16.5), barY(4)]]);
    assert.deepEqual(call, colour);
    assert.notDeepEqual(gap, colour);
    // The timed-out call puts the group on the error path; the prices group is not.
    const error = await cssColour(page, '--error');
    assert.deepEqual(await canvasPixel(page, '[data-testid=waterfall]', 1, rowY(4)), error);
    assert.notDeepEqual(await canvasPixel(page, '[data-testid=waterfall]', 1, rowY(5)), error);

    // Its tooltip: count, service, operation, min / max and errors.
    await waterfall.locator('canvas').hover({ position: { x: 200, y: rowY(4) } });
    const tip = await page.getByTestId('tooltip').textContent();
    assert.match(tip, /× 12 order-service · select order_items/);
    assert.match(tip, /min 4\.0 ms, max 9\.0 ms/);
    assert.match(tip, /1 error/);

    // A click opens it: its 12 calls follow its row; one of them is a span like any other.
    await waterfall.locator('canvas').click({ position: { x: 200, y: rowY(4) } });
    await waitForAttr(waterfall, 'data-rows', '19');
    await waterfall.locator('canvas').click({ position: { x: 700, y: rowY(5) } });
    const detail = page.getByTestId('span-detail');
    await detail.getByRole('heading', { name: 'select order_items' }).waitFor();
    await waterfall.locator('canvas').click({ position: { x: 200, y: rowY(4) } });
    await waitForAttr(waterfall, 'data-rows', '7');

    // Find steps into a folded group: it opens at the match.
    await page.getByTestId('find-input').fill('order.id=90215');
    await page.getByTestId('find-input').press('Enter');
    await waitForAttr(waterfall, 'data-rows', '19');
    assert.equal(await detail.locator('tr', { hasText: 'order.id' }).locator('td').first().textContent(), '90215');

    // Focus carries the grouping over.
    await page.getByTestId('find-input').fill('');
    await waterfall.locator('canvas').click({ position: { x: 200, y: rowY(4) } });
    await waitForAttr(waterfall, 'data-rows', '7');
    await waterfall.locator('canvas').click({ position: { x: 700, y: rowY(2) } });
    await page.getByTestId('focus-span').click();
    await waitForAttr(waterfall, 'data-rows', '4');
    assert.equal(await toggle.isChecked(), true);
    await toggle.uncheck();
    await waitForAttr(waterfall, 'data-rows', '26');
  });
});

test('a collapsed row marks the links below it; a link to another loaded trace opens it', async () => {
  await withPage(app.browser, 'links-hidden-and-other-traces', async (page) => {
    await page.goto(app.server.base);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');
    // Two traces in one file. The consumer's root follows from the producer's span (another
    // trace); below its 'handle batch', 'write order' follows from 'validate'.
    const producer = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const consumer = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
    const span = (traceID, spanID, operationName, startTime, references = []) => ({
      traceID, spanID, operationName, startTime, duration: 4000, references, tags: [], logs: [], processID: 'p1',
    });
    const child = (traceID, spanID) => ({ refType: 'CHILD_OF', traceID, spanID });
    // The consumer comes first in the file, so it is the trace shown after the upload.
    const file = {
      data: [
        {
          traceID: consumer,
          spans: [
            span(consumer, '2000000000000001', 'consume order', 1700000000100000, [{ refType: 'FOLLOWS_FROM', traceID: producer, spanID: '1000000000000001' }]),
            span(consumer, '2000000000000002', 'handle batch', 1700000000100500, [child(consumer, '2000000000000001')]),
            span(consumer, '2000000000000003', 'validate', 1700000000101000, [child(consumer, '2000000000000002')]),
            span(consumer, '2000000000000004', 'write order', 1700000000102000, [child(consumer, '2000000000000002'), { refType: 'FOLLOWS_FROM', traceID: consumer, spanID: '2000000000000003' }]),
          ],
          processes: { p1: { serviceName: 'fulfilment', tags: [] } },
        },
        { traceID: producer, spans: [span(producer, '1000000000000001', 'publish order', 1700000000000000)], processes: { p1: { serviceName: 'orders', tags: [] } } },
      ],
    };
    await page.getByTestId('file-input').setInputFiles({ name: 'linked.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.getByTestId('trace-id').filter({ hasText: consumer.slice(0, 12) }).waitFor();
    await waitForAttr(waterfall, 'data-rows', '4');
    // 'handle batch' has no link of its own; collapsed, it marks the two it hides.
    const accent = await cssColour(page, '--accent');
    const marker = () => canvasPixel(page, '[data-testid=waterfall]', geometry.labelW - 9, rowY(1));
    assert.notDeepEqual(await marker(), accent);
    await waterfall.locator('canvas').click({ position: { x: geometry.indent + 6, y: rowY(1) } });
    await waitForAttr(waterfall, 'data-rows', '2');
    assert.deepEqual(await marker(), accent);

    // The root's link is to a span of the other loaded trace: a click opens it there.
    await waterfall.locator('canvas').click({ position: { x: 700, y: rowY(0) } });
    const detail = page.getByTestId('span-detail');
    await detail.getByRole('heading', { name: 'consume order' }).waitFor();
    await detail.getByTestId('link-other-trace').click();
    await detail.getByRole('heading', { name: 'publish order' }).waitFor();
    assert.match(await text(page, 'trace-id'), new RegExp(producer.slice(0, 12)));
  });
});
