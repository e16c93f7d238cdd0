// End-to-end: the web component. A portal's page on another 127.0.0.1 port loads
// spanscope-element.js from the app's server (which sends CORS headers, as a deployment for
// portals does) and holds two <spanscope-trace> elements: each shows its own trace in its own
// shadow root (read in a worker even there), fires its own events, takes its own theme and
// the portal's CSS custom properties, keeps keys to itself, and follows attribute changes.
// Also measured: how soon an element attached to the page shows its trace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { withPage, freePort, repo } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture({ cors: true });
const host = {};
const skew = JSON.parse(fs.readFileSync(path.join(repo, 'tests/data/refdata/zipkin/skew.json'), 'utf8'));

before(async () => {
  host.port = await freePort();
  host.server = http.createServer((req, res) => {
    const base = app.server.base;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><meta charset="utf-8"><title>Portal</title>
      <style>#b { --bg: rgb(250, 250, 240); --view-height: 900px; }</style>
      <h1>Team portal</h1><input id="outside" placeholder="portal search">
      <script>
        window.events = [];
        for (const type of ['spanscope-ready', 'spanscope-loaded', 'spanscope-span-selected', 'spanscope-error']) {
          document.addEventListener(type, (e) => events.push({ type, id: e.target.id, detail: e.detail }));
        }
      </script>
      ${req.url.startsWith('/empty') ? '' : `
      <spanscope-trace id="a" src="${base}../refdata/jaeger/ui_01.json" hide="minimap"></spanscope-trace>
      <spanscope-trace id="b" theme="dark"></spanscope-trace>`}
      <script type="module" src="${base}spanscope-element.js"></script>`);
  });
  await new Promise((r) => host.server.listen(host.port, '127.0.0.1', r));
});
after(() => new Promise((r) => host.server.close(r)));

const events = (page, type, id) => page.evaluate(([type, id]) => events.filter((e) => e.type === type && e.id === id), [type, id]);
const waitEvent = (page, type, id, count = 1) => page.waitForFunction(([type, id, count]) =>
  events.filter((e) => e.type === type && e.id === id).length >= count, [type, id, count]);

test('two elements on one page: own traces, events, themes, keys and attributes', async () => {
  await withPage(app.browser, 'element', async (page) => {
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    // Counts the system-theme listeners alive: an element's app removes its own on unmount.
    await page.addInitScript(() => {
      window.themeListeners = 0;
      const proto = MediaQueryList.prototype;
      const [add, remove] = [proto.addEventListener, proto.removeEventListener];
      proto.addEventListener = function (...args) { if (args[0] === 'change') window.themeListeners += 1; return add.apply(this, args); };
      proto.removeEventListener = function (...args) { if (args[0] === 'change') window.themeListeners -= 1; return remove.apply(this, args); };
    });
    await page.goto(`http://127.0.0.1:${host.port}/`);
    const a = page.locator('#a');
    const b = page.locator('#b');
    await a.getByTestId('span-count').filter({ hasText: '5' }).waitFor();
    await waitEvent(page, 'spanscope-ready', 'b');
    // The trace property: a parsed object (text and bytes take the same way as postMessage's).
    await page.evaluate((trace) => { document.getElementById('b').trace = trace; }, skew);
    await b.getByTestId('span-count').filter({ hasText: String(skew.length) }).waitFor();

    const [loadedA] = await events(page, 'spanscope-loaded', 'a');
    const [loadedB] = await events(page, 'spanscope-loaded', 'b');
    assert.equal(loadedA.detail.spanCount, 5);
    assert.equal(loadedB.detail.spanCount, skew.length);
    assert.notEqual(loadedA.detail.traceId, loadedB.detail.traceId);
    assert.equal((await events(page, 'spanscope-loaded', 'a')).length, 1, 'b\'s trace is not a\'s');
    // The portal is of another origin: the reader worker is its own, importing the app's.
    assert.ok(workers.length >= 2 && workers.every((u) => u.startsWith(`blob:http://127.0.0.1:${host.port}/`)), workers.join(' '));

    // Each element in its own shadow root; only the app's chrome for a trace.
    assert.equal(await page.evaluate(() => document.querySelectorAll('[data-testid]').length), 0, 'nothing outside the shadow roots');
    assert.equal(await a.getByTestId('trace-list').isVisible(), false);
    assert.equal(await a.getByTestId('minimap').isVisible(), false, 'hide="minimap" on a');
    assert.equal(await b.getByTestId('minimap').isVisible(), true);

    // "Open in Spanscope" leads to the app's own page, with a's trace.
    assert.equal(await a.getByTestId('open-full').getAttribute('href'),
      `${app.server.base}?url=${encodeURIComponent(`${app.server.base}../refdata/jaeger/ui_01.json`)}`);

    // Themes: b is dark, a follows the (light) system; the portal's --bg on b wins.
    const colours = (id) => page.evaluate((id) => {
      const s = getComputedStyle(document.getElementById(id));
      return [s.backgroundColor, s.color];
    }, id);
    assert.deepEqual(await colours('a'), ['rgb(255, 255, 255)', 'rgb(29, 36, 48)']);
    assert.deepEqual(await colours('b'), ['rgb(250, 250, 240)', 'rgb(228, 232, 238)']);
    assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-theme')), false, 'the portal\'s <html> is left alone');
    // --view-height lays views out: 640 px by default, 900 px on b (the waterfall gets 250 less).
    assert.equal(Math.round((await a.getByTestId('waterfall').boundingBox()).height), 640 - 250);
    assert.equal(Math.round((await b.getByTestId('waterfall').boundingBox()).height), 900 - 250);

    // span= selects; the keyboard then moves b's selection, not a's, and keys typed in the
    // portal's own input are the portal's.
    const spanId = skew[1].id;
    await page.evaluate((id) => document.getElementById('b').setAttribute('span', id), spanId);
    await waitEvent(page, 'spanscope-span-selected', 'b');
    assert.equal((await events(page, 'spanscope-span-selected', 'b'))[0].detail.spanId, spanId);
    await b.getByTestId('span-detail').locator('h3').click();
    await page.keyboard.press('j');
    await waitEvent(page, 'spanscope-span-selected', 'b', 2);
    const moved = (await events(page, 'spanscope-span-selected', 'b'))[1].detail.spanId;
    assert.notEqual(moved, spanId, 'j moved b\'s selection');
    assert.equal((await events(page, 'spanscope-span-selected', 'a')).length, 0, 'a heard nothing');
    await page.locator('#outside').click();
    await page.keyboard.type('jjk/');
    assert.equal(await page.locator('#outside').inputValue(), 'jjk/');
    await page.waitForTimeout(200);
    assert.equal((await events(page, 'spanscope-span-selected', 'b')).length, 2, 'the portal\'s keys stay the portal\'s');

    // Attributes after mounting: tab and theme.
    await page.evaluate(() => document.getElementById('a').setAttribute('tab', 'stats'));
    await a.getByTestId('tab-stats').and(a.locator('.active')).waitFor();
    assert.equal(await b.locator('.tabs .active[data-testid^=tab-]').getAttribute('data-testid'), 'tab-timeline');
    await page.evaluate(() => document.getElementById('a').setAttribute('theme', 'dark'));
    await page.waitForFunction(() => getComputedStyle(document.getElementById('a')).color === 'rgb(228, 232, 238)');

    // A bad trace is an error event on that element; its trace stays.
    await page.evaluate(() => { document.getElementById('b').trace = 42; });
    await waitEvent(page, 'spanscope-error', 'b');
    assert.match((await events(page, 'spanscope-error', 'b'))[0].detail.message, /`open` needs `trace`/);
    assert.equal(await b.getByTestId('span-count').textContent(), String(skew.length));

    // Taken out of the page and put back: a new app, the trace read again.
    await page.evaluate(() => { const a = document.getElementById('a'); a.remove(); document.body.append(a); });
    await waitEvent(page, 'spanscope-loaded', 'a', 2);
    await a.getByTestId('span-count').filter({ hasText: '5' }).waitFor();
    // Two apps on the page, two listeners: the removed app's went with it.
    assert.equal(await page.evaluate(() => window.themeListeners), 2);
  });
});

