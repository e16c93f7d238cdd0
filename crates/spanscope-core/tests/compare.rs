//! Comparing traces by call path: hand-built pairs (added and removed subtrees, repeated
//! paths, re-ordered siblings, different roots, an empty trace) and baselines.

mod common;

use common::built::{build, S};
use common::{generated, load_sample, only_trace};
use spanscope_core::analysis::compare::{Baseline, Change, TraceDiff};
use spanscope_core::analysis::{statistics, GroupBaseline, GroupBy, TraceAnalysis};
use spanscope_core::model::Trace;

/// A span: id, parent id, service, operation, start and duration in µs.
fn c(
    name: &'static str,
    parent: Option<&'static str>,
    service: &'static str,
    op: &'static str,
    start: i64,
    duration: i64,
) -> S {
    S {
        name,
        op,
        parent: parent.map(|p| (p, "CHILD_OF")),
        start,
        duration,
        kind: "",
        service,
        error: false,
        tag: None,
    }
}

fn failed(mut span: S) -> S {
    span.error = true;
    span
}

/// Each node of the merged tree depth-first: ("service op" path joined by " > ", change,
/// (A count, A total µs, A self µs), (B count, B total µs, B self µs)).
type Row = (String, &'static str, (u32, i64, i64), (u32, i64, i64));

fn rows(diff: &TraceDiff) -> Vec<Row> {
    diff.order
        .iter()
        .map(|&k| {
            let path: Vec<String> =
                diff.paths.path(k).iter().map(|(s, o)| format!("{s} {o}")).collect();
            let (a, b) = (&diff.a[k as usize], &diff.b[k as usize]);
            (
                path.join(" > "),
                diff.change(k).name(),
                (a.count, a.total_ns / 1000, a.self_ns / 1000),
                (b.count, b.total_ns / 1000, b.self_ns / 1000),
            )
        })
        .collect()
}

fn row(path: &str, change: &'static str, a: (u32, i64, i64), b: (u32, i64, i64)) -> Row {
    (path.to_string(), change, a, b)
}

fn checkout(cart_ms: i64, with_payment: bool, with_shipping: bool) -> Trace {
    let mut spans = vec![
        c("root", None, "frontend", "GET /checkout", 0, 100_000),
        c("cart", Some("root"), "cart", "get cart", 1_000, cart_ms * 1000),
    ];
    if with_payment {
        spans.push(c("pay", Some("root"), "payment", "charge", 50_000, 30_000));
        spans.push(c("payDb", Some("pay"), "postgres", "INSERT charges", 55_000, 10_000));
    }
    if with_shipping {
        spans.push(c("ship", Some("root"), "shipping", "quote", 50_000, 20_000));
        spans.push(c("shipHttp", Some("ship"), "carrier", "POST /rates", 52_000, 15_000));
    }
    build(&spans)
}

#[test]
fn identical_traces_are_the_same_everywhere() {
    let a = checkout(20, true, false);
    let diff = TraceDiff::of(&a, &checkout(20, true, false));
    assert_eq!(
        rows(&diff),
        vec![
            row("frontend GET /checkout", "same", (1, 100_000, 50_000), (1, 100_000, 50_000)),
            row(
                "frontend GET /checkout > cart get cart",
                "same",
                (1, 20_000, 20_000),
                (1, 20_000, 20_000)
            ),
            row(
                "frontend GET /checkout > payment charge",
                "same",
                (1, 30_000, 20_000),
                (1, 30_000, 20_000)
            ),
            row(
                "frontend GET /checkout > payment charge > postgres INSERT charges",
                "same",
                (1, 10_000, 10_000),
                (1, 10_000, 10_000)
            ),
        ]
    );
}

#[test]
fn added_and_removed_subtrees_and_a_slower_call() {
    // B: the cart is 25 ms slower, payment (with its query) is gone, shipping is new.
    let diff = TraceDiff::of(&checkout(20, true, false), &checkout(45, false, true));
    assert_eq!(
        rows(&diff),
        vec![
            row("frontend GET /checkout", "changed", (1, 100_000, 50_000), (1, 100_000, 35_000)),
            row(
                "frontend GET /checkout > cart get cart",
                "changed",
                (1, 20_000, 20_000),
                (1, 45_000, 45_000)
            ),
            row(
                "frontend GET /checkout > payment charge",
                "removed",
                (1, 30_000, 20_000),
                (0, 0, 0)
            ),
            row(
                "frontend GET /checkout > payment charge > postgres INSERT charges",
                "removed",
                (1, 10_000, 10_000),
                (0, 0, 0)
            ),
            row("frontend GET /checkout > shipping quote", "added", (0, 0, 0), (1, 20_000, 5_000)),
            row(
                "frontend GET /checkout > shipping quote > carrier POST /rates",
                "added",
                (0, 0, 0),
                (1, 15_000, 15_000)
            ),
        ]
    );
    let cart = diff.order[1];
    assert_eq!(diff.delta_total_ns(cart), 25_000_000);
    assert_eq!(diff.delta_self_ns(cart), 25_000_000);
    // The first span of each side, to jump to.
    let pay = diff.order[2];
    assert_eq!(diff.b[pay as usize].first_span, u32::MAX);
    assert_eq!(diff.a[pay as usize].start_ns, 50_000_000);
    assert_eq!(diff.a[pay as usize].end_ns, 80_000_000);
}

#[test]
fn repeated_paths_sum_their_spans_and_count_them() {
    let queries = |n: usize, ms: i64| {
        let names = ["q1", "q2", "q3", "q4", "q5", "q6"];
        let mut spans = vec![c("api", None, "orders", "GET /orders", 0, 100_000)];
        for (k, name) in names.iter().take(n).enumerate() {
            spans.push(c(
                name,
                Some("api"),
                "mysql",
                "SELECT items",
                1_000 + k as i64 * 10_000,
                ms * 1000,
            ));
        }
        build(&spans)
    };
    let diff = TraceDiff::of(&queries(3, 4), &queries(6, 4));
    let rows = rows(&diff);
    assert_eq!(
        rows[1],
        row(
            "orders GET /orders > mysql SELECT items",
            "changed",
            (3, 12_000, 12_000),
            (6, 24_000, 24_000)
        )
    );
    // The same count and a time within noise (4 ms → 4.3 ms is 7.5 %) is the same.
    let diff = TraceDiff::of(
        &queries(3, 4),
        &build(&[
            c("api", None, "orders", "GET /orders", 0, 100_000),
            c("q1", Some("api"), "mysql", "SELECT items", 1_000, 4_300),
            c("q2", Some("api"), "mysql", "SELECT items", 11_000, 4_300),
            c("q3", Some("api"), "mysql", "SELECT items", 21_000, 4_300),
        ]),
    );
    assert_eq!(diff.change(diff.order[1]), Change::Same);
    assert_eq!(diff.change(diff.order[0]), Change::Same);
}

#[test]
fn reordered_siblings_align_by_path_and_children_sort_by_name() {
    let a = build(&[
        c("r", None, "gw", "GET /", 0, 50_000),
        c("x", Some("r"), "users", "load", 1_000, 10_000),
        c("y", Some("r"), "auth", "check", 20_000, 10_000),
    ]);
    // B calls the same two services the other way round, with other span ids.
    let b = build(&[
        c("r2", None, "gw", "GET /", 0, 50_000),
        c("y2", Some("r2"), "auth", "check", 1_000, 10_000),
        c("x2", Some("r2"), "users", "load", 20_000, 10_000),
    ]);
    let diff = TraceDiff::of(&a, &b);
    let rows = rows(&diff);
    assert_eq!(
        rows.iter().map(|r| (r.0.as_str(), r.1)).collect::<Vec<_>>(),
        vec![
            ("gw GET /", "same"),
            ("gw GET / > auth check", "same"),
            ("gw GET / > users load", "same")
        ]
    );
    // Each side's first span at a path is its own.
    let auth = diff.order[1] as usize;
    assert_eq!(a.str(a.spans[diff.a[auth].first_span as usize].name), "check");
    assert_eq!(diff.a[auth].start_ns, 20_000_000);
    assert_eq!(diff.b[auth].start_ns, 1_000_000);
}

#[test]
fn different_roots_are_one_removed_and_one_added_tree() {
    let a =
        build(&[c("r", None, "web", "GET /a", 0, 10_000), c("k", Some("r"), "db", "q", 0, 5_000)]);
    let b = build(&[
        c("r", None, "batch", "nightly", 0, 10_000),
        c("k", Some("r"), "db", "q", 0, 5_000),
    ]);
    let rows = rows(&TraceDiff::of(&a, &b));
    assert_eq!(
        rows.iter().map(|r| (r.0.as_str(), r.1)).collect::<Vec<_>>(),
        vec![
            ("batch nightly", "added"),
            ("batch nightly > db q", "added"),
            ("web GET /a", "removed"),
            ("web GET /a > db q", "removed"),
        ]
    );
}

/// A trace with no spans (readers drop those, so one is emptied by hand).
fn empty_trace() -> Trace {
    let mut t = build(&[c("r", None, "web", "GET /", 0, 1)]);
    t.spans.clear();
    t.preorder.clear();
    t.roots.clear();
    t.children.clear();
    t
}

#[test]
fn against_an_empty_trace_everything_is_added_or_removed() {
    let empty = empty_trace();
    assert!(empty.spans.is_empty());
    let full = checkout(20, true, false);
    let added = TraceDiff::of(&empty, &full);
    assert_eq!(added.order.len(), 4);
    assert!(added.order.iter().all(|&k| added.change(k) == Change::Added));
    let removed = TraceDiff::of(&full, &empty);
    assert!(removed.order.iter().all(|&k| removed.change(k) == Change::Removed));
    assert!(TraceDiff::of(&empty, &empty_trace()).order.is_empty());
}

#[test]
fn errors_count_as_a_change() {
    let ok = build(&[c("r", None, "web", "GET /", 0, 10_000)]);
    let bad = build(&[failed(c("r", None, "web", "GET /", 0, 10_000))]);
    let diff = TraceDiff::of(&ok, &bad);
    assert_eq!(diff.change(0), Change::Changed);
    assert_eq!((diff.a[0].errors, diff.b[0].errors), (0, 1));
}

#[test]
fn a_trace_against_itself_on_a_real_sample_is_the_same_and_counts_every_span() {
    let set = load_sample("orders-n-plus-one.zipkin.json");
    let t = only_trace(&set);
    let diff = TraceDiff::of(t, t);
    assert!(diff.order.iter().all(|&k| diff.change(k) == Change::Same));
    let spans: u32 = diff.a.iter().map(|s| s.count).sum();
    assert_eq!(spans as usize, t.spans.len());
    // Every span's node is its own call path.
    for (i, span) in t.spans.iter().enumerate() {
        let node = diff.a_node_of_span[i];
        assert_eq!(diff.paths.service(node), t.str(span.service));
        assert_eq!(diff.paths.operation(node), t.str(span.name));
    }
}

#[test]
fn a_100k_deep_chain_needs_no_deep_stack() {
    let names: Vec<&'static str> =
        (0..100_000).map(|k| &*Box::leak(format!("s{k}").into_boxed_str())).collect();
    let spans: Vec<S> = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            c(name, (k > 0).then(|| names[k - 1]), "svc", "step", k as i64, 200_000 - k as i64)
        })
        .collect();
    let t = build(&spans);
    let diff = TraceDiff::of(&t, &t);
    assert_eq!(diff.order.len(), 100_000);
    assert_eq!(diff.paths.nodes[diff.order[99_999] as usize].depth, 99_999);
}

