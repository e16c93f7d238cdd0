// The web component example's portal side (element-example.html): hands the second element
// a trace through its `trace` property and logs what both elements tell.
const log = (line) => { document.getElementById('log').textContent += `${line}\n`; };
for (const type of ['spanscope-ready', 'spanscope-loaded', 'spanscope-span-selected', 'spanscope-error']) {
  document.addEventListener(type, (e) => log(`${e.target.id}: ${type} ${JSON.stringify(e.detail)}`));
}
const second = document.getElementById('second');
fetch('samples/shop.otlp.json').then((r) => r.arrayBuffer()).then((bytes) => { second.trace = bytes; });
document.getElementById('stats').onclick = () => second.setAttribute('tab', 'stats');
