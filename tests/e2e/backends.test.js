// End-to-end: live backends. The built app in headless Chromium queries stub Jaeger (v1 and
// api_v3), Zipkin and Tempo servers on 127.0.0.1 (stub-backends.js: recorded answers) in the
// three set-ups: same origin (nginx proxying, as in the README), cross origin with CORS, and
// through `spanscope serve`. Every failure's message is checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { startServer, launchBrowser, withPage, text, repo, freePort } from './harness.js';
import { startStubBackends } from './stub-backends.js';

let server;
let browser;
let stub;
let closedPort;

const CHECKOUT = '4bf92f3577b34da6a3ce929d0e0e4736';

before(async () => {
  // 1,500 traces for the big-answer test, made by the CLI's generator.
  const many = path.join(repo, 'target/e2e-many-traces.json');
  if (!fs.existsSync(many)) {
    fs.writeFileSync(many, execFileSync(path.join(repo, 'target/release/spanscope'), ['generate', '--spans', '30000', '--traces', '1500', '--format', 'jaeger', '--seed', '3'], { maxBuffer: 1 << 30 }));
  }
  stub = await startStubBackends();
  closedPort = await freePort();
  const config = {
    backends: [
      { name: 'same', type: 'jaeger', url: 'backends/jaeger' },
      { name: 'cors-jaeger', type: 'jaeger', url: stub.url('cors', 'jaeger'), lookback: '2d', limit: 50 },
      { name: 'jaeger-v3', type: 'jaeger', url: stub.url('cors', 'jaeger3') },
      { name: 'zipkin', type: 'zipkin', url: stub.url('cors', 'zipkin') },
      { name: 'tempo', type: 'tempo', url: stub.url('cors', 'tempo') },
      { name: 'no-cors', type: 'jaeger', url: stub.url('nocors', 'jaeger') },
      { name: 'down', type: 'zipkin', url: `http://127.0.0.1:${closedPort}` },
      { name: 'broken', type: 'jaeger', url: stub.url('cors', 'error500'), api: 'v1' },
      { name: 'garbled', type: 'zipkin', url: stub.url('cors', 'malformed') },
      { name: 'slow', type: 'tempo', url: stub.url('cors', 'slow'), timeout: '1s' },
      { name: 'wrong-url', type: 'jaeger', url: stub.url('cors', 'nothing-here'), api: 'v1' },
      { name: 'same-zipkin', type: 'zipkin', url: 'backends/zipkin' },
      { name: 'same-tempo', type: 'tempo', url: 'backends/tempo' },
      { name: 'old-jaeger', type: 'jaeger', url: stub.url('cors', 'jaegerOld') },
      { name: 'tempo-1x', type: 'tempo', url: stub.url('cors', 'tempo1'), api: 'tags' },
      { name: 'v3-no-summaries', type: 'jaeger', url: stub.url('cors', 'jaeger3NoSummaries'), api: 'v3' },
    ],
    defaultBackend: 'same',
  };
  server = await startServer({
    config,
    proxies: { jaeger: stub.url('nocors', 'jaeger'), zipkin: stub.url('nocors', 'zipkin'), tempo: stub.url('nocors', 'tempo') },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await stub?.stop();
});

async function openSearch(page, backend, base = server.base) {
  await page.goto(`${base}?view=search`);
  await page.getByTestId('search-page').waitFor();
  // config.json arrives after the page: wait for its backends (a loaded machine is slow).
  await page.waitForFunction(() => document.querySelector('[data-testid=backend-select]')?.value);
  if (backend) await page.getByTestId('backend-select').selectOption(backend);
}

async function search(page, { service = '', tags = '' } = {}) {
  await page.getByTestId('service-input').fill(service);
  await page.getByTestId('service-input').dispatchEvent('change');
  await page.getByTestId('tags-input').fill(tags);
  await page.getByTestId('tags-input').dispatchEvent('change');
  await page.getByTestId('search-button').click();
}

async function resultCount(page) {
  await page.getByTestId('results-count').waitFor();
  return Number((await text(page, 'results-count')).split(' ')[0]);
}

async function header(page) {
  await page.getByTestId('trace-header').waitFor();
  return { spans: await text(page, 'span-count'), id: await text(page, 'trace-id') };
}

/** Centre (CSS px, page coordinates) of the scatter plot's coloured dots, read from pixels. */
async function dotCentre(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid=scatter]');
    const ctx = c.getContext('2d');
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    let sx = 0, sy = 0, n = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        // The accent blue of a dot, not the grey grid or black labels.
        if (a > 100 && b > r + 60 && b > g + 30) { sx += x; sy += y; n++; }
      }
    }
    const box = c.getBoundingClientRect();
    const ratio = c.width / box.width;
    return n ? { x: box.left + sx / n / ratio, y: box.top + sy / n / ratio, pixels: n } : null;
  });
}

