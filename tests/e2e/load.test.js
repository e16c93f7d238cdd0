// End-to-end: loading traces: the first visit under a path prefix, uploaded reference files (gzip and
// binary OTLP too), samples and ?url= links, pasted JSON, a generated trace, clock skew and
// themes. Header numbers are checked against facts counted by hand in the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { header, geometry, waitForAttr, rgb } from './pages/trace.js';
import { withPage, refdata, repo } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('first visit under a path prefix shows the bundled checkout sample', async () => {
  await withPage(app.browser, 'first-visit', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();
    // Web API 200 ms → Auth Service, Product Service → DB Query (its client span), Payment Gateway.
    assert.deepEqual(await header(page), { spans: '5', services: '4', depth: '3', errors: '0', micros: '200000' });
    assert.match(await page.locator('.welcome').textContent(), /Open a trace/);
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    for (const m of ['spanscope:load-start', 'spanscope:parsed', 'spanscope:first-paint']) {
      assert.ok(marks.includes(m), `missing mark ${m}: ${marks}`);
    }
  });
});

test('uploaded reference files show hand-checked numbers, and bad files do not lose them', async () => {
  await withPage(app.browser, 'upload', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();
    const input = page.getByTestId('file-input');

    await input.setInputFiles(path.join(refdata, 'jaeger/genaiTestTrace.json'));
    await page.getByTestId('trace-id').filter({ hasText: '4a1b2c3d4e5f60718293a4b5c6d7e8f9' }).waitFor();
    assert.deepEqual(await header(page), { spans: '57', services: '10', depth: '8', errors: '1', micros: '44000000' });

    // gzip-compressed, as .json.gz and under a name that does not say so: the same trace.
    const gz = zlib.gzipSync(fs.readFileSync(path.join(refdata, 'jaeger/ui_01.json')));
    for (const name of ['ui_01.json.gz', 'ui_01-export']) {
      await input.setInputFiles({ name, mimeType: 'application/gzip', buffer: gz });
      await page.locator('[data-testid=trace-list] tbody tr', { hasText: name }).waitFor();
      assert.equal((await header(page)).spans, '5', name);
    }
    // Binary OTLP from a real SDK, plain and gzipped: 4 spans, 2 services, 1 error.
    const pb = fs.readFileSync(path.join(repo, 'tests/data/otlp-protobuf/export.pb'));
    for (const [name, buffer] of [['export.pb', pb], ['export.pb.gz', zlib.gzipSync(pb)]]) {
      await input.setInputFiles({ name, mimeType: 'application/x-protobuf', buffer });
      await page.locator('[data-testid=trace-list] tbody tr', { hasText: name }).waitFor();
      const h = await header(page);
      assert.deepEqual([h.spans, h.services, h.errors], ['4', '2', '1'], name);
    }
    await input.setInputFiles({ name: 'damaged.json.gz', mimeType: 'application/gzip', buffer: gz.subarray(0, gz.length / 2) });
    await page.getByTestId('load-error').filter({ hasText: 'damaged.json.gz: the gzip data is damaged' }).waitFor();
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 6, 'the sample, genai, both gzip files and both protobuf files');

    // Several files at once: a Zipkin v2 trace and an OTLP trace.
    await input.setInputFiles([path.join(refdata, 'zipkin/skew.json'), path.join(refdata, 'otlp/tempo/trace.json')]);
    await page.getByTestId('trace-id').filter({ hasText: '5b8efff798038103d269b633813fc60c' }).waitFor();
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 8);
    await page.locator('[data-testid=trace-list] tbody tr', { hasText: '1e223ff1f80f1c69' }).click();
    assert.deepEqual(await header(page), { spans: '4', services: '2', depth: '4', errors: '0', micros: '161718' });

    // A malformed file: a clear message with line and column, and nothing already loaded is lost.
    await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"data": [\n  {"traceID": 12,, }]}') });
    const error = page.getByTestId('load-error');
    await error.waitFor();
    assert.match(await error.textContent(), /broken\.json: not valid JSON at line 2, column 18/);
    assert.equal(await page.locator('[data-testid=trace-list] tbody tr').count(), 8);

    // Hostile text is shown as text, never as HTML.
    const hostile = JSON.stringify([{ traceId: '0a', id: '0b', name: '<img src=x onerror="window.pwned=1">', timestamp: 1, duration: 1, localEndpoint: { serviceName: '<b>svc</b>' } }]);
    await input.setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(hostile) });
    await page.getByTestId('trace-header').getByText('<b>svc</b>: <img src=x onerror="window.pwned=1">').waitFor();
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.equal(await page.locator('[data-testid=trace-header] img').count(), 0);
  });
});

