// End-to-end: embedded in another site's page. A host page on another 127.0.0.1 port holds
// the app in an iframe: embed mode with hidden parts, Jaeger UI's embedding flags, theme, the
// link to the full app, and no writes to the host's history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { withPage, freePort, refdata } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();
const host = {};

before(async () => {
  host.port = await freePort();
  host.server = http.createServer((req, res) => {
    const src = new URL(req.url, 'http://x').searchParams.get('src') || '';
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Portal</title><h1>Team portal</h1>
      <iframe id="trace" src="${src.replace(/"/g, '&quot;')}" width="1100" height="700"></iframe>`);
  });
  await new Promise((r) => host.server.listen(host.port, '127.0.0.1', r));
});
after(() => new Promise((r) => host.server.close(r)));

/** The host page with the app at `query` in its iframe; returns the iframe's frame. */
async function embedded(page, query) {
  const src = `${app.server.base}?${query}`;
  await page.goto(`http://127.0.0.1:${host.port}/?src=${encodeURIComponent(src)}`);
  const frame = page.frameLocator('#trace');
  await frame.getByTestId('trace-header').waitFor({ state: 'attached' });
  const handle = await page.locator('#trace').elementHandle();
  return { frame, inner: await handle.contentFrame(), src };
}

const visible = (loc) => loc.isVisible();

test('?embed=1 shows only the trace, hides what hide= names, and takes theme=', async () => {
  await withPage(app.browser, 'embed-mode', async (page) => {
    const { frame, inner, src } = await embedded(page, 'embed=1&hide=minimap,details&theme=dark&url=/refdata/jaeger/ui_01.json');
    await frame.getByTestId('waterfall').waitFor();
    assert.equal(await frame.getByTestId('span-count').textContent(), '5');
    // The app's own chrome is gone: top bar, pages, trace list, intro.
    assert.equal(await visible(frame.getByTestId('file-input').locator('..')), false);
    assert.equal(await visible(frame.getByTestId('page-search')), false);
    assert.equal(await visible(frame.getByTestId('trace-list')), false);
    assert.equal(await frame.locator('.welcome:visible').count(), 0);
    // hide=minimap,details; the header, tabs and find stay.
    assert.equal(await visible(frame.getByTestId('minimap')), false);
    assert.equal(await visible(frame.getByTestId('span-detail')), false);
    assert.equal(await visible(frame.getByTestId('trace-header')), true);
    assert.equal(await visible(frame.getByTestId('tab-stats')), true);
    assert.equal(await visible(frame.locator('.find-bar')), true);
    // The waterfall takes the width the details panel left.
    const wf = await frame.getByTestId('waterfall').boundingBox();
    assert.ok(wf.width > 1000, `waterfall ${wf.width}px wide`);
    assert.equal(await inner.evaluate(() => document.documentElement.dataset.theme), 'dark');
    // The focus stays with the host page.
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'BODY');
    // Using the view (a tab, a span) never writes the frame's address or the host's history.
    const history = await page.evaluate(() => history.length);
    await frame.getByTestId('tab-stats').click();
    await frame.getByTestId('tab-timeline').click();
    await frame.getByTestId('waterfall').click({ position: { x: 200, y: 60 } });
    assert.equal(inner.url(), src);
    assert.equal(await page.evaluate(() => history.length), history);
    // The link to the full app carries the view, not the embedding.
    const link = frame.getByTestId('open-full');
    await link.hover();
    await page.mouse.down();
    await page.mouse.up();
    const href = await link.getAttribute('href');
    assert.ok(href.startsWith(`${app.server.base}?`), href);
    assert.match(href, /url=%2Frefdata%2Fjaeger%2Fui_01\.json/);
    assert.match(href, /&span=[0-9a-f]{16}$/, 'with the span clicked');
    assert.doesNotMatch(href, /embed|hide|theme/);
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  });
});

test("Jaeger UI's embedding flags mean the same in Spanscope", async () => {
  await withPage(app.browser, 'embed-jaeger-flags', async (page) => {
    const { frame, inner } = await embedded(page,
      'uiEmbed=v0&uiTimelineHideMinimap=1&uiTimelineHideSummary=1&uiTheme=light&uiFind=0000000000000003&url=/refdata/jaeger/ui_01.json');
    await frame.getByTestId('waterfall').waitFor();
    assert.equal(await visible(frame.getByTestId('page-search')), false, 'embedded');
    assert.equal(await visible(frame.getByTestId('minimap')), false);
    // The summary is hidden; the title stays.
    assert.equal(await visible(frame.locator('.trace-header h2')), true);
    assert.equal(await visible(frame.getByTestId('span-count')), false);
    assert.equal(await inner.evaluate(() => document.documentElement.dataset.theme), 'light');
    // uiFind names a span: it is found and selected.
    await frame.locator('[data-testid=span-detail] h3', { hasText: 'some-operation' }).waitFor();
    assert.match(await frame.getByTestId('span-detail').textContent(), /0000000000000003/);
  });
});

test('the embedding example in dist/ drives the app with messages', async () => {
  await withPage(app.browser, 'embed-example', async (page) => {
    await page.goto(`${app.server.base}embed-example.html`);
    const log = page.locator('#log');
    await log.filter({ hasText: 'ready {}' }).waitFor();
    await page.click('#open-buffer');
    await log.filter({ hasText: /loaded \{.*"spanCount":5,"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"\}/ }).waitFor();
    await page.fill('#span', '00f067aa0ba902b3');
    await page.click('#select');
    await log.filter({ hasText: /span-selected \{.*"spanId":"00f067aa0ba902b3","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"\}/ }).waitFor();
    await page.click('#stats');
    await page.frameLocator('#spanscope').getByTestId('stats-table').waitFor();
  });
});

test('"Copy link" on a span copies a link that opens the full app at that span', async () => {
  await withPage(app.browser, 'copy-span-link', async (page) => {
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (text) => { window.copied = text; } } });
    });
    await page.goto(`${app.server.base}?url=/refdata/jaeger/ui_01.json`);
    await page.getByTestId('waterfall').waitFor();
    await page.getByTestId('waterfall').click({ position: { x: 200, y: 60 } });
    const title = await page.locator('[data-testid=span-detail] h3').textContent();
    await page.getByTestId('copy-span-link').click();
    const link = await page.evaluate(() => window.copied);
    assert.ok(link.startsWith(`${app.server.base}?url=%2Frefdata%2Fjaeger%2Fui_01.json&span=`), link);
    await page.goto('about:blank');
    await page.goto(link);
    await page.locator('[data-testid=span-detail] h3', { hasText: title }).waitFor();
    // A trace from a local file cannot come back by a link: no button there.
    await page.getByTestId('file-input').setInputFiles(`${refdata}/jaeger/ui_01.json`);
    // The file's own page, with nothing selected yet, before the click (not the linked one's).
    await page.locator('[data-testid=span-detail] .hint').waitFor();
    await page.getByTestId('waterfall').click({ position: { x: 200, y: 60 } });
    await page.locator('[data-testid=span-detail] h3').waitFor();
    assert.equal(await page.getByTestId('copy-span-link').count(), 0);
  });
});
