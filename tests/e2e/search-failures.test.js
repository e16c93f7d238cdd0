// End-to-end: when backends fail: a message that says what to do for every failure, loaded traces
// stay, and a newer search cancels a slower older one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKOUT, openSearch, search, resultCount, openedTrace } from './pages/search.js';
import { withPage } from './harness.js';
import { backendsFixture } from './fixtures.js';

const app = backendsFixture();

test('every failure has a message that says what to do, and loaded traces stay', async () => {
  await withPage(app.browser, 'search-failures', async (page) => {
    await page.goto(app.server.base);
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
    assert.match(down, new RegExp(`no answer from http://127\\.0\\.0\\.1:${app.closedPort}\\. The server may be down`));
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
    assert.equal((await openedTrace(page)).id, CHECKOUT);
  });
});

test('a newer search cancels a slower older one', async () => {
  await withPage(app.browser, 'search-stale', async (page) => {
    await openSearch(page, app.server.base, 'cors-jaeger');
    await search(page, { service: 'slow-svc' }); // answers after 1.5 s, with no traces
    await search(page, { service: 'web-api' });
    assert.equal(await resultCount(page), 1);
    await page.waitForTimeout(2000);
    assert.equal(await resultCount(page), 1, 'the stale answer did not replace the newer one');
    assert.equal(await page.getByTestId('result-row').getAttribute('data-trace-id'), CHECKOUT);
  });
});
