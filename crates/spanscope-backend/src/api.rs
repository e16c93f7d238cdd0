//! Each backend's HTTP API: the request paths (relative to the backend's base URL) for
//! services, operations, search, trace lookup and dependencies. Pure string building, so
//! every endpoint is tested natively; the app sends them and `responses` reads the answers.

use super::config::{ApiChoice, Backend, BackendKind};
use super::error::FormError;
use super::query::{
    encode_component, jaeger_tags_json, parse_logfmt, query_string, tempo_tags, tempo_traceql,
    zipkin_annotation_query, SearchQuery,
};
use super::units::{
    format_go_duration, rfc3339_nanos, to_micros, to_millis, to_seconds_ceil, to_seconds_floor,
};

/// A concrete API generation. Jaeger backends configured as `auto` are probed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// jaeger-query's `/api/...` (the API Jaeger UI uses).
    JaegerV1,
    /// Jaeger's `/api/v3/...` (OTLP JSON; newer releases' only search API).
    JaegerV3,
    ZipkinV2,
    Tempo,
    /// Tempo 1.x: search by `tags` (logfmt), no TraceQL, no `/api/v2` routes.
    TempoTags,
}

impl Api {
    /// The API to use when it is known without asking the server.
    pub fn known(backend: &Backend) -> Option<Api> {
        match (backend.kind, backend.api) {
            // `tags` is Tempo's; a Jaeger backend with it (refused by `problems`) asks the server.
            (BackendKind::Jaeger, ApiChoice::Auto | ApiChoice::Tags) => None,
            (BackendKind::Jaeger, ApiChoice::V1) => Some(Api::JaegerV1),
            (BackendKind::Jaeger, ApiChoice::V3) => Some(Api::JaegerV3),
            (BackendKind::Zipkin, _) => Some(Api::ZipkinV2),
            (BackendKind::Tempo, ApiChoice::Tags) => Some(Api::TempoTags),
            (BackendKind::Tempo, _) => Some(Api::Tempo),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Api::JaegerV1 => "Jaeger query API v1",
            Api::JaegerV3 => "Jaeger api_v3",
            Api::ZipkinV2 => "Zipkin API v2",
            Api::Tempo => "Tempo HTTP API",
            Api::TempoTags => "Tempo HTTP API, tags search",
        }
    }

    /// Whether the search needs a service (Jaeger's does; Zipkin and Tempo search all).
    pub fn search_needs_service(self) -> bool {
        matches!(self, Api::JaegerV1 | Api::JaegerV3)
    }
}

/// Probes for an `auto` Jaeger backend, in order: the first that answers with its own JSON
/// shape decides (`responses::probe_api`).
pub const JAEGER_PROBES: [(Api, &str); 2] =
    [(Api::JaegerV1, "api/services"), (Api::JaegerV3, "api/v3/services")];

/// A request: paths tried in order. The next path is tried only when the server says the
/// route does not exist (a 404 that is not the API's own JSON), which is how older and newer
/// servers of the same backend are both served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub paths: Vec<String>,
}

impl Request {
    fn one(path: String) -> Request {
        Request { paths: vec![path] }
    }
}

pub fn services(api: Api) -> Request {
    Request::one(
        match api {
            Api::JaegerV1 => "api/services",
            Api::JaegerV3 => "api/v3/services",
            Api::ZipkinV2 => "api/v2/services",
            // Tempo has no service list; the values of the `service.name` tag are one.
            Api::Tempo | Api::TempoTags => "api/search/tag/service.name/values",
        }
        .to_string(),
    )
}

pub fn operations(api: Api, service: &str) -> Request {
    let s = encode_component(service);
    match api {
        // `/api/operations` (with span kinds) is newer; `/api/services/{s}/operations` older.
        Api::JaegerV1 => Request {
            paths: vec![
                format!("api/operations?service={s}"),
                format!("api/services/{s}/operations"),
            ],
        },
        Api::JaegerV3 => Request::one(format!("api/v3/operations?service={s}")),
        Api::ZipkinV2 => Request::one(format!("api/v2/spans?serviceName={s}")),
        Api::Tempo => {
            let q =
                format!("{{ resource.service.name = {} }}", super::query::traceql_string(service));
            Request {
                paths: vec![
                    format!("api/v2/search/tag/name/values?q={}", encode_component(&q)),
                    "api/search/tag/name/values".into(),
                ],
            }
        }
        // Tempo 1.x cannot narrow span names to one service.
        Api::TempoTags => Request::one("api/search/tag/name/values".into()),
    }
}

