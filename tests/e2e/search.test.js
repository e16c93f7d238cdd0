// End-to-end: searching live backends (stub Jaeger v1 and api_v3, Zipkin, Tempo with recorded answers) in
// every set-up: same origin through nginx, cross origin with CORS, and `spanscope serve`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKOUT, openSearch, search, resultCount, openedTrace, dotCentre } from './pages/search.js';
import { withPage } from './harness.js';
import { backendsFixture, startServe } from './fixtures.js';

const app = backendsFixture();

test('same origin (nginx proxy): search, scatter plot, list, open, and a shareable link', async () => {
  await withPage(app.browser, 'search-same-origin', async (page) => {
    await openSearch(page, app.server.base);
    assert.equal(await page.getByTestId('backend-select').inputValue(), 'same', 'defaultBackend is chosen');
    // Services come from /api/services through nginx.
    await page.waitForFunction(() => document.querySelectorAll('#services-list option').length >= 10);
    await search(page, { service: 'web-api' });
    assert.equal(await resultCount(page), 1);
    const row = page.getByTestId('result-row');
    assert.equal(await row.getAttribute('data-trace-id'), CHECKOUT);
    assert.match(await row.textContent(), /web-api: POST \/checkout/);
    assert.match(await row.textContent(), /auth-service 1/);
    // The dot is drawn: hover shows the trace, click opens it.
    const dot = await dotCentre(page);
    assert.ok(dot && dot.pixels > 10, `no dot pixels: ${JSON.stringify(dot)}`);
    await page.mouse.move(dot.x, dot.y);
    assert.match(await page.getByTestId('scatter-tooltip').textContent(), /web-api: POST \/checkout\n200\.0 ms · 5 span/);
    const url = new URL(page.url());
    assert.deepEqual([url.searchParams.get('view'), url.searchParams.get('backend'), url.searchParams.get('service')], ['search', 'same', 'web-api']);
    await page.mouse.click(dot.x, dot.y);
    assert.deepEqual(await openedTrace(page), { spans: '5', id: CHECKOUT });
    // Opening it again selects the loaded copy instead of adding another row.
    await page.getByTestId('page-search').click();
    await page.locator('[data-testid=result-row] .result-title').click();
    assert.deepEqual(await openedTrace(page), { spans: '5', id: CHECKOUT });
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr', { hasText: 'same: ' }).count(), 1);
    // The trace's link looks it up again in the same backend.
    await page.waitForFunction(() => new URL(location.href).searchParams.get('trace'));
    const link = page.url();
    assert.match(link, /backend=same&trace=4bf92f3577b34da6a3ce929d0e0e4736/);
    await page.goto(link);
    assert.deepEqual(await openedTrace(page), { spans: '5', id: CHECKOUT });
    // A bookmarked search runs again on load.
    await page.goto(`${app.server.base}?view=search&backend=same&service=api-edge&lookback=2d&limit=5`);
    assert.equal(await resultCount(page), 1);
    assert.equal(await page.getByTestId('lookback-select').inputValue(), '2d');
    assert.equal(await page.getByTestId('limit-input').inputValue(), '5');
  });
  const searches = app.stub.requests.filter((r) => r.startsWith('GET /nocors/jaeger/api/traces?service=web-api'));
  assert.equal(searches.length, 1, app.stub.requests.join('\n'));
  assert.match(searches[0], /&start=\d{16}&end=\d{16}&limit=20&?$/);
});

