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

/// A minimal protobuf writer, so the decoder's edge cases can be built byte by byte.
mod pb {
    pub fn varint(mut v: u64, out: &mut Vec<u8>) {
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    pub fn bytes(field: u64, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        varint(field << 3 | 2, &mut out);
        varint(body.len() as u64, &mut out);
        out.extend_from_slice(body);
        out
    }
    pub fn uint(field: u64, v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        varint(field << 3, &mut out);
        varint(v, &mut out);
        out
    }
    pub fn fixed64(field: u64, v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        varint(field << 3 | 1, &mut out);
        out.extend_from_slice(&v.to_le_bytes());
        out
    }
    pub fn fixed32(field: u64, v: u32) -> Vec<u8> {
        let mut out = Vec::new();
        varint(field << 3 | 5, &mut out);
        out.extend_from_slice(&v.to_le_bytes());
        out
    }
    pub fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
        parts.concat()
    }
    /// `KeyValue{key, value: AnyValue{field: body}}`.
    pub fn attr(key: &str, any: Vec<u8>) -> Vec<u8> {
        cat(&[bytes(1, key.as_bytes()), bytes(2, &any)])
    }
    /// A request with one resource (`service.name`) holding `spans` in the scope field
    /// `scope_field` (2, or 1000 for the pre-0.15 `instrumentation_library_spans`).
    pub fn request(scope_field: u64, spans: &[Vec<u8>]) -> Vec<u8> {
        let service = attr("service.name", bytes(1, b"pb-svc"));
        let resource = bytes(1, &bytes(1, &service));
        let scope = bytes(1, &cat(&[bytes(1, b"lib"), bytes(2, b"1.0")]));
        let mut scope_spans = scope;
        for s in spans {
            scope_spans.extend(bytes(2, s));
        }
        bytes(1, &cat(&[resource, bytes(scope_field, &scope_spans)]))
    }
    pub fn span(id: u8, name: &str, extra: &[Vec<u8>]) -> Vec<u8> {
        let mut s = cat(&[
            bytes(1, &[0xab; 16]),
            bytes(2, &[id; 8]),
            bytes(5, name.as_bytes()),
            uint(6, 2),
            fixed64(7, 1_700_000_000_000_000_000),
            fixed64(8, 1_700_000_000_250_000_000),
        ]);
        for e in extra {
            s.extend_from_slice(e);
        }
        s
    }
}

#[test]
fn unknown_fields_of_every_wire_type_are_skipped_and_values_of_every_type_read() {
    let array = pb::bytes(
        5,
        &pb::cat(&[
            pb::bytes(1, &pb::bytes(1, b"x")),
            pb::bytes(1, &pb::uint(3, 7)),
            pb::bytes(1, &pb::uint(2, 1)),
        ]),
    );
    let map = pb::bytes(6, &pb::bytes(1, &pb::attr("k", pb::fixed64(4, 2.5f64.to_bits()))));
    let span = pb::span(
        1,
        "GET /pb",
        &[
            // Unknown fields: a varint, a fixed32, a fixed64, a message.
            pb::uint(99, 5),
            pb::fixed32(98, 1),
            pb::fixed64(97, 1),
            pb::bytes(96, b"ignored"),
            pb::bytes(9, &pb::attr("text", pb::bytes(1, "héllo".as_bytes()))),
            pb::bytes(9, &pb::attr("neg", pb::uint(3, (-42i64) as u64))),
            pb::bytes(9, &pb::attr("raw", pb::bytes(7, &[0xff, 0x00]))),
            pb::bytes(9, &pb::attr("list", array)),
            pb::bytes(9, &pb::attr("map", map)),
            pb::bytes(
                11,
                &pb::cat(&[pb::fixed64(1, 1_700_000_000_100_000_000), pb::bytes(2, b"retry")]),
            ),
            pb::bytes(15, &pb::cat(&[pb::bytes(2, b"boom"), pb::uint(3, 2)])),
        ],
    );
    for scope_field in [2, 1000] {
        let set = read_bytes(&pb::request(scope_field, std::slice::from_ref(&span))).unwrap();
        let t = &set.traces[0];
        let s = span_by_name(t, "GET /pb");
        assert_eq!(t.str(s.service), "pb-svc");
        assert_eq!(s.kind, SpanKind::Server);
        assert_eq!(s.status, StatusCode::Error);
        assert_eq!(s.duration_ns, 250_000_000);
        assert_eq!(attr(t, s, "text"), Some(("str", "héllo".into())));
        assert_eq!(attr(t, s, "neg"), Some(("int", "-42".into())));
        assert_eq!(attr(t, s, "raw"), Some(("bytes", "/wA=".into())));
        assert_eq!(attr(t, s, "list"), Some(("json", r#"["x",7,true]"#.into())));
        assert_eq!(attr(t, s, "map"), Some(("json", r#"{"k":2.5}"#.into())));
        assert_eq!(t.span_events(s).len(), 1);
        assert_eq!(t.trace_id_string(), "ab".repeat(16));
    }
}

#[test]
fn malformed_protobuf_is_refused_not_misread() {
    let good = pb::request(2, &[pb::span(1, "ok", &[])]);
    assert!(read_bytes(&good).is_ok());
    let bad_utf8 = pb::request(2, &[pb::span(1, "ok", &[pb::bytes(5, &[0xc3, 0x28])])]);
    // A varint that never ends, and a length running past the end.
    let endless =
        [good.clone(), vec![0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]
            .concat();
    let overlong = [good.clone(), vec![0x12, 0x7f, 0x01]].concat();
    // A span name sent as a varint: the wrong wire type for a known field.
    let wrong_type = pb::request(2, &[pb::span(1, "ok", &[pb::uint(5, 1)])]);
    for bytes in [bad_utf8, endless, overlong, wrong_type] {
        assert!(read_bytes(&bytes).is_err(), "{bytes:02x?}");
    }
    // Arrays nested past any real use end with a message, not a stack overflow.
    let mut any = pb::bytes(1, b"deep");
    for _ in 0..5_000 {
        any = pb::bytes(5, &pb::bytes(1, &any));
    }
    let deep = pb::request(2, &[pb::span(1, "deep", &[pb::bytes(9, &pb::attr("d", any))])]);
    assert!(read_bytes(&deep).is_err());
}
