//! Analyses on hand-built traces: the critical path (with Jaeger UI's own test cases ported
//! as data), self time, statistics, flame data, sibling groups and error paths.

mod common;

use common::built::{build, s, S};
use common::{load_ref, only_trace, span_by_name};
use spanscope_core::analysis::{
    critical_path, error_paths, merged_flame, sibling_groups, statistics, GroupBy, Section,
    TraceAnalysis,
};
use spanscope_core::model::Trace;

/// The critical path as (span name, start µs, end µs), sorted by start.
fn path(t: &Trace) -> Vec<(String, i64, i64)> {
    critical_path(t)
        .iter()
        .map(|s: &Section| {
            (t.str(t.spans[s.span as usize].name).to_string(), s.start_ns / 1000, s.end_ns / 1000)
        })
        .collect()
}

fn p(list: &[(&str, i64, i64)]) -> Vec<(String, i64, i64)> {
    list.iter().map(|&(n, a, b)| (n.to_string(), a, b)).collect()
}

// Jaeger UI's critical-path test cases (packages/jaeger-ui/src/components/TracePage/
// CriticalPath/testCases/test1–9.js, Apache-2.0, The Jaeger Authors), as data. Their
// expected sections are listed there latest first; here they are sorted by start.

#[test]
fn jaeger_ui_test1_two_children_in_turn() {
    let t = build(&[
        s("span-E", Some("span-C"), 50, 10),
        s("span-C", None, 1, 100),
        s("span-D", Some("span-C"), 20, 20),
    ]);
    assert_eq!(
        path(&t),
        p(&[
            ("span-C", 1, 20),
            ("span-D", 20, 40),
            ("span-C", 40, 50),
            ("span-E", 50, 60),
            ("span-C", 60, 101)
        ])
    );
}

#[test]
fn jaeger_ui_test2_overlapping_children_the_later_one_wins() {
    let t = build(&[
        s("span-X", None, 1, 100),
        s("span-A", Some("span-X"), 10, 40),
        s("span-C", Some("span-X"), 20, 40),
    ]);
    assert_eq!(path(&t), p(&[("span-X", 1, 20), ("span-C", 20, 60), ("span-X", 60, 101)]));
}

#[test]
fn jaeger_ui_test3_a_child_after_its_parent_is_dropped() {
    // test3 reads this file (copied into tests/data/refdata): the root runs 100–140 µs and
    // its only child starts after it ends.
    let set = load_ref("jaeger/traceWithSingleChildLongerThanParentAndStartsAfterParent.json");
    assert_eq!(path(only_trace(&set)), p(&[("send", 100, 140)]));
}

#[test]
fn jaeger_ui_test4_a_dropped_child_takes_its_subtree() {
    let t = build(&[
        s("span-A", None, 1, 30),
        s("span-B", Some("span-A"), 40, 40),
        s("span-c", Some("span-B"), 50, 10),
    ]);
    assert_eq!(path(&t), p(&[("span-A", 1, 31)]));
}

#[test]
fn jaeger_ui_test5_follows_from_does_not_block() {
    let mut b = s("span-B", Some("span-A"), 10, 10);
    b.parent = Some(("span-A", "FOLLOWS_FROM"));
    let t = build(&[s("span-A", None, 1, 30), b]);
    // Jaeger UI's file expects 1–30 because its test builds the trace with `endTime` as the
    // duration field; the span itself runs 1–31.
    assert_eq!(path(&t), p(&[("span-A", 1, 31)]));
}

#[test]
fn jaeger_ui_test6_children_clipped_to_their_clipped_parent() {
    let t = build(&[
        s("span-A", None, 1, 29),
        s("span-B", Some("span-A"), 15, 20),
        s("span-C", Some("span-B"), 10, 15),
    ]);
    assert_eq!(path(&t), p(&[("span-A", 1, 15), ("span-C", 15, 25), ("span-B", 25, 30)]));
}

#[test]
fn jaeger_ui_test7_a_chain_overflowing_the_root() {
    let t = build(&[
        s("span-A", None, 1, 29),
        s("span-B", Some("span-A"), 15, 20),
        s("span-C", Some("span-B"), 20, 20),
    ]);
    assert_eq!(path(&t), p(&[("span-A", 1, 15), ("span-B", 15, 20), ("span-C", 20, 30)]));
}

#[test]
fn jaeger_ui_test8_a_child_wider_than_its_parent_covers_it() {
    let t = build(&[s("span-A", None, 10, 20), s("span-B", Some("span-A"), 5, 30)]);
    assert_eq!(path(&t), p(&[("span-B", 10, 30)]));
}

#[test]
fn jaeger_ui_test9_a_child_before_its_parent_is_dropped() {
    let t = build(&[s("span-A", None, 10, 20), s("span-B", Some("span-A"), 1, 4)]);
    assert_eq!(path(&t), p(&[("span-A", 10, 30)]));
}

