// The compare view as data: its rows in screen order, read from the DOM (the list keeps only
// the rows on screen, each placed by its `top`).

/** Every row on screen: { name, counts, total, self, change, totalClass }. */
export async function compareRows(page) {
  return page.$$eval('[data-testid=compare-row]', (rows) => rows
    .filter((r) => r.dataset.node !== undefined)
    .map((r) => ({
      top: parseFloat(r.style.top),
      name: r.querySelector('.path').textContent.trim(),
      counts: r.querySelector('.counts').textContent.trim(),
      total: r.querySelector('[data-testid=compare-delta-total]').textContent.trim(),
      self: r.querySelector('[data-testid=compare-delta-self]').textContent.trim(),
      change: r.dataset.change,
      totalClass: r.querySelector('[data-testid=compare-delta-total]').className,
    }))
    .sort((a, b) => a.top - b.top)
    .map(({ top, ...row }) => row));
}

/** The row whose call path ends in `name` ("service: operation"). */
export function compareRow(page, name) {
  return page.getByTestId('compare-row').filter({ has: page.locator('.path', { hasText: name }) });
}

/** The differential flame graph's boxes: { name, depth, x0, x1 } (fractions of the width). */
export async function flameBoxes(page) {
  const layout = await page.getByTestId('diff-flame').getAttribute('data-layout');
  return layout.split('\n').map((line) => {
    const [name, depth, x0, x1] = line.split('|');
    return { name, depth: Number(depth), x0: Number(x0), x1: Number(x1) };
  });
}
