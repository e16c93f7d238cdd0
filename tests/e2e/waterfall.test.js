// End-to-end: the waterfall: bars where the spans are (canvas pixels), click for details, collapse and
// expand, the minimap, drag and drop, attribute filter, toolbar levels, links, tooltip, axis
// drag and keyboard zoom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { geometry, rowY, barY, waitForAttr, pixels, rgb } from './pages/trace.js';
import { withPage, refdata } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('waterfall: bars where the spans are, click for details, collapse and expand, minimap zoom', async () => {
  await withPage(app.browser, 'waterfall', async (page) => {
    await page.goto(app.server.base);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length > 0);
    const web = rgb(await page.locator('[data-service="web-api"]').getAttribute('data-colour'));
    const auth = rgb(await page.locator('[data-service="auth-service"]').getAttribute('data-colour'));

    // Row 0: POST /checkout covers 0–200 ms; row 1: verify token covers 5–55 ms.
    const [rootStart, rootEnd, authMid, authAfter] = await pixels(page, [[0.01, barY(0)], [0.6, barY(0)], [0.15, barY(1)], [0.5, barY(1)]]);
    assert.deepEqual(rootStart, web);
    assert.deepEqual(rootEnd, web);
    assert.deepEqual(authMid, auth);
    assert.notDeepEqual(authAfter, auth);

    // Clicking row 2 shows GET /products with its attributes as text.
    const canvas = waterfall.locator('canvas');
    await canvas.click({ position: { x: 700, y: rowY(2) } });
    const detail = page.getByTestId('span-detail');
    await detail.getByRole('heading', { name: 'GET /products' }).waitFor();
    const text = await detail.textContent();
    assert.match(text, /cart\.items3/);
    assert.match(text, /Self time50\.0 ms/);
    assert.match(text, /Parent ID00f067aa0ba902b1/);

    // Its toggle (depth 2: x = 4 + 14) collapses SELECT products, then shows it again.
    await canvas.click({ position: { x: 22, y: rowY(2) } });
    await waitForAttr(waterfall, 'data-rows', '4');
    await canvas.click({ position: { x: 22, y: rowY(2) } });
    await waitForAttr(waterfall, 'data-rows', '5');

    // Dragging the minimap over the first half zooms to 0–100 ms: verify token now covers
    // 5–55 % of the timeline.
    const minimap = page.getByTestId('minimap');
    const box = await minimap.boundingBox();
    const timelineW = box.width - geometry.timelineX - geometry.timelineRight;
    await page.mouse.move(box.x + geometry.timelineX, box.y + 30);
    await page.mouse.down();
    await page.mouse.move(box.x + geometry.timelineX + timelineW * 0.25, box.y + 30, { steps: 3 });
    await page.mouse.move(box.x + geometry.timelineX + timelineW * 0.5, box.y + 30, { steps: 3 });
    await page.mouse.up();
    await page.mouse.move(box.x + 10, box.y - 100);
    await page.waitForTimeout(100);
    const [zoomedAuth, zoomedEnd] = await pixels(page, [[0.3, barY(1)], [0.97, barY(1)]]);
    assert.deepEqual(zoomedAuth, auth);
    assert.notDeepEqual(zoomedEnd, auth);
  });
});

test('drag and drop a file, filter attributes, shift-click a subtree, move the minimap window', async () => {
  await withPage(app.browser, 'drop-filter-subtree-minimap', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();

    // Drop a file anywhere on the page.
    const json = fs.readFileSync(path.join(refdata, 'jaeger/ui_01.json'), 'utf8');
    await page.evaluate((json) => {
      const dt = new DataTransfer();
      dt.items.add(new File([json], 'ui_01.json', { type: 'application/json' }));
      document.querySelector('main').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, json);
    await page.getByTestId('trace-id').filter({ hasText: '0000000000000001' }).waitFor();
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');

    // Row 4 is the second span with id 2 ("some-operation" on service-x, a root of its own)
    // with five typed tags besides error=true; filtering keeps the matching ones.
    await waterfall.locator('canvas').click({ position: { x: 700, y: rowY(4) } });
    const attrs = page.getByTestId('span-attributes');
    await attrs.getByText('javascript_limit').waitFor();
    assert.equal(await attrs.locator('tr').count(), 5);
    await page.getByTestId('attribute-filter').fill('peer');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=span-attributes] tr').length === 2);
    assert.match(await attrs.textContent(), /peer\.ipv423456/);

    // The trace starts at row 0 ("test-general-conversion"), whose subtree holds three more
    // spans (ui_01.json: 3 and 4 are its children, 5 is 4's child). Shift-click closes all.
    await waterfall.locator('canvas').click({ position: { x: 8, y: rowY(0) }, modifiers: ['Shift'] });
    await waitForAttr(waterfall, 'data-rows', '2');
    await waterfall.locator('canvas').click({ position: { x: 8, y: rowY(0) }, modifiers: ['Shift'] });
    await waitForAttr(waterfall, 'data-rows', '5');

    // Minimap: select the first half, then drag the window to the right.
    const minimap = page.getByTestId('minimap');
    const box = await minimap.boundingBox();
    const w = box.width - geometry.timelineX - geometry.timelineRight;
    const at = (f) => box.x + geometry.timelineX + w * f;
    await page.mouse.move(at(0.0), box.y + 30);
    await page.mouse.down();
    await page.mouse.move(at(0.5), box.y + 30, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => /z=0\.000000%2C0\.5/.test(location.search));
    await page.mouse.move(at(0.25), box.y + 30);
    await page.mouse.down();
    await page.mouse.move(at(0.5), box.y + 30, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => /z=0\.25/.test(location.search));
  });
});

