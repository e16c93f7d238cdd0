// Spanscope's reader worker. The page sends [glue URL, its compiled WebAssembly.Module, a File
// or URL, a label]; this imports the page's own JS glue, instantiates the same module (no
// second download or compile) and lets the module read (src/reader/worker.rs). If the
// module cannot start here, "x" tells the page to read on its own thread.
onmessage = async ({ data: [glue, module, input, label] }) => {
  let app;
  try {
    app = await import(glue);
    await app.default({ module_or_path: module });
  } catch (e) {
    return postMessage(["x", String(e)]);
  }
  try {
    await app.spanscope_read(input, label);
  } catch (e) {
    postMessage(["e", `${label}: the reader failed (${e})`]);
  }
};
