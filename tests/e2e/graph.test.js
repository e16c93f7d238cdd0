// End-to-end: the service graph of a trace and of dependency links: nodes where the layout says, in
// service colours; calls, focus and filter; operations and self time; the radial layout;
// error edges, hover, pan, zoom, PNG, dark theme and HiDPI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { waitForAttr, rgb, devicePixelRatio } from './pages/trace.js';
import { openGenaiGraph, openSampleGraph, clickNode, graphState, graphPixels } from './pages/graph.js';
import { withPage, refdata } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('service graph: nodes where the layout says, in service colours; click for calls; export', async () => {
  await withPage(app.browser, 'service-graph', async (page) => {
    const graph = await openSampleGraph(page, app.server.base);
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
  await withPage(app.browser, 'dependency-and-aggregate-graphs', async (page) => {
    await page.goto(app.server.base);
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

test('service graph: focus on a service with hops, and filter by name', async () => {
  await withPage(app.browser, 'graph-focus-filter', async (page) => {
    const graph = await openGenaiGraph(page, app.server.base);
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

test('graph: operations with self time, radial layout, highlight in waterfall, traces through a service', async () => {
  await withPage(app.browser, 'graph-actions', async (page) => {
    const graph = await openSampleGraph(page, app.server.base);

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

test('graph: error edges in red, hover fades the rest, drag pans, wheel zooms at the cursor, PNG, dark theme, HiDPI', async () => {
  await withPage(app.browser, 'graph-canvas', async (page) => {
    const graph = await openGenaiGraph(page, app.server.base);
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=service-graph]')?.dataset.nodes || '[]').length === 10);
    await graph.scrollIntoViewIfNeeded();
    await page.waitForTimeout(100);
    let { at, scale, node } = await graphState(page);
    assert.equal(await devicePixelRatio(page), 2, 'HiDPI page');
    // Crisp: the backing store has twice the CSS size.
    const size = await graph.evaluate((c) => [c.width, c.height, c.clientWidth, c.clientHeight]);
    assert.deepEqual([size[0], size[1]], [size[2] * 2, size[3] * 2]);

    // An edge's middle point (its Bézier curve passes through it).
    const edgeMiddle = (from, to) => [((at[from].x + node.w * scale / 2) + (at[to].x - node.w * scale / 2)) / 2, (at[from].y + at[to].y) / 2];
    // trace-store → k8s-api: 1 of 3 calls failed, drawn in --error at 70 %; other edges grey.
    const red = async () => (await graphPixels(page, ...edgeMiddle('trace-store', 'k8s-api')))[0];
    const [r, g, b, a] = await red();
    assert.deepEqual([r, g, b], [198, 40, 40], `error edge pixel ${[r, g, b, a]}`);
    assert.ok(Math.abs(a - 0.7 * 255) < 8, `error edge alpha ${a}`);
    const grey = (await graphPixels(page, ...edgeMiddle('coding-agent', 'mcp-gateway')))[0];
    assert.deepEqual(grey, [92, 103, 118, 255], 'a call edge without errors is --muted');

    // Hover k8s-api: it and trace-store stay opaque, api-edge (not a neighbour) fades.
    const corner = (name) => [at[name].x + node.w * scale / 2 - 3, at[name].y - node.h * scale / 2 + 3];
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
