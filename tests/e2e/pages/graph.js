// Page object for the service graph: opening it, its nodes as the canvas reports them
// (`data-nodes`, `data-scale`, `data-node-size`), clicking a node, and reading pixels.
import assert from 'node:assert/strict';

/** Opens the genai reference trace (57 spans, 10 services) on its *Service graph* tab. */
export async function openGenaiGraph(page, base) {
  await page.goto(`${base}?url=${encodeURIComponent('/refdata/jaeger/genaiTestTrace.json')}`);
  await page.getByTestId('span-count').filter({ hasText: '57' }).waitFor();
  await page.getByTestId('tab-graph').click();
  return page.getByTestId('service-graph');
}

/** Opens the checkout sample's *Service graph* tab; returns the graph canvas. */
export async function openSampleGraph(page, base) {
  await page.goto(base);
  await page.getByTestId('trace-header').waitFor();
  await page.getByTestId('tab-graph').click();
  const graph = page.getByTestId('service-graph');
  await graph.waitFor();
  return graph;
}

/** Clicks a graph node by name, at the centre the canvas reports for it. */
export async function clickNode(page, name) {
  const graph = page.getByTestId('service-graph');
  await graph.scrollIntoViewIfNeeded();
  const nodes = JSON.parse(await graph.getAttribute('data-nodes'));
  const n = nodes.find((x) => x.name === name);
  assert.ok(n, `no node ${name} in ${nodes.map((x) => x.name)}`);
  const box = await graph.boundingBox();
  await page.mouse.click(box.x + n.x, box.y + n.y);
  await page.getByTestId('graph-detail').getByRole('heading', { name }).waitFor();
}

/** The graph's nodes (centres in CSS px), zoom scale and node size (graph units), once the canvas has settled. */
export async function graphState(page) {
  const graph = page.getByTestId('service-graph');
  const nodes = JSON.parse(await graph.getAttribute('data-nodes'));
  const [w, h] = (await graph.getAttribute('data-node-size')).split(' ').map(Number);
  return { at: Object.fromEntries(nodes.map((n) => [n.name, n])), scale: Number(await graph.getAttribute('data-scale')), node: { w, h } };
}

/** The RGBA of the graph canvas's pixels in a `size`×`size` CSS px box at (x, y), strongest alpha first. */
export async function graphPixels(page, x, y, size = 5) {
  return page.evaluate(({ x, y, size }) => {
    const c = document.querySelector('[data-testid=service-graph]');
    const r = devicePixelRatio;
    const n = Math.round(size * r);
    const d = c.getContext('2d').getImageData(Math.round((x - size / 2) * r), Math.round((y - size / 2) * r), n, n).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    return out.sort((a, b) => b[3] - a[3]);
  }, { x, y, size });
}