test('toolbar levels, links between spans, tooltip, axis drag and keyboard zoom', async () => {
  await withPage(app.browser, 'levels-links-tooltip-zoom', async (page) => {
    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/jaeger/ui_01.json')}`);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');
    const canvas = waterfall.locator('canvas');

    // ui_01.json has two roots (both id 2); the first has children 3 and 4, and 4 has 5.
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await waitForAttr(waterfall, 'data-rows', '2');
    await page.getByRole('button', { name: '+1 level' }).click();
    await waitForAttr(waterfall, 'data-rows', '4');
    await page.getByRole('button', { name: 'Expand all' }).click();
    await waitForAttr(waterfall, 'data-rows', '5');

    // reference-test (row 2) links to span 2 in this trace and to a span of another trace.
    await canvas.click({ position: { x: 700, y: rowY(2) } });
    const detail = page.getByTestId('span-detail');
    await detail.getByRole('heading', { name: 'reference-test' }).waitFor();
    assert.match(await detail.textContent(), /CHILD_OF 00000000000000ff \/ 00000000000000ff \(not in this trace\)/);
    await detail.getByRole('button', { name: /FOLLOWS_FROM 0000000000000001 \/ 0000000000000002/ }).click();
    await detail.getByRole('heading', { name: 'test-general-conversion' }).waitFor();

    // Hover shows a tooltip with service, operation and duration.
    await canvas.hover({ position: { x: 700, y: rowY(1) } });
    assert.match(await page.getByTestId('tooltip').textContent(), /service-y · some-operation\s*5 µs/);

    // Dragging on the time axis zooms to that range; 0 resets; + zooms around the centre.
    const box = await canvas.boundingBox();
    const w = box.width - geometry.timelineX - geometry.timelineRight;
    await page.mouse.move(box.x + geometry.timelineX, box.y + 12);
    await page.mouse.down();
    await page.mouse.move(box.x + geometry.timelineX + w / 2, box.y + 12, { steps: 3 });
    await page.mouse.up();
    await page.waitForFunction(() => /z=0\.000000%2C0\.5/.test(location.search));
    await page.mouse.move(box.x + 10, box.y - 50);
    await page.keyboard.press('0');
    await page.waitForFunction(() => !/z=/.test(location.search));
    await page.keyboard.press('+');
    await page.waitForFunction(() => /z=0\.250000%2C0\.750000/.test(location.search));
  });
});

test('PNG of the waterfall and of the flame graph: the canvas as drawn', async () => {
  await withPage(app.browser, 'view-png', async (page) => {
    await page.goto(app.server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length > 0);
    for (const [open, button, canvas, name] of [
      [null, 'waterfall-png', '.waterfall-canvas', 'trace-4bf92f3577b34da6a3ce929d0e0e4736-timeline.png'],
      ['tab-flame', 'flame-png', '[data-testid=flame]', 'trace-4bf92f3577b34da6a3ce929d0e0e4736-flame.png'],
    ]) {
      if (open) {
        await page.getByTestId(open).click();
        await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=flame]')?.dataset.frames || '[]').length > 0);
      }
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
      assert.equal(download.suggestedFilename(), name);
      const png = fs.readFileSync(await download.path());
      // The very pixels on screen: the same PNG the canvas gives now.
      const shown = await page.evaluate((css) => document.querySelector(css).toDataURL(), canvas);
      assert.equal(png.toString('base64'), shown.split(',')[1], button);
      const [w, h] = await page.evaluate((css) => [document.querySelector(css).width, document.querySelector(css).height], canvas);
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [w, h], button);
      assert.ok(w > 300 && h > 200, `${button}: ${w}×${h}`);
    }
  });
});