#[test]
fn a_consumer_of_a_producer_does_not_block_it() {
    let mut producer = s("send", None, 0, 10);
    producer.kind = "producer";
    let mut consumer = s("receive", Some("send"), 5, 100);
    consumer.kind = "consumer";
    let t = build(&[producer, consumer, s("handle", Some("receive"), 6, 50)]);
    assert_eq!(path(&t), p(&[("send", 0, 10)]));
}

#[test]
fn ties_go_to_the_earlier_start_then_the_smaller_id() {
    // b and c end together; b started earlier, so b is the last-finishing child.
    let t = build(&[s("a", None, 0, 100), s("b", Some("a"), 10, 50), s("c", Some("a"), 30, 30)]);
    assert_eq!(path(&t), p(&[("a", 0, 10), ("b", 10, 60), ("a", 60, 100)]));
    // d and e have the same interval: d has the smaller id.
    let t = build(&[s("a", None, 0, 100), s("e", Some("a"), 10, 50), s("d", Some("a"), 10, 50)]);
    assert_eq!(path(&t), p(&[("a", 0, 10), ("d", 10, 60), ("a", 60, 100)]));
}

#[test]
fn every_root_and_orphan_has_its_own_path_and_sections_tile_it() {
    let t = build(&[
        s("r1", None, 0, 50),
        s("r1-child", Some("r1"), 10, 10),
        s("r2", None, 30, 40),
        // Its parent is not in the trace: an orphan, so a root of its own.
        s("orphan", Some("missing"), 100, 20),
        s("orphan-child", Some("orphan"), 105, 5),
    ]);
    assert_eq!(
        path(&t),
        p(&[
            ("r1", 0, 10),
            ("r1-child", 10, 20),
            ("r1", 20, 50),
            ("r2", 30, 70),
            ("orphan", 100, 105),
            ("orphan-child", 105, 110),
            ("orphan", 110, 120),
        ])
    );
}

/// On real and generated traces: each root's sections are disjoint, in order, and cover
/// the root exactly; every section lies inside its span.
#[test]
fn sections_tile_each_root_on_real_and_generated_traces() {
    let mut traces: Vec<Trace> = [
        "jaeger/genaiTestTrace.json",
        "jaeger/ui_01.json",
        "jaeger/traceWithOverlappingChildrenLongerThanParent.json",
        "zipkin/messaging-kafka.json",
        "zipkin/yelp.json",
        "zipkin/skew.json",
    ]
    .iter()
    .flat_map(|f| load_ref(f).traces)
    .collect();
    traces.extend(
        spanscope_core::generate::generate(&spanscope_core::generate::GenOptions {
            spans: 20_000,
            seed: 9,
            ..Default::default()
        })
        .traces,
    );
    for t in &traces {
        let sections = critical_path(t);
        let root_of = |mut i: u32| {
            while t.spans[i as usize].parent != spanscope_core::model::NO_SPAN {
                i = t.spans[i as usize].parent;
            }
            i
        };
        for &root in &t.roots {
            let r = &t.spans[root as usize];
            let mine: Vec<&Section> = sections.iter().filter(|s| root_of(s.span) == root).collect();
            let total: i64 = mine.iter().map(|s| s.duration_ns()).sum();
            assert_eq!(total, r.duration_ns, "root {} of {}", t.str(r.name), t.trace_id_string());
            for w in mine.windows(2) {
                assert_eq!(w[0].end_ns, w[1].start_ns, "contiguous");
            }
            if let (Some(first), Some(last)) = (mine.first(), mine.last()) {
                assert_eq!((first.start_ns, last.end_ns), (r.start_ns, r.end_ns()));
            }
        }
        for sec in &sections {
            let span = &t.spans[sec.span as usize];
            assert!(sec.start_ns >= span.start_ns && sec.end_ns <= span.end_ns());
        }
    }
}

#[test]
fn a_100k_deep_chain_needs_no_deep_stack() {
    let spans: Vec<S> = (0..100_000)
        .map(|i| {
            let name: &'static str = Box::leak(format!("n{i}").into_boxed_str());
            let parent: Option<&'static str> =
                (i > 0).then(|| &*Box::leak(format!("n{}", i - 1).into_boxed_str()));
            s(name, parent, i, 200_000 - 2 * i)
        })
        .collect();
    let t = build(&spans);
    // A small stack, like a browser's worker: the walk is iterative.
    let sections = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let a = TraceAnalysis::of(&t);
            (a.critical_path.len(), a.critical_path.iter().map(|s| s.duration_ns()).sum::<i64>())
        })
        .unwrap()
        .join()
        .unwrap();
    // Each span holds the path for 1 µs before and after its child; the last one throughout.
    assert_eq!(sections, (2 * 100_000 - 1, 200_000 * 1000));
}

