//! View state in the page URL, so a link reproduces what a colleague sees: `url` (the trace
//! source), `span` (selected span id), `q` (search), `z` (zoom window as start,end fractions),
//! `backend`+`trace` (a trace from a live backend), `view` (search or settings page), `tab`
//! (a trace's tab), `pills` (critical, errors, latency), `group` (the statistics' grouping:
//! `by` or `by,then`), `focus` (the span id the view is re-rooted on), `compare` (two traces
//! compared: URLs, or trace ids of `backend`).

use crate::load::TraceSource;
use spanscope_core::number::parse_f64;
use spanscope_core::view::viewport::Window;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UrlState {
    pub url: Option<String>,
    pub span: Option<String>,
    pub query: Option<String>,
    pub window: Option<Window>,
    /// `generate=N`: start with a generated N-span trace (demos and benchmarks).
    pub generate: Option<usize>,
    /// `backend` + `trace`: a trace opened from a configured backend, looked up again.
    pub backend: Option<String>,
    pub trace: Option<String>,
    /// `view=search` or `view=settings`: which page the link opens.
    pub view: Option<String>,
    pub tab: Option<String>,
    pub pills: Option<String>,
    pub group: Option<String>,
    pub focus: Option<String>,
}

thread_local! {
    /// The app's current parameters: the boot options' at start, then what the app wrote.
    static PARAMS: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Whether writes also go to the page's URL (`BootOptions::write_url`).
    static WRITE_URL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts from the boot options' parameters. This module is the only code that reads or
/// writes the page's URL.
pub fn init(boot: &crate::boot::BootOptions) {
    PARAMS.with(|p| *p.borrow_mut() = boot.params.clone());
    WRITE_URL.with(|w| w.set(boot.write_url));
}

pub fn read() -> UrlState {
    let get = param;
    let window = get("z").and_then(|z| {
        let (a, b) = z.split_once(',')?;
        Some(Window::new(parse_f64(a)?, parse_f64(b)?))
    });
    // Capped (with a notice) where the trace is built: load::generated.
    let generate = get("generate").and_then(|n| n.parse().ok());
    UrlState {
        url: get("url"),
        span: get("span"),
        query: get("q"),
        window,
        generate,
        backend: get("backend"),
        trace: get("trace"),
        view: get("view"),
        tab: get("tab"),
        pills: get("pills"),
        group: get("group"),
        focus: get("focus"),
    }
}

/// Every current parameter, in order.
pub fn params() -> Vec<(String, String)> {
    PARAMS.with(|p| p.borrow().clone())
}

/// One URL parameter, if present and not blank.
pub fn param(name: &str) -> Option<String> {
    PARAMS.with(|p| {
        p.borrow()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
    })
}

/// Replaces the current history entry's query string (no reload, no new history entry).
pub fn write(state: &UrlState) {
    let mut p: Vec<(&str, String)> = Vec::new();
    if let Some(u) = &state.url {
        p.push(("url", u.clone()));
    }
    if let (Some(b), Some(t)) = (&state.backend, &state.trace) {
        p.push(("backend", b.clone()));
        p.push(("trace", t.clone()));
    }
    if let Some(s) = &state.span {
        p.push(("span", s.clone()));
    }
    if let Some(q) = state.query.as_ref().filter(|q| !q.is_empty()) {
        p.push(("q", q.clone()));
    }
    if let Some(w) = state.window.filter(|w| *w != Window::default()) {
        p.push(("z", format!("{:.6},{:.6}", w.start, w.end)));
    }
    for (key, value) in [
        ("tab", &state.tab),
        ("pills", &state.pills),
        ("group", &state.group),
        ("focus", &state.focus),
    ] {
        if let Some(v) = value {
            p.push((key, v.clone()));
        }
    }
    if let Some(n) = state.generate {
        p.push(("generate", n.to_string()));
    }
    replace_params(&p);
}

/// Replaces the parameters with `params`, in order (and the page's query string, when the
/// app keeps its URL in step: no reload, no new history entry).
pub fn replace_params(params: &[(&str, String)]) {
    PARAMS.with(|p| {
        *p.borrow_mut() = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    });
    if !WRITE_URL.with(|w| w.get()) {
        return;
    }
    let Ok(p) = web_sys::UrlSearchParams::new() else { return };
    for (k, v) in params {
        p.append(k, v);
    }
    let Some(window) = web_sys::window() else { return };
    let query: String = p.to_string().into();
    let path = window.location().pathname().unwrap_or_default();
    let target = if query.is_empty() { path } else { format!("{path}?{query}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target));
    }
}

/// `?compare=A|B`: the URLs of two traces to compare (A first).
pub fn compare_sources(param: &str) -> Option<[String; 2]> {
    let (a, b) = param.split_once('|')?;
    (!a.trim().is_empty() && !b.trim().is_empty())
        .then(|| [a.trim().to_string(), b.trim().to_string()])
}

/// The link parameters that reproduce a comparison: `compare=URL_A|URL_B` when both traces
/// came from URLs, `backend=NAME&compare=ID_A|ID_B` when both came from one backend.
pub fn compare_params(a: &TraceSource, b: &TraceSource) -> Option<Vec<(&'static str, String)>> {
    if let (Some(a), Some(b)) = (a.url(), b.url()) {
        return Some(vec![("compare", format!("{a}|{b}"))]);
    }
    match (a, b) {
        (
            TraceSource::Backend { backend, trace_id: a },
            TraceSource::Backend { backend: other, trace_id: b },
        ) if backend == other => {
            Some(vec![("backend", backend.clone()), ("compare", format!("{a}|{b}"))])
        }
        _ => None,
    }
}
