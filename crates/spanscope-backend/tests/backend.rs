//! Live-backend logic against recorded real answers: configuration, each API's request
//! paths, reading each API's envelopes, and the messages for failures.

#[path = "../../spanscope-core/tests/common/mod.rs"]
mod common;

use common::{fixture, refdata};
use spanscope_backend::api::{self, Api};
use spanscope_backend::config::{parse_backends, ApiChoice};
use spanscope_backend::diagnose::{explain, is_mixed_content, Failure};
use spanscope_backend::query::{
    parse_logfmt, parse_trace_ids, same_trace_id, tag_value_prefix, tempo_traceql,
    zipkin_annotation_query,
};
use spanscope_backend::responses::{self, sort_hits, Lookup, SortOrder};
use spanscope_backend::{AnswerError, ConfigError, DurationError, FormError};
use spanscope_backend::{AppConfig, Backend, BackendKind, SearchQuery, TimeRange};
use spanscope_core::ReadError;

const NOW: i64 = 1_767_258_000_000_000_000; // 2026-01-01T09:00:00Z

fn read(path: std::path::PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn backend(kind: BackendKind) -> Backend {
    Backend::new("prod", kind, "https://tracing.example.com/")
}

#[test]
fn config_reads_every_key_and_warns_about_the_rest() {
    let text = r#"{
        "backends": [
            {"name": "prod", "type": "jaeger", "url": "https://jaeger.example.com", "headers": {"Authorization": "Bearer x"},
             "lookback": "2h", "limit": 50, "api": "v3", "timeout": "10s"},
            {"name": "zipkin", "type": "zipkin", "url": "/zipkin"},
            {"name": "tempo", "type": "tempo", "url": "backends/tempo", "colour": "red"},
            {"name": "bad", "type": "elastic", "url": "/x"},
            {"name": "", "type": "jaeger", "url": "ftp://x"},
            {"name": "prod", "type": "zipkin", "url": "/again"},
            {"name": "slow", "type": "tempo", "url": "/t", "lookback": "forever"}
        ],
        "defaultBackend": "zipkin",
        "ui": {"samples": false, "startPage": "search"},
        "extra": 1
    }"#;
    let parsed = AppConfig::parse(text).unwrap();
    let c = &parsed.config;
    assert_eq!(
        c.backends.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
        ["prod", "zipkin", "tempo"]
    );
    let prod = &c.backends[0];
    assert_eq!(
        (prod.kind, prod.api, prod.limit(), prod.timeout_ms()),
        (BackendKind::Jaeger, ApiChoice::V3, 50, 10_000)
    );
    assert_eq!(prod.lookback_ns(), 2 * 3_600_000_000_000);
    assert_eq!(prod.headers["Authorization"], "Bearer x");
    assert_eq!(c.default_backend.as_deref(), Some("zipkin"));
    assert_eq!((c.ui.samples, c.ui.start_page.as_deref()), (Some(false), Some("search")));
    let w = parsed.warnings.join("\n");
    assert!(w.contains("unknown key `extra`"), "{w}");
    assert!(w.contains("backend 3: unknown key `colour`"), "{w}");
    assert!(w.contains("backend 4 left out") && w.contains("jaeger, zipkin or tempo"), "{w}");
    assert!(w.contains("has no name") && w.contains("must start with http:// or https://"), "{w}");
    assert!(w.contains("`prod` is used twice"), "{w}");
    assert!(w.contains("lookback `forever` is not a duration"), "{w}");
    assert_eq!(parsed.warnings.len(), 6, "{w}");
    // Defaults: 1h lookback, 20 traces, 30 s.
    let z = &c.backends[1];
    assert_eq!((z.lookback_ns(), z.limit(), z.timeout_ms()), (3_600_000_000_000, 20, 30_000));
}

