// End-to-end: big answers and result graphs: 1,500 results built in pages as the list scrolls, the
// graph of search results, and the backend dependency API's graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openSearch, search, resultCount, dotCentre } from './pages/search.js';
import { withPage, repo } from './harness.js';
import { backendsFixture } from './fixtures.js';

const app = backendsFixture();

test('1,500 results: the list is built in pages as it scrolls, the plot has them all', async () => {
  await withPage(app.browser, 'search-many', async (page) => {
    await page.goto(`${app.server.base}?view=search&backend=cors-jaeger&service=many&limit=1500&lookback=1h`);
    assert.equal(await resultCount(page), 1500);
    assert.equal(await page.getByTestId('result-row').count(), 100);
    await page.mouse.wheel(0, 100000);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-row]').length === 300);
    // The wheel's scroll must have settled, and the button is clicked where it is: scrolling
    // it into view first (as a pointer click does) is itself a scroll near the bottom, which
    // adds a page of its own.
    await page.waitForFunction(() => new Promise((done) => { const y = scrollY; setTimeout(() => done(scrollY === y), 300); }));
    await page.getByTestId('show-more').dispatchEvent('click');
    assert.equal(await page.getByTestId('result-row').count(), 500);
    // Longest first: the first row's duration is the largest of all.
    await page.getByTestId('sort-select').selectOption('longest');
    const firstId = await page.getByTestId('result-row').first().getAttribute('data-trace-id');
    const all = JSON.parse(fs.readFileSync(path.join(repo, 'target/e2e-many-traces.json'), 'utf8')).data;
    const span = (t) => Math.max(...t.spans.map((s) => s.startTime + s.duration)) - Math.min(...t.spans.map((s) => s.startTime));
    const longest = all.reduce((a, b) => (span(b) > span(a) ? b : a));
    assert.equal(firstId, longest.traceID);
    const dot = await dotCentre(page);
    assert.ok(dot.pixels > 1500, `dot pixels: ${dot.pixels}`);
  });
});

test('the graph of search results, and a search for one of its services', async () => {
  await withPage(app.browser, 'results-graph', async (page) => {
    await openSearch(page, app.server.base);
    await search(page, { service: 'web-api' });
    assert.equal(await resultCount(page), 1);
    await page.getByTestId('results-graph').click();
    const graph = page.locator('canvas.service-graph');
    await graph.waitFor();
    const nodes = JSON.parse(await graph.getAttribute('data-nodes'));
    assert.deepEqual(nodes.map((n) => n.name), ['auth-service', 'payment-gateway', 'postgresql: products', 'product-service', 'web-api']);
    assert.match(await page.locator('h2').first().textContent(), /Service graph: 1 search results from same/);
    await graph.scrollIntoViewIfNeeded();
    const box = await graph.boundingBox();
    const auth = nodes.find((n) => n.name === 'auth-service');
    await page.mouse.click(box.x + auth.x, box.y + auth.y);
    await page.getByTestId('graph-search').click();
    // The search page, searching that service: the checkout and the genai trace have it.
    await page.getByTestId('results-count').filter({ hasText: '2 traces' }).waitFor();
    assert.equal(await page.getByTestId('service-input').inputValue(), 'auth-service');
  });
});

test('the backend dependency API draws its graph', async () => {
  await withPage(app.browser, 'backend-dependencies', async (page) => {
    await openSearch(page, app.server.base, 'cors-jaeger');
    await page.getByTestId('dependencies-button').click();
    const graph = page.locator('canvas.service-graph');
    await graph.waitFor();
    assert.equal(JSON.parse(await graph.getAttribute('data-nodes')).length, 1238);
    assert.match(await page.locator('h2').first().textContent(), /Service graph: dependencies of cors-jaeger \(last 2d\)/);
    assert.ok(app.stub.requests.some((r) => /^GET \/cors\/jaeger\/api\/dependencies\?endTs=\d{13}&lookback=172800000&?$/.test(r)));
    // Zipkin's /api/v2/dependencies, with the default 1 h lookback.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('zipkin');
    await page.getByTestId('dependencies-button').click();
    await page.locator('h2', { hasText: 'dependencies of zipkin (last 1h)' }).waitFor();
    assert.equal(JSON.parse(await page.locator('canvas.service-graph').getAttribute('data-nodes')).length, 1238);
    assert.ok(app.stub.requests.some((r) => /^GET \/cors\/zipkin\/api\/v2\/dependencies\?endTs=\d{13}&lookback=3600000&?$/.test(r)));
    // Tempo has no dependency API: said so.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('tempo');
    await page.getByTestId('dependencies-button').click();
    await page.getByTestId('search-error').filter({ hasText: 'Tempo keeps service graphs in Prometheus' }).waitFor();
  });
});
