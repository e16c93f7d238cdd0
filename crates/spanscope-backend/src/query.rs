//! A trace search as the user states it, independent of any backend: what the search form
//! edits, what the page URL stores, and what `api` turns into each backend's request.

use super::config::{Backend, MAX_LIMIT};
use super::error::{DurationError, FormError};
use super::units::{format_lookback, parse_duration_ns};

/// The searched time span: the last N nanoseconds, or a fixed range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRange {
    Lookback(i64),
    Between { start_ns: i64, end_ns: i64 },
}

/// Lookback choices offered by the search form, as Jaeger UI offers them.
pub const LOOKBACK_PRESETS: [&str; 10] =
    ["5m", "15m", "30m", "1h", "2h", "3h", "6h", "12h", "1d", "2d"];

#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub service: String,
    pub operation: String,
    /// Zipkin only: the remote service called (`remoteServiceName`).
    pub remote_service: String,
    /// Jaeger: logfmt (`error=true http.status_code=500`); Zipkin: an annotationQuery
    /// (`error and http.method=GET`) or logfmt; Tempo: TraceQL (`{ status = error }`) or logfmt.
    pub tags: String,
    pub range: TimeRange,
    /// Durations as typed (`100ms`); empty means no bound.
    pub min_duration: String,
    pub max_duration: String,
    pub limit: u32,
}

impl SearchQuery {
    /// An empty search with the backend's defaults.
    pub fn for_backend(backend: &Backend) -> SearchQuery {
        SearchQuery {
            service: String::new(),
            operation: String::new(),
            remote_service: String::new(),
            tags: String::new(),
            range: TimeRange::Lookback(backend.lookback_ns()),
            min_duration: String::new(),
            max_duration: String::new(),
            limit: backend.limit(),
        }
    }

    /// `[start, end]` in Unix nanoseconds at `now_ns`.
    pub fn bounds(&self, now_ns: i64) -> (i64, i64) {
        match self.range {
            TimeRange::Lookback(ns) => (now_ns - ns, now_ns),
            TimeRange::Between { start_ns, end_ns } => (start_ns.min(end_ns), start_ns.max(end_ns)),
        }
    }

    /// The min and max durations in nanoseconds, or a message naming the bad field.
    pub fn duration_bounds(&self) -> Result<(Option<i64>, Option<i64>), FormError> {
        let parse = |text: &str, what: fn(DurationError) -> FormError| {
            if text.trim().is_empty() {
                return Ok(None);
            }
            parse_duration_ns(text).map(Some).map_err(what)
        };
        let min = parse(&self.min_duration, FormError::MinDuration)?;
        let max = parse(&self.max_duration, FormError::MaxDuration)?;
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                return Err(FormError::MinAboveMax);
            }
        }
        Ok((min, max))
    }

    /// The query as URL parameters, so a search can be bookmarked and shared.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut put = |k: &'static str, v: &str| {
            if !v.trim().is_empty() {
                out.push((k, v.to_string()));
            }
        };
        put("service", &self.service);
        put("operation", &self.operation);
        put("remoteService", &self.remote_service);
        put("tags", &self.tags);
        match self.range {
            TimeRange::Lookback(ns) => put("lookback", &format_lookback(ns)),
            TimeRange::Between { start_ns, end_ns } => {
                put("start", &super::units::to_micros(start_ns).to_string());
                put("end", &super::units::to_micros(end_ns).to_string());
            }
        }
        put("minDuration", &self.min_duration);
        put("maxDuration", &self.max_duration);
        put("limit", &self.limit.to_string());
        out
    }

    /// Reads a query from URL parameters (`get` looks one up); missing or invalid values fall
    /// back to the backend's defaults. `start`/`end` are Unix microseconds, as in Jaeger UI.
    pub fn from_params(get: impl Fn(&str) -> Option<String>, backend: &Backend) -> SearchQuery {
        let mut q = SearchQuery::for_backend(backend);
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        q.service = text("service");
        q.operation = text("operation");
        q.remote_service = text("remoteService");
        q.tags = get("tags").unwrap_or_default();
        q.min_duration = text("minDuration");
        q.max_duration = text("maxDuration");
        if let Some(limit) = get("limit").and_then(|l| l.trim().parse::<u32>().ok()) {
            q.limit = limit.clamp(1, MAX_LIMIT);
        }
        let micros = |k: &str| {
            get(k).and_then(|v| v.trim().parse::<i64>().ok()).map(|us| us.saturating_mul(1000))
        };
        if let (Some(start_ns), Some(end_ns)) = (micros("start"), micros("end")) {
            q.range = TimeRange::Between { start_ns, end_ns };
        } else if let Some(ns) = get("lookback").and_then(|l| parse_duration_ns(&l).ok()) {
            q.range = TimeRange::Lookback(ns);
        }
        q
    }
}

