// End-to-end: the built app in real headless Chromium, served by nginx on 127.0.0.1 under
// /spanscope/. Header numbers are checked against facts counted by hand in the files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, launchBrowser, withPage, text, refdata, repo } from './harness.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(server.base);
  await page.getByTestId('waterfall').waitFor();
  await readGeometry(page);
  await page.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function header(page) {
  return {
    spans: await text(page, 'span-count'),
    services: await text(page, 'service-count'),
    depth: await text(page, 'trace-depth'),
    errors: await text(page, 'error-count'),
    micros: await page.getByTestId('trace-duration').getAttribute('data-micros'),
  };
}

test('first visit under a path prefix shows the bundled checkout sample', async () => {
  await withPage(browser, 'first-visit', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    // Web API 200 ms → Auth Service, Product Service → DB Query (its client span), Payment Gateway.
    assert.deepEqual(await header(page), { spans: '5', services: '4', depth: '3', errors: '0', micros: '200000' });
    assert.match(await page.locator('.welcome').textContent(), /Open a trace/);
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    for (const m of ['spanscope:load-start', 'spanscope:parsed', 'spanscope:first-paint']) {
      assert.ok(marks.includes(m), `missing mark ${m}: ${marks}`);
    }
  });
});

test('uploaded reference files show hand-checked numbers, and bad files do not lose them', async () => {
  await withPage(browser, 'upload', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    const input = page.getByTestId('file-input');

    await input.setInputFiles(path.join(refdata, 'jaeger/genaiTestTrace.json'));
    await page.getByTestId('trace-id').filter({ hasText: '4a1b2c3d4e5f60718293a4b5c6d7e8f9' }).waitFor();
    assert.deepEqual(await header(page), { spans: '57', services: '10', depth: '8', errors: '1', micros: '44000000' });

    // gzip-compressed, as .json.gz and under a name that does not say so: the same trace.
    const gz = zlib.gzipSync(fs.readFileSync(path.join(refdata, 'jaeger/ui_01.json')));
    for (const name of ['ui_01.json.gz', 'ui_01-export']) {
      await input.setInputFiles({ name, mimeType: 'application/gzip', buffer: gz });
      await page.locator('[data-testid=trace-list] tbody tr', { hasText: name }).waitFor();
      assert.equal((await header(page)).spans, '5', name);
    }
    // Binary OTLP from a real SDK, plain and gzipped: 4 spans, 2 services, 1 error.
    const pb = fs.readFileSync(path.join(repo, 'tests/data/otlp-protobuf/export.pb'));
    for (const [name, buffer] of [['export.pb', pb], ['export.pb.gz', zlib.gzipSync(pb)]]) {
      await input.setInputFiles({ name, mimeType: 'application/x-protobuf', buffer });
      await page.locator('[data-testid=trace-list] tbody tr', { hasText: name }).waitFor();
      const h = await header(page);
      assert.deepEqual([h.spans, h.services, h.errors], ['4', '2', '1'], name);
    }
    await input.setInputFiles({ name: 'damaged.json.gz', mimeType: 'application/gzip', buffer: gz.subarray(0, gz.length / 2) });
    await page.getByTestId('load-error').filter({ hasText: 'damaged.json.gz: the gzip data is damaged' }).waitFor();
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 6, 'the sample, genai, both gzip files and both protobuf files');

    // Several files at once: a Zipkin v2 trace and an OTLP trace.
    await input.setInputFiles([path.join(refdata, 'zipkin/skew.json'), path.join(refdata, 'otlp/tempo/trace.json')]);
    await page.getByTestId('trace-id').filter({ hasText: '5b8efff798038103d269b633813fc60c' }).waitFor();
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 8);
    await page.locator('[data-testid=trace-list] tbody tr', { hasText: '1e223ff1f80f1c69' }).click();
    assert.deepEqual(await header(page), { spans: '4', services: '2', depth: '4', errors: '0', micros: '161718' });

    // A malformed file: a clear message with line and column, and nothing already loaded is lost.
    await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"data": [\n  {"traceID": 12,, }]}') });
    const error = page.getByTestId('load-error');
    await error.waitFor();
    assert.match(await error.textContent(), /broken\.json: not valid JSON at line 2, column 18/);
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 8);

    // Hostile text is shown as text, never as HTML.
    const hostile = JSON.stringify([{ traceId: '0a', id: '0b', name: '<img src=x onerror="window.pwned=1">', timestamp: 1, duration: 1, localEndpoint: { serviceName: '<b>svc</b>' } }]);
    await input.setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(hostile) });
    await page.getByTestId('trace-header').getByText('<b>svc</b>: <img src=x onerror="window.pwned=1">').waitFor();
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.equal(await page.locator('[data-testid=trace-header] img').count(), 0);
  });
});

