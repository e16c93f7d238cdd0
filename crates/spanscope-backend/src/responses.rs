//! Reading the backends' answers: name lists, search results (whole traces or summaries),
//! single traces, and error bodies, in each API's envelope.

use std::cmp::Reverse;

use serde::Deserialize;

use super::api::Api;
use super::error::AnswerError;
use spanscope_core::{read_bytes, ReadError, Trace, TraceSummary};

/// One search result, whatever the backend returned: a whole trace (Jaeger v1, Zipkin,
/// api_v3 traces) or a summary (Tempo, api_v3 trace-summaries).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub trace_id: String,
    pub root_service: String,
    pub root_operation: String,
    pub start_ns: i64,
    pub duration_ns: i64,
    pub span_count: usize,
    /// False when the backend only said how many spans matched (Tempo without serviceStats).
    pub span_count_exact: bool,
    pub error_count: usize,
    /// Services with their span and error counts, most spans first.
    pub services: Vec<ServiceBadge>,
    /// Index into `SearchResults::traces` when the whole trace came with the result.
    pub full: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceBadge {
    pub name: String,
    pub spans: usize,
    pub errors: usize,
}

#[derive(Debug, Default)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub traces: Vec<Trace>,
    pub warnings: Vec<String>,
}

/// The result list's orders, as Jaeger UI offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    MostRecent,
    Longest,
    Shortest,
    MostSpans,
    MostErrors,
}

impl SortOrder {
    pub const ALL: [SortOrder; 5] = [
        SortOrder::MostRecent,
        SortOrder::Longest,
        SortOrder::Shortest,
        SortOrder::MostSpans,
        SortOrder::MostErrors,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SortOrder::MostRecent => "recent",
            SortOrder::Longest => "longest",
            SortOrder::Shortest => "shortest",
            SortOrder::MostSpans => "spans",
            SortOrder::MostErrors => "errors",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::MostRecent => "Most recent",
            SortOrder::Longest => "Longest first",
            SortOrder::Shortest => "Shortest first",
            SortOrder::MostSpans => "Most spans",
            SortOrder::MostErrors => "Most errors",
        }
    }

    pub fn from_key(key: &str) -> SortOrder {
        SortOrder::ALL.into_iter().find(|s| s.key() == key).unwrap_or_default()
    }
}

/// Sorts hits in place; ties keep the most recent first, then the trace id, so the order
/// is stable across refreshes.
pub fn sort_hits(hits: &mut [SearchHit], order: SortOrder) {
    spanscope_core::sort::sort_by(hits, |a, b| {
        let primary = match order {
            SortOrder::MostRecent => std::cmp::Ordering::Equal,
            SortOrder::Longest => b.duration_ns.cmp(&a.duration_ns),
            SortOrder::Shortest => a.duration_ns.cmp(&b.duration_ns),
            SortOrder::MostSpans => b.span_count.cmp(&a.span_count),
            SortOrder::MostErrors => b.error_count.cmp(&a.error_count),
        };
        primary
            .then_with(|| Reverse(a.start_ns).cmp(&Reverse(b.start_ns)))
            .then_with(|| a.trace_id.cmp(&b.trace_id))
    });
}

impl SearchHit {
    /// The hit for a whole trace.
    pub fn of_trace(trace: &Trace, full: Option<usize>) -> SearchHit {
        let summary = TraceSummary::of(trace);
        let mut services: Vec<ServiceBadge> = trace
            .service_counts()
            .into_iter()
            .map(|(sym, spans)| ServiceBadge { name: trace.str(sym).to_string(), spans, errors: 0 })
            .collect();
        for span in trace.spans.iter().filter(|s| s.is_error()) {
            let name = trace.str(span.service);
            if let Some(b) = services.iter_mut().find(|b| b.name == name) {
                b.errors += 1;
            }
        }
        sort_badges(&mut services);
        SearchHit {
            trace_id: summary.trace_id,
            root_service: summary.root_service_name,
            root_operation: summary.root_span_name,
            start_ns: trace.stats.start_ns,
            duration_ns: trace.duration_ns(),
            span_count: summary.span_count,
            span_count_exact: true,
            error_count: summary.error_span_count,
            services,
            full,
        }
    }
}

fn sort_badges(badges: &mut [ServiceBadge]) {
    spanscope_core::sort::sort_by(badges, |a, b| {
        b.spans.cmp(&a.spans).then_with(|| a.name.cmp(&b.name))
    });
}

/// Whether an answer means "this route does not exist here" (try the next path), as opposed
/// to the API's own 404 ("trace not found" in its JSON envelope).
pub fn route_missing(status: u16, body: &[u8]) -> bool {
    matches!(status, 404 | 405 | 501) && !body.trim_ascii_start().starts_with(b"{")
}

/// Whether a probe's answer is the given Jaeger API: v1 wraps lists in `data`, v3 names them.
pub fn probe_matches(api: Api, status: u16, body: &[u8]) -> bool {
    if status != 200 {
        return false;
    }
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return false;
    };
    match api {
        Api::JaegerV1 => map.contains_key("data"),
        Api::JaegerV3 => map.contains_key("services"),
        _ => false,
    }
}

