//! The format variants real tools emit, from hand-written fixtures whose facts are stated in
//! the files themselves (tests/fixtures).

mod common;

use common::*;
use spanscope_core::model::{LinkKind, SpanFlags, SpanKind, StatusCode};
use spanscope_core::TraceSummary;

#[test]
fn otlp_protobuf_json_with_base64_ids_and_enum_names() {
    let set = load_fixture("otlp-protojson.json");
    let t = only_trace(&set);
    assert_eq!(t.trace_id_string(), "0af7651916cd43dd8448eb211c80319c");
    let root = span_by_id(t, "b7ad6b7169203331");
    assert_eq!(root.kind, SpanKind::Server);
    assert_eq!(root.status, StatusCode::Error);
    assert_eq!(t.text(root.status_message), "cart failed");
    assert_eq!(attr(t, root, "http.status_code"), Some(("int", "500".into())));
    assert_eq!(attr(t, root, "http.ok"), Some(("bool", "false".into())));
    assert_eq!(attr(t, root, "retry.ratio"), Some(("float", "0.5".into())));
    assert_eq!(attr(t, root, "tags"), Some(("json", r#"["a",2]"#.into())));
    let ev = &t.span_events(root)[0];
    assert_eq!((t.str(ev.name), ev.time_ns), ("exception", 1_700_000_000_100_000_000));
    let load = span_by_name(t, "load cart");
    assert_eq!(parent_name(t, load).as_deref(), Some("GET /cart"));
    assert_eq!((load.kind, load.status), (SpanKind::Internal, StatusCode::Ok));
    let link = &t.span_links(load)[0];
    assert_eq!(link.kind, LinkKind::Link);
    assert_eq!(link.trace_id.to_string(), "11111111111111111111111111111111");
    assert_eq!(link.span_id.to_string(), "2222222222222222");
    assert_eq!(t.str(t.scopes[load.scope as usize].name), "cart-lib");
    let host =
        t.resource_attrs(root.resource).iter().find(|a| t.str(a.key) == "host.name").unwrap();
    assert_eq!(t.value_text(&host.value), "fe-1");
    let s = TraceSummary::of(t);
    assert_eq!(
        (s.span_count, s.max_depth, s.duration_micros, s.error_span_count),
        (3, 3, 250_000, 1)
    );
    assert_eq!(s.services, ["cart", "frontend"]);
}

#[test]
fn collector_json_lines_spread_one_trace_over_many_lines() {
    let set = load_fixture("otlp-collector.jsonl");
    assert_eq!(set.traces.len(), 2);
    let a = TraceSummary::of(&set.traces[0]);
    assert_eq!(a.trace_id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!((a.span_count, a.max_depth, a.duration_micros), (3, 3, 100_000));
    assert_eq!(a.services, ["gateway", "worker"]);
    assert_eq!(a.root_span_name, "GET /a");
    let b = TraceSummary::of(&set.traces[1]);
    assert_eq!(
        (b.trace_id.as_str(), b.span_count, b.duration_micros),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 1, 5000)
    );
}

#[test]
fn tempo_v2_trace_wrapper() {
    let s = TraceSummary::of(only_trace(&load_fixture("tempo-v2.json")));
    assert_eq!(s.trace_id, "00000000000000000000000000000abc");
    assert_eq!((s.span_count, s.max_depth, s.duration_micros), (2, 2, 1500));
}

#[test]
fn jaeger_json_lines_of_spans_with_process() {
    let set = load_fixture("jaeger-spans.jsonl");
    let t = only_trace(&set);
    let s = TraceSummary::of(t);
    assert_eq!(s.services, ["alpha", "beta"]);
    assert_eq!((s.span_count, s.error_span_count, s.max_depth), (2, 1, 2));
    let root = span_by_name(t, "HTTP GET");
    let ip = t.resource_attrs(root.resource)[0];
    assert_eq!((t.str(ip.key), t.value_text(&ip.value)), ("ip", "10.1.1.1".to_string()));
}

#[test]
fn jaeger_array_of_traces_keeps_each_process_table_apart() {
    let set = load_fixture("jaeger-traces-array.json");
    assert_eq!(set.traces.len(), 2);
    // Both traces call their first process "p1", naming different services.
    assert_eq!(TraceSummary::of(&set.traces[0]).services, ["svc-one"]);
    let second = TraceSummary::of(&set.traces[1]);
    assert_eq!(second.services, ["svc-three", "svc-two"]);
    assert_eq!(second.service_edges, vec![("svc-two".to_string(), "svc-three".to_string(), 1)]);
}

#[test]
fn zipkin_array_of_traces_and_mixed_id_widths() {
    let set = load_fixture("zipkin-traces-array.json");
    assert_eq!(set.traces.len(), 2);
    let t = &set.traces[1];
    // The 64-bit id 48485a3953bb6124 and the 128-bit id ending in it are one trace.
    assert_eq!(t.spans.len(), 2);
    assert_eq!(t.trace_id_string(), "463ac35c9f6413ad48485a3953bb6124");
    let call = span_by_name(t, "call");
    assert_eq!(parent_name(t, call).as_deref(), Some("get"));
    assert_eq!(call.status, StatusCode::Error);
    assert_eq!(t.text(call.status_message), "timeout");
    assert_eq!(attr(t, call, "peer.service"), Some(("str", "backend".into())));
    assert_eq!(attr(t, call, "peer.port"), Some(("int", "443".into())));
}

#[test]
fn zipkin_v1_is_split_into_client_and_shared_server() {
    let set = load_fixture("zipkin-v1.json");
    let t = only_trace(&set);
    assert_eq!(t.spans.len(), 4, "the RPC span with cs+sr is a client and a server span");
    let client = t.spans.iter().find(|s| s.kind == SpanKind::Client).unwrap();
    let server = t
        .spans
        .iter()
        .find(|s| s.kind == SpanKind::Server && s.flags.has(SpanFlags::SHARED))
        .unwrap();
    assert_eq!(t.str(client.service), "web");
    assert_eq!((client.start_ns, client.duration_ns), (1_700_000_000_010_000_000, 150_000_000));
    assert_eq!(t.str(server.service), "payments");
    assert_eq!((server.start_ns, server.duration_ns), (1_700_000_000_020_000_000, 130_000_000));
    assert_eq!(t.spans[server.parent as usize].kind, SpanKind::Client);
    assert_eq!(server.status, StatusCode::Error, "error recorded on the payments endpoint");
    assert_eq!(t.text(server.status_message), "card declined");
    assert_eq!(t.str(t.span_events(server)[0].name), "card declined");
    assert_eq!(attr(t, client, "peer.port"), Some(("int", "9000".into())));
    let select = span_by_name(t, "select");
    assert_eq!(t.str(select.service), "payments");
    assert!(
        t.spans[select.parent as usize].flags.has(SpanFlags::SHARED),
        "local span attaches to the server side"
    );
    let root = span_by_name(t, "get /checkout");
    assert_eq!(attr(t, root, "http.path"), Some(("str", "/checkout".into())));
    let s = TraceSummary::of(t);
    assert_eq!((s.max_depth, s.duration_micros, s.error_span_count), (4, 200_000, 1));
    assert_eq!(s.service_edges, vec![("web".to_string(), "payments".to_string(), 1)]);
    assert_eq!(s.format, "zipkin-v1");
}

#[test]
fn a_link_finds_its_span_by_hex_id_in_any_case_or_by_the_text_of_other_ids() {
    let json = r#"{"data":[{"traceID":"00000000000000000000000000000001","spans":[
      {"traceID":"00000000000000000000000000000001","spanID":"00000000000000aa","operationName":"root","startTime":1,"duration":10,"processID":"p1"},
      {"traceID":"00000000000000000000000000000001","spanID":"00000000000000AB","operationName":"hex","startTime":2,"duration":5,"processID":"p1","references":[{"refType":"CHILD_OF","traceID":"00000000000000000000000000000001","spanID":"00000000000000aa"}]},
      {"traceID":"00000000000000000000000000000001","spanID":"span-one-not-hex","operationName":"text","startTime":3,"duration":5,"processID":"p1","references":[{"refType":"CHILD_OF","traceID":"00000000000000000000000000000001","spanID":"00000000000000aa"}]}],
      "processes":{"p1":{"serviceName":"svc"}}}]}"#;
    let set = spanscope_core::read_bytes(json.as_bytes()).unwrap();
    let t = &set.traces[0];
    let name = |i: Option<u32>| i.map(|i| t.str(t.spans[i as usize].name).to_string());
    assert_eq!(name(t.find_span_by_text("00000000000000ab")).as_deref(), Some("hex"));
    assert_eq!(name(t.find_span_by_text(" 00000000000000AB ")).as_deref(), Some("hex"));
    assert_eq!(name(t.find_span_by_text("span-one-not-hex")).as_deref(), Some("text"));
    assert_eq!(t.find_span_by_text("+0000000000000aa"), None);
    assert_eq!(t.find_span_by_text("ab"), None);
}
