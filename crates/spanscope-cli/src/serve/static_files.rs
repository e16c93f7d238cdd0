//! The app's own files from `dist/`, with the single-page fallback to `index.html`. A
//! symbolic link inside `dist/` that leads outside it is not followed: a stray link (or one
//! planted by a build step) must not publish `/etc/passwd`.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::Layer;
use tower_http::services::{ServeDir, ServeFile};

/// The service for every path that is not an API route.
pub fn service(
    dist: &Path,
) -> Result<
    impl tower::Service<
            Request,
            Response = Response,
            Error = std::convert::Infallible,
            Future = impl Send,
        > + Clone
        + Send
        + 'static,
    String,
> {
    let root = std::fs::canonicalize(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let index = root.join("index.html");
    if !resolves_inside(&root, &index) {
        return Err(format!("{}: index.html leads outside the app directory", dist.display()));
    }
    let files = ServeDir::new(&root).fallback(ServeFile::new(index));
    let root = Arc::new(root);
    Ok(axum::middleware::from_fn(move |request, next| refuse_outside(root.clone(), request, next))
        .layer(files))
}

async fn refuse_outside(root: Arc<PathBuf>, request: Request, next: Next) -> Response {
    let decoded =
        percent_encoding::percent_decode_str(request.uri().path()).decode_utf8_lossy().into_owned();
    let relative = Path::new(decoded.trim_start_matches('/'));
    // `..` is refused by the file service itself; here only what exists is looked at.
    if relative.components().all(|c| matches!(c, Component::Normal(_))) {
        let candidate = root.join(relative);
        let inside = tokio::task::spawn_blocking({
            let root = root.clone();
            move || {
                let exists = candidate.symlink_metadata().is_ok();
                !exists
                    || (resolves_inside(&root, &candidate)
                        && (!candidate.is_dir()
                            || resolves_inside(&root, &candidate.join("index.html"))))
            }
        })
        .await
        .unwrap_or(false);
        if !inside {
            return not_found();
        }
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// Whether `path`, with every link followed, is `root` or below it (a missing file is).
fn resolves_inside(root: &Path, path: &Path) -> bool {
    match std::fs::canonicalize(path) {
        Ok(real) => real.starts_with(root),
        Err(_) => path.symlink_metadata().is_err(),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}
