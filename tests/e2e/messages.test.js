// End-to-end: the postMessage API. A host page on another 127.0.0.1 port (listed in
// config.json embed.allowedOrigins) drives the embedded app; a second host, not listed, is
// ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startServer, launchBrowser, withPage, freePort, repo } from './harness.js';

const app = {};
const hosts = [];
const checkout = fs.readFileSync(path.join(repo, 'public/samples/checkout.jaeger.json'), 'utf8');

/** A portal page holding the app in an iframe and recording every message it gets. */
async function hostServer(port) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Portal</title>
      <script>window.received = []; addEventListener('message', (e) => received.push({ origin: e.origin, data: e.data }));</script>
      <iframe id="trace" src="${app.server.base}?embed=1" width="1100" height="700"></iframe>`);
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  hosts.push(server);
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  const [allowed, other] = [await freePort(), await freePort()];
  app.allowed = `http://127.0.0.1:${allowed}`;
  app.server = await startServer({ config: { embed: { allowedOrigins: [app.allowed] } } });
  app.browser = await launchBrowser();
  await hostServer(allowed);
  app.other = await hostServer(other);
});
after(async () => {
  await app.browser?.close();
  await app.server?.stop();
  await Promise.all(hosts.map((s) => new Promise((r) => s.close(r))));
});

/** Waits for the next message of `type` after the first `from` received, and returns it. */
async function nextMessage(page, type, from) {
  await page.waitForFunction(([type, from]) => received.slice(from).some((m) => m.data.type === type), [type, from], { timeout: 20000 })
    .catch(async (e) => {
      throw new Error(`no ${type} message after #${from}; received: ${JSON.stringify(await page.evaluate(() => received.map((m) => m.data)))}`);
    });
  return page.evaluate(([type, from]) => received.slice(from).find((m) => m.data.type === type), [type, from]);
}

const post = (page, message, transfer = false) => page.evaluate(([message, transfer, origin]) => {
  const frame = document.getElementById('trace').contentWindow;
  if (transfer) {
    const buffer = new TextEncoder().encode(message.trace).buffer;
    frame.postMessage({ ...message, trace: buffer }, origin, [buffer]);
    return buffer.byteLength; // 0 once transferred
  }
  frame.postMessage(message, origin);
  return received.length;
}, [message, transfer, new URL(app.server.base).origin]);

test('a listed host opens traces as text, object and transferred buffer, selects, themes and switches tabs', async () => {
  await withPage(app.browser, 'messages', async (page) => {
    await page.goto(app.allowed);
    const ready = await nextMessage(page, 'ready', 0);
    assert.equal(ready.origin, new URL(app.server.base).origin);
    assert.deepEqual(ready.data, { spanscope: 1, type: 'ready' });
    const frame = page.frameLocator('#trace');

    let from = await page.evaluate(() => received.length);
    await post(page, { spanscope: 1, type: 'open', trace: checkout, name: 'as text' });
    let loaded = await nextMessage(page, 'loaded', from);
    assert.deepEqual(loaded.data, { spanscope: 1, type: 'loaded', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanCount: 5,
      services: ['auth-service', 'payment-gateway', 'product-service', 'web-api'], durationMicros: 200000 });
    await frame.getByTestId('trace-header').waitFor();

    from = await page.evaluate(() => received.length);
    const zipkin = JSON.parse(fs.readFileSync(path.join(repo, 'tests/data/refdata/zipkin/skew.json'), 'utf8'));
    await post(page, { spanscope: 1, type: 'open', trace: zipkin });
    loaded = await nextMessage(page, 'loaded', from);
    assert.equal(loaded.data.spanCount, zipkin.length, 'a parsed object opens');

    from = await page.evaluate(() => received.length);
    const left = await post(page, { spanscope: 1, type: 'open', trace: checkout, name: 'as buffer' }, true);
    assert.equal(left, 0, 'the ArrayBuffer was transferred, not copied');
    loaded = await nextMessage(page, 'loaded', from);
    assert.equal(loaded.data.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    await frame.getByTestId('span-count').filter({ hasText: '5' }).waitFor();

    // select → the span is shown, and span-selected says which.
    const spanId = JSON.parse(checkout).data[0].spans[2].spanID;
    from = await page.evaluate(() => received.length);
    await post(page, { spanscope: 1, type: 'select', spanId });
    const selected = await nextMessage(page, 'span-selected', from);
    assert.equal(selected.data.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(selected.data.spanId, spanId);
    assert.ok(selected.data.service && selected.data.operation, JSON.stringify(selected.data));
    await frame.locator('[data-testid=span-detail] h3', { hasText: selected.data.operation }).waitFor();

    await post(page, { spanscope: 1, type: 'set-theme', theme: 'dark' });
    const inner = await (await page.locator('#trace').elementHandle()).contentFrame();
    await inner.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await post(page, { spanscope: 1, type: 'set-view', tab: 'stats' });
    await frame.getByTestId('tab-stats').and(frame.locator('.active')).waitFor();

    // Bad messages get an error answer; the app keeps what it has.
    for (const [message, says] of [
      [{ spanscope: 1, type: 'shred' }, 'unknown message type `shred`'],
      [{ spanscope: 1, type: 'open', trace: 42 }, '`open` needs `trace`'],
      [{ spanscope: 1, type: 'set-theme', theme: 'pink' }, 'theme `pink` is not light, dark or system'],
      [{ spanscope: 1, type: 'open', trace: '{"data": [' }, 'trace from the host page: the JSON ends early at line 1, column 10'],
    ]) {
      from = await page.evaluate(() => received.length);
      await post(page, message);
      const error = await nextMessage(page, 'error', from);
      assert.ok(error.data.message.includes(says), `${JSON.stringify(message)}: ${error.data.message}`);
    }
    from = await page.evaluate(() => received.length);
    await post(page, { spanscope: 1, type: 'select', spanId: 'ffffffffffffffff' });
    assert.match((await nextMessage(page, 'error', from)).data.message, /no span ffffffffffffffff/);
    await frame.getByTestId('span-count').filter({ hasText: '5' }).waitFor();
    // Messages that are not Spanscope's are left alone (no answer).
    from = await page.evaluate(() => received.length);
    await post(page, { hello: 'world' });
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => received.length), from);
  });
});

test('a host that is not listed is neither heard nor told anything', async () => {
  await withPage(app.browser, 'messages-other-origin', async (page) => {
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await page.goto(app.other);
    const frame = page.frameLocator('#trace');
    await frame.locator('main.embed').waitFor();
    await page.waitForTimeout(500);
    await post(page, { spanscope: 1, type: 'open', trace: checkout });
    await page.waitForFunction(() => true);
    await page.waitForTimeout(800);
    assert.deepEqual(await page.evaluate(() => received), [], 'no ready, no loaded, no error');
    assert.equal(await frame.getByTestId('trace-header').count(), 0, 'nothing was opened');
    assert.ok(warnings.some((w) => w.includes(`a message from ${app.other} was ignored`)), warnings.join('\n'));
  });
});
