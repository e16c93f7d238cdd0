// End-to-end: shapes that freeze other viewers: a service per span (100,000 services) and a ?generate=
// beyond the in-browser limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, text } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('a service per span (100,000 services) and a huge ?generate= stay usable', async () => {
  await withPage(app.browser, 'many-services', async (page) => {
    await page.goto(app.server.base);
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

    await page.goto(`${app.server.base}?generate=5000000`);
    await page.getByText('?generate= builds at most 200000 spans in the browser, not 5000000').waitFor({ timeout: 60_000 });
    await page.getByTestId('span-count').filter({ hasText: '200000' }).waitFor();
  });
});