test('a sample button and a ?url= deep link load traces over HTTP', async () => {
  await withPage(browser, 'samples-and-url', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    await page.getByRole('button', { name: /Shop backend/ }).click();
    await page.getByTestId('span-count').filter({ hasText: '400' }).waitFor();

    await page.goto(`${server.base}?url=${encodeURIComponent('/refdata/zipkin/yelp.json')}`);
    await page.getByTestId('trace-id').filter({ hasText: 'a03ee8fff1dcd9b9' }).waitFor();
    assert.deepEqual(await header(page), { spans: '16', services: '6', depth: '5', errors: '0', micros: '131848' });

    await page.goto(`${server.base}?url=${encodeURIComponent('/refdata/no-such-file.json')}`);
    const error = page.getByTestId('load-error');
    await error.waitFor();
    assert.match(await error.textContent(), /HTTP 404/);
  });
});

// Waterfall geometry, as the app publishes it (`data-geometry` on the waterfall): axis height,
// row height, label width, where the timeline starts and its right margin.
let geometry;
/** Reads the geometry once (it is the app's, not the trace's). */
async function readGeometry(page) {
  geometry = JSON.parse(await page.getByTestId('waterfall').getAttribute('data-geometry'));
}
const rowY = (row) => geometry.axisH + geometry.rowH * row + geometry.rowH / 2;

async function waitForAttr(locator, name, value) {
  for (let i = 0; i < 100; i++) {
    if ((await locator.getAttribute(name)) === value) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(await locator.getAttribute(name), value);
}

/** RGB of the waterfall canvas at CSS pixel (x, y), and where `fraction` of the trace is. */
async function pixels(page, points) {
  return page.evaluate((points) => {
    const c = document.querySelector('[data-testid=waterfall] canvas');
    const ctx = c.getContext('2d');
    const r = devicePixelRatio;
    const g = JSON.parse(c.parentElement.dataset.geometry);
    const x0 = g.timelineX;
    const w = c.clientWidth - g.timelineX - g.timelineRight;
    return points.map(([fraction, y]) => Array.from(ctx.getImageData(Math.round((x0 + fraction * w) * r), Math.round(y * r), 1, 1).data.slice(0, 3)));
  }, points);
}

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

test('waterfall: bars where the spans are, click for details, collapse and expand, minimap zoom', async () => {
  await withPage(browser, 'waterfall', async (page) => {
    await page.goto(server.base);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '5');
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length > 0);
    const web = rgb(await page.locator('[data-service="web-api"]').getAttribute('data-colour'));
    const auth = rgb(await page.locator('[data-service="auth-service"]').getAttribute('data-colour'));

    // Row 0: POST /checkout covers 0–200 ms; row 1: verify token covers 5–55 ms.
    const [rootStart, rootEnd, authMid, authAfter] = await pixels(page, [[0.01, rowY(0)], [0.6, rowY(0)], [0.15, rowY(1)], [0.5, rowY(1)]]);
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
    const [zoomedAuth, zoomedEnd] = await pixels(page, [[0.3, rowY(1)], [0.97, rowY(1)]]);
    assert.deepEqual(zoomedAuth, auth);
    assert.notDeepEqual(zoomedEnd, auth);
  });
});