/// Ten traces where the query takes 1..=10 ms.
fn baseline_traces() -> Vec<Trace> {
    (1..=10)
        .map(|ms| {
            build(&[
                c("r", None, "api", "GET /items", 0, 20_000),
                c("q", Some("r"), "db", "SELECT", 1_000, ms * 1000),
            ])
        })
        .collect()
}

#[test]
fn a_baseline_gives_percentiles_per_call_path() {
    let traces = baseline_traces();
    let baseline = Baseline::of(&traces);
    assert_eq!(baseline.traces, 10);
    let q = baseline.paths.find(0, "db", "SELECT").expect("the query's path");
    assert_eq!(baseline.traces_with(q), 10);
    let total = baseline.total(q);
    // Nearest rank: p50 is the 6th of 10 sorted values (index round(4.5) = 5), p90 the 9th.
    assert_eq!((total.p50, total.p90, total.p99), (6_000_000, 9_000_000, 10_000_000));
    let root_self = baseline.self_time(0);
    assert_eq!((root_self.p50, root_self.p90), (15_000_000, 18_000_000));

    // A trace whose query took 9.5 ms and which also calls a cache no baseline trace has.
    let slow = build(&[
        c("r", None, "api", "GET /items", 0, 20_000),
        c("q", Some("r"), "db", "SELECT", 1_000, 9_500),
        c("k", Some("r"), "redis", "GET", 11_000, 1_000),
    ]);
    let rated = baseline.assess(&slow);
    let node = |service: &str| {
        rated.paths.nodes.iter().position(|n| rated.paths.name(n.service) == service).unwrap()
    };
    let query = rated.rated[node("db")].expect("in the baseline");
    assert_eq!(query.total_percentile, 90.0);
    assert_eq!(query.excess_ns, 3_500_000);
    assert!(query.above_p90);
    assert!(rated.rated[node("redis")].is_none());
    let root = rated.rated[node("api")].expect("in the baseline");
    // The root's total equals every baseline trace's: a tie counts half.
    assert_eq!(root.total_percentile, 50.0);
    assert!(!root.above_p90);
    // Each span maps to its path.
    assert_eq!(rated.node_of_span.len(), 3);
}

