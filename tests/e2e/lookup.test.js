// End-to-end: looking traces up by id across every backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKOUT, openedTrace } from './pages/search.js';
import { withPage } from './harness.js';
import { backendsFixture } from './fixtures.js';

const app = backendsFixture();
const GENAI = '4a1b2c3d4e5f60718293a4b5c6d7e8f9';

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
    await page.getByTestId('trace-id-input').fill(`${GENAI} ${missing}`);
    await page.getByTestId('trace-id-button').click();
    await page.getByTestId('load-error').filter({ hasText: `Trace ${missing} was not found in same, cors-jaeger` }).waitFor({ timeout: 20000 });
    assert.equal((await openedTrace(page)).id, GENAI);
    assert.ok(app.stub.requests.some((r) => r.replace(/&$/, '') === `GET /nocors/jaeger/api/traces?traceID=${GENAI}&traceID=${missing}`), app.stub.requests.filter((r) => r.includes('traceID')).join('\n'));
  });
});

test("a link made for Jaeger UI's trace page opens the trace from whichever backend has it", async () => {
  await withPage(app.browser, 'trace-path', async (page) => {
    // nginx redirects /trace/ID as the README shows (spanscope serve does the same).
    await page.goto(`${app.server.base}trace/5B8EFFF798038103D269B633813FC60C?uiFind=EEE19B7EC3C1B174`);
    await page.getByTestId('trace-id').filter({ hasText: '5b8efff798038103d269b633813fc60c' }).waitFor({ timeout: 20000 });
    assert.match(page.url(), /\/spanscope\/\?/);
    // uiFind= selects the span, as in Jaeger UI.
    await page.getByTestId('span-detail').filter({ hasText: "I'm a server span" }).waitFor();
    // An id no backend has is named, and the app keeps working.
    await page.goto(`${app.server.base}?trace=0000000000000000000000000000dead`);
    await page.getByTestId('load-error').filter({ hasText: 'was not found' }).waitFor({ timeout: 20000 });
  });
});

test('the box and paste open the trace id in headers, log lines and trace URLs', async () => {
  await withPage(app.browser, 'trace-id-forms', async (page) => {
    await page.goto(app.server.base);
    assert.equal((await openedTrace(page)).id, CHECKOUT);
    const before = app.stub.requests.length;
    // Each form names the other trace than the one shown: first GENAI, which is not loaded
    // (a backend finds it), then back and forth between the two loaded traces (no request).
    const forms = [
      [GENAI, `traceparent: 00-${GENAI}-00f067aa0ba902b7-01`],
      [CHECKOUT, `b3: ${CHECKOUT}-00f067aa0ba902b7-1`],
      [GENAI, `X-B3-TraceId: ${GENAI.toUpperCase()}`],
      [CHECKOUT, `2026-12-04T06:19:59Z ERROR payment failed trace_id=${CHECKOUT} span_id=00f067aa0ba902b7`],
      [GENAI, `{"level":"error","traceId":"${GENAI}","msg":"timeout"}`],
      [CHECKOUT, `http://jaeger.internal:16686/trace/${CHECKOUT}?uiFind=abc`],
      [GENAI, `http://zipkin.internal:9411/zipkin/traces/${GENAI}`],
      [CHECKOUT, `http://grafana.internal:3000/explore?panes=${encodeURIComponent(JSON.stringify({ a: { datasource: 'tempo', queries: [{ refId: 'A', query: CHECKOUT }] } }))}`],
      [GENAI, `https://tools.internal/spanscope/?backend=prod&trace=${GENAI}`],
    ];
    for (const [want, text] of forms) {
      await page.getByTestId('trace-id-input').fill(text);
      await page.getByTestId('trace-id-button').click();
      await page.getByTestId('trace-id').filter({ hasText: want }).waitFor({ timeout: 20000 });
    }
    const lookups = app.stub.requests.slice(before).filter((r) => r.includes(GENAI));
    assert.ok(lookups.length >= 1 && lookups.every((r) => r.includes('traceID=') || r.includes(`/${GENAI}`)), lookups.join('\n'));
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 2, 'loaded traces are shown, not fetched again');
    // Pasting a log line on the page (not into a field) opens its trace too.
    const paste = (text) => page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text', text);
      document.querySelector('main').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, text);
    await paste(`level=info msg="checkout done" trace_id=${CHECKOUT}`);
    await page.getByTestId('trace-id').filter({ hasText: CHECKOUT }).waitFor();
    // Text that is neither JSON nor holds an id says so, and nothing loaded is lost.
    await paste('hello world');
    await page.getByTestId('load-error').filter({ hasText: 'The pasted text is not trace JSON. `hello` is not a trace id' }).waitFor();
    assert.equal((await openedTrace(page)).id, CHECKOUT);
  });
});