test('same origin (nginx proxy): search, scatter plot, list, open, and a shareable link', async () => {
  await withPage(browser, 'search-same-origin', async (page) => {
    await openSearch(page);
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
    assert.deepEqual(await header(page), { spans: '5', id: CHECKOUT });
    // Opening it again selects the loaded copy instead of adding another row.
    await page.getByTestId('page-search').click();
    await page.locator('[data-testid=result-row] .result-title').click();
    assert.deepEqual(await header(page), { spans: '5', id: CHECKOUT });
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr', { hasText: 'same: ' }).count(), 1);
    // The trace's link looks it up again in the same backend.
    await page.waitForFunction(() => new URL(location.href).searchParams.get('trace'));
    const link = page.url();
    assert.match(link, /backend=same&trace=4bf92f3577b34da6a3ce929d0e0e4736/);
    await page.goto(link);
    assert.deepEqual(await header(page), { spans: '5', id: CHECKOUT });
    // A bookmarked search runs again on load.
    await page.goto(`${server.base}?view=search&backend=same&service=api-edge&lookback=2d&limit=5`);
    assert.equal(await resultCount(page), 1);
    assert.equal(await page.getByTestId('lookback-select').inputValue(), '2d');
    assert.equal(await page.getByTestId('limit-input').inputValue(), '5');
  });
  const searches = stub.requests.filter((r) => r.startsWith('GET /nocors/jaeger/api/traces?service=web-api'));
  assert.equal(searches.length, 1, stub.requests.join('\n'));
  assert.match(searches[0], /&start=\d{16}&end=\d{16}&limit=20&?$/);
});

test('cross origin with CORS: Jaeger v1, Jaeger api_v3 (detected), Zipkin and Tempo', async () => {
  await withPage(browser, 'search-cors', async (page) => {
    // Jaeger v1 with a tags filter (logfmt → JSON) and the backend's own lookback and limit.
    await openSearch(page, 'cors-jaeger');
    assert.equal(await page.getByTestId('lookback-select').inputValue(), '2d');
    await search(page, { service: 'api-edge', tags: 'error=true' });
    assert.equal(await resultCount(page), 1);
    assert.match(await page.getByTestId('result-row').textContent(), /⚠ 1/);
    await page.getByTestId('result-row').locator('.result-title').click();
    assert.deepEqual(await header(page), { spans: '57', id: '4a1b2c3d4e5f60718293a4b5c6d7e8f9' });
    const sent = stub.requests.find((r) => r.includes('/cors/jaeger/api/traces?service=api-edge'));
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
    assert.deepEqual(await header(page), { spans: '1', id: '00000000000000000000000000000001' });
    assert.ok(stub.requests.some((r) => r.startsWith('GET /cors/jaeger3/api/v3/trace-summaries?query.service_name=foo&')));
    // An api_v3 without trace summaries: the same search answered by /api/v3/traces.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('v3-no-summaries');
    await search(page, { service: 'foo' });
    await page.getByTestId('results-count').filter({ hasText: /^1 trace from v3-no-summaries/ }).waitFor();
    // (The recorded FindTraces answer: one span `foobar` of an unnamed service, an error.)
    assert.match(await page.getByTestId('result-row').textContent(), /^unknown_service: foobar/);
    assert.ok(stub.requests.some((r) => r.startsWith('GET /cors/jaeger3NoSummaries/api/v3/traces?query.service_name=foo&')));

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
    const h = await header(page);
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
    assert.ok(stub.requests.some((r) => r.startsWith('GET /cors/zipkin/api/v2/traces?serviceName=yelp-main&remoteServiceName=mysql&')));

    // Tempo: summaries only; opening fetches /api/v2/traces/{id}.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('tempo');
    await page.waitForFunction(() => [...document.querySelectorAll('#tags-list option')].map((o) => o.value).join() === 'http.method=,service.name=');
    await search(page, { service: 'tempo-svc' });
    assert.equal(await resultCount(page), 4);
    const tempoSearch = stub.requests.find((r) => r.startsWith('GET /cors/tempo/api/search?'));
    assert.match(decodeURIComponent(tempoSearch), /q=\{ resource\.service\.name = "tempo-svc" \}&start=\d{10}&end=\d{10}&limit=20&spss=10/);
    await page.locator('[data-testid=result-row][data-trace-id="00000000000000000000000000000abc"] .result-title').click();
    assert.deepEqual(await header(page), { spans: '2', id: '00000000000000000000000000000abc' });
  });
});