#[test]
fn against_the_baseline_median_as_a_diff_only_time_changes_and_new_paths_are_added() {
    let baseline = Baseline::of(&baseline_traces());
    let slow = build(&[
        c("r", None, "api", "GET /items", 0, 20_000),
        c("q", Some("r"), "db", "SELECT", 1_000, 9_500),
        c("k", Some("r"), "redis", "GET", 11_000, 1_000),
        c("k2", Some("r"), "redis", "GET", 13_000, 1_000),
    ]);
    let diff = baseline.assess(&slow).versus_median(&baseline);
    assert_eq!(
        rows(&diff),
        vec![
            // The root: 20 ms in every trace; its self time 20 − 9.5 − 2 = 8.5 ms against the
            // median of the baseline's 19..=10 ms (nearest rank: 15 ms).
            row("api GET /items", "changed", (1, 20_000, 15_000), (1, 20_000, 8_500)),
            // The query against the median of 1..=10 ms (6 ms, nearest rank).
            row("api GET /items > db SELECT", "changed", (1, 6_000, 6_000), (1, 9_500, 9_500)),
            // Twice the cache, which no baseline trace calls.
            row("api GET /items > redis GET", "added", (0, 0, 0), (2, 2_000, 2_000)),
        ]
    );
    // The flame graph of it spans the root's 20 ms; the query takes 9.5 of them.
    let boxes = diff.flame_boxes();
    assert_eq!(boxes.len(), 3);
    let query = boxes.iter().find(|b| b.depth == 1 && diff.paths.service(b.node) == "db").unwrap();
    assert!((query.x1 - query.x0 - 0.475).abs() < 1e-9, "{query:?}");
}