test('find in trace, quick filters, keyboard and a link that reproduces the view', async () => {
  await withPage(browser, 'find-keys-url', async (page) => {
    await page.goto(`${server.base}?url=${encodeURIComponent('/refdata/jaeger/genaiTestTrace.json')}`);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '57');
    const count = page.getByTestId('find-count');
    const detail = page.getByTestId('span-detail');

    // "/" focuses the search; 5 spans have gen_ai.operation.name=chat (counted in the file).
    await page.keyboard.press('/');
    await page.keyboard.type('gen_ai.operation.name=chat');
    await count.filter({ hasText: '5 matches' }).waitFor();
    await page.keyboard.press('Enter');
    await count.filter({ hasText: '1 of 5' }).waitFor();
    assert.match(await detail.textContent(), /Span ID0000000000000005/);
    await page.keyboard.press('Shift+Enter');
    await count.filter({ hasText: '5 of 5' }).waitFor();
    assert.match(await detail.textContent(), /Span ID0000000000000038/);

    // Only matches: the 5 spans and their 6 ancestors.
    await page.getByTestId('only-matches').check();
    await waitForAttr(waterfall, 'data-rows', '11');
    await page.getByTestId('only-matches').uncheck();
    await waitForAttr(waterfall, 'data-rows', '57');

    // The link reproduces the trace, the selected span and the search.
    const link = page.url();
    assert.match(link, /span=0000000000000038/);
    const other = await browser.newPage();
    await other.goto(link);
    await other.getByTestId('find-count').filter({ hasText: '5 matches' }).waitFor();
    assert.match(await other.getByTestId('span-detail').textContent(), /Span ID0000000000000038/);
    await other.close();

    // Esc in the box clears it; the errors-only filter finds the one failed span.
    await page.getByTestId('find-input').press('Escape');
    await page.waitForFunction(() => document.querySelector('[data-testid=find-count]').textContent === '');
    assert.equal(await page.getByTestId('find-input').inputValue(), '');
    await page.getByTestId('errors-only').check();
    await count.filter({ hasText: '1 match' }).waitFor();
    await page.getByTestId('find-input').press('Enter');
    await detail.getByRole('heading', { name: 'GET /api/v1/pods' }).waitFor();
    await page.getByTestId('errors-only').uncheck();

    // Keyboard: select the root row, move down, collapse the root with ←, reopen with →.
    await waterfall.locator('canvas').click({ position: { x: 700, y: rowY(0) } });
    await detail.getByRole('heading', { name: 'POST /api/graphql' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await detail.getByRole('heading', { name: 'Query.assistantReply' }).waitFor();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    await waitForAttr(waterfall, 'data-rows', '1');
    await page.keyboard.press('ArrowRight');
    await waitForAttr(waterfall, 'data-rows', '57');
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await page.keyboard.press('Escape');
  });
});

test('paste JSON, a generated 100k-span trace, clock-skew adjustment and themes', async () => {
  await withPage(browser, 'paste-generate-skew-theme', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();

    // Paste dialog: the Zipkin skew example.
    const skew = fs.readFileSync(path.join(refdata, 'zipkin/skew.json'), 'utf8');
    await page.getByRole('button', { name: 'Paste JSON…' }).click();
    await page.getByTestId('paste-input').fill(skew);
    await page.getByTestId('paste-open').click();
    await page.getByTestId('trace-id').filter({ hasText: '1e223ff1f80f1c69' }).waitFor();

    // Row 2 is serviceb's shared server "post", which starts 65 ms before its client (row 1).
    // Adjusting centres it inside the client, so its bar moves from before to after the
    // client bar's start.
    const barStart = (row) => page.evaluate(({ row, g }) => {
      const c = document.querySelector('[data-testid=waterfall] canvas');
      const ctx = c.getContext('2d');
      const r = devicePixelRatio;
      const y = Math.round((g.axisH + g.rowH * row + 8) * r);
      for (let x = Math.round(g.timelineX * r); x < c.width; x++) {
        const [red, green, blue] = ctx.getImageData(x, y, 1, 1).data;
        if (Math.abs(red - green) + Math.abs(green - blue) > 60) return x / r;
      }
      return null;
    }, { row, g: geometry });
    assert.ok((await barStart(2)) < (await barStart(1)), 'raw: the server starts before its client');
    await page.getByTestId('skew-toggle').check();
    await page.waitForTimeout(100);
    assert.ok((await barStart(2)) > (await barStart(1)), 'adjusted: the server starts inside its client');

    // A large trace generated in the browser by the core's generator.
    await page.getByTestId('generate-large').click();
    await page.getByTestId('span-count').filter({ hasText: '100000' }).waitFor({ timeout: 60000 });
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '100000');

    // Theme: system → light → dark, remembered across reloads.
    const toggle = page.getByTestId('theme-toggle');
    await toggle.click();
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.reload();
    await page.getByTestId('trace-header').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(20, 23, 28)');
  });
});