/// The server's own words from an error answer: Jaeger v1 `{errors:[{code,msg}]}`, api_v3
/// `{error:{httpCode,message}}`, Tempo and Zipkin plain text. At most 300 characters.
pub fn error_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let from_json = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| {
        let msgs: Vec<String> = v
            .get("errors")
            .and_then(|e| e.as_array())
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e.get("msg").and_then(|m| m.as_str()).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if !msgs.is_empty() {
            return Some(msgs.join("; "));
        }
        let e = v.get("error")?;
        e.get("message")
            .and_then(|m| m.as_str())
            .map(str::to_string)
            .or_else(|| e.as_str().map(str::to_string))
    });
    let message = from_json.unwrap_or_else(|| text.trim().to_string());
    let one_line: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 300 {
        format!("{}…", one_line.chars().take(300).collect::<String>())
    } else {
        one_line
    }
}

/// A list of names from any of the list answers: a bare array (Zipkin), `{data: [...]}`
/// (Jaeger v1), `{services|operations: [...]}` (api_v3), `{tagValues|tagNames: [...]}`
/// (Tempo v1), `{scopes: [{tags}]}` and `{tagValues: [{value}]}` (Tempo v2). Items may be
/// strings or objects with `name` or `value`. Sorted, without duplicates.
pub fn names(body: &[u8]) -> Result<Vec<String>, AnswerError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| AnswerError::NotJson(e.to_string()))?;
    let mut out: Vec<String> = Vec::new();
    let mut push_items = |items: &serde_json::Value| {
        for item in items.as_array().into_iter().flatten() {
            let name = item
                .as_str()
                .or_else(|| item.get("name").and_then(|n| n.as_str()))
                .or_else(|| item.get("value").and_then(|n| n.as_str()));
            out.extend(name.map(str::to_string));
        }
    };
    match &value {
        serde_json::Value::Array(_) => push_items(&value),
        serde_json::Value::Object(map) => {
            let mut found = false;
            for key in ["data", "services", "operations", "tagValues", "tagNames"] {
                if let Some(items) = map.get(key) {
                    found = true;
                    push_items(items);
                }
            }
            if let Some(scopes) = map.get("scopes").and_then(|s| s.as_array()) {
                found = true;
                for scope in scopes {
                    push_items(scope.get("tags").unwrap_or(&serde_json::Value::Null));
                }
            }
            if !found {
                return Err(AnswerError::NoNames);
            }
        }
        _ => return Err(AnswerError::NoNames),
    }
    spanscope_core::sort::sort(&mut out);
    out.dedup();
    Ok(out)
}

/// Reads a search answer.
pub fn search_results(api: Api, status: u16, body: &[u8]) -> Result<SearchResults, AnswerError> {
    // api_v3 answers an empty search with its own 404 "No traces found".
    if api == Api::JaegerV3 && status == 404 {
        return Ok(SearchResults::default());
    }
    if matches!(api, Api::Tempo | Api::TempoTags) || (api == Api::JaegerV3 && has_summaries(body)) {
        return summaries(body);
    }
    whole_traces(body)
}

/// Whether an api_v3 answer is `/trace-summaries` rather than `/traces`.
fn has_summaries(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        summaries: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(body).is_ok_and(|p| p.summaries.is_some())
}

/// `[]` (with any whitespace): Zipkin's and Jaeger's "nothing matched".
fn is_empty_list(body: &[u8]) -> bool {
    body.iter().filter(|b| !b.is_ascii_whitespace()).eq(b"[]".iter())
}