#[test]
fn statistics_groups_rate_against_the_same_groups_of_a_baseline() {
    let traces = baseline_traces();
    let by = GroupBy::Service;
    let groups = GroupBaseline::of(&traces, &by, None);
    assert_eq!(groups.traces, 10);
    let slow = build(&[
        c("r", None, "api", "GET /items", 0, 20_000),
        c("q", Some("r"), "db", "SELECT", 1_000, 4_000),
        c("q2", Some("r"), "db", "SELECT", 6_000, 5_500),
        c("k", Some("r"), "redis", "GET", 12_000, 1_000),
    ]);
    let analysis = TraceAnalysis::of(&slow);
    let stats = statistics(&slow, &analysis, &by, None);
    let rating = |key: &str| groups.rate(stats.iter().find(|g| g.key == key).unwrap());
    // Two queries, 9.5 ms together, against per-trace totals of 1..=10 ms.
    let db = rating("db").expect("every baseline trace queries the db");
    assert_eq!(db.traces_with, 10);
    assert_eq!(db.typical_total_ns, 6_000_000);
    assert_eq!(db.excess_ns, 3_500_000);
    assert_eq!(db.percentile, 90.0);
    assert!(db.above_p90);
    let api = rating("api").unwrap();
    assert_eq!((api.percentile, api.excess_ns, api.above_p90), (50.0, 0, false));
    assert_eq!(rating("redis"), None);
    // Two levels match on both keys.
    let two = GroupBaseline::of(&traces, &by, Some(&GroupBy::Operation));
    let stats = statistics(&slow, &analysis, &by, Some(&GroupBy::Operation));
    let db = stats.iter().find(|g| g.key == "db").unwrap();
    assert_eq!(db.sub.as_deref(), Some("SELECT"));
    assert_eq!(two.rate(db).unwrap().typical_total_ns, 6_000_000);
}

