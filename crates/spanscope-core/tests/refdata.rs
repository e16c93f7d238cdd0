//! Every file in tests/data/refdata loads, and facts checked by hand against each file hold.

mod common;

use common::*;
use spanscope_core::model::{LinkKind, SpanFlags, SpanKind, StatusCode};
use spanscope_core::{ReadError, TraceSummary};

fn summary(rel: &str) -> TraceSummary {
    TraceSummary::of(only_trace(&load_ref(rel)))
}

fn edges(list: &[(&str, &str, usize)]) -> Vec<(String, String, usize)> {
    list.iter().map(|(a, b, n)| (a.to_string(), b.to_string(), *n)).collect()
}

#[test]
fn every_reference_file_loads_or_is_named_as_not_a_trace() {
    let not_traces = [
        "jaeger/large.json",
        "jaeger/FindTraceSummaries.json",
        "jaeger/api-v3/FindTraceSummaries.json",
        "jaeger/api-v3/GetServices.json",
        "jaeger/api-v3/GetOperations.json",
        "jaeger/ui-config.json",
    ];
    let mut loaded = 0;
    for folder in ["jaeger", "jaeger/api-v3", "zipkin", "otlp/opentelemetry-proto", "otlp/tempo"] {
        for entry in std::fs::read_dir(refdata(folder)).expect("refdata folder") {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let rel = format!("{folder}/{}", path.file_name().unwrap().to_str().unwrap());
            match read_path(&path) {
                Ok(set) => {
                    assert!(
                        !not_traces.contains(&rel.as_str()),
                        "{rel} should not load as a trace"
                    );
                    assert!(set.traces.iter().all(|t| !t.spans.is_empty()), "{rel}");
                    loaded += 1;
                }
                Err(e) => {
                    assert!(not_traces.contains(&rel.as_str()), "{rel} failed: {e}");
                    assert!(
                        matches!(e, ReadError::NotATrace { .. } | ReadError::UnknownShape { .. }),
                        "{rel}: {e:?}"
                    );
                }
            }
        }
    }
    assert_eq!(loaded, 29);
}

#[test]
fn non_trace_files_say_what_they_are() {
    let e = read_path(&refdata("jaeger/large.json")).unwrap_err();
    assert!(e.to_string().contains("dependency links"), "{e}");
    let e = read_path(&refdata("jaeger/api-v3/FindTraceSummaries.json")).unwrap_err();
    assert!(e.to_string().contains("trace summaries"), "{e}");
    let e = read_path(&refdata("jaeger/api-v3/GetServices.json")).unwrap_err();
    assert!(e.to_string().contains("services"), "names the keys it saw: {e}");
    assert!(e.to_string().contains("resourceSpans"), "lists accepted shapes: {e}");
}

#[test]
fn jaeger_genai_trace() {
    let s = summary("jaeger/genaiTestTrace.json");
    assert_eq!(s.trace_id, "4a1b2c3d4e5f60718293a4b5c6d7e8f9");
    assert_eq!(s.span_count, 57);
    assert_eq!(
        s.services,
        [
            "api-edge",
            "auth-service",
            "coding-agent",
            "graphql-gateway",
            "k8s-api",
            "mcp-gateway",
            "metrics-backend",
            "summarizer-agent",
            "trace-store",
            "vector-store"
        ]
    );
    assert_eq!(s.root_span_name, "POST /api/graphql");
    assert_eq!(s.root_service_name, "api-edge");
    assert_eq!(s.duration_micros, 44_000_000);
    assert_eq!(s.error_span_count, 1);
    assert_eq!(s.max_depth, 8);
    assert_eq!(s.orphan_count, 0);
    assert_eq!(
        s.service_edges,
        edges(&[
            ("api-edge", "graphql-gateway", 1),
            ("coding-agent", "mcp-gateway", 7),
            ("coding-agent", "vector-store", 3),
            ("graphql-gateway", "coding-agent", 1),
            ("mcp-gateway", "auth-service", 7),
            ("mcp-gateway", "metrics-backend", 3),
            ("mcp-gateway", "summarizer-agent", 1),
            ("mcp-gateway", "trace-store", 3),
            ("trace-store", "k8s-api", 3),
        ])
    );
    let set = load_ref("jaeger/genaiTestTrace.json");
    let t = only_trace(&set);
    let agent = span_by_id(t, "0000000000000004");
    assert_eq!(t.str(agent.name), "invoke_agent triage-agent");
    assert_eq!(agent.kind, SpanKind::Server);
    assert_eq!(attr(t, agent, "gen_ai.agent.name"), Some(("str", "triage-agent".into())));
    assert_eq!(
        attr(t, agent, "span.kind"),
        None,
        "span.kind becomes the span's kind, not an attribute"
    );
    let failed = t.spans.iter().find(|s| s.status == StatusCode::Error).unwrap();
    assert_eq!(t.str(failed.name), "GET /api/v1/pods");
}

