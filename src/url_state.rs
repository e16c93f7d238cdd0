//! View state in the page URL, so a link reproduces what a colleague sees: `url` (the trace
//! source), `span` (selected span id), `q` (search), `z` (zoom window as start,end fractions).

use spanscope_core::view::viewport::Window;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UrlState {
    pub url: Option<String>,
    pub span: Option<String>,
    pub query: Option<String>,
    pub window: Option<Window>,
    /// `generate=N`: start with a generated N-span trace (demos and benchmarks).
    pub generate: Option<usize>,
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
    let generate = get("generate").and_then(|n| n.parse().ok()).map(|n: usize| n.clamp(1, 2_000_000));
    UrlState { url: get("url"), span: get("span"), query: get("q"), window, generate }
}

/// Replaces the current history entry's query string (no reload, no new history entry).
pub fn write(state: &UrlState) {
    let Ok(p) = web_sys::UrlSearchParams::new() else { return };
    if let Some(u) = &state.url {
        p.append("url", u);
    }
    if let Some(s) = &state.span {
        p.append("span", s);
    }
    if let Some(q) = state.query.as_ref().filter(|q| !q.is_empty()) {
        p.append("q", q);
    }
    if let Some(w) = state.window.filter(|w| *w != Window::default()) {
        p.append("z", &format!("{:.6},{:.6}", w.start, w.end));
    }
    if let Some(n) = state.generate {
        p.append("generate", &n.to_string());
    }
    let Some(window) = web_sys::window() else { return };
    let query: String = p.to_string().into();
    let path = window.location().pathname().unwrap_or_default();
    let target = if query.is_empty() { path } else { format!("{path}?{query}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target));
    }
}
