// Page object for the search page: opening it on a backend, filling the form, reading the
// results and the scatter plot, and the trace a result opens.
import { text } from '../harness.js';

/** The checkout sample's trace id, which every stub backend has. */
export const CHECKOUT = '4bf92f3577b34da6a3ce929d0e0e4736';

/** Opens the search page at `base`, on `backend` when given. */
export async function openSearch(page, base, backend) {
  await page.goto(`${base}?view=search`);
  await page.getByTestId('search-page').waitFor();
  // config.json arrives after the page: wait for its backends (a loaded machine is slow).
  await page.waitForFunction(() => document.querySelector('[data-testid=backend-select]')?.value);
  if (backend) await page.getByTestId('backend-select').selectOption(backend);
}

export async function search(page, { service = '', tags = '' } = {}) {
  await page.getByTestId('service-input').fill(service);
  await page.getByTestId('service-input').dispatchEvent('change');
  await page.getByTestId('tags-input').fill(tags);
  await page.getByTestId('tags-input').dispatchEvent('change');
  await page.getByTestId('search-button').click();
}

export async function resultCount(page) {
  await page.getByTestId('results-count').waitFor();
  return Number((await text(page, 'results-count')).split(' ')[0]);
}

/** The id and span count of the trace a result opened. */
export async function openedTrace(page) {
  await page.getByTestId('trace-header').waitFor();
  return { spans: await text(page, 'span-count'), id: await text(page, 'trace-id') };
}

/** Centre (CSS px, page coordinates) of the scatter plot's coloured dots, read from pixels. */
export async function dotCentre(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid=scatter]');
    const ctx = c.getContext('2d');
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    let sx = 0, sy = 0, n = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        // The accent blue of a dot, not the grey grid or black labels.
        if (a > 100 && b > r + 60 && b > g + 30) { sx += x; sy += y; n++; }
      }
    }
    const box = c.getBoundingClientRect();
    const ratio = c.width / box.width;
    return n ? { x: box.left + sx / n / ratio, y: box.top + sy / n / ratio, pixels: n } : null;
  });
}

/** Waits until the datalist `id` offers exactly `expected`. */
export async function waitForOptions(page, id, expected) {
  await page.waitForFunction(({ id, expected }) => [...document.querySelectorAll(`#${id} option`)].map((o) => o.value).join('|') === expected.join('|'), { id, expected });
}

export async function chooseService(page, service) {
  await page.getByTestId('service-input').fill(service);
  await page.getByTestId('service-input').dispatchEvent('change');
}