#[test]
fn jaeger_ui_01_every_tag_type_duplicates_and_references() {
    let set = load_ref("jaeger/ui_01.json");
    let t = only_trace(&set);
    assert_eq!(t.spans.len(), 5);
    assert_eq!(t.trace_id_string(), "0000000000000001");
    // Two spans share id 2; the first is the one children attach to.
    let first = &t.spans[0];
    let second = &t.spans[1];
    assert_eq!(t.str(first.name), "test-general-conversion");
    assert!(first.flags.has(SpanFlags::DUPLICATE_ID) && second.flags.has(SpanFlags::DUPLICATE_ID));
    assert_eq!(attr(t, second, "peer.service"), Some(("str", "service-y".into())));
    assert_eq!(attr(t, second, "peer.ipv4"), Some(("int", "23456".into())));
    assert_eq!(attr(t, second, "temperature"), Some(("float", "72.5".into())));
    assert_eq!(attr(t, second, "javascript_limit"), Some(("int", "9223372036854775222".into())));
    assert_eq!(attr(t, second, "blob"), Some(("bytes", "AAAwOQ==".into())));
    assert_eq!(second.status, StatusCode::Error, "error=true tag");
    // Logs become events: the `event` field names the event.
    let events = t.span_events(first);
    assert_eq!(events.len(), 2);
    assert_eq!(t.str(events[0].name), "some-event");
    assert_eq!(events[0].time_ns, 1_485_467_191_639_875_000);
    let x = &t.attrs[events[1].attrs.as_range()];
    assert_eq!((t.str(x[0].key), t.value_text(&x[0].value)), ("x", "y".to_string()));
    // reference-test: parent is span 2 (first CHILD_OF inside the trace); the CHILD_OF to
    // another trace and the FOLLOWS_FROM stay as links.
    let r = span_by_name(t, "reference-test");
    assert_eq!(parent_name(t, r).as_deref(), Some("test-general-conversion"));
    let links = t.span_links(r);
    assert_eq!(links.len(), 2);
    assert_eq!(
        (
            links[0].kind,
            links[0].trace_id.to_string().as_str(),
            links[0].span_id.to_string().as_str()
        ),
        (LinkKind::ChildOf, "00000000000000ff", "00000000000000ff")
    );
    assert_eq!(links[1].kind, LinkKind::FollowsFrom);
    assert_eq!(t.span_warnings(r).collect::<Vec<_>>(), ["some span warning"]);
    assert_eq!(
        parent_name(t, span_by_name(t, "preserveParentID-test")).as_deref(),
        Some("reference-test")
    );
    assert!(t.warnings.iter().any(|w| w == "some trace warning"));
    assert!(t.warnings.iter().any(|w| w.contains("reuse the id")));
    let s = TraceSummary::of(t);
    assert_eq!((s.max_depth, s.error_span_count, s.duration_micros), (3, 1, 5));
    assert_eq!(s.services, ["service-x", "service-y"]);
    assert_eq!(s.service_edges, edges(&[("service-x", "service-y", 2)]));
}

#[test]
fn jaeger_spans_with_embedded_process() {
    let set = load_ref("jaeger/trace_success.json");
    let t = only_trace(&set);
    assert_eq!(t.spans.len(), 2);
    let server = span_by_id(t, "7606ddfe69932d34");
    let client = span_by_id(t, "7bd66f09ba90ea3d");
    assert_eq!(t.str(server.service), "16af988c443cff37");
    assert_eq!(t.str(client.service), "3c220036602f839e");
    assert_eq!(client.status, StatusCode::Error, "error tag with string value \"true\"");
    assert!(server.flags.has(SpanFlags::ORPHAN), "parent 492770a15935810f is not in the file");
    let s = TraceSummary::of(t);
    assert_eq!(
        (s.orphan_count, s.root_span_name.as_str(), s.duration_micros),
        (1, "a071653098f9250d", 267_037)
    );
}