/// The search request at `now_ns`, or a message saying what the form is missing.
pub fn search(api: Api, q: &SearchQuery, now_ns: i64) -> Result<Request, FormError> {
    let (start, end) = q.bounds(now_ns);
    let durations = q.duration_bounds()?;
    let limit = q.limit.to_string();
    if api.search_needs_service() && q.service.trim().is_empty() {
        return Err(FormError::ServiceRequired);
    }
    let mut p: Params = Vec::new();
    let path = match api {
        Api::JaegerV1 => {
            p.push(("service", q.service.clone()));
            put(&mut p, "operation", &q.operation);
            let terms = parse_logfmt(&q.tags)?;
            if !terms.is_empty() {
                p.push(("tags", jaeger_tags_json(&terms)?));
            }
            p.push(("start", to_micros(start).to_string()));
            p.push(("end", to_micros(end).to_string()));
            put_durations(&mut p, ["minDuration", "maxDuration"], durations, format_go_duration);
            p.push(("limit", limit));
            format!("api/traces?{}", query_string(&p))
        }
        Api::JaegerV3 => {
            if !parse_logfmt(&q.tags)?.is_empty() {
                return Err(FormError::TagsOnJaegerV3);
            }
            p.push(("query.service_name", q.service.clone()));
            put(&mut p, "query.operation_name", &q.operation);
            p.push(("query.start_time_min", rfc3339_nanos(start)));
            p.push(("query.start_time_max", rfc3339_nanos(end)));
            put_durations(
                &mut p,
                ["query.duration_min", "query.duration_max"],
                durations,
                format_go_duration,
            );
            p.push(("query.search_depth", limit));
            let qs = query_string(&p);
            // Summaries are much smaller than whole traces; servers without them get traces.
            return Ok(Request {
                paths: vec![format!("api/v3/trace-summaries?{qs}"), format!("api/v3/traces?{qs}")],
            });
        }
        Api::ZipkinV2 => {
            put(&mut p, "serviceName", &q.service);
            put(&mut p, "spanName", &q.operation);
            put(&mut p, "remoteServiceName", &q.remote_service);
            put(&mut p, "annotationQuery", &zipkin_annotation_query(&q.tags)?);
            // Zipkin span durations are microseconds; its times milliseconds.
            put_durations(&mut p, ["minDuration", "maxDuration"], durations, |ns| {
                (ns / 1000).to_string()
            });
            p.push(("endTs", to_millis(end).to_string()));
            p.push(("lookback", to_millis(end - start).to_string()));
            p.push(("limit", limit));
            format!("api/v2/traces?{}", query_string(&p))
        }
        Api::Tempo => {
            p.push(("q", tempo_traceql(q)?));
            p.push(("start", to_seconds_floor(start).to_string()));
            p.push(("end", to_seconds_ceil(end).to_string()));
            p.push(("limit", limit));
            // Spans per span set: enough for the service badges without bloating the answer.
            p.push(("spss", "10".into()));
            format!("api/search?{}", query_string(&p))
        }
        Api::TempoTags => {
            put(&mut p, "tags", &tempo_tags(q)?);
            put_durations(&mut p, ["minDuration", "maxDuration"], durations, format_go_duration);
            p.push(("start", to_seconds_floor(start).to_string()));
            p.push(("end", to_seconds_ceil(end).to_string()));
            p.push(("limit", limit));
            format!("api/search?{}", query_string(&p))
        }
    };
    Ok(Request::one(path))
}

