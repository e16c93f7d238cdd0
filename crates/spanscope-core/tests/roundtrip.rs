//! `convert` round trips: every format keeps span count, ids, names, services, parent links,
//! timing and attributes (Zipkin tags are text, so values are compared as text there).

mod common;

use common::*;
use spanscope_core::generate::{generate, GenOptions};
use spanscope_core::model::{SpanFlags, Trace};
use spanscope_core::write::{to_string, OutputFormat};
use spanscope_core::{read_bytes, TraceSet};

#[derive(Debug, PartialEq, Clone)]
struct Facts {
    id: String,
    shared: bool,
    parent: String,
    name: String,
    service: String,
    start_us: i64,
    duration_us: i64,
    error: bool,
    attrs: Vec<(String, String, bool)>,
    events: Vec<(i64, String)>,
    links: Vec<String>,
}

fn facts(t: &Trace, typed: bool, with_links: bool) -> Vec<Facts> {
    let mut out: Vec<Facts> = t
        .spans
        .iter()
        .map(|s| {
            let mut attrs: Vec<(String, String, bool)> = t
                .span_attrs(s)
                .iter()
                .map(|a| {
                    let typed_flag = typed && !matches!(a.value, spanscope_core::AttrValue::Str(_));
                    (t.str(a.key).to_string(), t.value_text(&a.value), typed_flag)
                })
                .collect();
            attrs.sort_by(|a, b| a.0.cmp(&b.0));
            Facts {
                id: t.span_id_string(s.span_id),
                shared: s.flags.has(SpanFlags::SHARED),
                parent: t.span_id_string(s.parent_id),
                name: t.str(s.name).to_string(),
                service: t.str(s.service).to_string(),
                start_us: s.start_ns / 1000,
                duration_us: s.duration_ns / 1000,
                error: s.is_error(),
                attrs,
                events: t
                    .span_events(s)
                    .iter()
                    .map(|e| (e.time_ns / 1000, t.str(e.name).to_string()))
                    .collect(),
                links: if with_links {
                    t.span_links(s).iter().map(|l| format!("{:?}:{}", l.kind, l.span_id)).collect()
                } else {
                    vec![]
                },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.id, a.shared, &a.service, a.start_us).cmp(&(&b.id, b.shared, &b.service, b.start_us))
    });
    out
}

fn through(set: &TraceSet, format: OutputFormat) -> TraceSet {
    let text = to_string(&set.traces, format);
    read_bytes(text.as_bytes()).unwrap_or_else(|e| panic!("re-reading {format:?} output: {e}"))
}

fn assert_round_trip(original: &TraceSet, label: &str) {
    for format in [OutputFormat::Jaeger, OutputFormat::Otlp, OutputFormat::Zipkin] {
        let back = through(original, format);
        assert_eq!(back.traces.len(), original.traces.len(), "{label} via {format:?}");
        let zipkin = format == OutputFormat::Zipkin;
        for (a, b) in original.traces.iter().zip(&back.traces) {
            assert_eq!(a.trace_id.value, b.trace_id.value, "{label} via {format:?}");
            let (fa, fb) = (facts(a, !zipkin, !zipkin), facts(b, !zipkin, !zipkin));
            assert_eq!(fa.len(), fb.len(), "{label} via {format:?}");
            for (x, y) in fa.iter().zip(&fb) {
                assert_eq!(x, y, "{label} via {format:?}");
            }
            assert_eq!(a.stats.max_depth, b.stats.max_depth, "{label} via {format:?}");
        }
    }
}

#[test]
fn generated_traces_round_trip_through_every_format() {
    let set = generate(&GenOptions { spans: 3000, traces: 3, seed: 7, ..GenOptions::default() });
    assert_eq!(set.traces.len(), 3);
    assert_round_trip(&set, "generated");
}

#[test]
fn reference_traces_round_trip() {
    for rel in [
        "jaeger/genaiTestTrace.json",
        "jaeger/spanAmongEachOtherGroupedAndSpans.json",
        "otlp/opentelemetry-proto/trace.json",
        "zipkin/yelp.json",
        "zipkin/skew.json",
        "zipkin/messaging-kafka.json",
    ] {
        assert_round_trip(&load_ref(rel), rel);
    }
}

#[test]
fn chained_conversion_keeps_the_tree() {
    let original = load_ref("zipkin/smartthings-oauth-authorization.json");
    let chained = through(
        &through(&through(&original, OutputFormat::Jaeger), OutputFormat::Otlp),
        OutputFormat::Zipkin,
    );
    let (a, b) = (&original.traces[0], &chained.traces[0]);
    let (fa, fb) = (facts(a, false, false), facts(b, false, false));
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x, y);
    }
    let (sa, sb) = (spanscope_core::TraceSummary::of(a), spanscope_core::TraceSummary::of(b));
    assert_eq!(sa.service_edges, sb.service_edges);
    assert_eq!(sa.max_depth, sb.max_depth);
}
