//! Property-based fuzzing of the readers: random bytes, and valid documents with random
//! mutations, must give a trace set or an error — never a panic or a hang.

mod common;

use proptest::prelude::*;
use spanscope_core::read_bytes;

fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(load_seeds)
}

fn load_seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for rel in [
        "jaeger/ui_01.json",
        "zipkin/skew.json",
        "otlp/opentelemetry-proto/trace.json",
        "jaeger/trace_success.json",
    ] {
        out.push(std::fs::read(common::refdata(rel)).unwrap());
    }
    for name in
        ["zipkin-v1.json", "otlp-protojson.json", "otlp-collector.jsonl", "jaeger-spans.jsonl"]
    {
        out.push(std::fs::read(common::fixture(name)).unwrap());
    }
    // Generated traces: every attribute type, events, errors and links in each format.
    let generated = spanscope_core::generate::generate(&spanscope_core::generate::GenOptions {
        spans: 40,
        traces: 2,
        ..Default::default()
    });
    for f in [
        spanscope_core::write::OutputFormat::Jaeger,
        spanscope_core::write::OutputFormat::Otlp,
        spanscope_core::write::OutputFormat::Zipkin,
    ] {
        out.push(spanscope_core::write::to_string(&generated.traces, f).into_bytes());
    }
    // The hostile shapes, small, and binary OTLP from a real SDK.
    out.extend(spanscope_core::shapes::all(30).into_iter().map(|s| s.json));
    let pb =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/otlp-protobuf");
    for name in ["export.pb", "collector-file.pb"] {
        out.push(std::fs::read(pb.join(name)).unwrap());
    }
    // A file that mixes formats, one per line.
    let line = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap().to_string();
    out.push([line(&out[0]), line(&out[1]), line(&out[2])].join("\n").into_bytes());
    out
}

/// Reads and, when it succeeds, exercises everything built on the model.
fn read_and_use(bytes: &[u8]) {
    if let Ok(set) = read_bytes(bytes) {
        for t in &set.traces {
            let s = spanscope_core::TraceSummary::of(t);
            assert_eq!(s.span_count, t.spans.len());
            assert_eq!(t.preorder.len(), t.spans.len(), "every span reachable");
        }
        for f in [
            spanscope_core::write::OutputFormat::Jaeger,
            spanscope_core::write::OutputFormat::Otlp,
            spanscope_core::write::OutputFormat::Zipkin,
        ] {
            let _ = spanscope_core::write::to_string(&set.traces, f);
        }
    }
}

proptest! {
    // 2,000 cases per property in the test suite; PROPTEST_CASES=N for a long run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        read_and_use(&bytes);
    }

    #[test]
    fn mutated_traces_never_panic(
        which in 0usize..11,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    ) {
        let mut doc = seeds()[which].clone();
        for (at, byte, op) in edits {
            if doc.is_empty() { break; }
            let i = at.index(doc.len());
            match op {
                0 => doc[i] = byte,
                1 => { doc.remove(i); }
                2 => doc.insert(i, byte),
                _ => doc.truncate(i),
            }
        }
        read_and_use(&doc);
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(prop::sample::select(vec![
        "{", "}", "[", "]", ",", ":", "\"traceId\"", "\"id\"", "\"parentId\"", "\"spans\"", "\"data\"",
        "\"resourceSpans\"", "\"scopeSpans\"", "\"spanID\"", "\"traceID\"", "\"references\"", "\"01\"",
        "\"0000000000000001\"", "null", "true", "-1", "1e400", "\"startTime\"", "\"duration\"",
        "\"annotations\"", "\"binaryAnnotations\"", "\"shared\"", "\"processes\"", "\"p1\"", "\"batches\"",
    ]), 0..80)) {
        read_and_use(tokens.concat().as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Each hostile shape at a random size reads every span it holds.
    #[test]
    fn hostile_shapes_read_their_spans_at_any_size(n in 1usize..3000) {
        for shape in spanscope_core::shapes::all(n) {
            let set = read_bytes(&shape.json).unwrap();
            let spans: usize = set.traces.iter().map(|t| t.spans.len()).sum();
            prop_assert_eq!(spans, shape.spans, "{} ×{}", shape.name, n);
        }
    }
}