test('trace-id lookup searches every backend; unknown ids say so', async () => {
  await withPage(browser, 'trace-lookup', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    await page.getByTestId('trace-id-input').fill('5B8EFFF798038103D269B633813FC60C');
    await page.getByTestId('trace-id-button').click();
    // Only Tempo (v1 route) has it; the earlier backends say not found or fail.
    await page.getByTestId('trace-id').filter({ hasText: '5b8efff798038103d269b633813fc60c' }).waitFor({ timeout: 20000 });
    // Two Zipkin ids at once: one traceMany request to Zipkin.
    await page.getByTestId('trace-id-input').fill('ef86c83c0a05a6d6, 1e223ff1f80f1c69');
    await page.getByTestId('trace-id-button').click();
    await page.locator('[data-testid=trace-list] tbody tr', { hasText: '1e223ff1f80f1c69' }).waitFor({ timeout: 20000 });
    assert.equal((await header(page)).id, 'ef86c83c0a05a6d6');
    assert.ok(stub.requests.some((r) => r.startsWith('GET /cors/zipkin/api/v2/traceMany?traceIds=ef86c83c0a05a6d6%2C1e223ff1f80f1c69')), stub.requests.filter((r) => r.includes('zipkin')).join('\n'));
    await page.getByTestId('trace-id-input').fill('deadbeef');
    await page.getByTestId('trace-id-button').click();
    await page.getByTestId('load-error').filter({ hasText: 'Trace deadbeef was not found in same, cors-jaeger' }).waitFor({ timeout: 20000 });
    await page.getByTestId('trace-id-input').fill('not-an-id');
    await page.getByTestId('trace-id-button').click();
    await page.getByTestId('load-error').filter({ hasText: '`not-an-id` is not a trace id' }).waitFor();
    // Nothing loaded was lost.
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 4);
    // Two Jaeger ids: one `traceID` search in Jaeger v1 finds one; the other is named.
    const missing = '0000000000000000000000000000dead';
    await page.getByTestId('trace-id-input').fill(`${CHECKOUT} ${missing}`);
    await page.getByTestId('trace-id-button').click();
    await page.getByTestId('load-error').filter({ hasText: `Trace ${missing} was not found in same, cors-jaeger` }).waitFor({ timeout: 20000 });
    assert.equal((await header(page)).id, CHECKOUT);
    assert.ok(stub.requests.some((r) => r.replace(/&$/, '') === `GET /nocors/jaeger/api/traces?traceID=${CHECKOUT}&traceID=${missing}`), stub.requests.filter((r) => r.includes('traceID')).join('\n'));
  });
});

/** Waits until the datalist `id` offers exactly `expected`. */
async function waitForOptions(page, id, expected) {
  await page.waitForFunction(({ id, expected }) => [...document.querySelectorAll(`#${id} option`)].map((o) => o.value).join('|') === expected.join('|'), { id, expected });
}

