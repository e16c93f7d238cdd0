// End-to-end: reading in a worker. A trace served slowly over real HTTP (a Node server on
// 127.0.0.1 that sends it in 40 pieces, 100 ms apart) shows its progress (bytes read of the
// announced length, a time estimate) while the page stays usable; *Cancel* stops the read
// (the server sees the connection close), says so, and keeps what was loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { header } from './pages/trace.js';
import { withPage, repo } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();
const PIECES = 40;
const slow = { body: null, server: null, url: '', closedEarly: 0, served: 0 };

before(async () => {
  slow.body = execFileSync(path.join(repo, 'target/release/spanscope'), ['generate', '--spans', '3000', '--format', 'jaeger', '--seed', '5'], { maxBuffer: 1 << 28 });
  slow.server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': slow.body.length, 'access-control-allow-origin': '*' });
    let sent = 0;
    const timer = setInterval(() => {
      const at = (k) => Math.round((slow.body.length * k) / PIECES);
      res.write(slow.body.subarray(at(sent), at(sent + 1)));
      if (++sent === PIECES) {
        clearInterval(timer);
        res.end();
        slow.served += 1;
      }
    }, 100);
    res.on('close', () => {
      clearInterval(timer);
      if (sent < PIECES) slow.closedEarly += 1;
    });
  });
  await new Promise((resolve) => slow.server.listen(0, '127.0.0.1', resolve));
  slow.url = `http://127.0.0.1:${slow.server.address().port}/slow-trace.json`;
});
after(() => slow.server?.close());

const valueNow = (page) => page.getByTestId('load-progress').getAttribute('aria-valuenow').then(Number);

/** Waits until the bar shows a part of the bytes read, neither none nor all. */
async function partlyRead(page) {
  await page.waitForFunction(() => {
    const v = Number(document.querySelector('[data-testid=load-progress]')?.getAttribute('aria-valuenow'));
    return v > 0 && v < 90;
  });
  return valueNow(page);
}

test('a slow download shows bytes read and time left, the page stays usable, and the trace opens', async () => {
  await withPage(app.browser, 'progress', async (page) => {
    await page.goto(`${app.server.base}?url=${encodeURIComponent(slow.url)}`);
    const first = await partlyRead(page);
    const status = await page.getByTestId('load-status').textContent();
    assert.match(status, /slow-trace\.json: \d+\.\d of \d+\.\d MB read, about \d+ s left/);
    // Another trace opens and shows while the worker reads.
    await page.getByRole('button', { name: 'Checkout' }).click();
    await page.getByTestId('span-count').filter({ hasText: /^5$/ }).waitFor();
    assert.deepEqual(await header(page), { spans: '5', services: '4', depth: '3', errors: '0', micros: '200000' });
    const later = await valueNow(page);
    assert.ok(later > first, `progress moves on: ${first} → ${later}`);
    // Read to the end: the bar goes, the trace is listed with the sample.
    await page.getByTestId('load-progress').waitFor({ state: 'detached', timeout: 20000 });
    await page.getByTestId('trace-list').getByText('slow-trace.json').waitFor();
    await page.getByTestId('trace-list').getByText('slow-trace.json').click();
    await page.getByTestId('span-count').filter({ hasText: /^3000$/ }).waitFor();
    assert.equal(await page.getByTestId('load-error').count(), 0);
  });
});

test('Cancel stops the read, closes the download, says so, and keeps what was loaded', async () => {
  await withPage(app.browser, 'cancel', async (page) => {
    const closedBefore = slow.closedEarly;
    await page.goto(`${app.server.base}?url=${encodeURIComponent(slow.url)}`);
    await partlyRead(page);
    // A file read in a worker of its own starts and ends meanwhile: Cancel still reaches
    // the slow read.
    await page.getByTestId('file-input').setInputFiles(path.join(repo, 'tests/data/refdata/zipkin/skew.json'));
    await page.getByTestId('trace-list').getByText('skew.json').waitFor();
    await page.getByRole('button', { name: 'Checkout' }).click();
    await page.getByTestId('span-count').filter({ hasText: /^5$/ }).waitFor();
    await page.getByTestId('load-cancel').click();
    await page.getByTestId('load-progress').waitFor({ state: 'detached' });
    await page.locator('.notice', { hasText: 'Reading http' }).filter({ hasText: 'was cancelled.' }).waitFor();
    assert.equal(await page.getByTestId('load-error').count(), 0);
    // Ending the worker ended its download.
    for (let i = 0; i < 50 && slow.closedEarly === closedBefore; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(slow.closedEarly, closedBefore + 1, 'the server saw the download stop');
    // Nothing loaded was lost, and the cancelled trace never arrives.
    await page.waitForTimeout(4500);
    assert.deepEqual(await header(page), { spans: '5', services: '4', depth: '3', errors: '0', micros: '200000' });
    assert.equal(await page.getByTestId('trace-list').getByText('slow-trace.json').count(), 0);
    assert.equal(await page.getByTestId('trace-list').getByText('skew.json').count(), 1);
  });
});
