//! Benchmark of the readers compiled to wasm32 in headless Chromium (not a pass/fail test:
//! it prints figures). Run with `scripts/bench.sh` or:
//! `cargo test --release --target wasm32-unknown-unknown --test wasm_bench -- --nocapture`
#![cfg(target_arch = "wasm32")]

use spanscope_core::generate::{generate, GenOptions};
use spanscope_core::read_bytes;
use spanscope_core::write::{to_string, OutputFormat};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

fn wasm_memory_mb() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().into();
    buffer.byte_length() as f64 / 1e6
}

#[wasm_bindgen_test]
fn bench_read_in_browser() {
    console_log!(
        "{:<8} {:>8} {:>9} {:>10} {:>9} {:>12} {:>12}",
        "format",
        "spans",
        "file MB",
        "read ms",
        "MB/s",
        "spans/s",
        "wasm mem MB"
    );
    for spans in [10_000usize, 100_000] {
        for (format, name) in [
            (OutputFormat::Jaeger, "jaeger"),
            (OutputFormat::Otlp, "otlp"),
            (OutputFormat::Zipkin, "zipkin"),
        ] {
            let text = to_string(
                &generate(&GenOptions { spans, seed: 42, ..GenOptions::default() }).traces,
                format,
            );
            // The bytes live in JS as a Uint8Array, as after `File.arrayBuffer()`; the timed
            // part copies them into wasm and reads them, as the app does.
            let js_bytes = js_sys::Uint8Array::from(text.as_bytes());
            let mb = text.len() as f64 / 1e6;
            drop(text);
            let mut best = f64::MAX;
            for _ in 0..3 {
                let started = now_ms();
                let bytes = js_bytes.to_vec();
                let set = read_bytes(&bytes).unwrap();
                best = best.min(now_ms() - started);
                assert_eq!(set.traces[0].spans.len(), spans);
            }
            console_log!(
                "{:<8} {:>8} {:>9.1} {:>10.0} {:>9.0} {:>12.0} {:>12.0}",
                name,
                spans,
                mb,
                best,
                mb / (best / 1000.0),
                spans as f64 / (best / 1000.0),
                wasm_memory_mb()
            );
        }
    }
}

/// A search answer: 1,500 traces of 20 spans (Jaeger UI's maximum search size), read and
/// summarized as the search page does.
#[wasm_bindgen_test]
fn bench_search_answer_in_browser() {
    let text = to_string(
        &generate(&GenOptions { spans: 30_000, traces: 1500, seed: 3, ..GenOptions::default() })
            .traces,
        OutputFormat::Jaeger,
    );
    let mb = text.len() as f64 / 1e6;
    let mut best = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        let started = now_ms();
        let set = read_bytes(text.as_bytes()).unwrap();
        let read = now_ms() - started;
        let hits: Vec<_> =
            set.traces.iter().map(|t| spanscope_backend::SearchHit::of_trace(t, None)).collect();
        let summarize = now_ms() - started - read;
        assert_eq!(hits.len(), 1500);
        best = (best.0.min(read), best.1.min(summarize));
    }
    console_log!(
        "search answer: 1500 traces, {mb:.1} MB: read {:.0} ms, summarize {:.0} ms",
        best.0,
        best.1
    );
}

/// Service graphs in wasm: Jaeger UI's large.json (4,271 links) and a generated 100k-span
/// trace, each built and laid out (layered and radial) as the graph view does.
#[wasm_bindgen_test]
fn bench_graph_layout_in_browser() {
    use spanscope_graph::layout::{layered, radial};
    use spanscope_graph::model::read_dependency_links;
    use spanscope_graph::ServiceGraph;
    let best_of = |f: &dyn Fn() -> usize| {
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..3 {
            let started = now_ms();
            n = f();
            best = best.min(now_ms() - started);
        }
        (best, n)
    };
    let links = read_dependency_links(include_bytes!("data/refdata/jaeger/large.json")).unwrap();
    let generated = generate(&GenOptions { spans: 100_000, seed: 42, ..GenOptions::default() });
    let trace = &generated.traces[0];
    type BuildGraph<'a> = Box<dyn Fn() -> ServiceGraph + 'a>;
    let sources: [(&str, BuildGraph); 2] = [
        ("large.json", Box::new(|| ServiceGraph::from_links(&links))),
        ("100k-span trace", Box::new(|| ServiceGraph::from_traces([trace]))),
    ];
    for (name, build) in sources {
        let (build_ms, nodes) = best_of(&|| build().nodes.len());
        let g = build();
        let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
        let (layered_ms, _) = best_of(&|| layered(g.nodes.len(), &edges).positions.len());
        let (radial_ms, _) = best_of(&|| radial(g.nodes.len(), &edges).positions.len());
        console_log!("graph {name}: {nodes} nodes, {} edges: build {build_ms:.1} ms, layered layout {layered_ms:.1} ms, radial layout {radial_ms:.1} ms", edges.len());
    }
}