fn mixed() -> Trace {
    let mut failed = s("db-2", Some("api"), 60, 30);
    failed.service = "db";
    failed.error = true;
    failed.tag = Some(("db.outcome", "timeout"));
    let mut db1 = s("db-1", Some("api"), 10, 40);
    db1.service = "db";
    // Concurrent with db-1: self time of "db" must not count this overlap twice.
    let mut db0 = s("db-0", Some("api"), 20, 40);
    db0.service = "db";
    let mut api = s("api", Some("root"), 5, 90);
    api.service = "api";
    let mut root = s("root", None, 0, 100);
    root.service = "edge";
    build(&[root, api, db1, db0, failed])
}

#[test]
fn statistics_by_service_with_self_time_never_over_the_trace() {
    let t = mixed();
    let a = TraceAnalysis::of(&t);
    let groups = statistics(&t, &a, &GroupBy::Service, None);
    let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(keys, ["api", "db", "edge"]);
    let db = &groups[1];
    assert_eq!((db.count(), db.errors), (3, 1));
    assert_eq!((db.total_ns, db.min_ns, db.max_ns), (110_000, 30_000, 40_000));
    assert_eq!((db.p50_ns, db.p95_ns, db.p99_ns), (40_000, 40_000, 40_000));
    // Leaves: self = duration; in wall-clock they cover 10–60 and 60–90.
    assert_eq!(db.self_total_ns, 110_000);
    assert_eq!(db.self_wall_ns, 80_000);
    assert_eq!(db.self_percent, 80.0);
    // api 5–95: its children cover 10–90, so 5 + 5 of its own.
    assert_eq!(groups[0].self_total_ns, 10_000);
    let edge = &groups[2];
    assert_eq!(edge.self_total_ns, 10_000);
    // The critical path: root 0–5, api 5–10, db-1 10–50, api 50–60, db-2 60–90, api
    // 90–95, root 95–100 (db-0 ends at 60, not before db-2 starts, so it is not on it).
    let path_total: i64 = groups.iter().map(|g| g.critical_ns).sum();
    assert_eq!(path_total, 100_000);
    assert_eq!(db.critical_ns, 70_000);
    assert!(groups.iter().all(|g| g.self_percent <= 100.0));
}

#[test]
fn statistics_by_operation_within_service_and_by_attribute() {
    let t = mixed();
    let a = TraceAnalysis::of(&t);
    let two = statistics(&t, &a, &GroupBy::Service, Some(&GroupBy::Operation));
    assert_eq!(two.len(), 5);
    assert_eq!((two[1].key.as_str(), two[1].sub.as_deref()), ("db", Some("db-0")));
    let by_tag = statistics(&t, &a, &GroupBy::Attribute("db.outcome".into()), None);
    let keys: Vec<(&str, usize, usize)> =
        by_tag.iter().map(|g| (g.key.as_str(), g.count(), g.errors)).collect();
    assert_eq!(keys, [("(no value)", 4, 0), ("timeout", 1, 1)]);
}

#[test]
fn statistics_of_a_reference_trace_add_up() {
    let set = load_ref("jaeger/genaiTestTrace.json");
    let t = only_trace(&set);
    let a = TraceAnalysis::of(t);
    let groups = statistics(t, &a, &GroupBy::ServiceOperation, None);
    assert_eq!(groups.iter().map(|g| g.count()).sum::<usize>(), t.spans.len());
    let self_total: i64 = groups.iter().map(|g| g.self_total_ns).sum();
    assert_eq!(self_total, a.self_ns.iter().sum::<i64>());
    assert_eq!(groups.iter().map(|g| g.critical_ns).sum::<i64>(), t.duration_ns());
    assert!(groups
        .iter()
        .all(|g| g.self_percent <= 100.0 && g.min_ns <= g.p50_ns && g.p99_ns <= g.max_ns));
}

