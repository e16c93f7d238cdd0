//! Bad input gets a clear error or warning, never a panic or a hang.

mod common;

use common::*;
use spanscope_core::model::SpanFlags;
use spanscope_core::{read_bytes, ReadError, TraceSummary};

fn err(input: &str) -> ReadError {
    read_bytes(input.as_bytes()).expect_err("should fail")
}

fn jaeger_trace(spans: &str) -> String {
    format!(
        r#"{{"data":[{{"traceID":"00000000000000aa","spans":[{spans}],"processes":{{"p1":{{"serviceName":"svc","tags":[]}}}}}}]}}"#
    )
}

fn jspan(id: &str, parent: Option<&str>, start: i64, duration: i64) -> String {
    let refs = match parent {
        Some(p) => {
            format!(r#"[{{"refType":"CHILD_OF","traceID":"00000000000000aa","spanID":"{p}"}}]"#)
        }
        None => "[]".into(),
    };
    format!(
        r#"{{"traceID":"00000000000000aa","spanID":"{id}","operationName":"op-{id}","references":{refs},"startTime":{start},"duration":{duration},"tags":[],"logs":[],"processID":"p1"}}"#
    )
}

#[test]
fn empty_input() {
    assert_eq!(err(""), ReadError::Empty);
    assert_eq!(err(" \n\t "), ReadError::Empty);
    assert!(err("").to_string().contains("empty"));
}

#[test]
fn not_json_says_line_and_column() {
    match err("{\"data\": [\n  {\"traceID\": 12,, }]}") {
        ReadError::Syntax { line, column, .. } => {
            assert_eq!((line, column), (2, 18), "the second comma")
        }
        other => panic!("{other:?}"),
    }
    let e = err("hello world");
    assert!(matches!(e, ReadError::Syntax { line: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("line 1"), "{e}");
}

#[test]
fn unknown_shape_lists_accepted_shapes() {
    let e = err(r#"{"name": "x", "items": [1, 2]}"#);
    let text = e.to_string();
    assert!(text.contains("name, items"), "{text}");
    for shape in ["Jaeger", "Zipkin", "OTLP", "resourceSpans", "batches"] {
        assert!(text.contains(shape), "{text}");
    }
    assert!(matches!(err("[1, 2, 3]"), ReadError::UnknownShape { .. }));
    assert!(matches!(err("42"), ReadError::UnknownShape { .. }));
}

#[test]
fn truncated_input() {
    let full = jaeger_trace(&jspan("01", None, 1_700_000_000_000_000, 10));
    for cut in [10, full.len() / 2, full.len() - 1] {
        let e = err(&full[..cut]);
        assert!(matches!(e, ReadError::Truncated { .. }), "cut at {cut}: {e:?}");
        assert!(e.to_string().contains("truncated"));
    }
}

#[test]
fn right_format_wrong_types_say_where() {
    let e = err(r#"{"data":[{"traceID":"aa","spans":[{"spanID":"1","startTime":"soon"}]}]}"#);
    match &e {
        ReadError::Shape { format, line, .. } => assert_eq!((*format, *line), ("Jaeger", 1)),
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("soon"), "{e}");
    assert!(matches!(err(r#"{"resourceSpans": 5}"#), ReadError::Shape { format: "OTLP", .. }));
}

#[test]
fn envelope_without_spans() {
    let e = err(r#"{"data": [], "total": 0, "limit": 0, "offset": 0, "errors": null}"#);
    assert_eq!(e, ReadError::NoSpans { format: "Jaeger", notes: vec![] });
    // A query that failed says why.
    let e =
        err(r#"{"data": null, "total": 0, "errors": [{"code": 404, "msg": "trace not found"}]}"#);
    assert_eq!(
        e.to_string(),
        "this Jaeger JSON holds no spans (Jaeger query error: trace not found)"
    );
}

#[test]
fn invalid_utf8_is_an_error_not_a_panic() {
    let mut bytes = br#"[{"traceId":"01","id":"02","name":"x"#.to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(br#""}]"#);
    assert!(read_bytes(&bytes).is_err());
}

#[test]
fn deeply_nested_json_is_refused_without_overflow() {
    let deep = format!(
        r#"{{"data":[{{"traceID":"aa","spans":[{{"spanID":"1","tags":[{{"key":"k","value":{}1{}}}]}}]}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(read_bytes(deep.as_bytes()).is_err());
}

#[test]
fn orphans_are_kept_counted_and_mark_the_trace_incomplete() {
    let spans = [
        jspan("01", None, 1_000, 100),
        jspan("02", Some("01"), 1_010, 10),
        jspan("03", Some("99"), 1_020, 10),
    ]
    .join(",");
    let set = read_bytes(jaeger_trace(&spans).as_bytes()).unwrap();
    let t = only_trace(&set);
    assert_eq!(t.spans.len(), 3);
    assert!(span_by_name(t, "op-03").flags.has(SpanFlags::ORPHAN));
    let s = TraceSummary::of(t);
    assert_eq!(s.orphan_count, 1);
    assert!(
        s.warnings.iter().any(|w| w.contains("orphan") && w.contains("incomplete")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn cycles_are_cut_and_every_span_kept() {
    // 01 → 02 → 03 → 01 is a loop; 04 names itself; 05 hangs off the loop.
    let spans = [
        jspan("01", Some("03"), 1_000, 10),
        jspan("02", Some("01"), 1_001, 10),
        jspan("03", Some("02"), 1_002, 10),
        jspan("04", Some("04"), 1_003, 10),
        jspan("05", Some("02"), 1_004, 10),
    ]
    .join(",");
    let set = read_bytes(jaeger_trace(&spans).as_bytes()).unwrap();
    let t = only_trace(&set);
    assert_eq!(t.spans.len(), 5);
    assert_eq!(t.stats.cycles_cut, 2);
    assert_eq!(t.preorder.len(), 5, "every span is reachable from a root after cutting");
    assert!(t.warnings.iter().any(|w| w.starts_with("2 cycle")), "{:?}", t.warnings);
    assert!(t.spans.iter().filter(|s| s.flags.has(SpanFlags::CYCLE_CUT)).count() == 2);
}

#[test]
fn duplicate_span_ids_are_flagged() {
    let spans = [
        jspan("01", None, 1_000, 100),
        jspan("01", None, 1_000, 50),
        jspan("02", Some("01"), 1_010, 10),
    ]
    .join(",");
    let set = read_bytes(jaeger_trace(&spans).as_bytes()).unwrap();
    let t = only_trace(&set);
    assert_eq!(t.spans.len(), 3);
    assert_eq!(t.stats.duplicate_ids, 1);
    assert_eq!(t.spans[2].parent, 0, "children attach to the first span with the id");
}

#[test]
fn negative_and_absurd_times_are_flagged() {
    let spans = [
        jspan("01", None, 1_700_000_000_000_000, 100),
        jspan("02", Some("01"), 1_700_000_000_000_010, -5),
        jspan("03", Some("01"), -1_000, 10),
        jspan("04", Some("01"), 9_000_000_000_000_000_000, 10),
        jspan("05", Some("01"), 1_700_000_000_000_020, 10_000_000_000_000),
    ]
    .join(",");
    let set = read_bytes(jaeger_trace(&spans).as_bytes()).unwrap();
    let t = only_trace(&set);
    let neg = span_by_name(t, "op-02");
    assert!(neg.flags.has(SpanFlags::NEGATIVE_DURATION));
    assert_eq!(neg.duration_ns, 0);
    for name in ["op-03", "op-04", "op-05"] {
        assert!(span_by_name(t, name).flags.has(SpanFlags::ABSURD_TIME), "{name}");
    }
    assert!(t.warnings.iter().any(|w| w.contains("negative duration")));
    assert!(t.warnings.iter().any(|w| w.contains("impossible timestamp")));
    // OTLP: end before start.
    let otlp = r#"{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","name":"x","startTimeUnixNano":"2000","endTimeUnixNano":"1000"}]}]}]}"#;
    let set = read_bytes(otlp.as_bytes()).unwrap();
    assert!(set.traces[0].spans[0].flags.has(SpanFlags::NEGATIVE_DURATION));
}

#[test]
fn clock_skew_keeps_raw_times_and_flags_the_child() {
    let spans = [jspan("01", None, 1_000_000, 100), jspan("02", Some("01"), 999_990, 50)].join(",");
    let set = read_bytes(jaeger_trace(&spans).as_bytes()).unwrap();
    let t = only_trace(&set);
    let child = span_by_name(t, "op-02");
    assert!(child.flags.has(SpanFlags::STARTS_BEFORE_PARENT));
    assert_eq!(child.start_ns, 999_990_000);
    assert!(t.warnings.iter().any(|w| w.contains("clock skew")));
}

#[test]
fn hostile_strings_are_kept_verbatim_as_text() {
    let name = r#"<img src=x onerror=alert(1)> \u0000\u001b[31m \u202eRTL 🧨"#;
    let input = format!(
        r#"[{{"traceId":"01","id":"02","name":"{name}","timestamp":1,"duration":1,"localEndpoint":{{"serviceName":"<b>svc</b>"}},"tags":{{"k":"{}"}}}}]"#,
        "A".repeat(1 << 20)
    );
    let set = read_bytes(input.as_bytes()).unwrap();
    let t = only_trace(&set);
    let s = &t.spans[0];
    assert!(t.str(s.name).starts_with("<img src=x onerror=alert(1)> \u{0}\u{1b}[31m"));
    assert_eq!(t.str(s.service), "<b>svc</b>");
    assert_eq!(attr(t, s, "k").unwrap().1.len(), 1 << 20);
}

#[test]
fn a_100k_deep_chain_needs_no_deep_stack() {
    let mut spans = Vec::with_capacity(100_000);
    for i in 1..=100_000u64 {
        let parent = if i == 1 { None } else { Some(format!("{:016x}", i - 1)) };
        spans.push(jspan(&format!("{i:016x}"), parent.as_deref(), 1_000_000 + i as i64, 1));
    }
    let input = jaeger_trace(&spans.join(","));
    // A 256 KiB stack would overflow at a few thousand levels of recursion.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let set = read_bytes(input.as_bytes()).unwrap();
            let t = &set.traces[0];
            let s = TraceSummary::of(t);
            (s.max_depth, t.preorder.len(), t.spans.last().unwrap().depth)
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), (100_000, 100_000, 100_000));
}