async function chooseService(page, service) {
  await page.getByTestId('service-input').fill(service);
  await page.getByTestId('service-input').dispatchEvent('change');
}

test('operations come from each API, older servers included', async () => {
  await withPage(browser, 'search-operations', async (page) => {
    const sent = (prefix) => stub.requests.some((r) => r.startsWith(prefix));
    // Jaeger v1: /api/operations (with span kinds).
    await openSearch(page, 'cors-jaeger');
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
    const names = await (await fetch(`${stub.url('cors', 'zipkin')}/api/v2/spans?serviceName=yelp-main`)).json();
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
    assert.ok(sent('GET /cors/tempo1/api/search?tags=service.name%3Dfrontend&start='), stub.requests.filter((r) => r.includes('tempo1')).join('\n'));
    assert.ok(!stub.requests.some((r) => r.includes('/tempo1/api/v2/')), 'no Tempo 2 routes asked of Tempo 1.x');
  });
});

test('durations and a custom range reach each API in its own units', async () => {
  const from = '2026-01-01T08:00:00';
  const to = '2026-01-01T09:30:00';
  const [start, end] = [new Date(from).getTime(), new Date(to).getTime()]; // ms; Chromium shares this clock's time zone
  // (gloo-net ends a query with `&`; servers ignore it.)
  const last = (prefix) => stub.requests.filter((r) => r.startsWith(prefix)).at(-1)?.replace(/&$/, '');
  await withPage(browser, 'search-units', async (page) => {
    // Typed into the form: Jaeger v1 gets microseconds and Go durations, and filters by them.
    await openSearch(page, 'cors-jaeger');
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
      await page.goto(`${server.base}?view=search&backend=${backend}&service=${service}&${form}`);
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

test('every failure has a message that says what to do, and loaded traces stay', async () => {
  await withPage(browser, 'search-failures', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('trace-header').waitFor();
    await page.getByTestId('page-search').click();
    const expectError = async (backend, pattern, act) => {
      await page.getByTestId('backend-select').selectOption(backend);
      if (act) await act();
      const error = page.getByTestId('search-error');
      await error.filter({ hasText: pattern }).waitFor({ timeout: 15000 });
      return error.textContent();
    };
    const cors = await expectError('no-cors', /blocked by the browser/);
    assert.match(cors, /does not allow requests from http:\/\/127\.0\.0\.1:\d+ \(CORS\)/);
    assert.match(cors, /--query\.additional-headers "Access-Control-Allow-Origin: http:\/\/127\.0\.0\.1:\d+"/);
    assert.match(cors, /spanscope serve/);
    const down = await expectError('down', /no answer from/);
    assert.match(down, new RegExp(`no answer from http://127\\.0\\.0\\.1:${closedPort}\\. The server may be down`));
    assert.match(down, /ZIPKIN_QUERY_ALLOWED_ORIGINS/);
    const broken = await expectError('broken', /HTTP 500/);
    assert.match(broken, /broken \(Jaeger\): Loading services failed with HTTP 500: cassandra: no hosts available\./);
    const wrong = await expectError('wrong-url', /HTTP 404/);
    assert.match(wrong, /check the backend's `url`/);
    const garbled = await expectError('garbled', /could not be read/, () => search(page));
    assert.match(garbled, /garbled \(Zipkin\): Search: the answer could not be read/);
    const slow = await expectError('slow', /timed out/, () => search(page));
    assert.match(slow, /slow \(Tempo\): Search timed out after 1 s/);
    // A Jaeger search needs a service: said before any request.
    const noService = await expectError('cors-jaeger', /Choose a service/, () => search(page));
    assert.match(noService, /Jaeger searches one service at a time/);
    // The sample loaded at the start is still there and still opens.
    await page.getByTestId('page-traces').click();
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 1);
    assert.equal((await header(page)).id, CHECKOUT);
  });
});

test('1,500 results: the list is built in pages as it scrolls, the plot has them all', async () => {
  await withPage(browser, 'search-many', async (page) => {
    await page.goto(`${server.base}?view=search&backend=cors-jaeger&service=many&limit=1500&lookback=1h`);
    assert.equal(await resultCount(page), 1500);
    assert.equal(await page.getByTestId('result-row').count(), 100);
    await page.mouse.wheel(0, 100000);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-row]').length === 300);
    await page.getByTestId('show-more').click();
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

test('a newer search cancels a slower older one', async () => {
  await withPage(browser, 'search-stale', async (page) => {
    await openSearch(page, 'cors-jaeger');
    await search(page, { service: 'slow-svc' }); // answers after 1.5 s, with no traces
    await search(page, { service: 'web-api' });
    assert.equal(await resultCount(page), 1);
    await page.waitForTimeout(2000);
    assert.equal(await resultCount(page), 1, 'the stale answer did not replace the newer one');
    assert.equal(await page.getByTestId('result-row').getAttribute('data-trace-id'), CHECKOUT);
  });
});

test('the graph of search results, and a search for one of its services', async () => {
  await withPage(browser, 'results-graph', async (page) => {
    await openSearch(page);
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
  await withPage(browser, 'backend-dependencies', async (page) => {
    await openSearch(page, 'cors-jaeger');
    await page.getByTestId('dependencies-button').click();
    const graph = page.locator('canvas.service-graph');
    await graph.waitFor();
    assert.equal(JSON.parse(await graph.getAttribute('data-nodes')).length, 1238);
    assert.match(await page.locator('h2').first().textContent(), /Service graph: dependencies of cors-jaeger \(last 2d\)/);
    assert.ok(stub.requests.some((r) => /^GET \/cors\/jaeger\/api\/dependencies\?endTs=\d{13}&lookback=172800000&?$/.test(r)));
    // Zipkin's /api/v2/dependencies, with the default 1 h lookback.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('zipkin');
    await page.getByTestId('dependencies-button').click();
    await page.locator('h2', { hasText: 'dependencies of zipkin (last 1h)' }).waitFor();
    assert.equal(JSON.parse(await page.locator('canvas.service-graph').getAttribute('data-nodes')).length, 1238);
    assert.ok(stub.requests.some((r) => /^GET \/cors\/zipkin\/api\/v2\/dependencies\?endTs=\d{13}&lookback=3600000&?$/.test(r)));
    // Tempo has no dependency API: said so.
    await page.getByTestId('page-search').click();
    await page.getByTestId('backend-select').selectOption('tempo');
    await page.getByTestId('dependencies-button').click();
    await page.getByTestId('search-error').filter({ hasText: 'Tempo keeps service graphs in Prometheus' }).waitFor();
  });
});

test('settings: add a backend in the browser, test it, and use it', async () => {
  await withPage(browser, 'settings', async (page) => {
    await page.goto(`${server.base}?view=settings`);
    await page.getByTestId('settings-page').waitFor();
    assert.equal(await page.getByTestId('backend-row').count(), 16);
    await page.getByTestId('settings-name').fill('mine');
    // The API choices follow the type: Jaeger's generations, Tempo's search style, none for Zipkin.
    const apiChoices = () => page.locator('[data-testid=settings-api] option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(await apiChoices(), ['auto', 'v1', 'v3']);
    await page.getByTestId('settings-type').selectOption('tempo');
    assert.deepEqual(await apiChoices(), ['auto', 'tags']);
    await page.getByTestId('settings-type').selectOption('zipkin');
    assert.equal(await page.getByTestId('settings-api').count(), 0);
    await page.getByTestId('settings-url').fill(stub.url('cors', 'zipkin'));
    await page.getByTestId('settings-url').dispatchEvent('change');
    await page.getByTestId('settings-test').click();
    const services = await (await fetch(`${stub.url('cors', 'zipkin')}/api/v2/services`)).json();
    await page.getByTestId('settings-message').filter({ hasText: `Connected: mine answers (Zipkin API v2) with ${services.length} service(s).` }).waitFor();
    await page.getByTestId('settings-url').fill('ftp://nope');
    await page.getByTestId('settings-url').dispatchEvent('change');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-message').filter({ hasText: 'must start with http:// or https://' }).waitFor();
    await page.getByTestId('settings-url').fill(stub.url('cors', 'zipkin'));
    await page.getByTestId('settings-url').dispatchEvent('change');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-message').filter({ hasText: 'Saved `mine`.' }).waitFor();
    // Kept across reloads, and usable on the search page.
    await page.reload();
    await page.getByTestId('backend-row').nth(16).waitFor();
    await openSearch(page, 'mine');
    await search(page);
    assert.equal(await resultCount(page), 4);
  });
});

/** Starts `spanscope serve` with `args`; resolves to its base URL and a stop function. */
async function startServe(args) {
  const bin = path.join(repo, 'target/release/spanscope');
  const proc = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--dist', path.join(repo, 'dist'), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const first = await new Promise((resolve, reject) => {
    readline.createInterface({ input: proc.stdout }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`spanscope serve exited with ${code}`)));
  });
  return { base: first.replace('spanscope serve: listening on ', ''), stop: () => proc.kill() };
}

test('every backend type in every set-up: search, plot, list, open, look up by id', async () => {
  const serve = await startServe(['--backend', `jaeger=jaeger:${stub.url('nocors', 'jaeger')}`, '--backend', `zipkin=zipkin:${stub.url('nocors', 'zipkin')}`,
    '--backend', `tempo=tempo:${stub.url('nocors', 'tempo')}`]);
  // What each backend type finds, opens and looks up (the stub's recorded data).
  const kinds = {
    jaeger: { service: 'web-api', count: 1, open: CHECKOUT, spans: '5', lookupId: '4a1b2c3d4e5f60718293a4b5c6d7e8f9' },
    zipkin: { service: '', count: 4, open: 'ef86c83c0a05a6d6', spans: '8', lookupId: 'a03ee8fff1dcd9b9' },
    tempo: { service: 'tempo-svc', count: 4, open: '00000000000000000000000000000abc', spans: '2', lookupId: '5b8efff798038103d269b633813fc60c' },
  };
  const setups = [
    ['same origin', server.base, { jaeger: 'same', zipkin: 'same-zipkin', tempo: 'same-tempo' }],
    ['CORS', server.base, { jaeger: 'cors-jaeger', zipkin: 'zipkin', tempo: 'tempo' }],
    ['spanscope serve', serve.base, { jaeger: 'jaeger', zipkin: 'zipkin', tempo: 'tempo' }],
  ];
  try {
    for (const [setup, base, names] of setups) {
      for (const [kind, k] of Object.entries(kinds)) {
        const label = `${setup} / ${kind}`;
        await withPage(browser, `matrix-${setup}-${kind}`, async (page) => {
          await openSearch(page, names[kind], base);
          await search(page, { service: k.service });
          assert.equal(await resultCount(page), k.count, label);
          const dot = await dotCentre(page);
          assert.ok(dot && dot.pixels > 10, `${label}: no dots in the scatter plot`);
          await page.locator(`[data-testid=result-row][data-trace-id="${k.open}"] .result-title`).click();
          assert.deepEqual(await header(page), { spans: k.spans, id: k.open }, label);
          // Look an id up in this backend through a link, as a shared link does.
          await page.goto(`${base}?backend=${names[kind]}&trace=${k.lookupId}`);
          assert.equal((await header(page)).id, k.lookupId, label);
        });
      }
    }
  } finally {
    serve.stop();
  }
});

test('spanscope serve: the app and a proxied backend on one origin', async () => {
  const serve = await startServe(['--base-path', '/tools/spanscope', '--backend', `proxied=zipkin:${stub.url('nocors', 'zipkin')}`]);
  try {
    assert.match(serve.base, /^http:\/\/127\.0\.0\.1:\d+\/tools\/spanscope\/$/);
    await withPage(browser, 'spanscope-serve', async (page) => {
      await openSearch(page, null, serve.base);
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