/// The analyses behind the trace views, in wasm, on generated traces of 100k and 1M spans:
/// the critical path with self times (`TraceAnalysis`), statistics by service and operation,
/// the merged flame tree, sibling groups and error paths. Best of 3 (1 at 1M).
#[wasm_bindgen_test]
fn bench_analysis_in_browser() {
    use spanscope_core::analysis::*;
    for spans in [100_000usize, 1_000_000] {
        let generated = generate(&GenOptions { spans, seed: 42, ..GenOptions::default() });
        let t = &generated.traces[0];
        let runs = if spans >= 1_000_000 { 1 } else { 3 };
        let time = |f: &dyn Fn() -> usize| {
            let mut best = f64::MAX;
            for _ in 0..runs {
                let started = now_ms();
                assert!(f() > 0);
                best = best.min(now_ms() - started);
            }
            best
        };
        let analysis = TraceAnalysis::of(t);
        let path_ms = time(&|| TraceAnalysis::of(t).critical_path.len());
        let stats_ms =
            time(&|| statistics(t, &analysis, &GroupBy::Service, Some(&GroupBy::Operation)).len());
        let flame_ms = time(&|| merged_flame(t, &analysis).nodes.len());
        let siblings_ms = time(&|| sibling_groups(t, 5).len() + error_paths(t).len());
        // Focus on the root's biggest child: its subtree copied, then analysed again.
        let rows = spanscope_core::view::rows::RowModel::new(t);
        let root = t.roots[0];
        let child = *t
            .span_children(&t.spans[root as usize])
            .iter()
            .max_by_key(|&&c| rows.descendants(c))
            .unwrap();
        let focus_ms = time(&|| {
            let f = spanscope_core::view::focus::subtree(t, child).unwrap();
            TraceAnalysis::of(&f.trace).critical_path.len()
        });
        let focused = rows.descendants(child) + 1;
        // The waterfall's rows as a big trace opens: subtree ends, then sibling groups folded.
        let rows_ms = time(&|| spanscope_core::view::rows::RowModel::for_trace(t).len());
        let grouped = spanscope_core::view::rows::RowModel::for_trace(t).len();
        console_log!("analysis {spans} spans: critical path + self time {path_ms:.0} ms, statistics {stats_ms:.0} ms, flame {flame_ms:.0} ms, sibling groups + error paths {siblings_ms:.0} ms, focus on {focused} spans + its analysis {focus_ms:.0} ms, rows with sibling groups {rows_ms:.0} ms ({grouped} rows)");
    }
}

/// Comparing traces (issue 12): a baseline of 1,000 traces of 1,000 spans of one request
/// (the generator's `same_request`), one trace rated against it, and two 100k-span traces
/// aligned by call path.
#[wasm_bindgen_test]
fn bench_compare_in_browser() {
    use spanscope_core::analysis::compare::{Baseline, TraceDiff};
    let set = generate(&GenOptions {
        spans: 1_000_000,
        traces: 1_000,
        seed: 7,
        same_request: true,
        ..GenOptions::default()
    });
    let started = now_ms();
    let baseline = Baseline::of(&set.traces);
    let baseline_ms = now_ms() - started;
    let started = now_ms();
    let rated = baseline.assess(&set.traces[0]);
    let assess_ms = now_ms() - started;
    let pair = generate(&GenOptions {
        spans: 200_000,
        traces: 2,
        seed: 7,
        same_request: true,
        ..GenOptions::default()
    });
    let started = now_ms();
    let diff = TraceDiff::of(&pair.traces[0], &pair.traces[1]);
    let diff_ms = now_ms() - started;
    console_log!(
        "compare: baseline of {} traces × 1,000 spans ({} call paths) {baseline_ms:.0} ms, one trace rated {assess_ms:.1} ms ({} paths); two 100k-span traces aligned {diff_ms:.0} ms ({} call paths)",
        baseline.traces,
        baseline.paths.nodes.len(),
        rated.rated.len(),
        diff.order.len()
    );
}
