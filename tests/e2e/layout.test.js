// End-to-end: the timeline gets the screen. At 1440×900, with a trace open, at least 28
// waterfall rows are on screen without scrolling the page: the list of loaded traces is a
// one-row switcher, the header two lines, the timeline's toolbar one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geometry, waitForAttr } from './pages/trace.js';
import { withPage } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('at 1440×900 at least 28 waterfall rows are visible without scrolling the page', async () => {
  await withPage(app.browser, 'layout', async (page) => {
    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/jaeger/genaiTestTrace.json')}`);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '57');
    await page.getByTestId('trace-id-input').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page.getByTestId('waterfall').boundingBox();
    const bottom = Math.min(900, box.y + box.height);
    const rows = Math.floor((bottom - box.y - geometry.axisH) / geometry.rowH);
    assert.ok(rows >= 28, `${rows} rows visible (waterfall from y=${box.y})`);
    // The toolbar is one line, and the list of traces one row high.
    const toolbar = await page.locator('.timeline .toolbar').boundingBox();
    assert.ok(toolbar.height < 32, `toolbar ${toolbar.height}px high`);
    const list = await page.getByTestId('trace-list').locator('..').boundingBox();
    assert.ok(list.height <= 32, `trace list ${list.height}px high`);
  }, { viewport: { width: 1440, height: 900 } });
});
