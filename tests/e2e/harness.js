// Test harness: serves the built app (dist/) with nginx on 127.0.0.1 under a path prefix, so
// tests also prove that the app works from any base path, and drives headless Chromium.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const dist = path.join(repo, 'dist');
export const refdata = path.join(repo, 'tests/data/refdata');
export const artifacts = path.join(repo, 'tests/artifacts');

/** A port on 127.0.0.1 that nothing listens on now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Waits until something (`what`) listens on `port` of 127.0.0.1. */
export async function waitForPort(port, timeoutMs = 10000, what = 'nginx') {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not listen on ${port}`);
}

/**
 * Starts nginx serving dist/ at /spanscope/ and tests/data/refdata at /refdata/. Options:
 * `config` is served as /spanscope/config.json; `proxies` maps a name to an upstream URL that
 * nginx proxies at /spanscope/backends/NAME/ (the same-origin set-up of the README's example).
 * `cors` lets pages of any origin load the files (a portal using the web component);
 * `files` is a folder served at /files/ (benchmark inputs).
 */
export async function startServer({ config = null, proxies = {}, cors = false, files = null } = {}) {
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error('dist/index.html missing: run `trunk build --release` first');
  }
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanscope-nginx-'));
  const conf = `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  types { text/html html; text/css css; application/javascript js; application/wasm wasm; application/json json jsonl; }
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    ${cors ? 'add_header Access-Control-Allow-Origin "*" always;' : ''}
    location /spanscope/ { alias ${dist}/; }
    # README (Next to jaeger-query): Jaeger UI's trace path to the app.
    location ~ "^/spanscope/trace/([0-9A-Za-z]{1,64})$" { return 303 /spanscope/?trace=$1&$args; }
    ${config ? `location = /spanscope/config.json { alias ${dir}/config.json; }` : ''}
    ${Object.entries(proxies).map(([name, upstream]) => `location /spanscope/backends/${name}/ { proxy_pass ${upstream}/; }`).join('\n    ')}
    location /refdata/ { alias ${refdata}/; }
    ${files ? `location /files/ { alias ${files}/; }` : ''}
  }
}`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  if (config) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const proc = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'inherit' });
  await waitForPort(port);
  return {
    base: `http://127.0.0.1:${port}/spanscope/`,
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => { proc.once('exit', resolve); proc.kill('SIGTERM'); }),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Runs `body` with a fresh page (`options` as for Playwright's newPage, e.g. a device scale
 * factor); on failure keeps a screenshot in tests/artifacts/. */
export async function withPage(browser, name, body, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Every test also proves that the page's Content-Security-Policy refuses nothing the app does.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await body(page);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const violations = page.isClosed() ? [] : await page.evaluate(() => window.__cspViolations || []).catch(() => []);
    if (violations.length) throw new Error(`CSP violations: ${violations.join('; ')}`);
  } catch (e) {
    fs.mkdirSync(artifacts, { recursive: true });
    const file = path.join(artifacts, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    e.message += `\n(screenshot: ${file})`;
    throw e;
  } finally {
    await page.close();
  }
}

export async function text(page, testid) {
  return (await page.getByTestId(testid).textContent()).trim();
}

/** Benchmarks: opens the app, loads `file` by file input and waits until its `spans` spans
 * are read and the waterfall has painted. */
export async function openTraceFile(page, base, file, spans) {
  await page.goto(base);
  await page.getByTestId('trace-header').waitFor();
  await page.evaluate(() => {
    performance.clearMarks();
    // Main-thread tasks over 50 ms from here on (the benchmark reports the longest).
    window.spanscopeLongTasks = [];
    new PerformanceObserver((list) => window.spanscopeLongTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('span-count').filter({ hasText: String(spans) }).waitFor({ timeout: 600000 });
  await page.waitForFunction(() => performance.getEntriesByName('spanscope:first-paint').length > 0, null, { timeout: 600000 });
}