#[test]
fn a_path_under_a_new_parent_is_new_even_when_its_names_are_known() {
    let baseline = Baseline::of(&baseline_traces());
    let moved = build(&[
        c("r", None, "api", "GET /items", 0, 20_000),
        c("m", Some("r"), "cache", "miss", 1_000, 9_000),
        c("q", Some("m"), "db", "SELECT", 2_000, 5_000),
    ]);
    let rated = baseline.assess(&moved);
    assert_eq!(rated.rated.iter().filter(|r| r.is_none()).count(), 2);
}

#[test]
fn a_baseline_of_generated_traces_covers_every_span() {
    let traces: Vec<Trace> = (0..20).map(|seed| generated(2_000, seed).traces.remove(0)).collect();
    let baseline = Baseline::of(&traces);
    assert_eq!(baseline.traces, 20);
    let rated = baseline.assess(&traces[3]);
    // Every path of a trace in the baseline is in the baseline.
    assert!(rated.rated.iter().all(|r| r.is_some()));
    let spans: u32 = rated.stats.iter().map(|s| s.count).sum();
    assert_eq!(spans as usize, traces[3].spans.len());
}

#[test]
fn the_view_lists_by_regression_and_hides_what_is_the_same() {
    use spanscope_core::analysis::compare::DiffOrder;
    let diff = TraceDiff::of(&checkout(20, true, false), &checkout(45, false, true));
    let names = |nodes: Vec<u32>| -> Vec<String> {
        nodes.iter().map(|&k| diff.paths.operation(k).to_string()).collect()
    };
    assert_eq!(
        names(diff.listed(DiffOrder::Regression, false)),
        ["get cart", "quote", "POST /rates", "GET /checkout", "INSERT charges", "charge"]
    );
    let same = TraceDiff::of(&checkout(20, true, false), &checkout(21, true, false));
    // 1 ms more on a 20 ms call is 5 %, under the noise bar: nothing changed.
    assert!(same.listed(DiffOrder::Tree, true).is_empty());
    assert_eq!(same.listed(DiffOrder::Tree, false).len(), 4);
}

#[test]
fn the_differential_flame_graph_is_b_by_total_time() {
    let diff = TraceDiff::of(&checkout(20, true, false), &checkout(45, false, true));
    let boxes: Vec<(String, u32, f64, f64)> = diff
        .flame_boxes()
        .iter()
        .map(|b| {
            let r = |x: f64| (x * 1000.0).round() / 1000.0;
            (diff.paths.operation(b.node).to_string(), b.depth, r(b.x0), r(b.x1))
        })
        .collect();
    assert_eq!(
        boxes,
        vec![
            ("GET /checkout".to_string(), 0, 0.0, 1.0),
            ("get cart".to_string(), 1, 0.0, 0.45),
            ("quote".to_string(), 1, 0.45, 0.65),
            ("POST /rates".to_string(), 2, 0.45, 0.6),
        ]
    );
    // Concurrent children that add up past their parent are squeezed into it.
    let wide = build(&[
        c("r", None, "gw", "GET /", 0, 10_000),
        c("a", Some("r"), "x", "a", 0, 10_000),
        c("b", Some("r"), "y", "b", 0, 10_000),
    ]);
    let boxes = TraceDiff::of(&wide, &wide).flame_boxes();
    assert_eq!(
        boxes.iter().map(|b| (b.x0, b.x1)).collect::<Vec<_>>(),
        [(0.0, 1.0), (0.0, 0.5), (0.5, 1.0)]
    );
}
