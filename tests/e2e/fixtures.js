// Fixtures for the end-to-end specs: each spec file gets the built app served by nginx
// (harness.js) and one headless Chromium, started before its first test and stopped after
// its last. `backendsFixture` adds the stub Jaeger, Zipkin and Tempo servers and a
// config.json naming them in every set-up (same origin through nginx, CORS, failures).
import { before, after } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { startServer, launchBrowser, repo, freePort } from './harness.js';
import { readGeometry } from './pages/trace.js';
import { startStubBackends } from './stub-backends.js';

/** The app and a browser; the fields are filled in before the first test runs. */
export function appFixture(serverOptions = {}) {
  const app = {};
  before(async () => {
    app.server = await startServer(serverOptions);
    app.browser = await launchBrowser();
    // The waterfall's geometry is the app's, not a trace's: read it once.
    const page = await app.browser.newPage();
    await page.goto(app.server.base);
    await page.getByTestId('waterfall').waitFor();
    await readGeometry(page);
    await page.close();
  });
  after(() => stop(app));
  return app;
}

/** The app in front of the stub backends (`app.stub`); `app.closedPort` has no server. */
export function backendsFixture() {
  const app = {};
  before(async () => {
    // 1,500 traces for the big-answer test, made by the CLI's generator.
    const many = path.join(repo, 'target/e2e-many-traces.json');
    if (!fs.existsSync(many)) {
      fs.writeFileSync(many, execFileSync(path.join(repo, 'target/release/spanscope'), ['generate', '--spans', '30000', '--traces', '1500', '--format', 'jaeger', '--seed', '3'], { maxBuffer: 1 << 30 }));
    }
    app.stub = await startStubBackends();
    app.closedPort = await freePort();
    const config = {
      backends: [
        { name: 'same', type: 'jaeger', url: 'backends/jaeger' },
        { name: 'cors-jaeger', type: 'jaeger', url: app.stub.url('cors', 'jaeger'), lookback: '2d', limit: 50 },
        { name: 'jaeger-v3', type: 'jaeger', url: app.stub.url('cors', 'jaeger3') },
        { name: 'zipkin', type: 'zipkin', url: app.stub.url('cors', 'zipkin') },
        { name: 'tempo', type: 'tempo', url: app.stub.url('cors', 'tempo') },
        { name: 'no-cors', type: 'jaeger', url: app.stub.url('nocors', 'jaeger') },
        { name: 'down', type: 'zipkin', url: `http://127.0.0.1:${app.closedPort}` },
        { name: 'broken', type: 'jaeger', url: app.stub.url('cors', 'error500'), api: 'v1' },
        { name: 'garbled', type: 'zipkin', url: app.stub.url('cors', 'malformed') },
        { name: 'slow', type: 'tempo', url: app.stub.url('cors', 'slow'), timeout: '1s' },
        { name: 'wrong-url', type: 'jaeger', url: app.stub.url('cors', 'nothing-here'), api: 'v1' },
        { name: 'same-zipkin', type: 'zipkin', url: 'backends/zipkin' },
        { name: 'same-tempo', type: 'tempo', url: 'backends/tempo' },
        { name: 'old-jaeger', type: 'jaeger', url: app.stub.url('cors', 'jaegerOld') },
        { name: 'tempo-1x', type: 'tempo', url: app.stub.url('cors', 'tempo1'), api: 'tags' },
        { name: 'v3-no-summaries', type: 'jaeger', url: app.stub.url('cors', 'jaeger3NoSummaries'), api: 'v3' },
        { name: 'orders', type: 'zipkin', url: app.stub.url('cors', 'orders') },
      ],
      defaultBackend: 'same',
    };
    app.server = await startServer({
      config,
      proxies: { jaeger: app.stub.url('nocors', 'jaeger'), zipkin: app.stub.url('nocors', 'zipkin'), tempo: app.stub.url('nocors', 'tempo') },
    });
    app.browser = await launchBrowser();
  });
  after(() => stop(app));
  return app;
}

async function stop(app) {
  await app.browser?.close();
  await app.server?.stop();
  await app.stub?.stop();
}

/** Starts `spanscope serve` with `args`; resolves to its base URL and a stop function. */
export async function startServe(args) {
  const bin = path.join(repo, 'target/release/spanscope');
  const proc = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--dist', path.join(repo, 'dist'), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const first = await new Promise((resolve, reject) => {
    readline.createInterface({ input: proc.stdout }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`spanscope serve exited with ${code}`)));
  });
  return { base: first.replace('spanscope serve: listening on ', ''), stop: () => proc.kill() };
}
