//! Reading traces off the page's thread: a Web Worker runs this same wasm module (handed
//! over compiled, so nothing is downloaded or compiled twice), reads a file or URL with
//! progress, parses it, and sends the model back as one transferred buffer ([`pack`]).
//! Ending the worker frees everything it used. Where a worker cannot start (an old browser,
//! a page whose policy forbids it), the page reads as before.

pub mod pack;
pub mod worker;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::load::{self, LoadOutcome, TraceSource};

/// How far a load has come, for the progress bar.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Progress {
    pub label: String,
    /// Bytes read so far, and of how many (0: not known).
    pub done: f64,
    pub total: f64,
    /// All bytes are in; the worker is parsing them.
    pub parsing: bool,
    pub started_ms: f64,
    /// A worker reads: *Cancel* can stop it.
    pub cancellable: bool,
}

impl Progress {
    pub fn new(label: String) -> Progress {
        Progress { label, started_ms: crate::perf::now_ms(), ..Default::default() }
    }

    /// Percent of the bytes read; `None` (an indeterminate bar) while the size is unknown
    /// or the worker parses (one call, which reports nothing until it ends).
    pub fn percent(&self) -> Option<f64> {
        (self.total > 0.0 && !self.parsing).then(|| (100.0 * self.done / self.total).min(100.0))
    }

    fn parse_estimate_ms(&self) -> f64 {
        self.total.max(self.done) / PARSE_BYTES_PER_MS
    }

    /// What the bar's text says: bytes read and an estimate of the time left.
    pub fn text(&self) -> String {
        let mb = |b: f64| spanscope_core::format::fixed(b / 1e6, if b < 1e7 { 1 } else { 0 });
        let elapsed = crate::perf::now_ms() - self.started_ms;
        match (self.parsing, self.total > 0.0) {
            (true, _) => format!(
                "{}: parsing {} MB, about {} s",
                self.label,
                mb(self.total.max(self.done)),
                spanscope_core::format::fixed((self.parse_estimate_ms() / 1e3).max(1.0), 0)
            ),
            (false, true) if self.done > 0.0 => {
                let left =
                    (self.total - self.done) / self.done * elapsed + self.parse_estimate_ms();
                format!(
                    "{}: {} of {} MB read, about {} s left",
                    self.label,
                    mb(self.done),
                    mb(self.total),
                    spanscope_core::format::fixed((left / 1e3).max(1.0), 0)
                )
            }
            (false, _) if self.done > 0.0 => format!("{}: {} MB read", self.label, mb(self.done)),
            _ => format!("{}: reading…", self.label),
        }
    }
}

/// How fast the worker parses JSON, measured (bench-ui.mjs): about 200 MB/s.
const PARSE_BYTES_PER_MS: f64 = 200e3;

thread_local! {
    /// The workers reading now (a host page's `open` may start one while a file is read),
    /// how to end the wait for each, and the app each reads for (its `busy` signal: a page
    /// may hold several apps, one per web-component element).
    static RUNNING: RefCell<Vec<Running>> = const { RefCell::new(Vec::new()) };
}

type Running = (web_sys::Worker, js_sys::Function, Busy);
type Busy = leptos::prelude::RwSignal<Option<Progress>>;

/// Stops the reads under way in workers for the app showing `busy`: each worker ends (its
/// memory with it) and each read's outcome says it was cancelled.
pub fn cancel(busy: Busy) {
    let mine = RUNNING.with(|r| {
        let (mine, others) =
            std::mem::take(&mut *r.borrow_mut()).into_iter().partition(|run| run.2 == busy);
        r.replace(others);
        mine
    });
    for (worker, finish, _) in mine {
        worker.terminate();
        let _ = finish.call1(&JsValue::NULL, &js_sys::Array::of1(&"c".into()));
    }
}

