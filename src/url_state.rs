//! View state in the page URL, so a link reproduces what a colleague sees: `url` (the trace
//! source), `span` (selected span id), `q` (search), `z` (zoom window as start,end fractions),
//! `backend`+`trace` (a trace from a live backend), `view` (search or settings page).

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
}

fn params() -> Option<web_sys::UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
}

pub fn read() -> UrlState {
    let Some(p) = params() else { return UrlState::default() };
    let get = |k: &str| p.get(k).filter(|v| !v.trim().is_empty());
    let window = get("z").and_then(|z| {
        let (a, b) = z.split_once(',')?;
        Some(Window::new(a.parse().ok()?, b.parse().ok()?))
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
    }
}

/// One URL parameter, if present and not blank.
pub fn param(name: &str) -> Option<String> {
    params()?.get(name).filter(|v| !v.trim().is_empty())
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
    if let Some(n) = state.generate {
        p.push(("generate", n.to_string()));
    }
    replace_params(&p);
}

/// Replaces the query string with `params`, in order.
pub fn replace_params(params: &[(&str, String)]) {
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