type Params = Vec<(&'static str, String)>;

/// Adds `key=value` unless the value is empty (the filter is not set).
fn put(p: &mut Params, key: &'static str, value: &str) {
    if !value.is_empty() {
        p.push((key, value.to_string()));
    }
}

/// Adds the minimum and maximum duration that are set (nanoseconds), in the API's format.
fn put_durations(
    p: &mut Params,
    [min_key, max_key]: [&'static str; 2],
    (min, max): (Option<i64>, Option<i64>),
    format: fn(i64) -> String,
) {
    p.extend(min.map(|ns| (min_key, format(ns))));
    p.extend(max.map(|ns| (max_key, format(ns))));
}

/// One trace by id (lower-case hex).
pub fn trace(api: Api, id: &str) -> Request {
    let id = encode_component(id);
    match api {
        Api::JaegerV1 => Request::one(format!("api/traces/{id}")),
        Api::JaegerV3 => Request::one(format!("api/v3/traces/{id}")),
        Api::ZipkinV2 => Request::one(format!("api/v2/trace/{id}")),
        // v2 (Tempo 2.5+) wraps the trace; older servers only have v1.
        Api::Tempo => {
            Request { paths: vec![format!("api/v2/traces/{id}"), format!("api/traces/{id}")] }
        }
        Api::TempoTags => Request::one(format!("api/traces/{id}")),
    }
}

/// Several traces in one request, where the API has it: Zipkin `traceMany`, Jaeger v1's
/// search by `traceID` (found traces in `data`, missing ones in `errors`, as Jaeger UI uses it).
pub fn trace_many(api: Api, ids: &[String]) -> Option<Request> {
    if ids.len() < 2 {
        return None;
    }
    match api {
        Api::ZipkinV2 => Some(Request::one(format!(
            "api/v2/traceMany?traceIds={}",
            encode_component(&ids.join(","))
        ))),
        Api::JaegerV1 => {
            let params: Vec<(&str, String)> =
                ids.iter().map(|id| ("traceID", id.clone())).collect();
            Some(Request::one(format!("api/traces?{}", query_string(&params))))
        }
        Api::JaegerV3 | Api::Tempo | Api::TempoTags => None,
    }
}

/// The backend's dependency links over `[end - lookback, end]`. Tempo keeps service graphs in
/// Prometheus, not behind its own API, so it has none.
pub fn dependencies(api: Api, end_ns: i64, lookback_ns: i64) -> Option<Request> {
    let qs = query_string(&[
        ("endTs", to_millis(end_ns).to_string()),
        ("lookback", to_millis(lookback_ns).to_string()),
    ]);
    match api {
        Api::JaegerV1 | Api::JaegerV3 => Some(Request::one(format!("api/dependencies?{qs}"))),
        Api::ZipkinV2 => Some(Request::one(format!("api/v2/dependencies?{qs}"))),
        Api::Tempo | Api::TempoTags => None,
    }
}

/// Tag names a search can filter on: Zipkin's autocomplete keys, Tempo's tag names.
pub fn tag_names(api: Api) -> Option<Request> {
    match api {
        Api::ZipkinV2 => Some(Request::one("api/v2/autocompleteKeys".into())),
        Api::Tempo => {
            Some(Request { paths: vec!["api/v2/search/tags".into(), "api/search/tags".into()] })
        }
        Api::TempoTags => Some(Request::one("api/search/tags".into())),
        Api::JaegerV1 | Api::JaegerV3 => None,
    }
}

/// Values seen for one tag.
pub fn tag_values(api: Api, key: &str) -> Option<Request> {
    let k = encode_component(key);
    match api {
        Api::ZipkinV2 => Some(Request::one(format!("api/v2/autocompleteValues?key={k}"))),
        Api::Tempo => Some(Request {
            paths: vec![
                format!("api/v2/search/tag/{k}/values"),
                format!("api/search/tag/{k}/values"),
            ],
        }),
        Api::TempoTags => Some(Request::one(format!("api/search/tag/{k}/values"))),
        Api::JaegerV1 | Api::JaegerV3 => None,
    }
}

/// Zipkin's remote services of one service (peers it calls that may not report spans).
pub fn remote_services(api: Api, service: &str) -> Option<Request> {
    (api == Api::ZipkinV2).then(|| {
        Request::one(format!("api/v2/remoteServices?serviceName={}", encode_component(service)))
    })
}