/// One `key=value` (or bare `key`) term of a logfmt tag filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagTerm {
    pub key: String,
    pub value: Option<String>,
}

/// Parses logfmt as Jaeger UI's tag field takes it: `error=true http.url="/a b"`. Quoted
/// values may hold spaces and `\"`.
pub fn parse_logfmt(text: &str) -> Result<Vec<TagTerm>, FormError> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let key = read_token(&mut chars, true)?;
        if key.is_empty() {
            return Err(FormError::TagsNotKeyValue(chars.take(30).collect()));
        }
        let value = if chars.peek() == Some(&'=') {
            chars.next();
            Some(read_token(&mut chars, false)?)
        } else {
            None
        };
        out.push(TagTerm { key, value });
    }
}

fn read_token(
    chars: &mut std::iter::Peekable<std::str::Chars>,
    is_key: bool,
) -> Result<String, FormError> {
    let mut out = String::new();
    if chars.peek() == Some(&'"') {
        chars.next();
        loop {
            match chars.next() {
                None => return Err(FormError::TagsUnclosedQuote),
                Some('"') => return Ok(out),
                Some('\\') => out.extend(chars.next()),
                Some(c) => out.push(c),
            }
        }
    }
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || (is_key && c == '=') {
            break;
        }
        out.push(c);
        chars.next();
    }
    Ok(out)
}

/// Jaeger's `tags` parameter: a JSON object of exact matches. Every term needs a value.
pub fn jaeger_tags_json(terms: &[TagTerm]) -> Result<String, FormError> {
    let mut map = serde_json::Map::new();
    for t in terms {
        let Some(v) = &t.value else {
            return Err(FormError::JaegerTagNeedsValue(t.key.clone()));
        };
        map.insert(t.key.clone(), serde_json::Value::String(v.clone()));
    }
    Ok(serde_json::Value::Object(map).to_string())
}

/// Zipkin's `annotationQuery`: the text as typed if it already uses Zipkin's ` and `
/// syntax, otherwise logfmt terms joined with ` and `.
pub fn zipkin_annotation_query(tags: &str) -> Result<String, FormError> {
    let t = tags.trim();
    if t.contains(" and ") {
        return Ok(t.to_string());
    }
    let terms = parse_logfmt(t)?;
    Ok(terms
        .iter()
        .map(|term| match &term.value {
            Some(v) => format!("{}={v}", term.key),
            None => term.key.clone(),
        })
        .collect::<Vec<_>>()
        .join(" and "))
}

/// A TraceQL string literal.
pub fn traceql_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The TraceQL query for a Tempo search: the form's service, operation and durations as one
/// spanset, and what the user typed, if it is TraceQL, combined with `&&`. Logfmt terms in the
/// tags field become attribute conditions (`.key = "value"`).
pub fn tempo_traceql(q: &SearchQuery) -> Result<String, FormError> {
    let mut conditions: Vec<String> = Vec::new();
    if !q.service.is_empty() {
        conditions.push(format!("resource.service.name = {}", traceql_string(&q.service)));
    }
    if !q.operation.is_empty() {
        conditions.push(format!("name = {}", traceql_string(&q.operation)));
    }
    let tags = q.tags.trim();
    let user_traceql = tags.starts_with('{');
    if !user_traceql {
        for term in parse_logfmt(tags)? {
            match term.value {
                Some(v) if term.key == "error" && v == "true" => {
                    conditions.push("status = error".into())
                }
                Some(v) => conditions.push(format!(".{} = {}", term.key, traceql_value(&v))),
                None => conditions.push(format!(".{} != nil", term.key)),
            }
        }
    }
    let (min, max) = q.duration_bounds()?;
    if let Some(min) = min {
        conditions.push(format!("duration >= {}", super::units::format_go_duration(min)));
    }
    if let Some(max) = max {
        conditions.push(format!("duration <= {}", super::units::format_go_duration(max)));
    }
    let form = if conditions.is_empty() {
        None
    } else {
        Some(format!("{{ {} }}", conditions.join(" && ")))
    };
    Ok(match (form, user_traceql) {
        (Some(f), true) => format!("{f} && {tags}"),
        (None, true) => tags.to_string(),
        (Some(f), false) => f,
        (None, false) => "{}".to_string(),
    })
}

