// End-to-end: looking traces up by id across every backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKOUT, openedTrace } from './pages/search.js';
import { withPage } from './harness.js';
import { backendsFixture } from './fixtures.js';

const app = backendsFixture();

test('trace-id lookup searches every backend; unknown ids say so', async () => {
  await withPage(app.browser, 'trace-lookup', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();
    await page.getByTestId('trace-id-input').fill('5B8EFFF798038103D269B633813FC60C');
    await page.getByTestId('trace-id-button').click();
    // Only Tempo (v1 route) has it; the earlier backends say not found or fail.
    await page.getByTestId('trace-id').filter({ hasText: '5b8efff798038103d269b633813fc60c' }).waitFor({ timeout: 20000 });
    // Two Zipkin ids at once: one traceMany request to Zipkin.
    await page.getByTestId('trace-id-input').fill('ef86c83c0a05a6d6, 1e223ff1f80f1c69');
    await page.getByTestId('trace-id-button').click();
    await page.locator('[data-testid=trace-list] tbody tr', { hasText: '1e223ff1f80f1c69' }).waitFor({ timeout: 20000 });
    assert.equal((await openedTrace(page)).id, 'ef86c83c0a05a6d6');
    assert.ok(app.stub.requests.some((r) => r.startsWith('GET /cors/zipkin/api/v2/traceMany?traceIds=ef86c83c0a05a6d6%2C1e223ff1f80f1c69')), app.stub.requests.filter((r) => r.includes('zipkin')).join('\n'));
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
    assert.equal((await openedTrace(page)).id, CHECKOUT);
    assert.ok(app.stub.requests.some((r) => r.replace(/&$/, '') === `GET /nocors/jaeger/api/traces?traceID=${CHECKOUT}&traceID=${missing}`), app.stub.requests.filter((r) => r.includes('traceID')).join('\n'));
  });
});