fn whole_traces(body: &[u8]) -> Result<SearchResults, AnswerError> {
    if is_empty_list(body) {
        return Ok(SearchResults::default());
    }
    match read_bytes(body) {
        Ok(set) => {
            let hits = set
                .traces
                .iter()
                .enumerate()
                .map(|(i, t)| SearchHit::of_trace(t, Some(i)))
                .collect();
            Ok(SearchResults { hits, traces: set.traces, warnings: set.warnings })
        }
        // `{"data": []}`, `[]`: no matches.
        Err(ReadError::NoSpans { notes, .. }) => {
            Ok(SearchResults { warnings: notes, ..Default::default() })
        }
        Err(ReadError::Empty) => Ok(SearchResults::default()),
        Err(e) => Err(AnswerError::Search(e)),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TempoSearch {
    #[serde(default)]
    traces: Option<Vec<TempoHit>>,
    /// Jaeger api_v3 `/api/v3/trace-summaries`.
    #[serde(default)]
    summaries: Option<Vec<JaegerSummary>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TempoHit {
    #[serde(rename = "traceID")]
    trace_id: String,
    #[serde(default)]
    root_service_name: Option<String>,
    #[serde(default)]
    root_trace_name: Option<String>,
    #[serde(default)]
    start_time_unix_nano: Option<spanscope_core::read::de::Int>,
    #[serde(default)]
    duration_ms: Option<f64>,
    #[serde(default)]
    service_stats: Option<std::collections::BTreeMap<String, TempoServiceStats>>,
    #[serde(default)]
    span_set: Option<TempoSpanSet>,
    #[serde(default)]
    span_sets: Option<Vec<TempoSpanSet>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TempoServiceStats {
    #[serde(default)]
    span_count: usize,
    #[serde(default)]
    error_count: usize,
}

#[derive(Deserialize)]
struct TempoSpanSet {
    #[serde(default)]
    matched: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JaegerSummary {
    trace_id: String,
    #[serde(default)]
    root_service_name: String,
    #[serde(default)]
    root_operation_name: String,
    #[serde(default)]
    min_start_time_unix_nano: Option<spanscope_core::read::de::Int>,
    #[serde(default)]
    max_end_time_unix_nano: Option<spanscope_core::read::de::Int>,
    #[serde(default)]
    span_count: usize,
    #[serde(default)]
    error_span_count: usize,
    #[serde(default)]
    services: Vec<JaegerSummaryService>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JaegerSummaryService {
    name: String,
    #[serde(default)]
    span_count: usize,
    #[serde(default)]
    error_span_count: usize,
}

fn summaries(body: &[u8]) -> Result<SearchResults, AnswerError> {
    let answer: TempoSearch =
        serde_json::from_slice(body).map_err(|e| AnswerError::Summaries(e.to_string()))?;
    let mut hits = Vec::new();
    for t in answer.traces.into_iter().flatten() {
        let mut services: Vec<ServiceBadge> = t
            .service_stats
            .iter()
            .flatten()
            .map(|(name, s)| ServiceBadge {
                name: name.clone(),
                spans: s.span_count,
                errors: s.error_count,
            })
            .collect();
        sort_badges(&mut services);
        let exact = !services.is_empty();
        let matched: usize = t
            .span_set
            .iter()
            .chain(t.span_sets.iter().flatten())
            .map(|s| s.matched)
            .max()
            .unwrap_or(0);
        let root_service =
            t.root_service_name.unwrap_or_else(|| "<root span not yet received>".into());
        if services.is_empty() {
            services.push(ServiceBadge { name: root_service.clone(), spans: matched, errors: 0 });
        }
        hits.push(SearchHit {
            trace_id: normalize_id(&t.trace_id),
            root_operation: t.root_trace_name.unwrap_or_default(),
            root_service,
            start_ns: t.start_time_unix_nano.map_or(0, |n| n.0),
            duration_ns: (t.duration_ms.unwrap_or(0.0) * 1e6).round() as i64,
            span_count: if exact { services.iter().map(|s| s.spans).sum() } else { matched },
            span_count_exact: exact,
            error_count: services.iter().map(|s| s.errors).sum(),
            services,
            full: None,
        });
    }
    for s in answer.summaries.into_iter().flatten() {
        let start = s.min_start_time_unix_nano.map_or(0, |n| n.0);
        let end = s.max_end_time_unix_nano.map_or(start, |n| n.0);
        let mut services: Vec<ServiceBadge> = s
            .services
            .into_iter()
            .map(|b| ServiceBadge { name: b.name, spans: b.span_count, errors: b.error_span_count })
            .collect();
        sort_badges(&mut services);
        hits.push(SearchHit {
            trace_id: normalize_id(&s.trace_id),
            root_service: s.root_service_name,
            root_operation: s.root_operation_name,
            start_ns: start,
            duration_ns: end - start,
            span_count: s.span_count,
            span_count_exact: true,
            error_count: s.error_span_count,
            services,
            full: None,
        });
    }
    Ok(SearchResults { hits, traces: Vec::new(), warnings: Vec::new() })
}

/// Tempo drops leading zeros from trace ids (`7a1d2dd4deaf177e0acf55b3c49032`) and keeps
/// every id as 128 bits; pad to 32 hex digits so ids compare equal to the trace's own.
fn normalize_id(id: &str) -> String {
    let id = id.to_ascii_lowercase();
    if id.bytes().all(|b| b.is_ascii_hexdigit()) && id.len() < 32 {
        format!("{id:0>32}")
    } else {
        id
    }
}

/// Outcome of looking up one trace id.
#[derive(Debug)]
pub enum Lookup {
    Found(Vec<Trace>, Vec<String>),
    NotFound,
}

/// Reads a trace-by-id answer. 404, an empty list, or a trace without spans all mean the
/// backend does not have it.
pub fn trace_lookup(status: u16, body: &[u8]) -> Result<Lookup, AnswerError> {
    if status == 404 || is_empty_list(body) {
        return Ok(Lookup::NotFound);
    }
    match read_bytes(body) {
        Ok(set) if set.traces.is_empty() => Ok(Lookup::NotFound),
        Ok(set) => Ok(Lookup::Found(set.traces, set.warnings)),
        Err(ReadError::NoSpans { .. } | ReadError::Empty) => Ok(Lookup::NotFound),
        Err(e) => Err(AnswerError::Trace(e)),
    }
}
