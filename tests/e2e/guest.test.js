// End-to-end: a good guest: the page's Content-Security-Policy refuses inline script (the app needs none),
// and keys and paste count only inside the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { waitForAttr } from './pages/trace.js';
import { withPage, refdata, repo } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test("the page's Content-Security-Policy refuses inline script, and the app needs none", async () => {
  const html = fs.readFileSync(path.join(repo, 'dist/index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script> in the built page');
  await withPage(app.browser, 'csp', async (page) => {
    await page.goto(app.server.base);
    await page.getByTestId('trace-header').waitFor();
    const policy = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.match(policy, /object-src 'none'/);
    // An injected inline script does not run, and the refusal is seen (so the check that
    // every other test makes, "no CSP violations", can fail).
    const outcome = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = 1';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 100));
      const seen = window.__cspViolations.splice(0);
      return { ran: window.inlineRan === 1, seen };
    });
    assert.equal(outcome.ran, false);
    assert.ok(outcome.seen.some((v) => v.startsWith('script-src')), JSON.stringify(outcome.seen));
  });
});

test('a good guest: keys and paste count only inside the app, which takes the focus on its own page', async () => {
  await withPage(app.browser, 'good-guest', async (page) => {
    await page.goto(app.server.base);
    await waitForAttr(page.getByTestId('waterfall'), 'data-rows', '5');
    const active = () => page.evaluate(() => document.activeElement?.dataset?.testid || document.activeElement?.className || '');
    assert.equal(await active(), 'page', 'the standalone page focuses the app');
    const rows = () => page.locator('[data-testid=trace-list] tbody tr').count();

    // Something of the host page's, outside the app, has the focus: its keys and pastes
    // are not the app's.
    await page.evaluate(() => {
      const host = document.createElement('div');
      host.id = 'host';
      host.tabIndex = 0;
      host.textContent = 'host page';
      document.body.prepend(host);
      host.focus();
    });
    await page.keyboard.press('/');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'host');
    assert.equal(await page.locator('[data-testid=span-detail] h3').count(), 0, 'no span selected by a key outside the app');
    const skew = fs.readFileSync(path.join(refdata, 'zipkin/skew.json'), 'utf8');
    const paste = (selector, json) => page.evaluate(({ selector, json }) => {
      const data = new DataTransfer();
      data.setData('text', json);
      document.querySelector(selector).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, { selector, json });
    await paste('#host', skew);
    await page.waitForTimeout(200);
    assert.equal(await rows(), 1, 'a paste outside the app opens nothing');

    // Inside the app, "/" opens the find box and a paste opens the JSON.
    await page.locator('main.page').focus();
    await page.keyboard.press('/');
    assert.equal(await active(), 'find-input');
    await page.keyboard.press('Escape');
    await page.locator('main.page').focus();
    await paste('main.page', skew);
    await page.getByTestId('trace-id').filter({ hasText: '1e223ff1f80f1c69' }).waitFor();
    assert.equal(await rows(), 2);
  });
});
