// What the browser benchmarks share: percentiles, a view's time from an action to the
// `spanscope:view-rendered` mark, and per-frame times while scrolling or hovering.

export const percentile = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** `p50 / p95` of `xs`, one decimal. */
export const p50p95 = (xs) => `${percentile(xs, 0.5).toFixed(1)} / ${percentile(xs, 0.95).toFixed(1)}`;

/** Runs `action` and waits for the view-rendered mark with `detail`; returns ms. */
export async function timeToView(page, action, detail) {
  await page.evaluate(() => performance.clearMarks('spanscope:view-rendered'));
  const t0 = await page.evaluate(() => performance.now());
  await action();
  await page.waitForFunction((d) => performance.getEntriesByName('spanscope:view-rendered').some((m) => m.detail === d), detail, { timeout: 600000 });
  return page.evaluate(({ d, t0 }) => performance.getEntriesByName('spanscope:view-rendered').find((m) => m.detail === d).startTime - t0, { d: detail, t0 });
}

/** ms of work per step while the element `testid` scrolls 60 times by `stepPx` pixels (a
 *  wheel's step), or by 1/60 of its height (jumps, as dragging the scroll bar) without it. */
export function scrollFrames(page, testid, stepPx) {
  return page.evaluate(async ([testid, stepPx]) => {
    const el = document.querySelector(`[data-testid=${testid}]`);
    const times = [];
    for (let i = 0; i < 60; i++) {
      await new Promise((res) => requestAnimationFrame(res));
      const t = performance.now();
      el.scrollTop += stepPx || el.scrollHeight / 60;
      el.dispatchEvent(new Event('scroll'));
      await new Promise((res) => setTimeout(res, 0));
      times.push(performance.now() - t);
    }
    return times;
  }, [testid, stepPx]);
}

/** ms of work per pointer move over the canvas `testid`, 100 moves across its rows. */
export function hoverFrames(page, testid) {
  return page.evaluate(async (testid) => {
    const c = document.querySelector(`[data-testid=${testid}]`);
    const r = c.getBoundingClientRect();
    const times = [];
    for (let i = 0; i < 100; i++) {
      await new Promise((res) => requestAnimationFrame(res));
      const t = performance.now();
      c.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + 20 + (i * 13) % (r.width - 40), clientY: r.top + 10 + (i % 8) * 20, bubbles: true }));
      await new Promise((res) => setTimeout(res, 0));
      times.push(performance.now() - t);
    }
    return times;
  }, testid);
}
