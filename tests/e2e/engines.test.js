// End-to-end in every engine users open Spanscope in: Chromium, Firefox ESR and WebKit, each
// from Debian's packages, driven through plain W3C WebDriver (webdriver.js). The same
// checks run in each: a sample opens, an uploaded file shows its header numbers, the
// waterfall's pixels are where its spans are, a click shows the detail, the keyboard moves
// the selection, a search against a stub backend opens its result, the service graph
// lays out, and two web-component elements show their traces. The whole suite (every
// other *.test.js) runs in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, refdata } from './harness.js';
import { startStubBackends } from './stub-backends.js';
import { startSession, KEY } from './webdriver.js';

let server;
let stub;

before(async () => {
  stub = await startStubBackends();
  const config = { backends: [{ name: 'same', type: 'jaeger', url: 'backends/jaeger' }], defaultBackend: 'same' };
  server = await startServer({ config, proxies: { jaeger: stub.url('nocors', 'jaeger') } });
});

after(async () => {
  await server?.stop();
  await stub?.stop?.();
});

const header = () => ({
  spans: document.querySelector('[data-testid=span-count]')?.textContent.trim(),
  services: document.querySelector('[data-testid=service-count]')?.textContent.trim(),
  depth: document.querySelector('[data-testid=trace-depth]')?.textContent.trim(),
  errors: document.querySelector('[data-testid=error-count]')?.textContent.trim(),
  id: document.querySelector('[data-testid=trace-id]')?.textContent.trim(),
});

/** In the page: the RGB at `fraction` of the timeline on waterfall row `row`'s bar (above
 * the critical-path band), using the geometry the app publishes. */
function waterfallPixel(fraction, row) {
  const c = document.querySelector('[data-testid=waterfall] canvas');
  const g = JSON.parse(c.parentElement.dataset.geometry);
  const r = devicePixelRatio;
  const w = c.clientWidth - g.timelineX - g.timelineRight;
  const x = Math.round((g.timelineX + fraction * w) * r);
  const y = Math.round((g.axisH + g.rowH * row + g.barTop + 2) * r);
  return Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3));
}

function serviceColour(name) {
  const hex = document.querySelector(`[data-service="${name}"]`).dataset.colour;
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** In the page: whether the span detail's title is (or, with `not`, is not) `name`. */
function detailIs(name, not) {
  const title = document.querySelector('[data-testid=span-detail] h3')?.textContent.trim();
  return not ? Boolean(title) && title !== name : title === name;
}

for (const engine of ['chromium', 'firefox', 'webkit']) {
  test(`${engine}: sample, upload, waterfall pixels, detail, keyboard, search, service graph`, async () => {
    const s = await startSession(engine);
    try {
      await s.setWindow(1280, 900);
      // The bundled sample on the first visit.
      await s.navigate(server.base);
      await s.until('the sample', () => document.querySelector('[data-testid=waterfall]')?.dataset.rows === '5');
      assert.deepEqual(await s.exec(header), { spans: '5', services: '4', depth: '3', errors: '0', id: '4bf92f3577b34da6a3ce929d0e0e4736' }, engine);

      // Pixels: POST /checkout (web-api) covers 0–200 ms on row 0; verify token
      // (auth-service) covers 5–55 ms on row 1.
      await s.until('first paint', () => performance.getEntriesByName('spanscope:first-paint').length > 0);
      const web = await s.exec(serviceColour, 'web-api');
      const auth = await s.exec(serviceColour, 'auth-service');
      assert.deepEqual(await s.exec(waterfallPixel, 0.01, 0), web, `${engine}: root bar start`);
      assert.deepEqual(await s.exec(waterfallPixel, 0.6, 0), web, `${engine}: root bar middle`);
      assert.deepEqual(await s.exec(waterfallPixel, 0.15, 1), auth, `${engine}: verify token`);
      assert.notDeepEqual(await s.exec(waterfallPixel, 0.5, 1), auth, `${engine}: after verify token`);

      // A click on row 2 shows GET /products; ↓ moves to the next span, ↑ back.
      const rowY = await s.exec((row) => {
        const g = JSON.parse(document.querySelector('[data-testid=waterfall]').dataset.geometry);
        return g.axisH + g.rowH * row + g.rowH / 2;
      }, 2);
      await s.clickAt('[data-testid=waterfall] canvas', 700, rowY);
      await s.until('detail of GET /products', detailIs, 'GET /products');
      const detail = await s.exec(() => document.querySelector('[data-testid=span-detail]').textContent);
      assert.match(detail, /cart\.items3/, engine);
      assert.match(detail, /Self time50\.0 ms/, engine);
      await s.press(KEY.ArrowDown);
      await s.until('↓ to the next span', detailIs, 'GET /products', true);
      await s.press(KEY.ArrowUp);
      await s.until('↑ back', detailIs, 'GET /products');

      // An uploaded file: the genai reference trace's hand-checked numbers.
      await s.sendKeys('[data-testid=file-input]', path.join(refdata, 'jaeger/genaiTestTrace.json'));
      await s.until('the uploaded trace', () => document.querySelector('[data-testid=trace-id]')?.textContent.trim() === '4a1b2c3d4e5f60718293a4b5c6d7e8f9');
      const h = await s.exec(header);
      assert.deepEqual([h.spans, h.services, h.depth, h.errors], ['57', '10', '8', '1'], engine);

      // The service graph of the sample lays out its five services (one inferred).
      await s.navigate(server.base);
      await s.until('the sample again', () => document.querySelector('[data-testid=waterfall]')?.dataset.rows === '5');
      await s.click('[data-testid=tab-graph]');
      const nodes = await s.until('graph nodes', () => {
        const g = document.querySelector('[data-testid=service-graph]');
        const n = g && JSON.parse(g.dataset.nodes || '[]');
        return n && n.length ? n : null;
      });
      assert.deepEqual(nodes.map((n) => n.name), ['auth-service', 'payment-gateway', 'postgresql: products', 'product-service', 'web-api'], engine);
      const at = Object.fromEntries(nodes.map((n) => [n.name, n]));
      for (const n of nodes) if (n.name !== 'web-api') assert.ok(at['web-api'].x < n.x, `${engine}: ${n.name}`);

      // A bookmarked search against a stub Jaeger (same origin through nginx) runs on load;
      // its result opens.
      await s.navigate(`${server.base}?view=search&backend=same&service=web-api&lookback=2d`);
      await s.until('one search result', () => document.querySelectorAll('[data-testid=result-row]').length === 1);
      assert.equal(await s.exec(() => document.querySelector('[data-testid=result-row]').dataset.traceId), '4bf92f3577b34da6a3ce929d0e0e4736');
      await s.click('[data-testid=result-row] .result-title');
      await s.until('the opened result', () => document.querySelector('[data-testid=span-count]')?.textContent.trim() === '5');

      // The web component: two <spanscope-trace> elements, each in its own shadow root, one
      // from its src (5 spans), one from its trace property (the 400-span OTLP sample).
      await s.navigate(`${server.base}element-example.html`);
      const counts = () => ['first', 'second'].map((id) =>
        document.getElementById(id).shadowRoot?.querySelector('[data-testid=span-count]')?.textContent.trim());
      await s.until('both elements\' traces', () => ['first', 'second'].every((id) =>
        document.getElementById(id).shadowRoot?.querySelector('[data-testid=span-count]')));
      assert.deepEqual(await s.exec(counts), ['5', '400'], engine);
      assert.match(await s.exec(() => document.getElementById('log').textContent), /second: spanscope-loaded .*"spanCount":400/, engine);
    } finally {
      await s.quit();
    }
  });
}
