// The embedding example's host side (embed-example.html): talks to Spanscope in the iframe
// with messages {spanscope: 1, type, ...}, after the app says `ready`.
const frame = document.getElementById('spanscope');
const app = new URL(frame.src, location.href).origin;
const log = (line) => { document.getElementById('log').textContent += `${line}\n`; };
const send = (message, transfer = []) => frame.contentWindow.postMessage({ spanscope: 1, ...message }, app, transfer);

window.addEventListener('message', (event) => {
  if (event.origin !== app || event.data?.spanscope !== 1) return;
  const { spanscope, type, ...details } = event.data;
  log(`${type} ${JSON.stringify(details)}`);
});

const sample = () => fetch(new URL('samples/checkout.jaeger.json', frame.src)).then((r) => r.text());
document.getElementById('open-text').onclick = async () => send({ type: 'open', trace: await sample(), name: 'checkout (text)' });
document.getElementById('open-buffer').onclick = async () => {
  const buffer = new TextEncoder().encode(await sample()).buffer;
  send({ type: 'open', trace: buffer, name: 'checkout (buffer)' }, [buffer]);
};
document.getElementById('select').onclick = () => send({ type: 'select', spanId: document.getElementById('span').value });
document.getElementById('dark').onclick = () => send({ type: 'set-theme', theme: 'dark' });
document.getElementById('light').onclick = () => send({ type: 'set-theme', theme: 'light' });
document.getElementById('stats').onclick = () => send({ type: 'set-view', tab: 'stats' });