test('drag and drop a file, filter attributes, shift-click a subtree, move the minimap window', async () => {
  await withPage(browser, 'drop-filter-subtree-minimap', async (page) => {
    await page.goto(server.base);
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
  await withPage(browser, 'levels-links-tooltip-zoom', async (page) => {
    await page.goto(`${server.base}?url=${encodeURIComponent('/refdata/jaeger/ui_01.json')}`);
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

test('service graph: nodes where the layout says, in service colours; click for calls; export', async () => {
  await withPage(browser, 'service-graph', async (page) => {
    const graph = await openSampleGraph(page);
    await page.waitForTimeout(100);
    const nodes = JSON.parse(await graph.getAttribute('data-nodes'));
    assert.deepEqual(nodes.map((n) => n.name), ['auth-service', 'payment-gateway', 'postgresql: products', 'product-service', 'web-api']);
    assert.deepEqual(nodes.filter((n) => n.inferred).map((n) => n.name), ['postgresql: products']);
    // web-api calls the others, so it is in the first layer, left of everything else.
    const at = Object.fromEntries(nodes.map((n) => [n.name, n]));
    for (const n of nodes) if (n.name !== 'web-api') assert.ok(at['web-api'].x < n.x, n.name);
    assert.ok(at['product-service'].x < at['postgresql: products'].x);

    // Node pixels: each service's node is filled with its legend colour (left part of the
    // box, away from the label).
    const legend = async (name) => rgb(await page.locator(`[data-service="${name}"]`).getAttribute('data-colour'));
    const pixel = (x, y) => page.evaluate(({ x, y }) => {
      const c = document.querySelector('[data-testid=service-graph]');
      const r = devicePixelRatio;
      return Array.from(c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data.slice(0, 3));
    }, { x, y });
    for (const name of ['web-api', 'product-service', 'auth-service']) {
      assert.deepEqual(await pixel(at[name].x + 70, at[name].y + 12), await legend(name), name);
    }

    // Click product-service: one call in from web-api, one out to the inferred database.
    await clickNode(page, 'product-service');
    const detail = page.getByTestId('graph-detail');
    const text = await detail.textContent();
    assert.match(text, /← from web-api1 calls, 0 errors/);
    assert.match(text, /→ to postgresql: products1 calls, 0 errors, p95 40\.0 ms/);

    await page.getByTestId('export-dot').click();
    assert.match(await page.getByTestId('graph-export').inputValue(), /n3 -> n2 \[label="1"\];/);
    await page.getByTestId('export-mermaid').click();
    assert.match(await page.getByTestId('graph-export').inputValue(), /n2\(\["postgresql: products"\]\)/);

    // Back to the timeline: the waterfall is still there.
    await page.getByTestId('tab-timeline').click();
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
  });
});

test('dependency links open as a graph; the service graph of all loaded traces', async () => {
  await withPage(browser, 'dependency-and-aggregate-graphs', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    // Jaeger UI's large.json: 4,271 links between 1,238 services (counted in the file).
    await page.getByTestId('file-input').setInputFiles(path.join(refdata, 'jaeger/large.json'));
    await page.getByTestId('link-graph').filter({ hasText: '1238 services, 4271 links' }).waitFor();
    const graph = page.getByTestId('service-graph');
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=service-graph]')?.dataset.nodes || '[]').length === 1238);
    // The busy core: links of at least 10,000 calls join 66 services (counted in the file).
    await page.getByTestId('graph-min-calls').fill('10000');
    await page.getByTestId('graph-min-calls').dispatchEvent('change');
    await page.getByTestId('graph-count').filter({ hasText: '66 of 1238 services, 52 edges' }).waitFor();
    assert.equal(JSON.parse(await graph.getAttribute('data-nodes')).length, 66);
    await page.getByTestId('graph-min-calls').fill('1');
    await page.getByTestId('graph-min-calls').dispatchEvent('change');
    await page.getByTestId('graph-count').filter({ hasText: '1238 services, 4271 edges' }).waitFor();

    // Jaeger's GET /api/dependencies answer: the links inside its query envelope.
    const answer = { data: [{ parent: 'frontend', child: 'driver', callCount: 12 }, { parent: 'frontend', child: 'redis', callCount: 30 }], total: 2, limit: 0, offset: 0, errors: null };
    await page.getByTestId('file-input').setInputFiles({ name: 'dependencies.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(answer)) });
    await page.getByTestId('link-graph').filter({ hasText: '3 services, 2 links' }).waitFor();

    // Add a second trace; the aggregate graph has both traces' services and calls.
    await page.getByTestId('file-input').setInputFiles(path.join(refdata, 'zipkin/skew.json'));
    await page.getByTestId('trace-id').filter({ hasText: '1e223ff1f80f1c69' }).waitFor();
    await page.getByTestId('aggregate-graph').click();
    await page.getByText('Service graph of 2 loaded trace(s)').waitFor();
    const nodes = JSON.parse(await graph.getAttribute('data-nodes')).map((n) => n.name);
    assert.deepEqual(nodes, ['payment-gateway', 'postgresql: products', 'product-service', 'auth-service', 'servicea', 'serviceb', 'web-api'].sort());
  });
});

/** Opens the genai reference trace (57 spans, 10 services) on its *Service graph* tab. */
async function openGenaiGraph(page) {
  await page.goto(`${server.base}?url=${encodeURIComponent('/refdata/jaeger/genaiTestTrace.json')}`);
  await page.getByTestId('span-count').filter({ hasText: '57' }).waitFor();
  await page.getByTestId('tab-graph').click();
  return page.getByTestId('service-graph');
}

test('service graph: focus on a service with hops, and filter by name', async () => {
  await withPage(browser, 'graph-focus-filter', async (page) => {
    const graph = await openGenaiGraph(page);
    const names = async () => JSON.parse(await graph.getAttribute('data-nodes')).map((n) => n.name).sort();
    const waitNames = async (expected) => {
      for (let i = 0; i < 100 && JSON.stringify(await names()) !== JSON.stringify(expected); i++) await page.waitForTimeout(20);
      assert.deepEqual(await names(), expected);
    };
    await waitNames(['api-edge', 'auth-service', 'coding-agent', 'graphql-gateway', 'k8s-api', 'mcp-gateway', 'metrics-backend', 'summarizer-agent', 'trace-store', 'vector-store']);
    await clickNode(page, 'coding-agent');
    // One hop each way: its caller and its two callees.
    await page.getByTestId('graph-focus-1').click();
    await waitNames(['coding-agent', 'graphql-gateway', 'mcp-gateway', 'vector-store']);
    await page.getByTestId('graph-detail').getByRole('heading', { name: 'coding-agent' }).waitFor();
    await page.getByTestId('graph-show-all').click();
    await waitNames(['api-edge', 'auth-service', 'coding-agent', 'graphql-gateway', 'k8s-api', 'mcp-gateway', 'metrics-backend', 'summarizer-agent', 'trace-store', 'vector-store']);
    // Filtering keeps matches and their direct neighbours.
    await page.getByTestId('graph-filter').fill('k8s');
    await waitNames(['k8s-api', 'trace-store']);
  });
});

/** Opens the checkout sample's *Service graph* tab; returns the graph canvas. */
async function openSampleGraph(page) {
  await page.goto(server.base);
  await page.getByTestId('trace-header').waitFor();
  await page.getByTestId('tab-graph').click();
  const graph = page.getByTestId('service-graph');
  await graph.waitFor();
  return graph;
}

/** Clicks a graph node by name, at the centre the canvas reports for it. */
async function clickNode(page, name) {
  const graph = page.getByTestId('service-graph');
  await graph.scrollIntoViewIfNeeded();
  const nodes = JSON.parse(await graph.getAttribute('data-nodes'));
  const n = nodes.find((x) => x.name === name);
  assert.ok(n, `no node ${name} in ${nodes.map((x) => x.name)}`);
  const box = await graph.boundingBox();
  await page.mouse.click(box.x + n.x, box.y + n.y);
  await page.getByTestId('graph-detail').getByRole('heading', { name }).waitFor();
}

test('graph: operations with self time, radial layout, highlight in waterfall, traces through a service', async () => {
  await withPage(browser, 'graph-actions', async (page) => {
    const graph = await openSampleGraph(page);

    // Operations: (service, operation) nodes with their self time.
    await page.getByTestId('graph-operations').check();
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=service-graph]').dataset.nodes).length === 6);
    await clickNode(page, 'product-service · GET /products');
    assert.match(await page.getByTestId('graph-detail').textContent(), /Self time \(sum\)50\.0 ms/);
    await page.getByTestId('graph-operations').uncheck();

    // Radial: web-api (the best-connected) in the middle, its three callees on one ring,
    // the database further out.
    await page.getByTestId('graph-radial').check();
    await page.waitForTimeout(200);
    const at = Object.fromEntries(JSON.parse(await graph.getAttribute('data-nodes')).map((n) => [n.name, n]));
    const dist = (a, b) => Math.hypot(at[a].x - at[b].x, at[a].y - at[b].y);
    const ring = ['auth-service', 'product-service', 'payment-gateway'].map((n) => dist('web-api', n));
    assert.ok(Math.max(...ring) - Math.min(...ring) < 1, `ring distances ${ring}`);
    assert.ok(dist('web-api', 'postgresql: products') > Math.max(...ring) + 10);

    // Highlight in waterfall: back to the timeline with the service's spans found.
    await clickNode(page, 'product-service');
    await page.getByTestId('graph-highlight').click();
    await page.getByTestId('waterfall').waitFor();
    assert.equal(await page.getByTestId('find-input').inputValue(), 'product-service');
    await page.getByTestId('find-count').filter({ hasText: /\b2\b/ }).waitFor();

    // Traces through a service: the aggregate graph of two loaded traces, narrowed to one.
    await page.getByTestId('file-input').setInputFiles(path.join(refdata, 'jaeger/genaiTestTrace.json'));
    await page.getByTestId('trace-id').filter({ hasText: '4a1b2c3d4e5f60718293a4b5c6d7e8f9' }).waitFor();
    await page.getByTestId('aggregate-graph').click();
    await graph.waitFor();
    await clickNode(page, 'web-api');
    await page.getByTestId('graph-traces-through').click();
    await page.getByTestId('through-filter').filter({ hasText: 'Showing the 1 loaded trace(s) through web-api.' }).waitFor();
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 1);
    await page.getByTestId('through-filter').getByRole('button', { name: 'Show all' }).click();
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 2);
  });
});

/** The graph's nodes (centres in CSS px) and zoom scale, once the canvas has settled. */
async function graphState(page) {
  const graph = page.getByTestId('service-graph');
  const nodes = JSON.parse(await graph.getAttribute('data-nodes'));
  return { at: Object.fromEntries(nodes.map((n) => [n.name, n])), scale: Number(await graph.getAttribute('data-scale')) };
}

/** The RGBA of the graph canvas's pixels in a `size`×`size` CSS px box at (x, y), strongest alpha first. */
async function graphPixels(page, x, y, size = 5) {
  return page.evaluate(({ x, y, size }) => {
    const c = document.querySelector('[data-testid=service-graph]');
    const r = devicePixelRatio;
    const n = Math.round(size * r);
    const d = c.getContext('2d').getImageData(Math.round((x - size / 2) * r), Math.round((y - size / 2) * r), n, n).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    return out.sort((a, b) => b[3] - a[3]);
  }, { x, y, size });
}

const NODE_W = 170;
const NODE_H = 34;

test('graph: error edges in red, hover fades the rest, drag pans, wheel zooms at the cursor, PNG, dark theme, HiDPI', async () => {
  await withPage(browser, 'graph-canvas', async (page) => {
    const graph = await openGenaiGraph(page);
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=service-graph]')?.dataset.nodes || '[]').length === 10);
    await graph.scrollIntoViewIfNeeded();
    await page.waitForTimeout(100);
    let { at, scale } = await graphState(page);
    assert.equal(await devicePixelRatio(page), 2, 'HiDPI page');
    // Crisp: the backing store has twice the CSS size.
    const size = await graph.evaluate((c) => [c.width, c.height, c.clientWidth, c.clientHeight]);
    assert.deepEqual([size[0], size[1]], [size[2] * 2, size[3] * 2]);

    // An edge's middle point (its Bézier curve passes through it).
    const edgeMiddle = (from, to) => [((at[from].x + NODE_W * scale / 2) + (at[to].x - NODE_W * scale / 2)) / 2, (at[from].y + at[to].y) / 2];
    // trace-store → k8s-api: 1 of 3 calls failed, drawn in --error at 70 %; other edges grey.
    const red = async () => (await graphPixels(page, ...edgeMiddle('trace-store', 'k8s-api')))[0];
    const [r, g, b, a] = await red();
    assert.deepEqual([r, g, b], [198, 40, 40], `error edge pixel ${[r, g, b, a]}`);
    assert.ok(Math.abs(a - 0.7 * 255) < 8, `error edge alpha ${a}`);
    const grey = (await graphPixels(page, ...edgeMiddle('coding-agent', 'mcp-gateway')))[0];
    assert.deepEqual(grey, [92, 103, 118, 255], 'a call edge without errors is --muted');

    // Hover k8s-api: it and trace-store stay opaque, api-edge (not a neighbour) fades.
    const corner = (name) => [at[name].x + NODE_W * scale / 2 - 3, at[name].y - NODE_H * scale / 2 + 3];
    const nodePixel = async (name) => (await graphPixels(page, ...corner(name), 1))[0];
    const before = { edge: await nodePixel('api-edge'), store: await nodePixel('trace-store') };
    const box = await graph.boundingBox();
    await page.mouse.move(box.x + at['k8s-api'].x, box.y + at['k8s-api'].y);
    await page.waitForFunction((p) => {
      const c = document.querySelector('[data-testid=service-graph]');
      const d = c.getContext('2d').getImageData(Math.round(p[0] * devicePixelRatio), Math.round(p[1] * devicePixelRatio), 1, 1).data;
      return d[3] < 255 || d[0] > 200 && d[1] > 200 && d[2] > 200;
    }, corner('api-edge'));
    assert.deepEqual(await nodePixel('trace-store'), before.store, 'a neighbour stays as it was');
    assert.notDeepEqual(await nodePixel('api-edge'), before.edge, 'a non-neighbour fades');

    // Drag on empty canvas: every node moves by the drag.
    const start = [box.x + 8, box.y + box.height - 8];
    await page.mouse.move(...start);
    await page.mouse.down();
    await page.mouse.move(start[0] + 30, start[1] - 20, { steps: 3 });
    await page.mouse.move(start[0] + 60, start[1] - 40, { steps: 3 });
    await page.mouse.up();
    const moved = await graphState(page);
    for (const name of Object.keys(at)) {
      assert.ok(Math.abs(moved.at[name].x - at[name].x - 60) < 0.6 && Math.abs(moved.at[name].y - at[name].y + 40) < 0.6, `${name} moved with the drag`);
    }
    ({ at, scale } = moved);

    // Wheel over k8s-api: it stays under the cursor, everything else spreads by 10 %.
    await page.mouse.move(box.x + at['k8s-api'].x, box.y + at['k8s-api'].y);
    await page.mouse.wheel(0, -100);
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid=service-graph]').dataset.scale) > s, scale);
    const zoomed = await graphState(page);
    assert.ok(Math.abs(zoomed.scale / scale - 1.1) < 0.001, `scale ${scale} → ${zoomed.scale}`);
    assert.ok(Math.abs(zoomed.at['k8s-api'].x - at['k8s-api'].x) < 0.6 && Math.abs(zoomed.at['k8s-api'].y - at['k8s-api'].y) < 0.6, 'the node under the cursor stays');
    const dist = (s, n) => Math.hypot(s.at[n].x - s.at['k8s-api'].x, s.at[n].y - s.at['k8s-api'].y);
    assert.ok(Math.abs(dist(zoomed, 'api-edge') / dist({ at }, 'api-edge') - 1.1) < 0.01);
    ({ at, scale } = zoomed);
    await page.mouse.move(box.x + 2, box.y + 2);

    // PNG: the canvas as drawn, at device resolution.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    assert.equal(download.suggestedFilename(), 'service-graph.png');
    const png = fs.readFileSync(await download.path());
    assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [size[0], size[1]]);

    // Dark theme: the graph redraws at once with the dark palette.
    const toggle = page.getByTestId('theme-toggle');
    await toggle.click();
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.waitForFunction(([x, y]) => {
      const c = document.querySelector('[data-testid=service-graph]');
      const d = c.getContext('2d').getImageData(Math.round((x - 2.5) * devicePixelRatio), Math.round((y - 2.5) * devicePixelRatio), 10, 10).data;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 107 && d[i + 2] === 107) return true;
      return false;
    }, edgeMiddle('trace-store', 'k8s-api'));
  }, { deviceScaleFactor: 2 });
});

