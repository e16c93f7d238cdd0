// End-to-end: service colours: the same service has the same colour in every trace, graph and legend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barY, waitForAttr, pixels, rgb } from './pages/trace.js';
import { withPage } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('a service has the same colour in every trace, graph and legend', async () => {
  await withPage(app.browser, 'stable-colours', async (page) => {
    await page.goto(app.server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    const colourOf = (name) => page.locator(`[data-testid=trace-header] [data-service="${name}"]`).getAttribute('data-colour');
    const web = await colourOf('web-api');
    // A second trace where web-api sorts first among other services: it keeps its colour,
    // and the new services take colours of their own.
    const trace = [
      { traceId: '00000000000000aa', id: '0000000000000001', name: 'GET /', timestamp: 1000, duration: 900, localEndpoint: { serviceName: 'web-api' } },
      { traceId: '00000000000000aa', parentId: '0000000000000001', id: '0000000000000002', name: 'q', timestamp: 1100, duration: 100, localEndpoint: { serviceName: 'zeta-db' } },
      { traceId: '00000000000000aa', parentId: '0000000000000001', id: '0000000000000003', name: 'a', timestamp: 1200, duration: 100, localEndpoint: { serviceName: 'aardvark' } },
    ];
    await page.getByTestId('file-input').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(trace)) });
    await page.getByTestId('trace-id').filter({ hasText: '00000000000000aa' }).waitFor();
    assert.equal(await colourOf('web-api'), web);
    const others = [await colourOf('zeta-db'), await colourOf('aardvark')];
    assert.ok(!others.includes(web) && others[0] !== others[1], JSON.stringify({ web, others }));
    // The waterfall draws its root bar (web-api) in that colour.
    await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length > 0);
    assert.deepEqual((await pixels(page, [[0.5, barY(0)]]))[0], rgb(web));
  });
});