#[test]
fn config_that_is_not_an_object_is_an_error_and_an_empty_one_is_fine() {
    assert!(AppConfig::parse("{nope").unwrap_err().to_string().contains("not valid JSON"));
    assert!(AppConfig::parse("[1]").unwrap_err().to_string().contains("must hold a JSON object"));
    assert_eq!(AppConfig::parse("{}").unwrap().config, AppConfig::default());
    let parsed = AppConfig::parse(r#"{"backends": {}, "defaultBackend": "x"}"#).unwrap();
    assert!(parsed.warnings.iter().any(|w| w.contains("must be a list")));
    assert!(parsed
        .warnings
        .iter()
        .any(|w| w.contains("defaultBackend `x` is not one of the backends")));
}

#[test]
fn user_backends_replace_site_backends_of_the_same_name() {
    let site = AppConfig::parse(r#"{"backends":[{"name":"a","type":"jaeger","url":"/a"},{"name":"b","type":"zipkin","url":"/b"}]}"#).unwrap().config;
    let (user, warnings) = parse_backends(
        &serde_json::json!([{"name":"b","type":"tempo","url":"http://t:3200"},{"name":"c","type":"zipkin","url":"/c"}]),
        "settings",
    );
    assert!(warnings.is_empty());
    let merged = site.merged_backends(&user);
    let summary: Vec<(&str, BackendKind)> =
        merged.iter().map(|b| (b.name.as_str(), b.kind)).collect();
    assert_eq!(
        summary,
        [("a", BackendKind::Jaeger), ("b", BackendKind::Tempo), ("c", BackendKind::Zipkin)]
    );
    // What the settings page saves reads back the same.
    let saved = serde_json::to_value(&merged).unwrap();
    assert_eq!(parse_backends(&saved, "settings").0, merged);
}

#[test]
fn endpoints_join_and_origins_compare() {
    let b = Backend::new("x", BackendKind::Jaeger, "https://Jaeger.example.com:16686/");
    assert_eq!(b.endpoint("/api/services"), "https://Jaeger.example.com:16686/api/services");
    assert!(b.is_cross_origin("http://127.0.0.1:8080"));
    assert!(!b.is_cross_origin("https://jaeger.example.com:16686"));
    let rel = Backend::new("x", BackendKind::Jaeger, "backends/x");
    assert_eq!(rel.endpoint("api/services"), "backends/x/api/services");
    assert!(!rel.is_cross_origin("http://127.0.0.1:8080"));
    assert!(is_mixed_content(
        &Backend::new("x", BackendKind::Zipkin, "http://zipkin:9411"),
        "https://portal.example.com"
    ));
    assert!(!is_mixed_content(
        &Backend::new("x", BackendKind::Zipkin, "/zipkin"),
        "https://portal.example.com"
    ));
}

fn query() -> SearchQuery {
    SearchQuery {
        service: "frontend".into(),
        operation: "GET /dispatch".into(),
        remote_service: String::new(),
        tags: r#"error=true http.url="/a b""#.into(),
        range: TimeRange::Lookback(3_600_000_000_000),
        min_duration: "100ms".into(),
        max_duration: "1.5s".into(),
        limit: 20,
    }
}

#[test]
fn jaeger_v1_requests() {
    assert_eq!(api::services(Api::JaegerV1).paths, ["api/services"]);
    assert_eq!(
        api::operations(Api::JaegerV1, "front end").paths,
        ["api/operations?service=front%20end", "api/services/front%20end/operations"]
    );
    let search = api::search(Api::JaegerV1, &query(), NOW).unwrap();
    assert_eq!(
        search.paths,
        ["api/traces?service=frontend&operation=GET%20%2Fdispatch&tags=%7B%22error%22%3A%22true%22%2C%22http.url%22%3A%22%2Fa%20b%22%7D&start=1767254400000000&end=1767258000000000&minDuration=100ms&maxDuration=1500ms&limit=20"]
    );
    assert_eq!(api::trace(Api::JaegerV1, "abc").paths, ["api/traces/abc"]);
    assert_eq!(
        api::dependencies(Api::JaegerV1, NOW, 86_400_000_000_000).unwrap().paths,
        ["api/dependencies?endTs=1767258000000&lookback=86400000"]
    );
    let mut q = query();
    q.service.clear();
    assert!(api::search(Api::JaegerV1, &q, NOW)
        .unwrap_err()
        .to_string()
        .contains("Choose a service"));
    q = query();
    q.tags = "error".into();
    assert!(api::search(Api::JaegerV1, &q, NOW)
        .unwrap_err()
        .to_string()
        .contains("needs a value for `error`"));
}

#[test]
fn jaeger_v3_requests() {
    assert_eq!(api::services(Api::JaegerV3).paths, ["api/v3/services"]);
    assert_eq!(api::operations(Api::JaegerV3, "foo").paths, ["api/v3/operations?service=foo"]);
    let mut q = query();
    q.tags.clear();
    q.range = TimeRange::Between { start_ns: NOW - 1_000, end_ns: NOW };
    let qs = "query.service_name=frontend&query.operation_name=GET%20%2Fdispatch&query.start_time_min=2026-01-01T08%3A59%3A59.999999000Z&query.start_time_max=2026-01-01T09%3A00%3A00.000000000Z&query.duration_min=100ms&query.duration_max=1500ms&query.search_depth=20";
    assert_eq!(
        api::search(Api::JaegerV3, &q, NOW).unwrap().paths,
        [format!("api/v3/trace-summaries?{qs}"), format!("api/v3/traces?{qs}")]
    );
    assert!(api::search(Api::JaegerV3, &query(), NOW)
        .unwrap_err()
        .to_string()
        .contains("does not filter by tags"));
    assert_eq!(api::trace(Api::JaegerV3, "01").paths, ["api/v3/traces/01"]);
}

#[test]
fn zipkin_requests() {
    assert_eq!(api::services(Api::ZipkinV2).paths, ["api/v2/services"]);
    assert_eq!(
        api::operations(Api::ZipkinV2, "frontend").paths,
        ["api/v2/spans?serviceName=frontend"]
    );
    assert_eq!(
        api::search(Api::ZipkinV2, &query(), NOW).unwrap().paths,
        ["api/v2/traces?serviceName=frontend&spanName=GET%20%2Fdispatch&annotationQuery=error%3Dtrue%20and%20http.url%3D%2Fa%20b&minDuration=100000&maxDuration=1500000&endTs=1767258000000&lookback=3600000&limit=20"]
    );
    let mut q = SearchQuery {
        service: String::new(),
        operation: String::new(),
        remote_service: "mysql".into(),
        ..query()
    };
    q.tags = "error and http.method=GET".into();
    q.min_duration.clear();
    q.max_duration.clear();
    assert_eq!(
        api::search(Api::ZipkinV2, &q, NOW).unwrap().paths,
        ["api/v2/traces?remoteServiceName=mysql&annotationQuery=error%20and%20http.method%3DGET&endTs=1767258000000&lookback=3600000&limit=20"]
    );
    assert_eq!(
        api::trace(Api::ZipkinV2, "ef86c83c0a05a6d6").paths,
        ["api/v2/trace/ef86c83c0a05a6d6"]
    );
    assert_eq!(
        api::trace_many(Api::ZipkinV2, &["a".into(), "b".into()]).unwrap().paths,
        ["api/v2/traceMany?traceIds=a%2Cb"]
    );
    assert_eq!(
        api::trace_many(Api::JaegerV1, &["a".into(), "b".into()]).unwrap().paths,
        ["api/traces?traceID=a&traceID=b"]
    );
    assert!(api::trace_many(Api::JaegerV1, &["a".into()]).is_none(), "one id: the trace route");
    assert!(api::trace_many(Api::Tempo, &["a".into(), "b".into()]).is_none());
    assert_eq!(
        api::dependencies(Api::ZipkinV2, NOW, 3_600_000_000_000).unwrap().paths,
        ["api/v2/dependencies?endTs=1767258000000&lookback=3600000"]
    );
    assert_eq!(api::tag_names(Api::ZipkinV2).unwrap().paths, ["api/v2/autocompleteKeys"]);
    assert_eq!(
        api::tag_values(Api::ZipkinV2, "http.method").unwrap().paths,
        ["api/v2/autocompleteValues?key=http.method"]
    );
    assert_eq!(
        api::remote_services(Api::ZipkinV2, "frontend").unwrap().paths,
        ["api/v2/remoteServices?serviceName=frontend"]
    );
}

#[test]
fn tempo_requests() {
    assert_eq!(api::services(Api::Tempo).paths, ["api/search/tag/service.name/values"]);
    assert_eq!(
        api::operations(Api::Tempo, "frontend").paths,
        ["api/v2/search/tag/name/values?q=%7B%20resource.service.name%20%3D%20%22frontend%22%20%7D", "api/search/tag/name/values"]
    );
    assert_eq!(
        tempo_traceql(&query()).unwrap(),
        r#"{ resource.service.name = "frontend" && name = "GET /dispatch" && status = error && .http.url = "/a b" && duration >= 100ms && duration <= 1500ms }"#
    );
    let mut q = query();
    q.tags = r#"{ span.http.status_code >= 500 }"#.into();
    q.operation.clear();
    q.min_duration.clear();
    q.max_duration.clear();
    assert_eq!(
        tempo_traceql(&q).unwrap(),
        r#"{ resource.service.name = "frontend" } && { span.http.status_code >= 500 }"#
    );
    let path = &api::search(Api::Tempo, &q, NOW + 500_000_000).unwrap().paths[0];
    assert!(path.starts_with("api/search?q=%7B%20resource.service.name"), "{path}");
    assert!(path.ends_with("&start=1767254400&end=1767258001&limit=20&spss=10"), "{path}");
    assert_eq!(
        tempo_traceql(&SearchQuery {
            service: String::new(),
            operation: String::new(),
            tags: String::new(),
            min_duration: String::new(),
            max_duration: String::new(),
            ..query()
        })
        .unwrap(),
        "{}"
    );
    assert_eq!(api::trace(Api::Tempo, "abc").paths, ["api/v2/traces/abc", "api/traces/abc"]);
    assert!(api::dependencies(Api::Tempo, NOW, 1).is_none());
    assert_eq!(
        api::tag_values(Api::Tempo, "service.name").unwrap().paths,
        ["api/v2/search/tag/service.name/values", "api/search/tag/service.name/values"]
    );
}

#[test]
fn tempo_1x_tags_requests() {
    let mut tempo = backend(BackendKind::Tempo);
    assert_eq!(Api::known(&tempo), Some(Api::Tempo), "TraceQL by default");
    tempo.api = ApiChoice::Tags;
    assert_eq!(Api::known(&tempo), Some(Api::TempoTags));
    assert!(tempo.problems().is_empty());
    // Tempo 1.x: `tags` in logfmt (values with spaces quoted), durations as Go durations.
    assert_eq!(
        api::search(Api::TempoTags, &query(), NOW).unwrap().paths,
        ["api/search?tags=service.name%3Dfrontend%20name%3D%22GET%20%2Fdispatch%22%20error%3Dtrue%20http.url%3D%22%2Fa%20b%22&minDuration=100ms&maxDuration=1500ms&start=1767254400&end=1767258000&limit=20"]
    );
    let all = SearchQuery {
        service: String::new(),
        operation: String::new(),
        tags: String::new(),
        min_duration: String::new(),
        max_duration: String::new(),
        ..query()
    };
    assert_eq!(
        api::search(Api::TempoTags, &all, NOW).unwrap().paths,
        ["api/search?start=1767254400&end=1767258000&limit=20"]
    );
    let traceql = SearchQuery { tags: "{ span.http.status_code >= 500 }".into(), ..query() };
    assert!(api::search(Api::TempoTags, &traceql, NOW)
        .unwrap_err()
        .to_string()
        .contains("no TraceQL"));
    let bare_key = SearchQuery { tags: "error".into(), ..query() };
    assert!(api::search(Api::TempoTags, &bare_key, NOW)
        .unwrap_err()
        .to_string()
        .contains("`error` needs a value"));
    assert_eq!(api::operations(Api::TempoTags, "frontend").paths, ["api/search/tag/name/values"]);
    assert_eq!(api::trace(Api::TempoTags, "abc").paths, ["api/traces/abc"]);
    assert_eq!(api::tag_names(Api::TempoTags).unwrap().paths, ["api/search/tags"]);
    // Tempo 1.x answers searches like Tempo 2 without span sets.
    let body = br#"{"traces":[{"traceID":"2f3e0cee77ae5dc9c17ade3689eb2e54","rootServiceName":"shop-backend","rootTraceName":"update-billing","startTimeUnixNano":"1684778327699392724","durationMs":557}],"metrics":{"inspectedTraces":1}}"#;
    let r = responses::search_results(Api::TempoTags, 200, body).unwrap();
    assert_eq!(
        (r.hits[0].root_service.as_str(), r.hits[0].duration_ns),
        ("shop-backend", 557_000_000)
    );
    // `api` must fit the type.
    let mut zipkin = backend(BackendKind::Zipkin);
    zipkin.api = ApiChoice::V3;
    assert_eq!(zipkin.problems(), ["Backend `prod`: api `v3` does not apply to Zipkin; use auto."]);
    let mut jaeger = backend(BackendKind::Jaeger);
    jaeger.api = ApiChoice::Tags;
    assert_eq!(
        jaeger.problems(),
        ["Backend `prod`: api `tags` does not apply to Jaeger; use auto or v1 or v3."]
    );
}

#[test]
fn queries_round_trip_through_url_parameters() {
    let b = backend(BackendKind::Jaeger);
    for q in [
        query(),
        SearchQuery { remote_service: "db".into(), ..query() },
        SearchQuery {
            range: TimeRange::Between { start_ns: NOW - 5_000_000_000, end_ns: NOW },
            ..query()
        },
        SearchQuery::for_backend(&b),
    ] {
        let params = q.to_params();
        let back = SearchQuery::from_params(
            |k| params.iter().find(|(p, _)| *p == k).map(|(_, v)| v.clone()),
            &b,
        );
        assert_eq!(back, q);
    }
    // Bad values fall back to the backend's defaults.
    let odd = SearchQuery::from_params(
        |k| match k {
            "limit" => Some("lots".into()),
            "lookback" => Some("forever".into()),
            _ => None,
        },
        &b,
    );
    assert_eq!(odd, SearchQuery::for_backend(&b));
    let mut q = query();
    q.min_duration = "2s".into();
    assert!(q.duration_bounds().unwrap_err().to_string().contains("longer than max"));
    q.min_duration = "soon".into();
    assert!(q
        .duration_bounds()
        .unwrap_err()
        .to_string()
        .starts_with("Min duration: `soon` is not a duration"));
}

#[test]
fn tag_syntax() {
    let terms =
        parse_logfmt(r#"error=true  db.statement="select \"x\" from t" http.method"#).unwrap();
    let pairs: Vec<(&str, Option<&str>)> =
        terms.iter().map(|t| (t.key.as_str(), t.value.as_deref())).collect();
    assert_eq!(
        pairs,
        [
            ("error", Some("true")),
            ("db.statement", Some(r#"select "x" from t"#)),
            ("http.method", None)
        ]
    );
    assert!(parse_logfmt(r#"a="open"#).unwrap_err().to_string().contains("not closed"));
    assert!(parse_logfmt("=x").is_err());
    assert_eq!(
        zipkin_annotation_query("error http.method=GET").unwrap(),
        "error and http.method=GET"
    );
    assert_eq!(zipkin_annotation_query("").unwrap(), "");
    assert_eq!(
        parse_trace_ids("0xABC, ef86c83c0a05a6d6 abc").unwrap(),
        ["abc", "ef86c83c0a05a6d6"]
    );
    assert!(parse_trace_ids("xyz").unwrap_err().to_string().contains("not a trace id"));
    assert!(parse_trace_ids(&"a".repeat(33)).is_err());
    assert!(parse_trace_ids("  ").is_err());
    assert!(same_trace_id("abc", "00000000000000000000000000000abc"));
    assert_eq!(
        tag_value_prefix("error=true http.method="),
        Some(("error=true http.method=", "http.method"))
    );
    assert_eq!(tag_value_prefix("http.method=GE"), Some(("http.method=", "http.method")));
    assert_eq!(tag_value_prefix("error=true "), None);
    assert_eq!(tag_value_prefix("a=\"x y"), None);
    assert_eq!(tag_value_prefix("=x"), None);
    assert!(same_trace_id("ef86c83c0a05a6d6", "ef86c83c0a05a6d6"));
    assert!(same_trace_id("463ac35c9f6413ad", "0000000000000000463ac35c9f6413ad"));
    assert!(
        same_trace_id("48485a3953bb6124", "463ac35c9f6413ad48485a3953bb6124"),
        "the low 64 bits name the trace"
    );
    assert!(!same_trace_id("463ac35c9f6413ad", "463ac35c9f6413ad48485a3953bb6124"));
    assert!(!same_trace_id("abd", "00000000000000000000000000000abc"));
}

#[test]
fn name_lists_in_every_envelope() {
    assert_eq!(
        responses::names(&read(refdata("jaeger/api-v3/GetServices.json"))).unwrap(),
        ["foo"]
    );
    assert_eq!(
        responses::names(&read(refdata("jaeger/api-v3/GetOperations.json"))).unwrap(),
        ["get_users"]
    );
    // jaeger-query v1: {data, total, limit, offset, errors}.
    let v1 =
        br#"{"data":["redis","frontend","driver"],"total":3,"limit":0,"offset":0,"errors":null}"#;
    assert_eq!(responses::names(v1).unwrap(), ["driver", "frontend", "redis"]);
    let ops = br#"{"data":[{"name":"HTTP GET /dispatch","spanKind":"server"},{"name":"HTTP GET /dispatch","spanKind":"client"}],"total":2}"#;
    assert_eq!(responses::names(ops).unwrap(), ["HTTP GET /dispatch"]);
    assert_eq!(responses::names(br#"["b","a"]"#).unwrap(), ["a", "b"]);
    assert_eq!(responses::names(br#"{"tagValues":["x"]}"#).unwrap(), ["x"]);
    assert_eq!(
        responses::names(br#"{"tagValues":[{"type":"string","value":"y"}]}"#).unwrap(),
        ["y"]
    );
    assert_eq!(responses::names(br#"{"scopes":[{"name":"span","tags":["http.method"]},{"name":"resource","tags":["service.name"]}]}"#).unwrap(), ["http.method", "service.name"]);
    assert!(responses::names(b"<html>").unwrap_err().to_string().contains("not JSON"));
    assert!(responses::names(br#"{"nothing":1}"#).is_err());
}

#[test]
fn jaeger_v1_search_answer() {
    let results = responses::search_results(
        Api::JaegerV1,
        200,
        &read(refdata("jaeger/otlp2jaeger-out.json")),
    )
    .unwrap();
    assert_eq!(results.hits.len(), 1);
    let hit = &results.hits[0];
    assert_eq!(hit.trace_id, "83a9efd15c1c98a977e0711cc93ee28b");
    assert_eq!((hit.span_count, hit.full), (2, Some(0)));
    assert_eq!(
        hit.services.iter().map(|s| (s.name.as_str(), s.spans)).collect::<Vec<_>>(),
        [("telemetrygen", 2)]
    );
    assert_eq!(results.traces.len(), 1);
    // An empty search, and per-trace errors next to data.
    let empty = responses::search_results(
        Api::JaegerV1,
        200,
        br#"{"data":[],"total":0,"limit":0,"offset":0,"errors":null}"#,
    )
    .unwrap();
    assert!(empty.hits.is_empty());
    let partial = responses::search_results(
        Api::JaegerV1,
        200,
        br#"{"data":[],"errors":[{"code":500,"msg":"trace 1 could not be loaded","traceID":"1"}]}"#,
    )
    .unwrap();
    assert!(partial.hits.is_empty());
    assert!(
        partial.warnings.join(" ").contains("trace 1 could not be loaded"),
        "{:?}",
        partial.warnings
    );
    assert!(responses::search_results(Api::JaegerV1, 200, b"{\"data\": [")
        .unwrap_err()
        .to_string()
        .contains("could not be read"));
}

#[test]
fn jaeger_v3_answers() {
    let traces = responses::search_results(
        Api::JaegerV3,
        200,
        &read(refdata("jaeger/api-v3/FindTraces.json")),
    )
    .unwrap();
    assert_eq!(traces.hits.len(), 1);
    let hit = &traces.hits[0];
    assert_eq!(
        (hit.trace_id.as_str(), hit.root_operation.as_str(), hit.span_count, hit.error_count),
        ("00000000000000000000000000000001", "foobar", 1, 1)
    );
    let summaries = responses::search_results(
        Api::JaegerV3,
        200,
        &read(refdata("jaeger/api-v3/FindTraceSummaries.json")),
    )
    .unwrap();
    let s = &summaries.hits[0];
    assert_eq!(
        (
            s.trace_id.as_str(),
            s.root_service.as_str(),
            s.root_operation.as_str(),
            s.span_count,
            s.error_count,
            s.start_ns,
            s.duration_ns,
            s.full
        ),
        (
            "00000000000000000000000000000001",
            "frontend",
            "HTTP GET /",
            2,
            1,
            1_000_000_000_000,
            1_000_000_000,
            None
        )
    );
    assert_eq!(s.services[0].errors, 1);
    // "No traces found" is api_v3's empty answer, not a failure.
    let none = responses::search_results(
        Api::JaegerV3,
        404,
        br#"{"error":{"httpCode":404,"message":"No traces found"}}"#,
    )
    .unwrap();
    assert!(none.hits.is_empty());
    match responses::trace_lookup(200, &read(refdata("jaeger/api-v3/GetTrace.json"))).unwrap() {
        Lookup::Found(t, _) => {
            assert_eq!(t[0].trace_id_string(), "00000000000000000000000000000001")
        }
        Lookup::NotFound => panic!("GetTrace.json holds a trace"),
    }
    assert!(responses::probe_matches(
        Api::JaegerV3,
        200,
        &read(refdata("jaeger/api-v3/GetServices.json"))
    ));
    assert!(!responses::probe_matches(
        Api::JaegerV1,
        200,
        &read(refdata("jaeger/api-v3/GetServices.json"))
    ));
    assert!(responses::probe_matches(Api::JaegerV1, 200, br#"{"data":["a"],"total":1}"#));
    assert!(!responses::probe_matches(Api::JaegerV1, 404, b"404 page not found"));
}

#[test]
fn zipkin_search_answer() {
    let body = read(fixture("zipkin-traces-array.json"));
    let results = responses::search_results(Api::ZipkinV2, 200, &body).unwrap();
    assert!(!results.hits.is_empty());
    assert_eq!(results.hits.len(), results.traces.len());
    // Every hit's counts equal its trace's.
    for (hit, trace) in results.hits.iter().zip(&results.traces) {
        assert_eq!(hit.span_count, trace.spans.len());
        assert_eq!(hit.services.iter().map(|s| s.spans).sum::<usize>(), trace.spans.len());
    }
    // A real Zipkin trace wrapped as `/api/v2/traces` returns it: ascend.json, 3 services.
    let ascend = String::from_utf8(read(refdata("zipkin/ascend.json"))).unwrap();
    let wrapped = format!("[{ascend}]");
    let r = responses::search_results(Api::ZipkinV2, 200, wrapped.as_bytes()).unwrap();
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].services.len(), 3);
    assert!(responses::search_results(Api::ZipkinV2, 200, b"[]").unwrap().hits.is_empty());
}

#[test]
fn tempo_search_answer() {
    let r =
        responses::search_results(Api::Tempo, 200, &read(fixture("tempo-search.json"))).unwrap();
    assert_eq!(r.hits.len(), 3);
    let a = &r.hits[0];
    assert_eq!(
        a.trace_id, "007a1d2dd4deaf177e0acf55b3c49032",
        "Tempo's dropped leading zeros are restored"
    );
    assert_eq!(
        (a.root_service.as_str(), a.root_operation.as_str()),
        ("mythical-server", "HTTP GET")
    );
    assert_eq!(
        (a.start_ns, a.duration_ns, a.span_count, a.span_count_exact, a.error_count),
        (1_678_972_751_297_796_608, 6_000_000, 5, true, 1)
    );
    assert_eq!(
        a.services.iter().map(|s| (s.name.as_str(), s.spans, s.errors)).collect::<Vec<_>>(),
        [("mythical-server", 3, 0), ("mythical-db", 2, 1)]
    );
    let b = &r.hits[1];
    assert_eq!((b.span_count, b.span_count_exact, b.duration_ns), (3, false, 1_000_000));
    let c = &r.hits[2];
    assert_eq!(
        (c.root_service.as_str(), c.span_count, c.duration_ns),
        ("<root span not yet received>", 1, 0)
    );
    assert!(responses::search_results(Api::Tempo, 200, b"{\"traces\": 5}").is_err());
    // Trace by id: v2 `{trace}` and v1 `{batches}`.
    for body in [read(fixture("tempo-v2.json")), read(refdata("otlp/tempo/trace.json"))] {
        assert!(matches!(responses::trace_lookup(200, &body).unwrap(), Lookup::Found(..)));
    }
}

#[test]
fn not_found_and_error_bodies() {
    assert!(matches!(responses::trace_lookup(404, b"trace not found").unwrap(), Lookup::NotFound));
    assert!(matches!(
        responses::trace_lookup(200, br#"{"data":[],"errors":null}"#).unwrap(),
        Lookup::NotFound
    ));
    assert!(matches!(responses::trace_lookup(200, b"[]").unwrap(), Lookup::NotFound));
    // Jaeger v1 by several `traceID`s: the found ones in `data`, each missing one in `errors`.
    let checkout = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/samples/checkout.jaeger.json"
    ))
    .unwrap();
    let mut partial: serde_json::Value = serde_json::from_str(&checkout).unwrap();
    partial["errors"] =
        serde_json::json!([{"code": 404, "msg": "trace not found", "traceID": "deadbeef"}]);
    match responses::trace_lookup(200, partial.to_string().as_bytes()).unwrap() {
        Lookup::Found(traces, warnings) => {
            assert_eq!(traces.len(), 1);
            assert_eq!(warnings, ["Jaeger query error: trace not found"]);
        }
        Lookup::NotFound => panic!("the found trace was dropped"),
    }
    assert!(responses::trace_lookup(200, b"<html>")
        .unwrap_err()
        .to_string()
        .contains("could not be read"));
    assert_eq!(responses::error_message(br#"{"data":null,"total":0,"errors":[{"code":400,"msg":"parameter 'service' is required"}]}"#), "parameter 'service' is required");
    assert_eq!(
        responses::error_message(
            br#"{"error":{"httpCode":400,"message":"malformed parameter query.start_time_min"}}"#
        ),
        "malformed parameter query.start_time_min"
    );
    assert_eq!(
        responses::error_message(b"invalid TraceQL query: parse error at line 1\n"),
        "invalid TraceQL query: parse error at line 1"
    );
    let long = responses::error_message(&[b'x'; 1000]);
    assert_eq!(long.chars().count(), 301);
    assert!(responses::route_missing(404, b"404 page not found\n"));
    assert!(!responses::route_missing(
        404,
        br#"{"errors":[{"code":404,"msg":"trace not found"}]}"#
    ));
    assert!(!responses::route_missing(500, b"boom"));
}

#[test]
fn sorting_results() {
    let r =
        responses::search_results(Api::Tempo, 200, &read(fixture("tempo-search.json"))).unwrap();
    let order = |o: SortOrder| {
        let mut hits = r.hits.clone();
        sort_hits(&mut hits, o);
        hits.iter().map(|h| &h.trace_id[..6]).collect::<Vec<_>>().join(" ")
    };
    assert_eq!(order(SortOrder::MostRecent), "022443 111f55 007a1d");
    assert_eq!(order(SortOrder::Longest), "007a1d 111f55 022443");
    assert_eq!(order(SortOrder::Shortest), "022443 111f55 007a1d");
    assert_eq!(order(SortOrder::MostSpans), "007a1d 111f55 022443");
    assert_eq!(order(SortOrder::MostErrors), "007a1d 022443 111f55");
    for o in SortOrder::ALL {
        assert_eq!(SortOrder::from_key(o.key()), o);
    }
}

#[test]
fn failure_messages_say_what_to_do() {
    let page = "http://127.0.0.1:8080";
    let jaeger = Backend::new("prod", BackendKind::Jaeger, "http://127.0.0.1:16686");
    let cors =
        explain(&Failure::Network { reachable: Some(true) }, &jaeger, page, "Loading services");
    assert!(cors.contains("blocked by the browser") && cors.contains("(CORS)"), "{cors}");
    assert!(
        cors.contains(
            "--query.additional-headers \"Access-Control-Allow-Origin: http://127.0.0.1:8080\""
        ),
        "{cors}"
    );
    assert!(cors.contains("spanscope serve"), "{cors}");
    let down =
        explain(&Failure::Network { reachable: Some(false) }, &jaeger, page, "Loading services");
    assert!(
        down.contains("no answer from http://127.0.0.1:16686") && down.contains("may be down"),
        "{down}"
    );
    let zipkin = Backend::new("z", BackendKind::Zipkin, "http://zipkin:9411");
    assert!(explain(&Failure::Network { reachable: Some(true) }, &zipkin, page, "Search")
        .contains("ZIPKIN_QUERY_ALLOWED_ORIGINS=http://127.0.0.1:8080"));
    let tempo = Backend::new("t", BackendKind::Tempo, "http://tempo:3200");
    assert!(explain(&Failure::Network { reachable: Some(true) }, &tempo, page, "Search")
        .contains("Tempo has no CORS setting"));
    let same = Backend::new("p", BackendKind::Jaeger, "backends/p");
    let proxy_down = explain(&Failure::Network { reachable: None }, &same, page, "Search");
    assert!(!proxy_down.contains("CORS") && proxy_down.contains("not reachable"), "{proxy_down}");
    let slow = explain(&Failure::Timeout { after_ms: 1500 }, &jaeger, page, "Search");
    assert!(slow.contains("timed out after 1.5 s"), "{slow}");
    let http = explain(
        &Failure::Http { status: 500, message: "storage unavailable".into() },
        &jaeger,
        page,
        "Search",
    );
    assert_eq!(http, "prod (Jaeger): Search failed with HTTP 500: storage unavailable.");
    assert!(explain(
        &Failure::Http { status: 401, message: String::new() },
        &jaeger,
        page,
        "Search"
    )
    .contains("headers"));
    assert!(explain(&Failure::MixedContent, &jaeger, "https://portal", "Search")
        .contains("mixed content"));
    assert!(explain(&Failure::BadBody(AnswerError::NoNames), &zipkin, page, "Search")
        .contains("Zipkin API"));
}

/// Callers tell a form mistake from a bad answer by type, not by message text.
#[test]
fn errors_are_typed() {
    let jaeger = Backend::new("j", BackendKind::Jaeger, "http://127.0.0.1:16686");
    let mut q = SearchQuery::for_backend(&jaeger);
    assert_eq!(api::search(Api::JaegerV1, &q, NOW).unwrap_err(), FormError::ServiceRequired);
    q.service = "api".into();
    q.min_duration = "2".into();
    assert_eq!(
        q.duration_bounds().unwrap_err(),
        FormError::MinDuration(DurationError::Invalid("2".into()))
    );
    q.min_duration = "2s".into();
    q.max_duration = "1s".into();
    assert_eq!(q.duration_bounds().unwrap_err(), FormError::MinAboveMax);
    assert_eq!(parse_trace_ids(" , ").unwrap_err(), FormError::NoTraceId);
    assert_eq!(parse_logfmt("a=\"b").unwrap_err(), FormError::TagsUnclosedQuote);
    assert_eq!(AppConfig::parse("[]").unwrap_err(), ConfigError::NotObject);
    assert!(matches!(AppConfig::parse("{").unwrap_err(), ConfigError::NotJson(_)));
    assert_eq!(responses::names(b"{\"x\": 1}").unwrap_err(), AnswerError::NoNames);
    assert!(matches!(responses::names(b"<html>").unwrap_err(), AnswerError::NotJson(_)));
    assert!(matches!(
        responses::trace_lookup(200, b"{\"data\": [{\"traceID\": 1}").unwrap_err(),
        AnswerError::Trace(ReadError::Truncated { .. })
    ));
    assert!(matches!(
        responses::search_results(Api::Tempo, 200, b"{\"traces\": 3}").unwrap_err(),
        AnswerError::Summaries(_)
    ));
}

#[test]
fn embed_allowed_origins_are_origins() {
    let parsed = AppConfig::parse(
        r#"{"embed": {"allowedOrigins": ["https://Portal.example.com/", "http://127.0.0.1:3000", "*",
            "https://portal.example.com/path", "javascript:alert(1)", 7], "other": 1}}"#,
    )
    .unwrap();
    assert_eq!(
        parsed.config.allowed_origins,
        ["https://portal.example.com", "http://127.0.0.1:3000", "*"]
    );
    assert_eq!(parsed.warnings.len(), 4, "{:#?}", parsed.warnings);
    assert!(
        parsed.warnings[0].contains("`embed`") && parsed.warnings[0].contains("other"),
        "{}",
        parsed.warnings[0]
    );
    assert!(
        parsed.warnings[1].contains("\"https://portal.example.com/path\" is not an origin"),
        "{}",
        parsed.warnings[1]
    );
    assert!(AppConfig::parse("{}").unwrap().config.allowed_origins.is_empty());
}

#[test]
fn redact_rules_come_from_config() {
    use spanscope_core::redact::{Action, RuleSpec};
    let parsed = AppConfig::parse(
        r#"{"redact": [{"key": "^user\\.email$", "action": "hash"}, {"key": "card", "value": "^4"}]}"#,
    )
    .unwrap();
    assert_eq!(
        parsed.config.redact,
        [
            RuleSpec { key: "^user\\.email$".into(), value: None, action: Action::Hash },
            RuleSpec { key: "card".into(), value: Some("^4".into()), action: Action::Mask },
        ]
    );
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let bad = AppConfig::parse(r#"{"redact": [{"key": "x", "action": "shred"}]}"#).unwrap();
    assert!(bad.config.redact.is_empty());
    assert_eq!(
        bad.warnings,
        ["config.json `redact` ignored: redaction rule 1: action 'shred' is not mask, hash or drop"]
    );
}
