// End-to-end: settings: a backend added in the browser, tested and used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSearch, search, resultCount } from './pages/search.js';
import { withPage } from './harness.js';
import { backendsFixture } from './fixtures.js';

const app = backendsFixture();

test('settings: add a backend in the browser, test it, and use it', async () => {
  await withPage(app.browser, 'settings', async (page) => {
    await page.goto(`${app.server.base}?view=settings`);
    await page.getByTestId('settings-page').waitFor();
    assert.equal(await page.getByTestId('backend-row').count(), 17);
    await page.getByTestId('settings-name').fill('mine');
    // The API choices follow the type: Jaeger's generations, Tempo's search style, none for Zipkin.
    const apiChoices = () => page.locator('[data-testid=settings-api] option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(await apiChoices(), ['auto', 'v1', 'v3']);
    await page.getByTestId('settings-type').selectOption('tempo');
    assert.deepEqual(await apiChoices(), ['auto', 'tags']);
    await page.getByTestId('settings-type').selectOption('zipkin');
    assert.equal(await page.getByTestId('settings-api').count(), 0);
    await page.getByTestId('settings-url').fill(app.stub.url('cors', 'zipkin'));
    await page.getByTestId('settings-url').dispatchEvent('change');
    await page.getByTestId('settings-test').click();
    const services = await (await fetch(`${app.stub.url('cors', 'zipkin')}/api/v2/services`)).json();
    await page.getByTestId('settings-message').filter({ hasText: `Connected: mine answers (Zipkin API v2) with ${services.length} service(s).` }).waitFor();
    await page.getByTestId('settings-url').fill('ftp://nope');
    await page.getByTestId('settings-url').dispatchEvent('change');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-message').filter({ hasText: 'must start with http:// or https://' }).waitFor();
    await page.getByTestId('settings-url').fill(app.stub.url('cors', 'zipkin'));
    await page.getByTestId('settings-url').dispatchEvent('change');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-message').filter({ hasText: 'Saved `mine`.' }).waitFor();
    // Kept across reloads, and usable on the search page.
    await page.reload();
    await page.getByTestId('backend-row').nth(17).waitFor();
    await openSearch(page, app.server.base, 'mine');
    await search(page);
    assert.equal(await resultCount(page), 4);
  });
});
