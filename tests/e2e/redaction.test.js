// End-to-end: the Sensitive data panel, "redact in view" and the Download menu, on a trace
// full of planted (fake) secrets (tests/data/secrets.otlp.json). The panel lists what the
// detector finds; with redaction on, the views show masks and a Jaeger download is exactly
// what `spanscope convert --redact-detected` writes, and scans clean. Site rules from
// config.json `redact` apply with the browser's RegExp; a bad pattern turns redaction off
// with a message.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withPage, repo, startServer, launchBrowser } from './harness.js';

const secrets = path.join(repo, 'tests/data/secrets.otlp.json');
const cli = path.join(repo, 'target/release/spanscope');
const started = [];
after(async () => { for (const s of started) await (s.stop ? s.stop() : s.close()); });

async function setUp(config) {
  const server = await startServer({ config });
  const browser = await launchBrowser();
  started.push(server, browser);
  return { server, browser };
}

async function download(page, format) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').selectOption(format)]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), 'utf8') };
}

test('the panel lists the findings; redacted in view and in the download, as the CLI redacts', async () => {
  const { server, browser } = await setUp({ redact: [] });
  await withPage(browser, 'redaction', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('file-input').setInputFiles(secrets);
    await page.getByTestId('trace-id').filter({ hasText: '5b8efff798038103d269b633813fc60c' }).waitFor();
    await page.getByTestId('privacy-button').click();
    assert.match(await page.getByTestId('privacy-summary').textContent(), /^10 values that look like secrets or personal data, under 10 keys/);
    const rows = await page.getByTestId('privacy-findings').locator('tr').allTextContents();
    assert.ok(rows.some((r) => r.includes('http.request.header.authorization') && r.includes('authorization or cookie header')), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('orders-db') && r.includes('db.connection_string') && r.includes('password in a URL')), rows.join('\n'));

    // Not redacted yet: the download holds the planted bearer token.
    const plain = await download(page, 'jaeger');
    assert.equal(plain.name, 'trace-5b8efff798038103d269b633813fc60c.jaeger.json');
    assert.ok(plain.text.includes('Bearer 9f86d081884c7d659a2feaa'));

    await page.getByTestId('redact-toggle').check();
    await page.getByTestId('privacy-button').filter({ hasText: 'redacted' }).waitFor();
    const redacted = await download(page, 'jaeger');
    assert.ok(!redacted.text.includes('9f86d081884c7d659a2feaa') && !redacted.text.includes('s3cret'), 'no secret left');
    const file = path.join(repo, 'target/e2e-redacted.jaeger.json');
    fs.writeFileSync(file, redacted.text);
    // The CLI's scan finds nothing in it (exit 0), and the CLI's own redaction writes the same.
    assert.equal(spawnSync(cli, ['scan', file]).status, 0);
    const byCli = JSON.parse(execFileSync(cli, ['convert', '--to', 'jaeger', '--redact-detected', secrets]));
    assert.deepEqual(JSON.parse(redacted.text), byCli);
    // Ids and timing are the loaded trace's.
    assert.deepEqual(JSON.parse(redacted.text).data[0].spans.map((s) => [s.spanID, s.startTime, s.duration]),
      JSON.parse(plain.text).data[0].spans.map((s) => [s.spanID, s.startTime, s.duration]));
    // OTLP and Zipkin too.
    for (const format of ['otlp', 'zipkin']) {
      const d = await download(page, format);
      assert.equal(d.name, `trace-5b8efff798038103d269b633813fc60c.${format}.json`);
      assert.ok(!d.text.includes('9f86d081884c7d659a2feaa'), format);
      JSON.parse(d.text);
    }
    // Every loaded trace in one file (the sample opened first, then this one), redacted.
    const all = await download(page, 'all-jaeger');
    assert.equal(all.name, 'traces-2.jaeger.json');
    const ids = JSON.parse(all.text).data.map((t) => t.traceID);
    assert.equal(ids.length, 2);
    assert.ok(ids.includes('5b8efff798038103d269b633813fc60c'), ids.join());
    assert.ok(!all.text.includes('9f86d081884c7d659a2feaa'));
    // Off again: the loaded trace is as it was.
    await page.getByTestId('redact-toggle').uncheck();
    assert.ok((await download(page, 'jaeger')).text.includes('Bearer 9f86d081884c7d659a2feaa'));
  });
});

test('config.json redact rules: a hash rule applies in view; a bad pattern turns redaction off', async () => {
  const { server, browser } = await setUp({ redact: [{ key: '^payment\\.reference$', action: 'hash' }] });
  await withPage(browser, 'redaction-rules', async (page) => {
    await page.goto(server.base);
    await page.getByTestId('file-input').setInputFiles(secrets);
    await page.getByTestId('trace-id').waitFor();
    await page.getByTestId('privacy-button').click();
    await page.getByTestId('redact-toggle').check();
    const d = await download(page, 'zipkin');
    const charge = JSON.parse(d.text).find((s) => s.name === 'charge card');
    assert.match(charge.tags['payment.reference'], /^hash:[0-9a-f]{16}$/);
  });
  const bad = await setUp({ redact: [{ key: '(unclosed' }] });
  await withPage(bad.browser, 'redaction-bad-rule', async (page) => {
    await page.goto(bad.server.base);
    await page.getByTestId('file-input').setInputFiles(secrets);
    await page.getByTestId('trace-id').waitFor();
    await page.getByTestId('privacy-button').click();
    // click, not check(): the app turns it back off.
    await page.getByTestId('redact-toggle').click();
    await page.getByText(/Redaction is off: config.json `redact`: redaction rule 1: `\(unclosed` is not a regular expression/).waitFor();
    assert.equal(await page.getByTestId('redact-toggle').isChecked(), false);
  });
});
