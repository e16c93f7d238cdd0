// <spanscope-trace>: Spanscope as a web component (README: Web component). Load it as a
// module from beside the app's files (`<script type="module" src=".../spanscope-element.js">`);
// every element on the page gets its own app, in its own shadow root, from one wasm module.
// Attributes: src (a trace URL), span (a span id to select), tab, hide, theme. Property:
// trace (JSON text, an object, an ArrayBuffer or a Uint8Array). Events (bubbling, composed):
// spanscope-ready, spanscope-loaded, spanscope-span-selected, spanscope-error.
// The file names below are this build's (scripts/element-script.sh fills them in).
const files = { glue: '%GLUE%', wasm: '%WASM%', css: '%CSS%' };
const here = (name) => new URL(name, import.meta.url).href;
// The module is fetched and compiled as soon as this script runs, not when the first element
// is attached: a page that loads the script is about to show traces.
const glue = import(here(files.glue)).then(async (g) => {
  await g.default({ module_or_path: here(files.wasm) });
  return g;
});
const loadGlue = () => glue;

// Attributes read at mount as the app's parameters, and the request a later change makes.
const PARAMS = { src: 'url', span: 'span', tab: 'tab', hide: 'hide', theme: 'theme' };
const REQUESTS = {
  src: (url) => ({ type: 'open-url', url }),
  span: (spanId) => ({ type: 'select', spanId }),
  tab: (tab) => ({ type: 'set-view', tab }),
  theme: (theme) => ({ type: 'set-theme', theme: theme || 'system' }),
};

export class SpanscopeTrace extends HTMLElement {
  static observedAttributes = Object.keys(PARAMS);
  #app;
  #pending = [];
  #trace;

  connectedCallback() {
    if (this.#app || this.shadowRoot?.childElementCount) return;
    // A `trace` set before this class was defined sits on the instance: take it over.
    if (Object.hasOwn(this, 'trace')) {
      const early = this.trace;
      delete this.trace;
      this.trace = early;
    }
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const css = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: here(files.css) });
    const target = document.createElement('div');
    shadow.replaceChildren(css, target);
    const styled = new Promise((done) => { css.onload = css.onerror = done; });
    Promise.all([loadGlue(), styled]).then(([g]) => {
      // Taken out (or out and back in, with a new target) while the module loaded: not here.
      if (!target.isConnected || this.#app) return;
      const params = Object.entries(PARAMS)
        .filter(([attr]) => this.hasAttribute(attr))
        .map(([attr, key]) => [key, this.getAttribute(attr)]);
      this.#app = g.mount_element(target, this, params, here('config.json'));
      for (const request of this.#pending.splice(0)) this.#app.send(request);
    }, (e) => this.dispatchEvent(new CustomEvent('spanscope-error', {
      detail: { message: `Spanscope could not start: ${e}` }, bubbles: true, composed: true,
    })));
  }

  disconnectedCallback() {
    this.#app?.unmount();
    this.#app = undefined;
    this.shadowRoot?.replaceChildren();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#app || old === value) return; // Before mounting, attributes are read then.
    if (name === 'hide') {
      this.shadowRoot.querySelector('main')?.setAttribute('data-hide', (value ?? '').split(',').map((p) => p.trim()).join(' '));
    } else if (value !== null || name === 'theme') {
      this.#app.send(REQUESTS[name](value));
    }
  }

  get trace() { return this.#trace; }

  set trace(trace) {
    this.#trace = trace;
    this.#send({ type: 'open', trace, name: this.getAttribute('name') ?? 'trace' });
  }

  #send(request) {
    if (this.#app) this.#app.send(request);
    else this.#pending.push(request);
  }
}

if (!customElements.get('spanscope-trace')) customElements.define('spanscope-trace', SpanscopeTrace);
