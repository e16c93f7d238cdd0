//! Runtime configuration: the backends the app can query, read from `config.json` next to
//! `index.html` and from the user's own settings, so one build serves every deployment.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::units::parse_duration_ns;

/// Which API a backend speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Jaeger,
    Zipkin,
    Tempo,
}

impl BackendKind {
    pub const ALL: [BackendKind; 3] =
        [BackendKind::Jaeger, BackendKind::Zipkin, BackendKind::Tempo];

    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Jaeger => "jaeger",
            BackendKind::Zipkin => "zipkin",
            BackendKind::Tempo => "tempo",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BackendKind::Jaeger => "Jaeger",
            BackendKind::Zipkin => "Zipkin",
            BackendKind::Tempo => "Tempo",
        }
    }

    pub fn from_name(name: &str) -> Option<BackendKind> {
        BackendKind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// Which API of the backend to use. Jaeger: `Auto` asks the server, or `V1`/`V3`.
/// Tempo: `Auto` searches with TraceQL (Tempo 2+), `Tags` with `tags=` (Tempo 1.x).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiChoice {
    #[default]
    Auto,
    V1,
    V3,
    Tags,
}

impl ApiChoice {
    pub const ALL: [ApiChoice; 4] =
        [ApiChoice::Auto, ApiChoice::V1, ApiChoice::V3, ApiChoice::Tags];

    pub fn name(self) -> &'static str {
        match self {
            ApiChoice::Auto => "auto",
            ApiChoice::V1 => "v1",
            ApiChoice::V3 => "v3",
            ApiChoice::Tags => "tags",
        }
    }

    pub fn from_name(name: &str) -> Option<ApiChoice> {
        ApiChoice::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The choices that mean something for a backend type.
    pub fn for_kind(kind: BackendKind) -> &'static [ApiChoice] {
        match kind {
            BackendKind::Jaeger => &[ApiChoice::Auto, ApiChoice::V1, ApiChoice::V3],
            BackendKind::Tempo => &[ApiChoice::Auto, ApiChoice::Tags],
            BackendKind::Zipkin => &[ApiChoice::Auto],
        }
    }
}

/// One tracing backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backend {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: BackendKind,
    /// Absolute (`https://jaeger.example.com`) for cross-origin, relative (`/jaeger`,
    /// `backends/prod`) for the same origin or a proxy. Relative URLs resolve against the page.
    pub url: String,
    /// Extra request headers, e.g. `Authorization` or a tenant header (`X-Scope-OrgID`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Default lookback of a search, e.g. `1h` or `2d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback: Option<String>,
    /// Default number of traces a search asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Jaeger: `auto` (default), `v1` or `v3`; Tempo: `auto` (TraceQL) or `tags` (Tempo 1.x).
    #[serde(default, skip_serializing_if = "is_auto")]
    pub api: ApiChoice,
    /// Request timeout, e.g. `30s` (default 30s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

fn is_auto(api: &ApiChoice) -> bool {
    *api == ApiChoice::Auto
}

pub const DEFAULT_LOOKBACK: &str = "1h";
pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 10_000;
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

impl Backend {
    pub fn new(name: &str, kind: BackendKind, url: &str) -> Backend {
        Backend {
            name: name.into(),
            kind,
            url: url.into(),
            headers: BTreeMap::new(),
            lookback: None,
            limit: None,
            api: ApiChoice::Auto,
            timeout: None,
        }
    }

    pub fn lookback_ns(&self) -> i64 {
        self.lookback
            .as_deref()
            .and_then(|l| parse_duration_ns(l).ok())
            .unwrap_or(super::units::NS_PER_HOUR)
    }

    pub fn limit(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }

    pub fn timeout_ms(&self) -> u32 {
        self.timeout
            .as_deref()
            .and_then(|t| parse_duration_ns(t).ok())
            .map(|ns| (ns / 1_000_000).clamp(100, 600_000) as u32)
            .unwrap_or(DEFAULT_TIMEOUT_MS)
    }

    /// The URL of an API path on this backend: `base` + `/api/...`, with exactly one slash
    /// between them. Relative bases stay relative (the browser resolves them).
    pub fn endpoint(&self, path_and_query: &str) -> String {
        format!("{}/{}", self.url.trim_end_matches('/'), path_and_query.trim_start_matches('/'))
    }