/// Reads `input` (a `File`, or a URL string) in a worker, showing its progress in
/// `busy`; reads on the page when no worker can start.
pub async fn read(
    from: TraceSource,
    input: JsValue,
    busy: leptos::prelude::RwSignal<Option<Progress>>,
) -> LoadOutcome {
    use leptos::prelude::Set;
    let label = from.label();
    let mut shown = Progress { cancellable: true, ..Progress::new(label.clone()) };
    busy.set(Some(shown.clone()));
    let reply = in_worker(&input, &label, busy, move |done, total, parsing| {
        if parsing && !shown.parsing {
            crate::perf::mark(crate::perf::BYTES_READ);
        }
        (shown.done, shown.total, shown.parsing) = (done, total, parsing);
        busy.set(Some(shown.clone()));
    })
    .await
    .unwrap_or_else(|| js_sys::Array::of1(&"x".into()));
    let payload = reply.get(1);
    let started = crate::perf::now_ms();
    match reply.get(0).as_string().unwrap_or_default().as_str() {
        "t" => match pack::unpack(js_sys::Uint8Array::new(&payload)) {
            Some(set) => {
                // Copying the model in and summarizing it are two tasks, not one long one.
                load::yield_to_browser(0).await;
                load::outcome(from, Ok(set), started)
            }
            None => LoadOutcome::failed(format!("{label}: the reader sent a damaged model")),
        },
        "b" => load::parse(from, &js_sys::Uint8Array::new(&payload).to_vec()),
        "c" => LoadOutcome {
            notices: vec![format!("Reading {label} was cancelled.")],
            ..LoadOutcome::failed(String::new())
        },
        // No worker could start: read on the page, the way before workers.
        "x" => match load::input_bytes(&input, &|_, _| {}).await {
            Ok(bytes) => load::parse(from, &bytes),
            Err(error) => LoadOutcome::failed(error),
        },
        _ => LoadOutcome::failed(payload.as_string().unwrap_or_default()),
    }
}

#[wasm_bindgen]
extern "C" {
    type ImportMeta;
    #[wasm_bindgen(method, getter)]
    fn url(this: &ImportMeta) -> String;
    /// `import.meta` of the JS glue: the URL the worker imports the glue from.
    #[wasm_bindgen(thread_local_v2, js_namespace = import, js_name = meta)]
    static IMPORT_META: ImportMeta;
}

thread_local! {
    /// The page-origin script that imports worker.js, made once.
    static WORKER_SHIM: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
}

/// A `blob:` URL of the page's origin for a module that imports `script`.
fn importing(script: &str) -> Option<String> {
    let source = format!("import {};", serde_json::to_string(script).ok()?);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(
        &js_sys::Array::of1(&source.into()),
        &options,
    )
    .ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Runs the worker to its last message: `[tag, payload]`; `None` when none can start.
async fn in_worker(
    input: &JsValue,
    label: &str,
    busy: Busy,
    on_progress: impl FnMut(f64, f64, bool) + 'static,
) -> Option<js_sys::Array> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    // worker.js sits beside the glue (index.html copies it there): a same-origin script, as
    // `script-src 'self'` wants, under any base path.
    let glue = IMPORT_META.with(ImportMeta::url);
    let script = format!("{}/worker.js", glue.rsplit_once('/')?.0);
    let script = if script.starts_with(&format!("{}/", crate::remote::http::page_origin())) {
        script
    } else {
        // A page of another origin (a portal using the web component) may not start a
        // worker from the app's origin: a worker of its own imports worker.js (with CORS).
        WORKER_SHIM.with(|shim| shim.get_or_init(|| importing(&script)).clone())?
    };
    let worker = web_sys::Worker::new_with_options(&script, &options).ok()?;
    let mut finish = None;
    let reply = js_sys::Promise::new(&mut |resolve, _| finish = Some(resolve));
    let finish = finish?;
    let on_progress = RefCell::new(on_progress);
    let done = finish.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let message: js_sys::Array = ev.data().unchecked_into();
            match message.get(0).as_string().as_deref() {
                Some("p") => (on_progress.borrow_mut())(
                    message.get(1).as_f64().unwrap_or(0.0),
                    message.get(2).as_f64().unwrap_or(0.0),
                    message.get(3).is_truthy(),
                ),
                _ => {
                    let _ = done.call1(&JsValue::NULL, &message);
                }
            }
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // A script that cannot load (blocked, missing) reads on the page instead.
    let failed = finish.clone();
    let on_error = Closure::<dyn Fn()>::new(move || {
        let _ = failed.call1(&JsValue::NULL, &js_sys::Array::of1(&"x".into()));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let job = js_sys::Array::of4(&glue.into(), &wasm_bindgen::module(), input, &label.into());
    // A buffer a host page handed over moves on to the worker instead of being copied.
    let buffer = match input.dyn_ref::<js_sys::Uint8Array>() {
        Some(view) => view.buffer().into(),
        None => input.clone(),
    };
    if buffer.is_instance_of::<js_sys::ArrayBuffer>() {
        worker.post_message_with_transfer(&job, &js_sys::Array::of1(&buffer)).ok()?;
    } else {
        worker.post_message(&job).ok()?;
    }
    RUNNING.with(|r| r.borrow_mut().push((worker.clone(), finish, busy)));
    let reply = JsFuture::from(reply).await.ok()?;
    // Only this read's worker leaves the list: another read may still be running.
    RUNNING.with(|r| r.borrow_mut().retain(|(w, ..)| !js_sys::Object::is(w, &worker)));
    worker.terminate();
    Some(reply.unchecked_into())
}
