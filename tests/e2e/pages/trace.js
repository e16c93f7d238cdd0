// Page object for a trace's view: the header's numbers, the waterfall's geometry as the app
// publishes it, and its canvas pixels.
import assert from 'node:assert/strict';
import { text } from '../harness.js';

/** The numbers in the trace header. */
export async function header(page) {
  return {
    spans: await text(page, 'span-count'),
    services: await text(page, 'service-count'),
    depth: await text(page, 'trace-depth'),
    errors: await text(page, 'error-count'),
    micros: await page.getByTestId('trace-duration').getAttribute('data-micros'),
  };
}

// Waterfall geometry, as the app publishes it (`data-geometry` on the waterfall): axis height,
// row height, label width, where the timeline starts and its right margin.
export let geometry;

/** Reads the geometry once (it is the app's, not the trace's). */
export async function readGeometry(page) {
  geometry = JSON.parse(await page.getByTestId('waterfall').getAttribute('data-geometry'));
}

export const rowY = (row) => geometry.axisH + geometry.rowH * row + geometry.rowH / 2;
/** A y inside row `row`'s bar but clear of the critical-path band across its middle. */
export const barY = (row) => geometry.axisH + geometry.rowH * row + geometry.barTop + 2;

export async function waitForAttr(locator, name, value) {
  for (let i = 0; i < 100; i++) {
    if ((await locator.getAttribute(name)) === value) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(await locator.getAttribute(name), value);
}

/** RGB of the waterfall canvas at CSS pixel (x, y), and where `fraction` of the trace is. */
export async function pixels(page, points) {
  return page.evaluate((points) => {
    const c = document.querySelector('[data-testid=waterfall] canvas');
    const ctx = c.getContext('2d');
    const r = devicePixelRatio;
    const g = JSON.parse(c.parentElement.dataset.geometry);
    const x0 = g.timelineX;
    const w = c.clientWidth - g.timelineX - g.timelineRight;
    return points.map(([fraction, y]) => Array.from(ctx.getImageData(Math.round((x0 + fraction * w) * r), Math.round(y * r), 1, 1).data.slice(0, 3)));
  }, points);
}

export function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

export async function devicePixelRatio(page) {
  return page.evaluate(() => window.devicePixelRatio);
}

/** RGB of the canvas `selector` (a canvas, or an element holding one) at CSS pixel (x, y). */
export async function canvasPixel(page, selector, x, y) {
  return page.evaluate(({ selector, x, y }) => {
    const el = document.querySelector(selector);
    const c = el.tagName === 'CANVAS' ? el : el.querySelector('canvas');
    const r = devicePixelRatio;
    return Array.from(c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data.slice(0, 3));
  }, { selector, x, y });
}

/** The RGB of a theme colour (a CSS custom property such as `--fg`) as the page has it. */
export async function cssColour(page, name) {
  return rgb(await page.evaluate((name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim(), name));
}
