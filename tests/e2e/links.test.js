// End-to-end: link patterns from config.json in the span detail and the trace header,
// with values encoded, and a javascript: pattern refused with a message on Settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launchBrowser, withPage, repo } from './harness.js';
import { readGeometry, rowY } from './pages/trace.js';

const app = {};
before(async () => {
  app.server = await startServer({
    config: {
      linkPatterns: [
        { type: 'attributes', key: 'enduser.email', url: 'https://crm.example.com/?email=#{enduser.email}&trace=#{traceID}', text: 'CRM: #{enduser.email}' },
        { type: 'attributes', url: 'https://grafana.example.com/explore?service=#{serviceName}&from=#{startTime | add -60000000 | epoch_micros_to_date_iso}', text: 'Logs of #{serviceName}' },
        { type: 'traces', url: 'https://prometheus.example.com/graph?q=#{traceName}', text: 'Metrics of #{traceName}' },
        { type: 'attributes', url: 'javascript:alert(document.domain)', text: 'evil' },
      ],
    },
  });
  app.browser = await launchBrowser();
});
after(async () => {
  await app.browser?.close();
  await app.server?.stop();
});

test('link patterns: span and trace links with encoded values; javascript: refused', async () => {
  await withPage(app.browser, 'link-patterns', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();
    await readGeometry(page);
    await page.getByTestId('file-input').setInputFiles(path.join(repo, 'tests/data/secrets.otlp.json'));
    await page.getByTestId('trace-id').filter({ hasText: '5b8efff798038103d269b633813fc60c' }).waitFor();

    const traceLink = page.getByTestId('trace-tool-links').locator('a');
    assert.equal(await traceLink.count(), 1);
    assert.equal(await traceLink.textContent(), 'Metrics of checkout: POST /checkout');
    assert.equal(await traceLink.getAttribute('href'), 'https://prometheus.example.com/graph?q=checkout%3A%20POST%20%2Fcheckout');
    assert.equal(await traceLink.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await traceLink.getAttribute('target'), '_blank');

    // The root span: the e-mail link (its attribute) and the logs link (every span).
    await page.getByTestId('waterfall').locator('canvas').click({ position: { x: 200, y: rowY(0) } });
    const links = page.getByTestId('span-tool-links').locator('a');
    await links.first().waitFor();
    const got = await links.evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.title]));
    assert.deepEqual(got, [
      ['CRM: jane.doe@example.com', 'https://crm.example.com/?email=jane.doe%40example.com&trace=5b8efff798038103d269b633813fc60c', 'enduser.email'],
      ['Logs of checkout', 'https://grafana.example.com/explore?service=checkout&from=2025-12-31T23%3A59%3A00.000Z', ''],
    ]);
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link anywhere');

    await page.getByTestId('page-settings').click();
    await page.getByTestId('config-warning').filter({ hasText: 'linkPatterns[3] left out: url scheme `javascript:` refused' }).waitFor();
  });
});
