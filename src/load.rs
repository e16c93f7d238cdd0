//! Getting trace bytes into wasm: from a picked or dropped `File`, or fetched from a URL.
//! Bytes arrive as a `Uint8Array` copied once into wasm memory; never through a JS string or
//! `JSON.parse`.

use std::sync::Arc;

use spanscope_core::{Opened, Trace, TraceSet, TraceSummary};
use spanscope_graph::ServiceGraph;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::perf;

/// Where a loaded trace came from: what the trace list shows, and what a link needs to open
/// it again.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceSource {
    /// A picked or dropped file, by name.
    File(String),
    /// Fetched from a URL (`?url=`).
    Url(String),
    /// A sample bundled with the app, by its path.
    Sample(String),
    Pasted,
    Generated(usize),
    /// Looked up in a configured backend.
    Backend {
        backend: String,
        trace_id: String,
    },
}

impl TraceSource {
    pub fn label(&self) -> String {
        match self {
            TraceSource::File(name) => name.clone(),
            TraceSource::Url(url) | TraceSource::Sample(url) => url.clone(),
            TraceSource::Pasted => "pasted JSON".into(),
            TraceSource::Generated(spans) => format!("generated ({spans} spans)"),
            TraceSource::Backend { backend, trace_id } => {
                let short: String = trace_id.chars().take(12).collect();
                format!("{backend}: {short}…")
            }
        }
    }

    /// The URL a link opens this trace from (`?url=`), when there is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            TraceSource::Url(url) | TraceSource::Sample(url) => Some(url),
            _ => None,
        }
    }

    /// The backend a link looks this trace up in (`?backend=&trace=`).
    pub fn backend(&self) -> Option<&str> {
        match self {
            TraceSource::Backend { backend, .. } => Some(backend),
            _ => None,
        }
    }

    pub fn is_sample(&self) -> bool {
        matches!(self, TraceSource::Sample(_))
    }
}

/// One trace ready to show, with where it came from.
#[derive(Clone)]
pub struct LoadedTrace {
    pub source: TraceSource,
    pub summary: TraceSummary,
    pub trace: Arc<Trace>,
}

/// A backend's dependency links, loaded from a file.
#[derive(Clone)]
pub struct LoadedGraph {
    pub source: String,
    pub graph: Arc<ServiceGraph>,
}

/// What reading one input produced: its traces (or a dependency graph), or a message.
pub struct LoadOutcome {
    pub traces: Vec<LoadedTrace>,
    pub graph: Option<LoadedGraph>,
    pub notices: Vec<String>,
    pub error: Option<String>,
    pub parse_ms: f64,
}

/// Opens bytes with the core's one way in; never panics on bad input.
pub fn parse(from: TraceSource, bytes: &[u8]) -> LoadOutcome {
    perf::mark(perf::BYTES_READ);
    reserve_for_model(bytes.len());
    let started = perf::now_ms();
    match spanscope_core::open(bytes) {
        Ok(Opened::Traces(set)) => outcome(from, Ok(set), started),
        // Dependency links (Jaeger `/api/dependencies`, Zipkin `/dependencies`) open as a graph.
        Ok(Opened::DependencyLinks(links)) => {
            perf::mark(perf::PARSED);
            LoadOutcome::opened_graph(LoadedGraph {
                source: from.label(),
                graph: Arc::new(ServiceGraph::from_links(&links)),
            })
        }
        Err(e) => outcome(from, Err(e.to_string()), started),
    }
}

/// What reading traces from `from` (since `started`, in ms) produced.
pub fn outcome(from: TraceSource, read: Result<TraceSet, String>, started: f64) -> LoadOutcome {
    perf::mark(perf::PARSED);
    let parse_ms = perf::now_ms() - started;
    let source = from.label();
    match read {
        Ok(set) => LoadOutcome {
            traces: set
                .traces
                .into_iter()
                .map(|t| LoadedTrace::new(from.clone(), Arc::new(t)))
                .collect(),
            graph: None,
            notices: set.warnings.into_iter().map(|w| format!("{source}: {w}")).collect(),
            error: None,
            parse_ms,
        },
        Err(e) => LoadOutcome { parse_ms, ..LoadOutcome::failed(format!("{source}: {e}")) },
    }
}