test('a sample button and a ?url= deep link load traces over HTTP', async () => {
  await withPage(app.browser, 'samples-and-url', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();
    await page.getByRole('button', { name: /Shop backend/ }).click();
    await page.getByTestId('span-count').filter({ hasText: '400' }).waitFor();

    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/zipkin/yelp.json')}`);
    await page.getByTestId('trace-id').filter({ hasText: 'a03ee8fff1dcd9b9' }).waitFor();
    assert.deepEqual(await header(page), { spans: '16', services: '6', depth: '5', errors: '0', micros: '131848' });

    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/no-such-file.json')}`);
    const error = page.getByTestId('load-error');
    await error.waitFor();
    assert.match(await error.textContent(), /HTTP 404/);
  });
});

test('paste JSON, a generated 100k-span trace, clock-skew adjustment and themes', async () => {
  await withPage(app.browser, 'paste-generate-skew-theme', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();

    // Paste dialog: the Zipkin skew example.
    const skew = fs.readFileSync(path.join(refdata, 'zipkin/skew.json'), 'utf8');
    await page.getByRole('button', { name: 'Paste JSON…' }).click();
    await page.getByTestId('paste-input').fill(skew);
    await page.getByTestId('paste-open').click();
    await page.getByTestId('trace-id').filter({ hasText: '1e223ff1f80f1c69' }).waitFor();

    // Row 2 is serviceb's shared server "post", which starts 65 ms before its client (row 1).
    // Adjusting centres it inside the client, so its bar moves from before to after the
    // client bar's start.
    const barStart = (row) => page.evaluate(({ row, g }) => {
      const c = document.querySelector('[data-testid=waterfall] canvas');
      const ctx = c.getContext('2d');
      const r = devicePixelRatio;
      const y = Math.round((g.axisH + g.rowH * row + 8) * r);
      for (let x = Math.round(g.timelineX * r); x < c.width; x++) {
        const [red, green, blue] = ctx.getImageData(x, y, 1, 1).data;
        if (Math.abs(red - green) + Math.abs(green - blue) > 60) return x / r;
      }
      return null;
    }, { row, g: geometry });
    assert.ok((await barStart(2)) < (await barStart(1)), 'raw: the server starts before its client');
    await page.getByTestId('skew-toggle').check();
    await page.waitForTimeout(100);
    assert.ok((await barStart(2)) > (await barStart(1)), 'adjusted: the server starts inside its client');

    // A large trace generated in the browser by the core's generator.
    await page.getByTestId('generate-large').click();
    await page.getByTestId('span-count').filter({ hasText: '100000' }).waitFor({ timeout: 60000 });
    // Over 10,000 spans, runs of repeated calls open folded into group rows.
    assert.equal(await page.getByTestId('sibling-groups-toggle').isChecked(), true);
    const grouped = Number(await page.getByTestId('waterfall').getAttribute('data-rows'));
    assert.ok(grouped > 1000 && grouped < 100000, `${grouped} rows`);
    await page.getByTestId('sibling-groups-toggle').uncheck();
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '100000');

    // Theme: system → light → dark, remembered across reloads.
    const toggle = page.getByTestId('theme-toggle');
    await toggle.click();
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.reload();
    await page.getByTestId('trace-header').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(20, 23, 28)');
  });
});
