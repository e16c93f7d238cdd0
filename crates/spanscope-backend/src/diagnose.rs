//! Turning a failed request into a message a user can act on. A browser hides why a
//! cross-origin request failed; the app tells "unreachable" from "blocked by CORS" by asking
//! again in `no-cors` mode (an opaque answer means the server is up, so CORS blocked the
//! first), and this module says what to change.

use super::config::{origin_of, Backend, BackendKind};
use super::error::AnswerError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// `fetch` failed without an HTTP answer. `reachable` is the no-cors probe's verdict:
    /// `Some(true)` the server answered it (so CORS blocked us), `Some(false)` it did not,
    /// `None` not probed.
    Network {
        reachable: Option<bool>,
    },
    /// An https page cannot call an http backend; the browser refuses before sending.
    MixedContent,
    Timeout {
        after_ms: u32,
    },
    /// The server answered with an error status; `message` is its own text.
    Http {
        status: u16,
        message: String,
    },
    /// The answer arrived but could not be read.
    BadBody(AnswerError),
}

/// Whether the browser will refuse the request outright as mixed content.
pub fn is_mixed_content(backend: &Backend, page_origin: &str) -> bool {
    page_origin.starts_with("https://")
        && backend.url.trim().to_ascii_lowercase().starts_with("http://")
}

/// A message naming the backend, what went wrong and how to fix it.
pub fn explain(failure: &Failure, backend: &Backend, page_origin: &str, what: &str) -> String {
    let who = format!("{} ({})", backend.name, backend.kind.label());
    let url = backend.url.trim();
    let cross = backend.is_cross_origin(page_origin);
    match failure {
        Failure::MixedContent => format!(
            "{who}: {what} was not sent: this page is served over https and {url} is http, which browsers block (mixed content). Use an https URL for the backend, or proxy it with `spanscope serve`."
        ),
        Failure::Network { reachable: Some(true) } if cross => format!(
            "{who}: {what} was blocked by the browser: {} answers, but does not allow requests from {page_origin} (CORS). {}",
            origin_of(url).unwrap_or_else(|| url.to_string()),
            cors_fix(backend, page_origin)
        ),
        Failure::Network { .. } if cross => format!(
            "{who}: {what} failed: no answer from {url}. The server may be down, the address wrong, or a firewall or VPN in the way. If it is up, it may also be refusing cross-origin requests (CORS): {}",
            cors_fix(backend, page_origin)
        ),
        Failure::Network { .. } => format!(
            "{who}: {what} failed: no answer from {}. The server or the proxy in front of it is not reachable; check that it runs and that `url` in the configuration is right.",
            if url.is_empty() { "this site" } else { url }
        ),
        Failure::Timeout { after_ms } => format!(
            "{who}: {what} timed out after {} s. The backend is slow or overloaded; narrow the search (shorter lookback, a service, a lower limit) or raise `timeout` for this backend.",
            (*after_ms as f64 / 1000.0)
        ),
        Failure::Http { status, message } => {
            let hint = match status {
                401 | 403 => " The backend wants credentials: add them as `headers` of this backend (or let `spanscope serve` add them).",
                404 => " The URL may point at the wrong place: check the backend's `url` (it should be the address the API paths hang off, without /api).",
                502..=504 => " A proxy between you and the backend could not reach it.",
                _ => "",
            };
            let said = if message.is_empty() { String::new() } else { format!(": {message}") };
            format!("{who}: {what} failed with HTTP {status}{said}.{hint}")
        }
        Failure::BadBody(detail) => format!("{who}: {what}: the answer could not be read ({detail}). Is `url` pointing at a {} API?", backend.kind.label()),
    }
}

/// How to let this page call the backend across origins.
pub fn cors_fix(backend: &Backend, page_origin: &str) -> String {
    let server = match backend.kind {
        BackendKind::Jaeger => format!(
            "Jaeger v1: start jaeger-query with --query.additional-headers \"Access-Control-Allow-Origin: {page_origin}\"; Jaeger v2: add {page_origin} to the query extension's HTTP server `cors: allowed_origins`."
        ),
        BackendKind::Zipkin => format!("Zipkin: set ZIPKIN_QUERY_ALLOWED_ORIGINS={page_origin} (or *)."),
        BackendKind::Tempo => "Tempo has no CORS setting: put it behind a proxy that adds Access-Control-Allow-Origin.".to_string(),
    };
    let headers = if backend.headers.is_empty() {
        String::new()
    } else {
        " This backend sends extra headers, so the server must also answer the preflight (OPTIONS) and allow them.".to_string()
    };
    format!("{server}{headers} Or run `spanscope serve`, which proxies the backend on this page's origin.")
}