/// The `tags` of a Tempo 1.x search: logfmt, with the service and span name as the
/// `service.name` and `name` tags. Tempo 1.x has no TraceQL.
pub fn tempo_tags(q: &SearchQuery) -> Result<String, FormError> {
    let tags = q.tags.trim();
    if tags.starts_with('{') {
        return Err(FormError::TraceqlOnTagsApi);
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    if !q.service.is_empty() {
        pairs.push(("service.name".into(), q.service.clone()));
    }
    if !q.operation.is_empty() {
        pairs.push(("name".into(), q.operation.clone()));
    }
    for term in parse_logfmt(tags)? {
        let Some(value) = term.value else {
            return Err(FormError::TempoTagNeedsValue(term.key));
        };
        pairs.push((term.key, value));
    }
    Ok(pairs.iter().map(|(k, v)| format!("{k}={}", logfmt_value(v))).collect::<Vec<_>>().join(" "))
}

/// A logfmt value, quoted when it holds spaces, quotes or `=`.
fn logfmt_value(v: &str) -> String {
    if !v.is_empty()
        && !v.contains(|c: char| c.is_whitespace() || c == '"' || c == '=' || c == '\\')
    {
        return v.to_string();
    }
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Numbers and booleans stay bare so TraceQL compares them as such.
fn traceql_value(v: &str) -> String {
    if v == "true" || v == "false" || spanscope_core::number::parse_f64(v).is_some() {
        v.to_string()
    } else {
        traceql_string(v)
    }
}

/// Percent-encodes a query or path component (everything but RFC 3986 unreserved).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `a=1&b=2` with every value encoded.
pub fn query_string(params: &[(&str, String)]) -> String {
    params.iter().map(|(k, v)| format!("{k}={}", encode_component(v))).collect::<Vec<_>>().join("&")
}

/// Trace ids from the lookup box: hex, separated by spaces or commas (upper case and `0x`
/// prefixes are accepted); or, when the text is not just ids, the ids in the headers, log
/// lines or URLs it holds ([`find_trace_ids`]). Text with neither is named in the error.
pub fn parse_trace_ids(text: &str) -> Result<Vec<String>, FormError> {
    match plain_trace_ids(text) {
        Err(FormError::NotATraceId(raw)) => {
            let found = crate::trace_ref::find_trace_ids(text);
            if found.is_empty() {
                Err(FormError::NotATraceId(raw))
            } else {
                Ok(found)
            }
        }
        other => other,
    }
}

fn plain_trace_ids(text: &str) -> Result<Vec<String>, FormError> {
    let mut out: Vec<String> = Vec::new();
    for raw in
        text.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|s| !s.is_empty())
    {
        let id = raw.trim_start_matches("0x").to_ascii_lowercase();
        if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(FormError::NotATraceId(raw.chars().take(40).collect()));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.is_empty() {
        return Err(FormError::NoTraceId);
    }
    Ok(out)
}

/// Whether a typed trace id names a trace's id: equal without leading zeros, or the low 64
/// bits of a 128-bit id (Zipkin treats those as one trace).
pub fn same_trace_id(typed: &str, trace: &str) -> bool {
    let (a, b) = (typed.trim_start_matches('0'), trace.trim_start_matches('0'));
    a == b || (trace.len() == 32 && typed.len() <= 16 && trace[16..].trim_start_matches('0') == a)
}

/// The tag the user is typing a value for: `key` when the tags text ends with `key=` (or
/// `key=partial`), so the value can be suggested. Returns (text before the value, key).
pub fn tag_value_prefix(tags: &str) -> Option<(&str, &str)> {
    let last_start = tags.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let last = &tags[last_start..];
    let (key, value) = last.split_once('=')?;
    if key.is_empty() || value.contains('"') {
        return None;
    }
    Some((&tags[..last_start + key.len() + 1], key))
}