#[test]
fn flame_frames_merge_the_same_call_path() {
    let op = |mut x: S, op: &'static str| {
        x.op = op;
        x
    };
    let t = build(&[
        s("root", None, 0, 100),
        op(s("q1", Some("root"), 10, 10), "query"),
        op(s("q2", Some("root"), 30, 20), "query"),
        s("render", Some("root"), 60, 30),
        op(s("q3", Some("render"), 70, 5), "query"),
    ]);
    let a = TraceAnalysis::of(&t);
    let flame = merged_flame(&t, &a);
    let name = |n: u32| t.str(flame.nodes[n as usize].name).to_string();
    assert_eq!(flame.roots.len(), 1);
    let root = flame.roots[0];
    let kids: Vec<String> = flame.children_of(root).iter().map(|&k| name(k)).collect();
    // query (10 + 20) and render (30): equal totals go by name.
    assert_eq!(kids, ["query", "render"]);
    let query = flame.children_of(root)[0];
    let q = &flame.nodes[query as usize];
    assert_eq!((q.count, q.total_ns, q.depth), (2, 30_000, 1));
    let r = &flame.nodes[root as usize];
    // Root self time: 100 - (10 + 20 + 30) = 40; everything's self time adds up to 100.
    assert_eq!((r.self_ns, r.inclusive_self_ns), (40_000, 100_000));
    for (k, n) in flame.nodes.iter().enumerate() {
        let kids = flame.children_of(k as u32);
        let sum: i64 = kids.iter().map(|&c| flame.nodes[c as usize].inclusive_self_ns).sum();
        assert_eq!(sum + n.self_ns, n.inclusive_self_ns);
    }
    // The query under render is its own frame, at depth 2.
    let render = flame.children_of(root)[1];
    let deep = flame.children_of(render);
    assert_eq!((deep.len(), flame.nodes[deep[0] as usize].depth), (1, 2));
}

#[test]
fn repeated_siblings_fold_into_groups() {
    let mut spans = vec![s("root", None, 0, 1000)];
    let names: Vec<&'static str> =
        (0..12).map(|i| &*Box::leak(format!("c{i:02}").into_boxed_str())).collect();
    for (i, id) in names.iter().enumerate() {
        // Six calls of one operation, then four of another, then two of a third.
        let mut c = s(id, Some("root"), 10 + 50 * i as i64, 10 + i as i64);
        c.op = if i < 6 {
            "GET /item"
        } else if i < 10 {
            "GET /price"
        } else {
            "GET /tax"
        };
        c.error = i == 2;
        spans.push(c);
    }
    let t = build(&spans);
    let groups = sibling_groups(&t, 5);
    assert_eq!(groups.len(), 1, "{groups:?}");
    let g = &groups[0];
    assert_eq!((g.count(), g.errors, g.min_ns, g.max_ns), (6, 1, 10_000, 15_000));
    assert_eq!((g.start_ns, g.end_ns), (10_000, 275_000));
    assert_eq!(sibling_groups(&t, 4).len(), 2);
    assert_eq!(t.str(g.name), "GET /item");
    assert_eq!(g.parent, t.roots[0]);
    assert_eq!(span_by_name(&t, "GET /tax").parent, g.parent);
}

#[test]
fn the_error_path_runs_from_the_root_to_each_error() {
    let t = mixed();
    let on = error_paths(&t);
    let marked: Vec<&str> =
        t.spans.iter().enumerate().filter(|(i, _)| on[*i]).map(|(_, s)| t.str(s.name)).collect();
    let mut marked = marked;
    marked.sort_unstable();
    assert_eq!(marked, ["api", "db-2", "root"]);
}

#[test]
fn pills_find_the_critical_path_high_latency_and_chosen_spans() {
    use spanscope_core::view::find::{find_with, Filter};
    let t = mixed();
    let a = TraceAnalysis::of(&t);
    let names = |found: Vec<u32>| -> Vec<String> {
        found.iter().map(|&i| t.str(t.spans[i as usize].name).to_string()).collect()
    };
    let critical = Filter { critical_only: true, ..Filter::default() };
    assert_eq!(names(find_with(&t, &critical, Some(&a))), ["root", "api", "db-1", "db-2"]);
    // Durations 100, 90, 40, 40, 30 µs: the 80th percentile is 90.
    assert_eq!(a.high_latency_ns, 90_000);
    let slow = Filter { high_latency: true, ..Filter::default() };
    assert_eq!(names(find_with(&t, &slow, Some(&a))), ["root", "api"]);
    // Without the analysis the pills match nothing rather than everything.
    assert!(find_with(&t, &slow, None).is_empty());
    let db0 = t.spans.iter().position(|s| t.str(s.name) == "db-0").unwrap() as u32;
    let chosen = Filter {
        only_spans: Some(("db-0".into(), std::sync::Arc::new(vec![db0]))),
        errors_only: false,
        ..Filter::default()
    };
    assert_eq!(names(find_with(&t, &chosen, Some(&a))), ["db-0"]);
    // Each span's own sections, and the extent a collapsed row draws.
    let api = t.spans.iter().position(|s| t.str(s.name) == "api").unwrap() as u32;
    let own: Vec<(i64, i64)> =
        a.sections_of(api).iter().map(|s| (s.start_ns / 1000, s.end_ns / 1000)).collect();
    assert_eq!(own, [(5, 10), (50, 60), (90, 95)]);
    assert_eq!(a.critical_extent[api as usize], (5_000, 95_000));
    assert!(!a.on_critical_path(db0));
}