async function devicePixelRatio(page) {
  return page.evaluate(() => window.devicePixelRatio);
}

test("the page's Content-Security-Policy refuses inline script, and the app needs none", async () => {
  const html = fs.readFileSync(path.join(repo, 'dist/index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script> in the built page');
  await withPage(browser, 'csp', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    const policy = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.match(policy, /object-src 'none'/);
    // An injected inline script does not run, and the refusal is seen (so the check that
    // every other test makes, "no CSP violations", can fail).
    const outcome = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = 1';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 100));
      const seen = window.__cspViolations.splice(0);
      return { ran: window.inlineRan === 1, seen };
    });
    assert.equal(outcome.ran, false);
    assert.ok(outcome.seen.some((v) => v.startsWith('script-src')), JSON.stringify(outcome.seen));
  });
});

test('a service per span (100,000 services) and a huge ?generate= stay usable', async () => {
  await withPage(browser, 'many-services', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    const n = 100_000;
    const spans = [];
    const processes = {};
    for (let i = 0; i < n; i++) {
      const refs = i ? [{ refType: 'CHILD_OF', traceID: '1', spanID: '1' }] : [];
      spans.push({ traceID: '1', spanID: (i + 1).toString(16), operationName: 'op', startTime: 1000 + i, duration: 5, processID: `p${i}`, references: refs, tags: [] });
      processes[`p${i}`] = { serviceName: `service-${i}`, tags: [] };
    }
    const buffer = Buffer.from(JSON.stringify({ data: [{ traceID: '1', spans, processes }] }));
    const started = Date.now();
    await page.getByTestId('file-input').setInputFiles({ name: 'services.json', mimeType: 'application/json', buffer });
    await page.getByTestId('service-count').filter({ hasText: String(n) }).waitFor({ timeout: 60_000 });
    console.log(`# ${n} services (${(buffer.length / 1e6).toFixed(1)} MB): header after ${Date.now() - started} ms`);
    // The busiest 40 are listed and the rest counted; the quick filter offers 1,000.
    assert.equal(await page.locator('[data-testid=trace-header] .legend li.service:not(.more)').count(), 40);
    assert.equal(await text(page, 'legend-more'), `+${n - 40} more services`);
    assert.equal(await page.locator('[data-testid=service-filter] option').count(), 1001);

    await page.goto(`${server.base}?generate=5000000`);
    await page.getByText('?generate= builds at most 200000 spans in the browser, not 5000000').waitFor({ timeout: 60_000 });
    await page.getByTestId('span-count').filter({ hasText: '200000' }).waitFor();
  });
});

