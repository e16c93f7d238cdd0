//! What `spanscope serve` serves and proxies: flags and/or a JSON config file. The proxied
//! backends are exactly the configured ones; nothing else is ever reachable through it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;
use spanscope_backend::config::{parse_backends, UiOptions};
use spanscope_backend::units::parse_duration_ns;
use spanscope_backend::{Backend, BackendKind};

pub struct ServeOptions {
    pub listen: SocketAddr,
    pub dist: PathBuf,
    /// Path prefix the app is served under (`/` or e.g. `/spanscope`), without trailing slash.
    pub base_path: String,
    /// Backends with their upstream `url` and the headers added upstream (kept server-side).
    pub backends: Vec<Backend>,
    pub ui: UiOptions,
    pub timeout_ms: u64,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    dist: Option<PathBuf>,
    base_path: Option<String>,
    timeout: Option<String>,
    #[serde(default)]
    backends: serde_json::Value,
    #[serde(default)]
    ui: UiOptions,
    default_backend: Option<String>,
}

pub const USAGE: &str =
    "  spanscope serve [--listen 127.0.0.1:8080] [--dist dist] [--base-path /spanscope]
                  [--backend NAME=TYPE:URL]... [--header NAME:Header=value]...
                  [--timeout 30s] [--config serve.json]
                                            serve the app and proxy the backends' APIs";

impl ServeOptions {
    pub fn parse(args: &[String]) -> Result<ServeOptions, String> {
        let mut listen = "127.0.0.1:8080".to_string();
        let mut dist = PathBuf::from("dist");
        let mut base_path = "/".to_string();
        let mut timeout = "30s".to_string();
        let mut backends: Vec<Backend> = Vec::new();
        let mut ui = UiOptions::default();
        let mut headers: Vec<(String, String, String)> = Vec::new();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--listen" => listen = value()?,
                "--dist" => dist = PathBuf::from(value()?),
                "--base-path" => base_path = value()?,
                "--timeout" => timeout = value()?,
                "--backend" => backends.push(backend_flag(&value()?)?),
                "--header" => {
                    let v = value()?;
                    let (name, rest) =
                        v.split_once(':').ok_or("--header wants NAME:Header=value")?;
                    let (key, val) =
                        rest.split_once('=').ok_or("--header wants NAME:Header=value")?;
                    headers.push((name.to_string(), key.trim().to_string(), val.to_string()));
                }
                "--config" => {
                    let path = value()?;
                    let text =
                        std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                    let file: FileConfig =
                        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
                    if let Some(l) = file.listen {
                        listen = l;
                    }
                    if let Some(d) = file.dist {
                        dist = d;
                    }
                    if let Some(b) = file.base_path {
                        base_path = b;
                    }
                    if let Some(t) = file.timeout {
                        timeout = t;
                    }
                    let (list, warnings) = parse_backends(&file.backends, &path);
                    if let Some(w) = warnings.first() {
                        return Err(w.clone());
                    }
                    backends.extend(list);
                    ui = file.ui;
                    let _ = file.default_backend;
                }
                other => return Err(format!("serve: unknown option {other}\n{USAGE}")),
            }
        }
        for (name, key, val) in headers {
            let backend = backends
                .iter_mut()
                .find(|b| b.name == name)
                .ok_or_else(|| format!("--header: no backend named `{name}`"))?;
            backend.headers.insert(key, val);
        }
        let mut seen = std::collections::HashSet::new();
        for b in &mut backends {
            if !seen.insert(b.name.clone()) {
                return Err(format!("backend `{}` is configured twice", b.name));
            }
            if !(b.url.starts_with("http://") || b.url.starts_with("https://")) {
                return Err(format!("backend `{}`: the upstream url must be absolute (http:// or https://), not `{}`", b.name, b.url));
            }
            if !b.name.bytes().all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(&c)) {
                return Err(format!(
                    "backend `{}`: names may use letters, digits, - _ . only (they appear in URLs)",
                    b.name
                ));
            }
            b.headers = resolve_env(&b.headers)?;
        }
        let timeout_ms = (parse_duration_ns(&timeout).map_err(|e| format!("--timeout: {e}"))?
            / 1_000_000)
            .max(1) as u64;
        let listen: SocketAddr = listen.parse().map_err(|e| format!("--listen {listen}: {e}"))?;
        let base_path =
            format!("/{}", base_path.trim_matches('/')).trim_end_matches('/').to_string();
        Ok(ServeOptions { listen, dist, base_path, backends, ui, timeout_ms })
    }
}

/// `NAME=TYPE:URL`, e.g. `prod=jaeger:http://127.0.0.1:16686`.
fn backend_flag(v: &str) -> Result<Backend, String> {
    let bad = || format!("--backend wants NAME=TYPE:URL (TYPE jaeger, zipkin or tempo), not `{v}`");
    let (name, rest) = v.split_once('=').ok_or_else(bad)?;
    let (kind, url) = rest.split_once(':').ok_or_else(bad)?;
    let kind = BackendKind::from_name(kind).ok_or_else(bad)?;
    Ok(Backend::new(name.trim(), kind, url.trim()))
}

/// Header values written `$NAME` come from the environment, so tokens stay out of files
/// and process listings.
fn resolve_env(headers: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    headers
        .iter()
        .map(|(k, v)| match v.strip_prefix('$') {
            Some(var) => std::env::var(var)
                .map(|val| (k.clone(), val))
                .map_err(|_| format!("header {k}: environment variable {var} is not set")),
            None => Ok((k.clone(), v.clone())),
        })
        .collect()
}