test('cross origin with CORS: Jaeger v1, Jaeger api_v3 (detected), Zipkin and Tempo', async () => {
  await withPage(app.browser, 'search-cors', async (page) => {
    // Jaeger v1 with a tags filter (logfmt → JSON) and the backend's own lookback and limit.
    await openSearch(page, app.server.base, 'cors-jaeger');
    assert.equal(await page.getByTestId('lookback-select').inputValue(), '2d');
    await search(page, { service: 'api-edge', tags: 'error=true' });
    assert.equal(await resultCount(page), 1);
    assert.match(await page.getByTestId('result-row').textContent(), /⚠ 1/);
    await page.getByTestId('result-row').locator('.result-title').click();
    assert.deepEqual(await openedTrace(page), { spans: '57', id: '4a1b2c3d4e5f60718293a4b5c6d7e8f9' });
    const sent = app.stub.requests.find((r) => r.includes('/cors/jaeger/api/traces?service=api-edge'));
    assert.match(sent, /tags=%7B%22error%22%3A%22true%22%7D/);
    assert.match(sent, /limit=50/);

    // Jaeger api_v3: no v1 routes, so the app finds v3 and reads trace summaries.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('jaeger-v3');
    await page.waitForFunction(() => [...document.querySelectorAll('#services-list option')].some((o) => o.value === 'foo'));
    await search(page, { service: 'foo' });
    assert.equal(await resultCount(page), 1);
    const row = page.getByTestId('result-row');
    assert.match(await row.textContent(), /frontend: HTTP GET \//);
    assert.match(await row.textContent(), /1\.00 s/);
    await row.locator('.result-title').click();
    assert.deepEqual(await openedTrace(page), { spans: '1', id: '00000000000000000000000000000001' });
    assert.ok(app.stub.requests.some((r) => r.startsWith('GET /cors/jaeger3/api/v3/trace-summaries?query.service_name=foo&')));
    // An api_v3 without trace summaries: the same search answered by /api/v3/traces.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('v3-no-summaries');
    await search(page, { service: 'foo' });
    await page.getByTestId('results-count').filter({ hasText: /^1 trace from v3-no-summaries/ }).waitFor();
    // (The recorded FindTraces answer: one span `foobar` of an unnamed service, an error.)
    assert.match(await page.getByTestId('result-row').textContent(), /^unknown_service: foobar/);
    assert.ok(app.stub.requests.some((r) => r.startsWith('GET /cors/jaeger3NoSummaries/api/v3/traces?query.service_name=foo&')));

    // Zipkin: all services, sorted by span count, two opened together; its autocomplete
    // keys are suggested for the tags field.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('zipkin');
    await page.waitForFunction(() => [...document.querySelectorAll('#tags-list option')].map((o) => o.value).join() === 'http.method=,http.path=');
    await search(page);
    assert.equal(await resultCount(page), 4);
    await page.getByTestId('sort-select').selectOption('spans');
    const spanCells = await page.locator('[data-testid=result-row] td.num:nth-of-type(4)').allTextContents();
    assert.deepEqual(spanCells.map(Number), [...spanCells.map(Number)].sort((a, b) => b - a));
    const before = await page.locator('[data-testid=trace-list] tbody tr').count();
    await page.getByTestId('result-row').nth(0).locator('input[type=checkbox]').check();
    await page.getByTestId('result-row').nth(1).locator('input[type=checkbox]').check();
    await page.getByTestId('open-selected').click();
    const h = await openedTrace(page);
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), before + 2);
    assert.equal(h.spans, String(spanCells[1]));

    // Zipkin's remote services of a service, and values suggested for the tag being typed.
    await page.getByTestId('page-search').click();
    await page.getByTestId('service-input').fill('yelp-main');
    await page.getByTestId('service-input').dispatchEvent('change');
    await page.waitForFunction(() => [...document.querySelectorAll('#remote-services-list option')].map((o) => o.value).join() === 'memcache,mobile_api,mysql');
    await page.getByTestId('remote-service-input').fill('mysql');
    await page.getByTestId('remote-service-input').dispatchEvent('change');
    await page.getByTestId('tags-input').fill('http.method=');
    await page.waitForFunction(() => [...document.querySelectorAll('#tags-list option')].map((o) => o.value).slice(0, 2).join() === 'http.method=GET,http.method=POST');
    await page.getByTestId('tags-input').fill('');
    await page.getByTestId('tags-input').dispatchEvent('change');
    await page.getByTestId('search-button').click();
    await page.getByTestId('results-count').filter({ hasText: /^1 trace from zipkin/ }).waitFor();
    assert.equal(await page.getByTestId('result-row').getAttribute('data-trace-id'), 'a03ee8fff1dcd9b9');
    assert.ok(app.stub.requests.some((r) => r.startsWith('GET /cors/zipkin/api/v2/traces?serviceName=yelp-main&remoteServiceName=mysql&')));

    // Tempo: summaries only; opening fetches /api/v2/traces/{id}.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('tempo');
    await page.waitForFunction(() => [...document.querySelectorAll('#tags-list option')].map((o) => o.value).join() === 'http.method=,service.name=');
    await search(page, { service: 'tempo-svc' });
    assert.equal(await resultCount(page), 4);
    const tempoSearch = app.stub.requests.find((r) => r.startsWith('GET /cors/tempo/api/search?'));
    assert.match(decodeURIComponent(tempoSearch), /q=\{ resource\.service\.name = "tempo-svc" \}&start=\d{10}&end=\d{10}&limit=20&spss=10/);
    await page.locator('[data-testid=result-row][data-trace-id="00000000000000000000000000000abc"] .result-title').click();
    assert.deepEqual(await openedTrace(page), { spans: '2', id: '00000000000000000000000000000abc' });
  });
});

