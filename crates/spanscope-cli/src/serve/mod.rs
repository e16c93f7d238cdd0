//! `spanscope serve`: the built app plus a proxy for each configured backend's API, so the
//! browser talks to one origin and needs no CORS. Upstream headers (tokens) stay here.
//!
//! Routes, under the base path: `/healthz`, `/config.json` (generated: the proxied backends),
//! `/backends/{name}/api/...` (proxied), and the app's files.

mod api_path;
mod options;
mod proxy;
mod static_files;

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use spanscope_backend::{AppConfig, Backend};
use tower::Layer;

use options::ServeOptions;
pub use options::USAGE;

pub struct State {
    pub backends: Vec<Backend>,
    pub client: reqwest::Client,
    pub timeout_ms: u64,
    pub app_config: AppConfig,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = ServeOptions::parse(args)?;
    if !options.dist.join("index.html").is_file() {
        return Err(format!(
            "{}: no index.html there; build the app first (trunk build --release) or pass --dist",
            options.dist.display()
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let app_config = AppConfig {
        backends: options
            .backends
            .iter()
            .map(|b| Backend {
                url: format!("backends/{}", b.name),
                headers: Default::default(),
                ..b.clone()
            })
            .collect(),
        default_backend: options.backends.first().map(|b| b.name.clone()),
        ui: options.ui.clone(),
        allowed_origins: Vec::new(),
        link_patterns: Vec::new(),
        redact: Vec::new(),
    };
    let state = Arc::new(State {
        backends: options.backends.clone(),
        client,
        timeout_ms: options.timeout_ms,
        app_config,
    });
    let app = Router::new()
        .route("/healthz", get(health))
        .route("/config.json", get(config_json))
        .route("/backends/{name}/{*rest}", axum::routing::any(proxy::forward))
        .route("/trace/{id}", get(jaeger_trace_path))
        .fallback_service(static_files::service(&options.dist)?)
        .with_state(state);
    // The base path is stripped before routing (axum's `nest` does not serve `/base/`).
    let base: Arc<str> = options.base_path.clone().into();
    let app =
        axum::middleware::from_fn(move |req, next| strip_base(base.clone(), req, next)).layer(app);
    let app = axum::middleware::from_fn(log_request).layer(app);
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The first line says where; tests and scripts read the port from it. Output errors are
    // ignored: a closed stdout must not stop the server.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "spanscope serve: listening on http://{addr}{}/", options.base_path);
    for b in &options.backends {
        let headers = if b.headers.is_empty() { "" } else { " (with headers)" };
        let _ = writeln!(
            out,
            "  backend {} ({}) -> {}{headers}",
            b.name,
            b.kind.name(),
            api_path::display_url(&b.url)
        );
    }
    let _ = out.flush();
    drop(out);
    axum::serve(listener, axum::ServiceExt::<Request>::into_make_service(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

async fn health(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
) -> impl IntoResponse {
    let backends: Vec<serde_json::Value> = state
        .backends
        .iter()
        .map(|b| serde_json::json!({"name": b.name, "type": b.kind.name()}))
        .collect();
    Json(serde_json::json!({"status": "ok", "backends": backends}))
}

async fn config_json(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
) -> impl IntoResponse {
    ([(axum::http::header::CACHE_CONTROL, "no-store")], Json(state.app_config.clone()))
}

/// Jaeger UI's trace page, `/trace/ID?uiEmbed=v0&…`, redirects to the app with the id
/// (`?trace=ID&…`, looked up in every backend), so a link or a portal's iframe made for Jaeger
/// works by changing only its host and base path. The redirect is relative (`../`: the
/// base path is kept) and the id must be one (letters and digits, at most 64): nothing
/// else is reflected into the Location.
async fn jaeger_trace_path(
    axum::extract::Path(id): axum::extract::Path<String>,
    request: Request,
) -> Response {
    let is_id = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if !is_id {
        return (axum::http::StatusCode::NOT_FOUND, "not found: not a trace id").into_response();
    }
    let rest = request.uri().query().map(|q| format!("&{q}")).unwrap_or_default();
    axum::response::Redirect::to(&format!("../?trace={id}{rest}")).into_response()
}

/// Serves everything under `base`: `/base` redirects to `/base/` (so the app's relative URLs
/// resolve), `/base/x` is routed as `/x`, and anything outside is not found.
async fn strip_base(base: Arc<str>, mut request: Request, next: Next) -> Response {
    if base.is_empty() {
        return next.run(request).await;
    }
    let path = request.uri().path();
    if path == &*base {
        return axum::response::Redirect::permanent(&format!("{base}/")).into_response();
    }
    let Some(rest) = path.strip_prefix(&*base).filter(|r| r.starts_with('/')) else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            format!("not found: Spanscope is served under {base}/"),
        )
            .into_response();
    };
    let rewritten = match request.uri().query() {
        Some(q) => format!("{rest}?{q}"),
        None => rest.to_string(),
    };
    match rewritten.parse() {
        Ok(uri) => {
            *request.uri_mut() = uri;
            next.run(request).await
        }
        Err(_) => axum::http::StatusCode::BAD_REQUEST.into_response(),
    }
}

/// One line per request on stderr: method, path, status, time.
async fn log_request(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    let _ = writeln!(
        std::io::stderr(),
        "{method} {path} {} {:.1} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}
