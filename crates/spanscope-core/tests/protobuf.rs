//! Binary OTLP, as a real SDK writes it (tests/data/otlp-protobuf, made by the OpenTelemetry
//! Python SDK): read the same as its protobuf-JSON twin, field for field.

mod common;

use std::path::PathBuf;

use common::{attr, read_path, span_by_name};
use spanscope_core::model::{SpanKind, StatusCode};
use spanscope_core::{read_bytes, ReadError, TraceSet};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/otlp-protobuf").join(name)
}

/// Everything a view shows of each span, in a stable order.
fn facts(set: &TraceSet) -> Vec<String> {
    let mut out = Vec::new();
    for t in &set.traces {
        for s in &t.spans {
            let mut attrs: Vec<String> = t
                .span_attrs(s)
                .iter()
                .map(|a| format!("{}={}", t.str(a.key), t.value_text(&a.value)))
                .collect();
            attrs.sort();
            let events: Vec<String> = t
                .span_events(s)
                .iter()
                .map(|e| format!("{}@{}", t.str(e.name), e.time_ns))
                .collect();
            out.push(format!(
                "{} {} {} {:?} {:?} {} {} parent={} attrs={attrs:?} events={events:?} links={}",
                t.trace_id_string(),
                t.span_id_string(s.span_id),
                t.str(s.name),
                s.kind,
                s.status,
                s.start_ns,
                s.duration_ns,
                t.span_id_string(s.parent_id),
                t.span_links(s).len(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn an_sdk_request_reads_like_its_json_twin() {
    let pb = read_path(&data("export.pb")).unwrap();
    let json = read_path(&data("export.json")).unwrap();
    assert_eq!(pb.traces.len(), 1);
    let t = &pb.traces[0];
    assert_eq!(t.spans.len(), 4);
    assert_eq!(facts(&pb), facts(&json));

    let root = span_by_name(t, "GET /checkout");
    assert_eq!(root.kind, SpanKind::Server);
    assert_eq!(root.duration_ns, 20_000_000);
    assert_eq!(attr(t, root, "http.status_code"), Some(("int", "200".into())));
    assert_eq!(attr(t, root, "retry"), Some(("bool", "false".into())));
    assert_eq!(attr(t, root, "ratio"), Some(("float", "0.25".into())));
    assert_eq!(attr(t, root, "tags"), Some(("json", r#"["a","b"]"#.into())));
    let server = span_by_name(t, "add item");
    assert_eq!(t.str(server.service), "cart");
    assert_eq!(server.status, StatusCode::Error);
    assert_eq!(t.str(t.spans[server.parent as usize].name), "POST /cart");
    assert_eq!(t.span_events(server).len(), 1);
    let worker = span_by_name(t, "reserve");
    assert_eq!((worker.kind, t.span_links(worker).len()), (SpanKind::Consumer, 1));
    let scope = &t.scopes[server.scope as usize];
    assert_eq!((t.str(scope.name), t.str(scope.version)), ("shop.cart", "0.9"));
}

#[test]
fn the_collectors_protobuf_file_export_reads_every_message() {
    let file = read_path(&data("collector-file.pb")).unwrap();
    let whole = read_path(&data("export.pb")).unwrap();
    assert_eq!(facts(&file), facts(&whole));
}

#[test]
fn damaged_or_foreign_binary_gets_a_message() {
    let bytes = std::fs::read(data("export.pb")).unwrap();
    let cut = read_bytes(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(cut, ReadError::Syntax { .. }), "{cut:?}");
    assert!(cut.to_string().contains("not valid"), "{cut}");
    // Plain text is not mistaken for protobuf.
    let e = read_bytes(b"hello, world").unwrap_err();
    assert!(e.to_string().contains("not valid JSON at line 1, column 1"), "{e}");
}