#[test]
fn jaeger_non_hex_ids_are_kept_as_text() {
    let s = summary("jaeger/testTrace.json");
    assert_eq!(s.trace_id, "trace-123");
    assert_eq!(s.span_count, 11);
    assert_eq!(s.root_span_name, "op1");
    assert_eq!(s.duration_micros, 1_000_000);
    assert_eq!((s.max_depth, s.error_span_count), (4, 1));
    assert_eq!(s.service_edges, edges(&[("service1", "service2", 2)]));
    let set = load_ref("jaeger/testTrace.json");
    let t = only_trace(&set);
    assert_eq!(t.span_id_string(t.spans[1].span_id), "span-2");
}

#[test]
fn jaeger_statistics_fixtures() {
    for (file, spans, depth, duration, edge_count) in [
        ("jaeger/spanAmongEachOtherGroupedAndSpans.json", 17, 4, 3720, 1),
        ("jaeger/spansAmongEachOtherGrouped.json", 15, 4, 3720, 1),
        ("jaeger/spanLongerAsParent.json", 8, 4, 13_940, 4),
        ("jaeger/traceWithOverlappingChildrenLongerThanParent.json", 4, 2, 400, 3),
        ("jaeger/traceWithSingleChildLongerThanParentAndStartsAfterParent.json", 2, 2, 400, 1),
    ] {
        let s = summary(file);
        assert_eq!(
            (s.span_count, s.max_depth, s.duration_micros),
            (spans, depth, duration),
            "{file}"
        );
        assert_eq!(s.service_edges.iter().map(|e| e.2).sum::<usize>(), edge_count, "{file}");
    }
    // A child ending after its parent is flagged, not moved.
    let set = load_ref("jaeger/traceWithSingleChildLongerThanParentAndStartsAfterParent.json");
    let t = only_trace(&set);
    assert!(t.spans.iter().any(|s| s.flags.has(SpanFlags::ENDS_AFTER_PARENT)));
}

/// Jaeger's own OTLP→Jaeger conversion output must read into the same model as its input.
#[test]
fn otlp_input_and_jaeger_output_agree() {
    for (otlp, jaeger) in [
        ("jaeger/otlp2jaeger-in.json", "jaeger/otlp2jaeger-out.json"),
        ("jaeger/otlp2jaeger-multi-in-combined.json", "jaeger/oltp2jaeger-multi-out.json"),
    ] {
        let a = load_ref(otlp);
        let b = load_ref(jaeger);
        let (ta, tb) = (only_trace(&a), only_trace(&b));
        assert_eq!(ta.trace_id.value, tb.trace_id.value);
        assert_eq!(ta.spans.len(), tb.spans.len());
        for (x, y) in ta.spans.iter().zip(&tb.spans) {
            assert_eq!(x.span_id, y.span_id);
            assert_eq!(x.parent_id, y.parent_id);
            assert_eq!(ta.str(x.name), tb.str(y.name));
            assert_eq!(ta.str(x.service), tb.str(y.service));
            assert_eq!(x.kind, y.kind, "{otlp}: {}", ta.str(x.name));
            assert_eq!(x.start_ns / 1000, y.start_ns / 1000);
            for a in ta.span_attrs(x) {
                let key = ta.str(a.key);
                assert_eq!(
                    attr(tb, y, key).map(|v| v.1),
                    Some(ta.value_text(&a.value)),
                    "{otlp}: {key}"
                );
            }
        }
    }
    let s = summary("jaeger/otlp2jaeger-multi-in-combined.json");
    assert_eq!((s.span_count, s.max_depth, s.root_span_name.as_str()), (4, 3, "main"));
    assert_eq!(s.services, ["example-trace"]);
}

#[test]
fn otlp_spec_example_and_tempo_batches() {
    for file in ["otlp/opentelemetry-proto/trace.json", "otlp/tempo/trace.json"] {
        let set = load_ref(file);
        let t = only_trace(&set);
        assert_eq!(
            t.trace_id_string(),
            "5b8efff798038103d269b633813fc60c",
            "upper-case hex is printed lower-case"
        );
        let s = &t.spans[0];
        assert_eq!(t.span_id_string(s.span_id), "eee19b7ec3c1b174");
        assert_eq!(t.str(s.name), "I'm a server span");
        assert_eq!(t.str(s.service), "my.service");
        assert_eq!(s.kind, SpanKind::Server);
        assert_eq!(s.start_ns, 1_544_712_660_000_000_000);
        assert_eq!(s.duration_ns, 1_000_000_000);
        assert_eq!(attr(t, s, "my.span.attr"), Some(("str", "some value".into())));
        let scope = t.scopes[s.scope as usize];
        assert_eq!((t.str(scope.name), t.str(scope.version)), ("my.library", "1.0.0"));
        assert!(s.flags.has(SpanFlags::ORPHAN), "parent eee19b7ec3c1b173 is not in the file");
        let summary = TraceSummary::of(t);
        assert_eq!((summary.duration_micros, summary.orphan_count), (1_000_000, 1));
    }
}

