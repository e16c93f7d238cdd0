// End-to-end: find in trace: matches, quick filters, keyboard navigation, and a link that reproduces the view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowY, waitForAttr } from './pages/trace.js';
import { withPage } from './harness.js';
import { appFixture } from './fixtures.js';

const app = appFixture();

test('find in trace, quick filters, keyboard and a link that reproduces the view', async () => {
  await withPage(app.browser, 'find-keys-url', async (page) => {
    await page.goto(`${app.server.base}?url=${encodeURIComponent('/refdata/jaeger/genaiTestTrace.json')}`);
    const waterfall = page.getByTestId('waterfall');
    await waitForAttr(waterfall, 'data-rows', '57');
    const count = page.getByTestId('find-count');
    const detail = page.getByTestId('span-detail');

    // "/" focuses the search; 5 spans have gen_ai.operation.name=chat (counted in the file).
    await page.keyboard.press('/');
    await page.keyboard.type('gen_ai.operation.name=chat');
    await count.filter({ hasText: '5 matches' }).waitFor();
    await page.keyboard.press('Enter');
    await count.filter({ hasText: '1 of 5' }).waitFor();
    assert.match(await detail.textContent(), /Span ID0000000000000005/);
    await page.keyboard.press('Shift+Enter');
    await count.filter({ hasText: '5 of 5' }).waitFor();
    assert.match(await detail.textContent(), /Span ID0000000000000038/);

    // Only matches: the 5 spans and their 6 ancestors.
    await page.getByTestId('only-matches').check();
    await waitForAttr(waterfall, 'data-rows', '11');
    await page.getByTestId('only-matches').uncheck();
    await waitForAttr(waterfall, 'data-rows', '57');

    // The link reproduces the trace, the selected span and the search.
    const link = page.url();
    assert.match(link, /span=0000000000000038/);
    const other = await app.browser.newPage();
    await other.goto(link);
    await other.getByTestId('find-count').filter({ hasText: '5 matches' }).waitFor();
    assert.match(await other.getByTestId('span-detail').textContent(), /Span ID0000000000000038/);
    await other.close();

    // Esc in the box clears it; the errors-only filter finds the one failed span.
    await page.getByTestId('find-input').press('Escape');
    await page.waitForFunction(() => document.querySelector('[data-testid=find-count]').textContent === '');
    assert.equal(await page.getByTestId('find-input').inputValue(), '');
    await page.getByTestId('errors-only').check();
    await count.filter({ hasText: '1 match' }).waitFor();
    await page.getByTestId('find-input').press('Enter');
    await detail.getByRole('heading', { name: 'GET /api/v1/pods' }).waitFor();
    await page.getByTestId('errors-only').uncheck();

    // Keyboard: select the root row, move down, collapse the root with ←, reopen with →.
    await waterfall.locator('canvas').click({ position: { x: 700, y: rowY(0) } });
    await detail.getByRole('heading', { name: 'POST /api/graphql' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await detail.getByRole('heading', { name: 'Query.assistantReply' }).waitFor();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    await waitForAttr(waterfall, 'data-rows', '1');
    await page.keyboard.press('ArrowRight');
    await waitForAttr(waterfall, 'data-rows', '57');
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await page.keyboard.press('Escape');
  });
});
