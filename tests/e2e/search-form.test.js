// End-to-end: the search form: operations from each API (older servers too), and durations and custom
// ranges in each API's own units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSearch, resultCount, waitForOptions, chooseService } from './pages/search.js';
import { withPage } from './harness.js';
import { backendsFixture } from './fixtures.js';

const app = backendsFixture();

test('operations come from each API, older servers included', async () => {
  await withPage(app.browser, 'search-operations', async (page) => {
    const sent = (prefix) => app.stub.requests.some((r) => r.startsWith(prefix));
    // Jaeger v1: /api/operations (with span kinds).
    await openSearch(page, app.server.base, 'cors-jaeger');
    await chooseService(page, 'product-service');
    await waitForOptions(page, 'operations-list', ['GET /products', 'SELECT products']);
    assert.ok(sent('GET /cors/jaeger/api/operations?service=product-service'));
    // A jaeger-query older than /api/operations: its 404 leads to /api/services/{service}/operations.
    await page.getByTestId('backend-select').selectOption('old-jaeger');
    await chooseService(page, 'product-service');
    await waitForOptions(page, 'operations-list', ['GET /products', 'SELECT products']);
    assert.ok(sent('GET /cors/jaegerOld/api/operations?service=product-service'));
    assert.ok(sent('GET /cors/jaegerOld/api/services/product-service/operations'));
    // Jaeger api_v3.
    await page.getByTestId('backend-select').selectOption('jaeger-v3');
    await chooseService(page, 'foo');
    await waitForOptions(page, 'operations-list', ['get_users']);
    assert.ok(sent('GET /cors/jaeger3/api/v3/operations?service=foo'));
    // Zipkin: the span names of a service.
    await page.getByTestId('backend-select').selectOption('zipkin');
    await chooseService(page, 'yelp-main');
    const names = await (await fetch(`${app.stub.url('cors', 'zipkin')}/api/v2/spans?serviceName=yelp-main`)).json();
    assert.ok(names.length > 0);
    await waitForOptions(page, 'operations-list', [...names].sort());
    // Tempo 2: span names narrowed to the service by a TraceQL filter.
    await page.getByTestId('backend-select').selectOption('tempo');
    await chooseService(page, 'tempo-svc');
    await waitForOptions(page, 'operations-list', ['child', 'root']);
    assert.ok(sent('GET /cors/tempo/api/v2/search/tag/name/values?q=%7B%20resource.service.name%20%3D%20%22tempo-svc%22%20%7D'));
    // Tempo 1.x (`api: "tags"`): v1 routes only, and its search is by tags.
    await page.getByTestId('backend-select').selectOption('tempo-1x');
    await waitForOptions(page, 'tags-list', ['http.method=', 'service.name=']);
    await chooseService(page, 'frontend');
    await waitForOptions(page, 'operations-list', ['HTTP GET', 'HTTP POST']);
    await page.getByTestId('search-button').click();
    await page.getByTestId('results-count').filter({ hasText: /^1 trace from tempo-1x/ }).waitFor();
    assert.match(await page.getByTestId('result-row').textContent(), /frontend: GET \/api\/products\/\{id\}/);
    assert.ok(sent('GET /cors/tempo1/api/search?tags=service.name%3Dfrontend&start='), app.stub.requests.filter((r) => r.includes('tempo1')).join('\n'));
    assert.ok(!app.stub.requests.some((r) => r.includes('/tempo1/api/v2/')), 'no Tempo 2 routes asked of Tempo 1.x');
  });
});

test('durations and a custom range reach each API in its own units', async () => {
  const from = '2026-01-01T08:00:00';
  const to = '2026-01-01T09:30:00';
  const [start, end] = [new Date(from).getTime(), new Date(to).getTime()]; // ms; Chromium shares this clock's time zone
  // (gloo-net ends a query with `&`; servers ignore it.)
  const last = (prefix) => app.stub.requests.filter((r) => r.startsWith(prefix)).at(-1)?.replace(/&$/, '');
  await withPage(app.browser, 'search-units', async (page) => {
    // Typed into the form: Jaeger v1 gets microseconds and Go durations, and filters by them.
    await openSearch(page, app.server.base, 'cors-jaeger');
    await chooseService(page, 'web-api');
    await page.getByTestId('lookback-select').selectOption('custom');
    await page.getByTestId('range-start').fill(from);
    await page.getByTestId('range-end').fill(to);
    for (const [id, value] of [['min-duration', '150ms'], ['max-duration', '2s']]) {
      await page.getByTestId(id).fill(value);
      await page.getByTestId(id).dispatchEvent('change');
    }
    await page.getByTestId('search-button').click();
    assert.equal(await resultCount(page), 1);
    assert.equal(last('GET /cors/jaeger/api/traces?service=web-api'),
      `GET /cors/jaeger/api/traces?service=web-api&start=${start * 1000}&end=${end * 1000}&minDuration=150ms&maxDuration=2s&limit=50`);
    // The whole form is in the link, custom range included.
    const url = new URL(page.url());
    assert.deepEqual(['start', 'end', 'minDuration', 'maxDuration'].map((k) => url.searchParams.get(k)), [String(start * 1000), String(end * 1000), '150ms', '2s']);
    // The checkout's web-api span takes 200 ms: a 250 ms minimum leaves nothing.
    await page.getByTestId('min-duration').fill('250ms');
    await page.getByTestId('min-duration').dispatchEvent('change');
    await page.getByTestId('search-button').click();
    await page.getByTestId('results-count').filter({ hasText: /^0 traces from cors-jaeger/ }).waitFor();
    // The same form as a link, for every other API.
    const form = `start=${start * 1000}&end=${end * 1000}&minDuration=150ms&maxDuration=2s`;
    const open = async (backend, service) => {
      await page.goto(`${app.server.base}?view=search&backend=${backend}&service=${service}&${form}`);
      await page.getByTestId('results-count').waitFor();
      // (Chromium drops zero seconds from the field's value.)
      assert.equal(await page.getByTestId('range-start').inputValue(), from.replace(/:00$/, ''), backend);
      assert.equal(await page.getByTestId('min-duration').inputValue(), '150ms', backend);
    };
    await open('jaeger-v3', 'foo');
    const iso = (ms) => encodeURIComponent(new Date(ms).toISOString().replace('.000Z', '.000000000Z'));
    assert.match(last('GET /cors/jaeger3/api/v3/trace-summaries?'),
      new RegExp(`query\\.start_time_min=${iso(start)}&query\\.start_time_max=${iso(end)}&query\\.duration_min=150ms&query\\.duration_max=2s&`));
    await open('zipkin', 'yelp-main');
    assert.match(last('GET /cors/zipkin/api/v2/traces?'), new RegExp(`minDuration=150000&maxDuration=2000000&endTs=${end}&lookback=${end - start}&`));
    await open('tempo', 'tempo-svc');
    assert.match(decodeURIComponent(last('GET /cors/tempo/api/search?')), new RegExp(`q=\\{ resource\\.service\\.name = "tempo-svc" && duration >= 150ms && duration <= 2s \\}&start=${start / 1000}&end=${end / 1000}&`));
    await open('tempo-1x', 'frontend');
    assert.match(last('GET /cors/tempo1/api/search?'), new RegExp(`tags=service\\.name%3Dfrontend&minDuration=150ms&maxDuration=2s&start=${start / 1000}&end=${end / 1000}&`));
  });
});
