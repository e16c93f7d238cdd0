// A small W3C WebDriver client (plain HTTP, no dependencies) and the three engines' drivers
// from Debian's packages: Chromium (chromedriver), Firefox ESR (geckodriver) and WebKit
// (WebKitWebDriver driving MiniBrowser under Xvfb). Nothing here downloads a browser.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './harness.js';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function which(candidates) {
  return candidates.find((c) => fs.existsSync(c));
}

const geckodriver = which([path.join(os.homedir(), '.cargo/bin/geckodriver'), '/usr/local/bin/geckodriver', '/usr/bin/geckodriver']);
const minibrowser = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The engines, each with its driver command and the capabilities of a headless session. */
export const ENGINES = {
  chromium: {
    driver: (port) => ['/usr/bin/chromedriver', [`--port=${port}`]],
    capabilities: {
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: '/usr/bin/chromium',
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--no-first-run', '--window-size=1280,900'],
      },
    },
  },
  firefox: {
    driver: (port) => [geckodriver, ['--host', '127.0.0.1', '--port', String(port)]],
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': { binary: '/usr/bin/firefox-esr', args: ['-headless', '--width=1280', '--height=900'] },
    },
  },
  webkit: {
    needsDisplay: true,
    driver: (port) => ['/usr/bin/WebKitWebDriver', [`--port=${port}`]],
    capabilities: {
      'webkitgtk:browserOptions': { binary: minibrowser, args: ['--automation'] },
    },
  },
};

/** Starts Xvfb on a free display; MiniBrowser's own headless mode hangs. */
async function startXvfb() {
  for (let display = 90; display < 120; display++) {
    if (fs.existsSync(`/tmp/.X${display}-lock`)) continue;
    const proc = spawn('Xvfb', [`:${display}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !fs.existsSync(`/tmp/.X11-unix/X${display}`); i++) await new Promise((r) => setTimeout(r, 100));
    if (proc.exitCode === null) return { display: `:${display}`, stop: () => proc.kill('SIGTERM') };
  }
  throw new Error('no free X display for Xvfb');
}

/** Starts the engine's driver and opens a session; `quit()` ends both. */
export async function startSession(engine) {
  const spec = ENGINES[engine];
  const port = await freePort();
  const [command, args] = spec.driver(port);
  if (!command || !fs.existsSync(command)) throw new Error(`${engine}: its WebDriver is not installed (${command})`);
  const xvfb = spec.needsDisplay ? await startXvfb() : null;
  const env = { ...process.env, ...(xvfb ? { DISPLAY: xvfb.display } : {}) };
  const proc = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, 20000, `${engine} driver`);
  const base = `http://127.0.0.1:${port}`;
  const created = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: spec.capabilities } });
  const session = new Session(`${base}/session/${created.sessionId}`, engine, created.capabilities);
  session.cleanup = async () => {
    await call(session.url, 'DELETE', '').catch(() => {});
    proc.kill('SIGTERM');
    xvfb?.stop();
  };
  return session;
}

async function call(base, method, route, body) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok || json.value?.error) {
    throw new Error(`WebDriver ${method} ${route}: ${json.value?.error}: ${json.value?.message}`);
  }
  return json.value;
}

export class Session {
  constructor(url, engine, capabilities) {
    this.url = url;
    this.engine = engine;
    this.capabilities = capabilities;
  }

  cmd(method, route, body) {
    return call(this.url, method, route, body);
  }

  async quit() {
    await this.cleanup?.();
  }

  navigate(url) {
    return this.cmd('POST', '/url', { url });
  }

  async setWindow(width, height) {
    await this.cmd('POST', '/window/rect', { width, height }).catch(() => {});
  }

  /** Runs `fn(...args)` in the page and returns its result (a promise is awaited). */
  exec(fn, ...args) {
    return this.cmd('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1];
        Promise.resolve((${fn}).apply(null, Array.from(arguments).slice(0, -1))).then(done, (e) => done({ __error: String(e) }));`,
      args,
    }).then((v) => {
      if (v && v.__error) throw new Error(`in page: ${v.__error}`);
      return v;
    });
  }

  /** Waits until `fn(...args)` is truthy in the page, and returns its value. */
  async until(what, fn, ...args) {
    const until = Date.now() + 30000;
    let last;
    while (Date.now() < until) {
      last = await this.exec(fn, ...args).catch((e) => ({ failed: String(e) }));
      if (last && !last.failed) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.engine}: timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
  }

  async find(css) {
    const found = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return found[ELEMENT];
  }

  /** Types into an element; for a file input, `text` is the file's absolute path. */
  async sendKeys(css, text) {
    const id = await this.find(css);
    return this.cmd('POST', `/element/${id}/value`, { text });
  }

  async click(css) {
    const id = await this.find(css);
    return this.cmd('POST', `/element/${id}/click`, {});
  }

  /** A real pointer click at (x, y) CSS pixels from the element's top left corner. */
  async clickAt(css, x, y) {
    // Viewport coordinates: an element's own origin is its visible part's centre, which
    // moves when it is taller than the window.
    const at = await this.exec((css, x, y) => {
      const el = document.querySelector(css);
      el.scrollIntoView({ block: 'nearest' });
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.left + x), y: Math.round(r.top + y) };
    }, css, x, y);
    await this.cmd('POST', '/actions', {
      actions: [{
        type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
        actions: [{ type: 'pointerMove', duration: 0, origin: 'viewport', x: at.x, y: at.y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
      }],
    });
    await this.cmd('DELETE', '/actions').catch(() => {});
  }

  /** Presses keys (WebDriver key codes, e.g. '\uE015' for ArrowDown) as a user would. */
  async press(...keys) {
    const actions = keys.flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions').catch(() => {});
  }
}

export const KEY = { ArrowDown: '\uE015', ArrowUp: '\uE013', Escape: '\uE00C' };
