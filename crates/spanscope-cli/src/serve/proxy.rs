//! Forwarding one API request to its backend's upstream, streaming the answer back.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::api_path;
use super::State as ServeState;

/// Request headers passed upstream; everything else (cookies, the browser's origin) stays.
const FORWARDED_REQUEST: [header::HeaderName; 3] =
    [header::ACCEPT, header::ACCEPT_ENCODING, header::ACCEPT_LANGUAGE];
/// Answer headers passed back (the content type is checked on its own). The length goes
/// along so that a client can tell an answer cut short from a whole one.
const FORWARDED_RESPONSE: [header::HeaderName; 5] = [
    header::CONTENT_LENGTH,
    header::CONTENT_ENCODING,
    header::CACHE_CONTROL,
    header::ETAG,
    header::LAST_MODIFIED,
];

pub async fn forward(
    State(state): State<Arc<ServeState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    // The raw path, as sent: the name is decoded for the lookup, the rest is checked whole.
    let below = uri.path().strip_prefix("/backends/").unwrap_or_default();
    let (raw_name, raw_rest) = below.split_once('/').unwrap_or((below, ""));
    let name = percent_encoding::percent_decode_str(raw_name).decode_utf8_lossy();
    let Some(backend) = state.backends.iter().find(|b| b.name == name) else {
        let names: Vec<&str> = state.backends.iter().map(|b| b.name.as_str()).collect();
        return refuse(
            StatusCode::NOT_FOUND,
            format!(
                "no backend named `{}` is configured (configured: {})",
                printable(&name),
                names.join(", ")
            ),
        );
    };
    if method != Method::GET && method != Method::HEAD {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("only GET and HEAD are proxied, not {method}"),
        );
    }
    let path = match api_path::check(raw_rest) {
        Ok(path) => path,
        Err(why) => {
            let message = format!(
                "refused `{}`: {why}; only the backend's API paths (api/...) are proxied",
                printable(raw_rest)
            );
            return refuse(StatusCode::FORBIDDEN, message);
        }
    };
    let shown_url = api_path::display_url(&backend.url);
    let url = match api_path::upstream_url(&backend.url, &path, uri.query()) {
        Ok(url) => url,
        Err(e) => {
            return refuse(StatusCode::BAD_GATEWAY, format!("backend `{name}` ({shown_url}): {e}"))
        }
    };
    let timeout = Duration::from_millis(
        backend.timeout.as_ref().map(|_| backend.timeout_ms() as u64).unwrap_or(state.timeout_ms),
    );
    let mut request = state.client.request(method, url);
    for name in FORWARDED_REQUEST {
        if let Some(v) = headers.get(&name) {
            request = request.header(name, v);
        }
    }
    for (k, v) in &backend.headers {
        request = request.header(k, v);
    }
    // The timeout bounds the wait for the answer's headers here, and each idle gap in its
    // body below, never a body that keeps arriving.
    match tokio::time::timeout(timeout, request.send()).await {
        Ok(Ok(upstream)) => answer(upstream, timeout),
        Err(_) => refuse(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "backend `{name}` ({shown_url}) did not answer within {} s",
                timeout.as_secs_f64()
            ),
        ),
        Ok(Err(e)) => refuse(
            StatusCode::BAD_GATEWAY,
            format!(
                "backend `{name}` ({shown_url}) is unreachable: {}",
                root_cause(&e.without_url())
            ),
        ),
    }
}

/// The upstream's answer as the browser gets it: status, a few headers, the body streamed.
/// Only JSON, text and protobuf pass as their own type; everything else becomes a download,
/// and a sandboxing CSP with `nosniff` keeps an upstream's HTML or script from running on
/// the app's origin.
fn answer(upstream: reqwest::Response, idle_timeout: Duration) -> Response {
    let mut response = Response::builder().status(upstream.status().as_u16());
    for name in FORWARDED_RESPONSE {
        if let Some(v) = upstream.headers().get(&name) {
            response = response.header(name, v);
        }
    }
    let content_type =
        upstream.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    response = if is_passed_content_type(content_type) {
        response.header(header::CONTENT_TYPE, content_type)
    } else {
        response
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header(header::CONTENT_DISPOSITION, "attachment")
    };
    response = response
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'");
    let body = Body::from_stream(with_idle_timeout(upstream.bytes_stream(), idle_timeout));
    response.body(body).unwrap_or_else(|e| refuse(StatusCode::BAD_GATEWAY, e.to_string()))
}

/// Ends the body with an error when the upstream breaks off or goes quiet for longer than
/// `idle`: the client then sees an unfinished answer (no final chunk), never a short 200.
fn with_idle_timeout<S>(
    body: S,
    idle: Duration,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>>
where
    S: futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin,
{
    futures_util::stream::unfold(Some(body), move |body| async move {
        let mut body = body?;
        match tokio::time::timeout(idle, body.next()).await {
            Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(body))),
            Ok(None) => None,
            Ok(Some(Err(e))) => {
                let why = format!("the upstream broke off: {}", root_cause(&e.without_url()));
                Some((Err(std::io::Error::other(why)), None))
            }
            Err(_) => Some((
                Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the upstream went quiet")),
                None,
            )),
        }
    })
}

/// JSON (also `+json` and JSON lines), plain text and protobuf pass as they are.
fn is_passed_content_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let passed = [
        "application/json",
        "application/x-ndjson",
        "application/jsonl",
        "text/plain",
        "application/protobuf",
        "application/x-protobuf",
        "application/vnd.google.protobuf",
    ];
    passed.contains(&essence.as_str())
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Text from the request fit to echo in a message: the core's terminal-safe escaping (the
/// CLI's own output uses the same).
fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    spanscope_core::text::terminal_safe(s)
}

/// Errors in the same envelope as Jaeger's api_v3, so the app shows the message.
fn refuse(status: StatusCode, message: String) -> Response {
    let body = serde_json::json!({"error": {"httpCode": status.as_u16(), "message": format!("spanscope serve: {message}")}});
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::is_passed_content_type;

    #[test]
    fn only_data_types_pass_as_they_are() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "text/plain",
            "application/problem+json",
            "application/x-protobuf",
        ] {
            assert!(is_passed_content_type(ok), "{ok}");
        }
        for bad in [
            "",
            "text/html",
            "text/html; charset=utf-8",
            "application/xhtml+xml",
            "image/svg+xml",
            "text/javascript",
            "application/javascript",
            "text/xml",
        ] {
            assert!(!is_passed_content_type(bad), "{bad}");
        }
    }
}