/// Lets the browser run other tasks (input; with `ms` of about two frames, paint) before
/// the caller goes on.
pub async fn yield_to_browser(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Grows wasm memory once, up front, for a model read from `json_len` bytes: the model needs
/// about 0.6× the JSON's size, and growing memory step by step while parsing costs more than
/// the parse itself on big inputs.
pub fn reserve_for_model(json_len: usize) {
    let mut reserve = Vec::<u8>::new();
    let _ = reserve.try_reserve_exact(json_len / 10 * 6);
}

impl LoadOutcome {
    /// Nothing loaded; `error` says why (empty: no error).
    /// Traces opened from a backend (search results, a looked-up id).
    pub fn opened_traces(traces: Vec<LoadedTrace>) -> LoadOutcome {
        LoadOutcome { traces, ..LoadOutcome::failed(String::new()) }
    }

    /// A graph opened from a backend (its dependency API, or a search's traces).
    pub fn opened_graph(graph: LoadedGraph) -> LoadOutcome {
        LoadOutcome { graph: Some(graph), ..LoadOutcome::failed(String::new()) }
    }

    pub fn failed(error: String) -> LoadOutcome {
        LoadOutcome {
            traces: Vec::new(),
            graph: None,
            notices: Vec::new(),
            error: (!error.is_empty()).then_some(error),
            parse_ms: 0.0,
        }
    }
}

/// The bytes of a `File`, or of the body at a URL (a string).
pub async fn input_bytes(input: &JsValue, progress: &dyn Fn(f64, f64)) -> Result<Vec<u8>, String> {
    if let Some(file) = input.dyn_ref::<web_sys::File>() {
        return file_bytes(file, progress).await;
    }
    // Bytes a host page handed over (`open` message): already in memory.
    if input.is_object() {
        return Ok(js_sys::Uint8Array::new(input).to_vec());
    }
    url_bytes(&input.as_string().unwrap_or_default(), progress).await
}

/// Reads a file in 32 MB slices straight into wasm memory, so a gigabyte file never exists
/// twice (once as a JS ArrayBuffer, once in wasm). A few slices are read at once: the
/// browser's blob reads are latency-bound, and overlapping them is faster than one by one.
/// `progress` hears bytes read and the total.
pub async fn file_bytes(
    file: &web_sys::File,
    progress: &dyn Fn(f64, f64),
) -> Result<Vec<u8>, String> {
    const CHUNK: f64 = 32.0 * 1024.0 * 1024.0;
    const IN_FLIGHT: usize = 3;
    let size = file.size();
    let unreadable = |e: wasm_bindgen::JsValue| {
        format!("{}: the browser could not read the file ({e:?})", file.name())
    };
    let mut bytes: Vec<u8> = Vec::new();
    bytes.try_reserve_exact(size as usize).map_err(|_| {
        format!(
            "{}: the file ({} MB) does not fit in this tab's memory",
            file.name(),
            spanscope_core::format::fixed(size / 1e6, 0)
        )
    })?;
    let mut pending: std::collections::VecDeque<JsFuture> = Default::default();
    let mut next = 0.0;
    loop {
        // Keep a few reads going, in file order.
        while pending.len() < IN_FLIGHT && next < size {
            let end = (next + CHUNK).min(size);
            let slice = file.slice_with_f64_and_f64(next, end).map_err(unreadable)?;
            pending.push_back(JsFuture::from(slice.array_buffer()));
            next = end;
        }
        let Some(read) = pending.pop_front() else { break };
        let buffer = read.await.map_err(unreadable)?;
        let chunk = js_sys::Uint8Array::new(&buffer);
        let (start, len) = (bytes.len(), chunk.length() as usize);
        if start + len > bytes.capacity() {
            return Err(format!("{}: the file changed while it was being read", file.name()));
        }
        // One memcpy by the JS engine into the Vec's reserved space, without zero-filling it
        // first. SAFETY: `start + len` is within capacity (checked above), the view is used
        // before any allocation can move the buffer, and `set` writes all `len` bytes.
        unsafe {
            let target = js_sys::Uint8Array::view_mut_raw(bytes.as_mut_ptr().add(start), len);
            target.set(&chunk, 0);
            bytes.set_len(start + len);
        }
        progress(bytes.len() as f64, size);
    }
    decompressed(&file.name(), bytes).await
}

/// A trace fetched from its source's URL (`?url=`, a sample) and read; a failure is the
/// outcome's error.
pub async fn fetched(source: TraceSource) -> LoadOutcome {
    let url = source.url().unwrap_or_default().to_string();
    match url_bytes(&url, &|_, _| {}).await {
        Ok(bytes) => parse(source, &bytes),
        Err(error) => LoadOutcome::failed(error),
    }
}

/// The body at `url`, read piece by piece as it arrives; `progress` hears bytes read and
/// the announced length (0 when the server sends none).
pub async fn url_bytes(url: &str, progress: &dyn Fn(f64, f64)) -> Result<Vec<u8>, String> {
    let response = gloo_net::http::Request::get(url).send().await.map_err(|e| {
        format!("{url}: the request failed before any answer ({e}); the server may be down, or it does not allow cross-origin requests (CORS)")
    })?;
    if !response.ok() {
        return Err(format!(
            "{url}: the server answered HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let unreadable = |e: JsValue| format!("{url}: could not read the response body ({e:?})");
    let total: u64 =
        response.headers().get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut bytes = Vec::new();
    let _ = bytes.try_reserve_exact(total as usize);
    if let Some(body) = response.body() {
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        loop {
            let read = JsFuture::from(reader.read()).await.map_err(unreadable)?;
            let value = js_sys::Reflect::get(&read, &"value".into()).map_err(unreadable)?;
            if value.is_undefined() {
                break;
            }
            let chunk: js_sys::Uint8Array = value.unchecked_into();
            let start = bytes.len();
            bytes.resize(start + chunk.length() as usize, 0);
            chunk.copy_to(&mut bytes[start..]);
            progress(bytes.len() as f64, total as f64);
        }
    }
    decompressed(url, bytes).await
}

#[wasm_bindgen]
extern "C" {
    /// The browser's own streaming inflater (web-sys has it behind its unstable flag only).
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// gzip (a `.json.gz` file, or any bytes with gzip's magic, whatever they are called)
/// inflated by the browser's `DecompressionStream`; anything else passes as it is.
pub async fn decompressed(source: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if !spanscope_core::read::is_gzip(&bytes) {
        return Ok(bytes);
    }
    let failed = |e: JsValue| {
        let why = e.as_string().or_else(|| js_sys::Error::from(e).message().as_string());
        format!("{source}: the gzip data is damaged ({})", why.unwrap_or_default())
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    drop(bytes);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(failed)?;
    let inflater = DecompressionStream::new("gzip").map_err(|_| {
        format!(
            "{source}: is gzip-compressed, and this browser cannot decompress it; gunzip it first"
        )
    })?;
    // A DecompressionStream is a {readable, writable} pair, as pipeThrough takes it.
    let inflated = blob.stream().pipe_through(inflater.unchecked_ref());
    let response =
        web_sys::Response::new_with_opt_readable_stream(Some(&inflated)).map_err(failed)?;
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

impl LoadedTrace {
    fn new(source: TraceSource, trace: Arc<Trace>) -> LoadedTrace {
        LoadedTrace { source, summary: TraceSummary::of(&trace), trace }
    }

    /// A trace fetched from a configured backend.
    pub fn from_backend(backend: &str, trace: Arc<Trace>) -> LoadedTrace {
        let trace_id = trace.trace_id_string();
        LoadedTrace::new(TraceSource::Backend { backend: backend.to_string(), trace_id }, trace)
    }
}

/// The most spans `?generate=` builds: generating runs on the page's thread, and a demo
/// must not freeze the tab for seconds. Bigger traces open from files.
pub const MAX_GENERATED_SPANS: usize = 200_000;

/// A realistic synthetic trace built in the browser by the core's generator: the large
/// bundled sample, with no file to download.
pub fn generated(asked: usize) -> LoadOutcome {
    let spans = asked.clamp(1, MAX_GENERATED_SPANS);
    let notices = if spans < asked {
        vec![format!(
            "?generate= builds at most {MAX_GENERATED_SPANS} spans in the browser, not {asked}: for a bigger trace, run `spanscope generate --spans {asked} > big.json` and open the file"
        )]
    } else {
        Vec::new()
    };
    let started = perf::now_ms();
    let set = spanscope_core::generate::generate(&spanscope_core::generate::GenOptions {
        spans,
        seed: 7,
        ..Default::default()
    });
    perf::mark(perf::PARSED);
    LoadOutcome {
        traces: set
            .traces
            .into_iter()
            .map(|t| LoadedTrace::new(TraceSource::Generated(spans), Arc::new(t)))
            .collect(),
        graph: None,
        notices,
        error: None,
        parse_ms: perf::now_ms() - started,
    }
}