#[test]
fn jaeger_api_v3_get_trace() {
    for file in ["jaeger/api-v3/GetTrace.json", "jaeger/api-v3/FindTraces.json"] {
        let set = load_ref(file);
        let t = only_trace(&set);
        assert_eq!(t.trace_id_string(), "00000000000000000000000000000001");
        let s = &t.spans[0];
        assert_eq!(
            (t.str(s.name), s.kind, s.status),
            ("foobar", SpanKind::Server, StatusCode::Error)
        );
        assert!(s.flags.has(SpanFlags::MISSING_TIME));
        assert!(t.warnings.iter().any(|w| w.contains("no start time")));
    }
}

#[test]
fn zipkin_files() {
    // (file, spans after merging split parts, services, root, duration µs, errors)
    for (file, spans, services, root, duration, errors) in [
        ("zipkin/ascend.json", 8, 3, "get", 38_793, 0),
        ("zipkin/messaging.json", 4, 2, "get /", 3357, 0),
        ("zipkin/messaging-kafka.json", 28, 2, "poll", 649_065, 3),
        ("zipkin/simple-db-p6.json", 5, 1, "http:/book", 252_016, 0),
        ("zipkin/skew.json", 4, 2, "get", 161_718, 0),
        ("zipkin/yelp.json", 16, 6, "post /location/update/v4", 131_848, 0),
        (
            "zipkin/smartthings-oauth-authorization.json",
            171,
            8,
            "get /oauth/authorize",
            100_348_445,
            2,
        ),
        (
            "zipkin/smartthings-mobile-web-install.json",
            1037,
            16,
            "get /login/tokenauth",
            306_017_245,
            2,
        ),
        ("zipkin/zipkin2-client.json", 1, 1, "get", 207_000, 0),
        ("zipkin/zipkin2-chinese.json", 1, 1, "个人信息查询", 207_000, 1),
        ("zipkin/envoy.json", 1, 1, "localhost:10000", 127_115, 0),
    ] {
        let s = summary(file);
        assert_eq!(s.span_count, spans, "{file}");
        assert_eq!(s.services.len(), services, "{file}: {:?}", s.services);
        assert_eq!(s.root_span_name, root, "{file}");
        assert_eq!(s.duration_micros, duration, "{file}");
        assert_eq!(s.error_span_count, errors, "{file}");
    }
}

#[test]
fn zipkin_shared_spans_nest_server_under_client() {
    // skew.json: servicea "get" → servicea CLIENT "post" → serviceb shared SERVER "post" (same
    // id) → serviceb "async", whose parentId names the shared id on serviceb.
    let set = load_ref("zipkin/skew.json");
    let t = only_trace(&set);
    let client = t.spans.iter().find(|s| s.kind == SpanKind::Client).unwrap();
    let server = t.spans.iter().find(|s| s.flags.has(SpanFlags::SHARED)).unwrap();
    assert_eq!(client.span_id, server.span_id);
    assert_eq!(t.spans[server.parent as usize].kind, SpanKind::Client);
    let asynchronous = span_by_name(t, "async");
    assert_eq!(t.str(t.spans[asynchronous.parent as usize].service), "serviceb");
    assert!(t.spans[asynchronous.parent as usize].flags.has(SpanFlags::SHARED));
    let s = TraceSummary::of(t);
    assert_eq!(s.max_depth, 4);
    assert_eq!(s.service_edges, edges(&[("servicea", "serviceb", 1)]));
    // The shared server starts before its client: clock skew, flagged and kept raw.
    assert!(server.flags.has(SpanFlags::STARTS_BEFORE_PARENT));
    assert_eq!(server.start_ns, 1_470_150_004_008_761_000);
}

#[test]
fn zipkin_single_span_object_128_bit_and_unicode() {
    let set = load_ref("zipkin/zipkin2-chinese.json");
    let t = only_trace(&set);
    assert_eq!(t.trace_id_string(), "4d1e00c0db9010db86154a4ba6e91385");
    let s = &t.spans[0];
    assert_eq!(t.str(s.service), "订单维护服务");
    assert_eq!(s.status, StatusCode::Error);
    let set = load_ref("zipkin/zipkin2-client.json");
    let t = only_trace(&set);
    let s = &t.spans[0];
    assert_eq!(s.kind, SpanKind::Client);
    assert_eq!(t.span_events(s).len(), 2);
    assert_eq!(attr(t, s, "peer.service"), Some(("str", "backend".into())));
}
