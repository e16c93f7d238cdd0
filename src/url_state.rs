//! View state in the page URL, so a link reproduces what a colleague sees: `url` (the trace
//! source), `span` (selected span id), `q` (search), `z` (zoom window as start,end fractions),
//! `backend`+`trace` (a trace from a live backend), `view` (search or settings page), `tab`
//! (a trace's tab), `pills` (critical, errors, latency), `group` (the statistics' grouping:
//! `by` or `by,then`), `focus` (the span id the view is re-rooted on), `compare` (two traces
//! compared: URLs, or trace ids of `backend`).

use crate::load::TraceSource;
use leptos::prelude::*;
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

/// One app's parameters: its boot options' at start, then what it wrote. Each app on a page
/// has its own (several web-component elements may share one page), provided as context;
/// code running outside any component (a spawned task) gets the app mounted last.
#[derive(Clone, Copy)]
struct Store {
    params: StoredValue<Vec<(String, String)>>,
    /// Whether writes also go to the page's URL (`BootOptions::write_url`).
    write_url: bool,
    /// The app's own page, absolute and without a query: links to the full app start here.
    address: StoredValue<String>,
}

thread_local! {
    static LAST: std::cell::Cell<Option<Store>> = const { std::cell::Cell::new(None) };
}

fn store() -> Option<Store> {
    use_context::<Store>().or_else(|| LAST.with(|l| l.get()))
}

/// Starts from the boot options' parameters. This module is the only code that reads or
/// writes the page's URL.
pub fn init(boot: &crate::boot::BootOptions) {
    let store = Store {
        params: StoredValue::new(boot.params.clone()),
        write_url: boot.write_url,
        address: StoredValue::new(address(boot)),
    };
    provide_context(store);
    LAST.with(|l| l.set(Some(store)));
}

/// The app's page: the one shown, or for a web component's app the `index.html` beside its
/// `config.json` (the element's script's folder).
fn address(boot: &crate::boot::BootOptions) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    if boot.element.is_some() {
        return web_sys::Url::new_with_base("./", &boot.config_url)
            .map(|u| u.href())
            .unwrap_or_default();
    }
    location.origin().unwrap_or_default() + &location.pathname().unwrap_or_default()
}

/// The app's own page, absolute, without a query.
pub fn app_address() -> String {
    store().and_then(|s| s.address.try_get_value()).unwrap_or_default()
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
    store().and_then(|s| s.params.try_get_value()).unwrap_or_default()
}

/// One URL parameter, if present and not blank.
pub fn param(name: &str) -> Option<String> {
    store()?.params.try_with_value(|p| {
        p.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).filter(|v| !v.trim().is_empty())
    })?
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
        p.push((
            "z",
            format!(
                "{},{}",
                spanscope_core::format::fixed(w.start, 6),
                spanscope_core::format::fixed(w.end, 6)
            ),
        ));
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
    let Some(store) = store() else { return };
    store.params.set_value(params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    if !store.write_url {
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