test('every backend type in every set-up: search, plot, list, open, look up by id', async () => {
  const serve = await startServe(['--backend', `jaeger=jaeger:${app.stub.url('nocors', 'jaeger')}`, '--backend', `zipkin=zipkin:${app.stub.url('nocors', 'zipkin')}`,
    '--backend', `tempo=tempo:${app.stub.url('nocors', 'tempo')}`]);
  // What each backend type finds, opens and looks up (the stub's recorded data).
  const kinds = {
    jaeger: { service: 'web-api', count: 1, open: CHECKOUT, spans: '5', lookupId: '4a1b2c3d4e5f60718293a4b5c6d7e8f9' },
    zipkin: { service: '', count: 4, open: 'ef86c83c0a05a6d6', spans: '8', lookupId: 'a03ee8fff1dcd9b9' },
    tempo: { service: 'tempo-svc', count: 4, open: '00000000000000000000000000000abc', spans: '2', lookupId: '5b8efff798038103d269b633813fc60c' },
  };
  const setups = [
    ['same origin', app.server.base, { jaeger: 'same', zipkin: 'same-zipkin', tempo: 'same-tempo' }],
    ['CORS', app.server.base, { jaeger: 'cors-jaeger', zipkin: 'zipkin', tempo: 'tempo' }],
    ['spanscope serve', serve.base, { jaeger: 'jaeger', zipkin: 'zipkin', tempo: 'tempo' }],
  ];
  try {
    for (const [setup, base, names] of setups) {
      for (const [kind, k] of Object.entries(kinds)) {
        const label = `${setup} / ${kind}`;
        await withPage(app.browser, `matrix-${setup}-${kind}`, async (page) => {
          await openSearch(page, base, names[kind]);
          await search(page, { service: k.service });
          assert.equal(await resultCount(page), k.count, label);
          const dot = await dotCentre(page);
          assert.ok(dot && dot.pixels > 10, `${label}: no dots in the scatter plot`);
          await page.locator(`[data-testid=result-row][data-trace-id="${k.open}"] .result-title`).click();
          assert.deepEqual(await openedTrace(page), { spans: k.spans, id: k.open }, label);
          // Look an id up in this backend through a link, as a shared link does.
          await page.goto(`${base}?backend=${names[kind]}&trace=${k.lookupId}`);
          assert.equal((await openedTrace(page)).id, k.lookupId, label);
        });
      }
    }
  } finally {
    serve.stop();
  }
});

test('spanscope serve: the app and a proxied backend on one origin', async () => {
  const serve = await startServe(['--base-path', '/tools/spanscope', '--backend', `proxied=zipkin:${app.stub.url('nocors', 'zipkin')}`]);
  try {
    assert.match(serve.base, /^http:\/\/127\.0\.0\.1:\d+\/tools\/spanscope\/$/);
    await withPage(app.browser, 'spanscope-serve', async (page) => {
      await openSearch(page, serve.base);
      assert.equal(await page.getByTestId('backend-select').inputValue(), 'proxied');
      await search(page);
      assert.equal(await resultCount(page), 4);
      await page.getByTestId('result-row').first().locator('.result-title').click();
      await page.getByTestId('trace-header').waitFor();
      assert.ok(await page.locator('canvas.waterfall-canvas').isVisible());
    });
  } finally {
    serve.stop();
  }
});