test('an element attached to the page shows its trace soon (figures printed)', async () => {
  await withPage(app.browser, 'element-first-paint', async (page) => {
    await page.goto(`http://127.0.0.1:${host.port}/empty`);
    await page.waitForFunction(() => customElements.get('spanscope-trace'));
    const attach = (id) => page.evaluate(([id, src]) => new Promise((resolve) => {
      const el = document.createElement('spanscope-trace');
      el.id = id;
      el.setAttribute('src', src);
      el.addEventListener('spanscope-loaded', () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start))));
      const start = performance.now();
      document.body.append(el);
    }), [id, `${app.server.base}samples/checkout.jaeger.json`]);
    const first = await attach('first');
    const second = await attach('second');
    await page.locator('#second').getByTestId('waterfall').waitFor();
    console.log(`element first paint after attach: first element ${first.toFixed(0)} ms (the module still on its way), second ${second.toFixed(0)} ms`);
    assert.ok(first > 0 && second > 0);
    // Taken out and put back before it mounted: one app, in the element's current shadow tree.
    await page.evaluate((src) => {
      const el = document.createElement('spanscope-trace');
      el.id = 'moved';
      el.setAttribute('src', src);
      document.body.append(el);
      el.remove();
      document.body.prepend(el);
    }, `${app.server.base}samples/checkout.jaeger.json`);
    await page.locator('#moved').getByTestId('span-count').filter({ hasText: '5' }).waitFor();
    assert.equal(await page.evaluate(() => document.getElementById('moved').shadowRoot.querySelectorAll('main').length), 1);
  });
});