    /// Whether requests leave the page's origin (and so need CORS). Relative URLs never do.
    pub fn is_cross_origin(&self, page_origin: &str) -> bool {
        match origin_of(self.url.trim()) {
            Some(origin) => origin != page_origin.trim_end_matches('/').to_ascii_lowercase(),
            None => false,
        }
    }

    /// Problems that make this backend unusable, as sentences.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let who = if self.name.trim().is_empty() {
            "A backend".to_string()
        } else {
            format!("Backend `{}`", self.name)
        };
        if self.name.trim().is_empty() {
            out.push(format!("{who} has no name."));
        }
        let url = self.url.trim();
        if url.is_empty() {
            out.push(format!("{who} has no url."));
        } else if url.contains("://")
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            out.push(format!("{who}: url `{url}` must start with http:// or https:// (or be relative, like /jaeger)."));
        }
        if let Some(l) = &self.lookback {
            if let Err(e) = parse_duration_ns(l) {
                out.push(format!("{who}: lookback {e}."));
            }
        }
        if let Some(t) = &self.timeout {
            if let Err(e) = parse_duration_ns(t) {
                out.push(format!("{who}: timeout {e}."));
            }
        }
        if !ApiChoice::for_kind(self.kind).contains(&self.api) {
            let allowed: Vec<&str> =
                ApiChoice::for_kind(self.kind).iter().map(|c| c.name()).collect();
            out.push(format!(
                "{who}: api `{}` does not apply to {}; use {}.",
                self.api.name(),
                self.kind.label(),
                allowed.join(" or ")
            ));
        }
        if self.limit == Some(0) || self.limit.is_some_and(|l| l > MAX_LIMIT) {
            out.push(format!("{who}: limit must be between 1 and {MAX_LIMIT}."));
        }
        for name in self.headers.keys() {
            if name.is_empty()
                || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
            {
                out.push(format!("{who}: `{name}` is not a valid header name."));
            }
        }
        out
    }
}

/// Options for the page itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UiOptions {
    /// Whether the sample traces are offered (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<bool>,
    /// Show the search page first instead of a sample trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_page: Option<String>,
}

/// The whole of `config.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppConfig {
    #[serde(default)]
    pub backends: Vec<Backend>,
    /// Name of the backend the search page starts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_backend: Option<String>,
    #[serde(default)]
    pub ui: UiOptions,
    /// Page origins (`https://portal.example.com`) that may drive the app by `postMessage`
    /// when it is embedded. Empty: only the app's own origin.
    #[serde(skip)]
    pub allowed_origins: Vec<String>,
    /// `linkPatterns`: links from spans and traces to other tools.
    #[serde(skip)]
    pub link_patterns: Vec<spanscope_core::link_patterns::LinkPattern>,
    /// `redact`: rules applied when the user turns on "redact in view" (with the detector's
    /// findings), and to downloads then.
    #[serde(skip)]
    pub redact: Vec<spanscope_core::redact::RuleSpec>,
}

/// A parsed configuration and what was wrong with it (unknown keys, bad backends, which are
/// left out rather than failing the whole file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedConfig {
    pub config: AppConfig,
    pub warnings: Vec<String>,
}

const TOP_KEYS: [&str; 6] = ["backends", "defaultBackend", "ui", "embed", "linkPatterns", "redact"];
const BACKEND_KEYS: [&str; 8] =
    ["name", "type", "url", "headers", "lookback", "limit", "api", "timeout"];
const UI_KEYS: [&str; 2] = ["samples", "startPage"];

