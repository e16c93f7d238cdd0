//! Forwarding one API request to its backend's upstream, streaming the answer back.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::State as ServeState;

/// Request headers passed upstream; everything else (cookies, the browser's origin) stays.
const FORWARDED_REQUEST: [header::HeaderName; 3] = [header::ACCEPT, header::ACCEPT_ENCODING, header::ACCEPT_LANGUAGE];
/// Answer headers passed back.
const FORWARDED_RESPONSE: [header::HeaderName; 5] =
    [header::CONTENT_TYPE, header::CONTENT_ENCODING, header::CACHE_CONTROL, header::ETAG, header::LAST_MODIFIED];

pub async fn forward(
    State(state): State<Arc<ServeState>>,
    Path((name, rest)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(backend) = state.backends.iter().find(|b| b.name == name) else {
        let names: Vec<&str> = state.backends.iter().map(|b| b.name.as_str()).collect();
        return refuse(StatusCode::NOT_FOUND, format!("no backend named `{name}` is configured (configured: {})", names.join(", ")));
    };
    if method != Method::GET && method != Method::HEAD {
        return refuse(StatusCode::METHOD_NOT_ALLOWED, format!("only GET and HEAD are proxied, not {method}"));
    }
    if !is_api_path(&rest) {
        return refuse(StatusCode::FORBIDDEN, format!("refused `{rest}`: only the backend's API paths (api/...) are proxied"));
    }
    let mut url = format!("{}/{}", backend.url.trim_end_matches('/'), rest);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(&q);
    }
    let timeout = Duration::from_millis(backend.timeout.as_ref().map(|_| backend.timeout_ms() as u64).unwrap_or(state.timeout_ms));
    let mut request = state.client.request(method, &url).timeout(timeout);
    for name in FORWARDED_REQUEST {
        if let Some(v) = headers.get(&name) {
            request = request.header(name, v);
        }
    }
    for (k, v) in &backend.headers {
        request = request.header(k, v);
    }
    match request.send().await {
        Ok(upstream) => {
            let mut response = Response::builder().status(upstream.status().as_u16());
            for name in FORWARDED_RESPONSE {
                if let Some(v) = upstream.headers().get(&name) {
                    response = response.header(name, v);
                }
            }
            response
                .body(Body::from_stream(upstream.bytes_stream()))
                .unwrap_or_else(|e| refuse(StatusCode::BAD_GATEWAY, e.to_string()))
        }
        Err(e) if e.is_timeout() => refuse(
            StatusCode::GATEWAY_TIMEOUT,
            format!("backend `{name}` ({}) did not answer within {} s", backend.url, timeout.as_secs_f64()),
        ),
        Err(e) => refuse(StatusCode::BAD_GATEWAY, format!("backend `{name}` ({}) is unreachable: {}", backend.url, root_cause(&e))),
    }
}

/// `api/...` with no `.`/`..` segments, no scheme and no backslashes: the proxy cannot be
/// pointed anywhere but the upstream's API.
fn is_api_path(rest: &str) -> bool {
    rest.starts_with("api/")
        && !rest.contains('\\')
        && !rest.contains("://")
        && rest.split('/').all(|seg| seg != ".." && seg != "." && !seg.eq_ignore_ascii_case("%2e%2e") && !seg.eq_ignore_ascii_case("%2e"))
}

/// Errors in the same envelope as Jaeger's api_v3, so the app shows the message.
fn refuse(status: StatusCode, message: String) -> Response {
    let body = serde_json::json!({"error": {"httpCode": status.as_u16(), "message": format!("spanscope serve: {message}")}});
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
    use super::is_api_path;

    #[test]
    fn only_api_paths_pass() {
        assert!(is_api_path("api/services"));
        assert!(is_api_path("api/v3/traces/abc"));
        for bad in ["", "admin", "api/../admin", "api/./x", "api/%2E%2E/x", "http://evil/api/x", "api\\..\\x", "apix/services"] {
            assert!(!is_api_path(bad), "{bad}");
        }
    }
}