test('a good guest: keys and paste count only inside the app, which takes the focus on its own page', async () => {
  await withPage(browser, 'good-guest', async (page) => {
    await page.goto(server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    const active = () => page.evaluate(() => document.activeElement?.dataset?.testid || document.activeElement?.className || '');
    assert.equal(await active(), 'page', 'the standalone page focuses the app');
    const rows = () => page.locator('[data-testid=trace-list] tbody tr').count();

    // Something of the host page's, outside the app, has the focus: its keys and pastes
    // are not the app's.
    await page.evaluate(() => {
      const host = document.createElement('div');
      host.id = 'host';
      host.tabIndex = 0;
      host.textContent = 'host page';
      document.body.prepend(host);
      host.focus();
    });
    await page.keyboard.press('/');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'host');
    assert.equal(await page.locator('[data-testid=span-detail] h3').count(), 0, 'no span selected by a key outside the app');
    const skew = fs.readFileSync(path.join(refdata, 'zipkin/skew.json'), 'utf8');
    const paste = (selector, json) => page.evaluate(({ selector, json }) => {
      const data = new DataTransfer();
      data.setData('text', json);
      document.querySelector(selector).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, { selector, json });
    await paste('#host', skew);
    await page.waitForTimeout(200);
    assert.equal(await rows(), 1, 'a paste outside the app opens nothing');

    // Inside the app, "/" opens the find box and a paste opens the JSON.
    await page.locator('main.page').focus();
    await page.keyboard.press('/');
    assert.equal(await active(), 'find-input');
    await page.keyboard.press('Escape');
    await page.locator('main.page').focus();
    await paste('main.page', skew);
    await page.getByTestId('trace-id').filter({ hasText: '1e223ff1f80f1c69' }).waitFor();
    assert.equal(await rows(), 2);
  });
});

test('a service has the same colour in every trace, graph and legend', async () => {
  await withPage(browser, 'stable-colours', async (page) => {
    await page.goto(server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    const colourOf = (name) => page.locator(`[data-testid=trace-header] [data-service="${name}"]`).getAttribute('data-colour');
    const web = await colourOf('web-api');
    // A second trace where web-api sorts first among other services: it keeps its colour,
    // and the new services take colours of their own.
    const trace = [
      { traceId: '00000000000000aa', id: '0000000000000001', name: 'GET /', timestamp: 1000, duration: 900, localEndpoint: { serviceName: 'web-api' } },
      { traceId: '00000000000000aa', parentId: '0000000000000001', id: '0000000000000002', name: 'q', timestamp: 1100, duration: 100, localEndpoint: { serviceName: 'zeta-db' } },
      { traceId: '00000000000000aa', parentId: '0000000000000001', id: '0000000000000003', name: 'a', timestamp: 1200, duration: 100, localEndpoint: { serviceName: 'aardvark' } },
    ];
    await page.getByTestId('file-input').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(trace)) });
    await page.getByTestId('trace-id').filter({ hasText: '00000000000000aa' }).waitFor();
    assert.equal(await colourOf('web-api'), web);
    const others = [await colourOf('zeta-db'), await colourOf('aardvark')];
    assert.ok(!others.includes(web) && others[0] !== others[1], JSON.stringify({ web, others }));
    // The waterfall draws its root bar (web-api) in that colour.
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length > 0);
    assert.deepEqual((await pixels(page, [[0.5, rowY(0)]]))[0], rgb(web));
  });
});