impl AppConfig {
    /// Reads `config.json`. Unknown keys and invalid backends become warnings; only a file
    /// that is not a JSON object at all is an error.
    pub fn parse(text: &str) -> Result<ParsedConfig, ConfigError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ConfigError::NotJson(e.to_string()))?;
        let serde_json::Value::Object(top) = &value else {
            return Err(ConfigError::NotObject);
        };
        let mut warnings = unknown_keys(top, &TOP_KEYS, "config.json");
        let mut config = AppConfig::default();
        if let Some(ui) = top.get("ui") {
            if let Some(map) = ui.as_object() {
                warnings.extend(unknown_keys(map, &UI_KEYS, "config.json `ui`"));
            }
            match serde_json::from_value(ui.clone()) {
                Ok(ui) => config.ui = ui,
                Err(e) => warnings.push(format!("config.json `ui` ignored: {e}")),
            }
        }
        if let Some(list) = top.get("linkPatterns") {
            let (patterns, problems) = spanscope_core::link_patterns::parse(list);
            config.link_patterns = patterns;
            warnings.extend(problems);
        }
        if top.contains_key("redact") {
            match spanscope_core::redact::rules_from_value(&value) {
                Ok(rules) => config.redact = rules,
                Err(e) => warnings.push(format!("config.json `redact` ignored: {e}")),
            }
        }
        if let Some(embed) = top.get("embed") {
            let (origins, more) = allowed_origins(embed);
            config.allowed_origins = origins;
            warnings.extend(more);
        }
        config.default_backend =
            top.get("defaultBackend").and_then(|d| d.as_str()).map(str::to_string);
        let (backends, more) =
            parse_backends(top.get("backends").unwrap_or(&serde_json::Value::Null), "config.json");
        config.backends = backends;
        warnings.extend(more);
        if let Some(name) = &config.default_backend {
            if !config.backends.iter().any(|b| &b.name == name) {
                warnings.push(format!(
                    "config.json: defaultBackend `{name}` is not one of the backends."
                ));
            }
        }
        Ok(ParsedConfig { config, warnings })
    }

    /// The backends to offer: the site's, then the user's own; a user backend with the same
    /// name as a site backend replaces it.
    pub fn merged_backends(&self, user: &[Backend]) -> Vec<Backend> {
        let mut out: Vec<Backend> = self
            .backends
            .iter()
            .filter(|b| !user.iter().any(|u| u.name == b.name))
            .cloned()
            .collect();
        out.extend(user.iter().cloned());
        out
    }
}

/// Reads a list of backends (config.json's `backends`, or the user's saved list); invalid
/// entries are dropped with a warning naming the problem.
/// `embed.allowedOrigins`: origins as a browser writes them (scheme, host, port; no path),
/// or `*` for any page. Anything else is left out with a warning.
fn allowed_origins(embed: &serde_json::Value) -> (Vec<String>, Vec<String>) {
    let mut warnings = Vec::new();
    if let Some(map) = embed.as_object() {
        warnings.extend(unknown_keys(map, &["allowedOrigins"], "config.json `embed`"));
    }
    let list = embed.get("allowedOrigins").and_then(|l| l.as_array()).cloned().unwrap_or_default();
    let mut origins = Vec::new();
    for item in &list {
        let text = item.as_str().unwrap_or_default().trim_end_matches('/');
        match origin_of(text) {
            Some(origin) if origin.eq_ignore_ascii_case(text) => origins.push(origin),
            _ if text == "*" => origins.push("*".into()),
            _ => warnings.push(format!(
                "config.json `embed.allowedOrigins`: {item} is not an origin such as https://portal.example.com"
            )),
        }
    }
    (origins, warnings)
}

pub fn parse_backends(value: &serde_json::Value, source: &str) -> (Vec<Backend>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut out: Vec<Backend> = Vec::new();
    let items = match value {
        serde_json::Value::Null => return (out, warnings),
        serde_json::Value::Array(items) => items,
        _ => return (out, vec![format!("{source}: `backends` must be a list")]),
    };
    for (i, item) in items.iter().enumerate() {
        if let Some(map) = item.as_object() {
            warnings.extend(unknown_keys(
                map,
                &BACKEND_KEYS,
                &format!("{source} backend {}", i + 1),
            ));
        }
        match serde_json::from_value::<Backend>(item.clone()) {
            Ok(b) => {
                let problems = b.problems();
                if !problems.is_empty() {
                    warnings.push(format!("{source}: backend {} left out. {}", i + 1, problems.join(" ")));
                } else if out.iter().any(|o| o.name == b.name) {
                    warnings.push(format!("{source}: backend name `{}` is used twice; the second is left out.", b.name));
                } else {
                    out.push(b);
                }
            }
            Err(e) => warnings.push(format!(
                "{source}: backend {} left out ({e}); it needs name, type (jaeger, zipkin or tempo) and url.",
                i + 1
            )),
        }
    }
    (out, warnings)
}

fn unknown_keys(
    map: &serde_json::Map<String, serde_json::Value>,
    known: &[&str],
    place: &str,
) -> Vec<String> {
    map.keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| format!("{place}: unknown key `{k}` ignored (known: {})", known.join(", ")))
        .collect()
}

/// `scheme://host[:port]` of an absolute http(s) URL, lower-cased.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    Some(format!("{scheme}://{host}").to_ascii_lowercase())
}
