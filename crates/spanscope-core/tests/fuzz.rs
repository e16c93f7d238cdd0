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
