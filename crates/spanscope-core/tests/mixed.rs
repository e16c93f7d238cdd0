//! Files that mix formats: every item is read by its own format, and the file says so;
//! nothing is dropped without a warning.

mod common;

use common::refdata;
use spanscope_core::{read_bytes, ReadError};

/// A reference file as one JSON line.
fn line(rel: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(refdata(rel)).unwrap()).unwrap();
    v.to_string()
}

fn span_counts(set: &spanscope_core::TraceSet) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> =
        set.traces.iter().map(|t| (t.trace_id_string(), t.spans.len())).collect();
    out.sort();
    out
}

#[test]
fn json_lines_of_three_formats_read_every_line() {
    let text = [
        line("jaeger/ui_01.json"),
        line("zipkin/skew.json"),
        r#"{"foo": 1}"#.to_string(),
        line("otlp/opentelemetry-proto/trace.json"),
    ]
    .join("\n");
    let set = read_bytes(text.as_bytes()).unwrap();
    assert_eq!(
        span_counts(&set),
        [
            ("0000000000000001".into(), 5),
            ("1e223ff1f80f1c69".into(), 4),
            ("5b8efff798038103d269b633813fc60c".into(), 1)
        ]
    );
    assert!(
        set.warnings.iter().any(|w| w.contains("mixes formats (1 Jaeger, 1 Zipkin, 1 OTLP items)")),
        "{:?}",
        set.warnings
    );
    assert!(
        set.warnings.iter().any(|w| w.contains("1 item(s) hold no spans") && w.contains("line 3")),
        "{:?}",
        set.warnings
    );
}

#[test]
fn one_array_of_mixed_items_reads_each() {
    let text = format!(
        "[\n{},\n{},\n{}\n]",
        line("jaeger/ui_01.json"),
        line("zipkin/zipkin2-client.json"),
        line("otlp/opentelemetry-proto/trace.json")
    );
    let set = read_bytes(text.as_bytes()).unwrap();
    assert_eq!(span_counts(&set).len(), 3, "{:?}", span_counts(&set));
    assert_eq!(set.traces.iter().map(|t| t.spans.len()).sum::<usize>(), 5 + 1 + 1);
    assert!(set.warnings.iter().any(|w| w.contains("mixes formats")), "{:?}", set.warnings);
}

#[test]
fn items_of_no_format_inside_one_format_are_named() {
    // A Zipkin array with one object that is no span at all.
    let text = r#"[{"traceId":"1","id":"a","name":"x","timestamp":1,"duration":2},{"note":"exported by hand"}]"#;
    let set = read_bytes(text.as_bytes()).unwrap();
    assert_eq!(set.traces[0].spans.len(), 1);
    assert!(set.warnings.iter().all(|w| !w.contains("mixes formats")), "{:?}", set.warnings);
    assert!(
        set.warnings.iter().any(|w| w.contains("1 item(s) hold no spans") && w.contains("line 1")),
        "{:?}",
        set.warnings
    );
}

#[test]
fn single_format_files_are_unchanged_and_errors_keep_their_line() {
    // Pretty-printed single documents are not split into lines.
    let set = read_bytes(&std::fs::read(refdata("zipkin/yelp.json")).unwrap()).unwrap();
    assert!(set.warnings.iter().all(|w| !w.contains("mixes formats")), "{:?}", set.warnings);
    // A broken line among mixed ones reports its own line in the file.
    let text =
        [line("jaeger/ui_01.json"), line("zipkin/skew.json"), r#"{"traceId": "1", "id": }"#.into()]
            .join("\n");
    match read_bytes(text.as_bytes()).unwrap_err() {
        ReadError::Syntax { line, .. } => assert_eq!(line, 3),
        e => panic!("{e:?}"),
    }
}
