//! Waterfall rows and minimap level of detail on real traces.

mod common;

use common::*;
use spanscope_core::view::minimap;
use spanscope_core::view::rows::{Row, RowModel};

/// The bundled checkout sample: Web API 200 ms → auth 50 ms, products 90 ms → DB 40 ms,
/// payment 60 ms.
fn checkout() -> spanscope_core::TraceSet {
    load_sample("checkout.jaeger.json")
}

/// The rows' labels: a span's operation, or "× N operation" for a folded group.
fn names(t: &spanscope_core::Trace, rows: &RowModel) -> Vec<String> {
    rows.iter()
        .map(|row| match row {
            Row::Span(i) => t.str(t.spans[i as usize].name).to_string(),
            Row::Group(g) => {
                let g = rows.group(g).unwrap();
                format!("× {} {}", g.count(), t.str(g.name))
            }
        })
        .collect()
}

#[test]
fn checkout_rows_collapse_and_expand() {
    let set = checkout();
    let t = only_trace(&set);
    let mut rows = RowModel::new(t);
    assert_eq!(
        names(t, &rows),
        ["POST /checkout", "verify token", "GET /products", "SELECT products", "charge card"]
    );
    let products = span_by_name(t, "GET /products");
    let products_index = t.spans.iter().position(|s| std::ptr::eq(s, products)).unwrap() as u32;
    assert_eq!(rows.descendants(products_index), 1);
    rows.toggle(t, products_index);
    assert_eq!(names(t, &rows), ["POST /checkout", "verify token", "GET /products", "charge card"]);
    rows.expand_to_depth(t, 1);
    assert_eq!(rows.len(), 1);
    rows.expand_all(t);
    assert_eq!(rows.len(), 5);
    let root = t.roots[0];
    rows.set_subtree(t, root, true);
    assert_eq!(rows.len(), 1);
    rows.set_subtree(t, root, false);
    assert_eq!(rows.len(), 5);
    // Collapsing a leaf changes nothing.
    let leaf = t.spans.iter().position(|s| t.str(s.name) == "verify token").unwrap() as u32;
    rows.toggle(t, leaf);
    assert!(!rows.is_collapsed(leaf));
    // Revealing a hidden span expands its ancestors.
    let select = t.spans.iter().position(|s| t.str(s.name) == "SELECT products").unwrap() as u32;
    rows.expand_to_depth(t, 1);
    rows.reveal(t, select);
    assert_eq!(rows.row_of(select), Some(3));
}

#[test]
fn subtree_ends_follow_depth_on_a_real_trace() {
    let set = load_ref("jaeger/genaiTestTrace.json");
    let t = only_trace(&set);
    let rows = RowModel::new(t);
    assert_eq!(rows.len(), 57);
    // The root's subtree is everything else.
    assert_eq!(rows.descendants(t.roots[0]), 56);
    for &i in t.preorder.iter() {
        let expected: u32 = count_descendants(t, i);
        assert_eq!(rows.descendants(i), expected);
    }
}

fn count_descendants(t: &spanscope_core::Trace, span: u32) -> u32 {
    let mut stack = vec![span];
    let mut n = 0;
    while let Some(s) = stack.pop() {
        for &c in t.span_children(&t.spans[s as usize]) {
            n += 1;
            stack.push(c);
        }
    }
    n
}

#[test]
fn minimap_cells_cover_the_checkout_timeline() {
    let set = checkout();
    let t = only_trace(&set);
    // 5 rows in 5 bands, 200 ms over 20 columns: 10 ms per column.
    let m = minimap::cells(t, 5, 20);
    let row = |band: usize| (0..20).map(|c| m.get(band, c)).collect::<Vec<_>>();
    assert_eq!(row(0), vec![1; 20], "POST /checkout spans 0–200 ms");
    let auth = row(1); // verify token: 5–55 ms → columns 0..6
    assert_eq!(auth.iter().position(|&c| c == 1), Some(0));
    assert_eq!(auth.iter().rposition(|&c| c == 1), Some(5));
    let db = row(3); // SELECT products: 80–120 ms → columns 8..12
    assert_eq!(db.iter().position(|&c| c == 1), Some(8));
    assert_eq!(db.iter().rposition(|&c| c == 1), Some(11));
    assert_eq!(m.runs().len(), 5, "one run per band");
}

#[test]
fn minimap_marks_errors_and_stays_bounded_on_big_traces() {
    let set = generated(50_000, 1);
    let t = &set.traces[0];
    let m = minimap::cells(t, 60, 400);
    assert_eq!(m.cells.len(), 60 * 400);
    assert!(m.cells.contains(&2), "error spans are marked");
    assert!(m.runs().len() <= 60 * 400);
}

#[test]
fn self_time_subtracts_children_once() {
    use spanscope_core::analysis::self_time_ns;
    let set = checkout();
    let t = only_trace(&set);
    // POST /checkout 0–200 ms; children 5–55, 60–150, 135–195 ms cover 5–195 minus 55–60.
    assert_eq!(self_time_ns(t, span_by_name(t, "POST /checkout")), 15_000_000);
    // GET /products 60–150 ms with SELECT products 80–120 ms.
    assert_eq!(self_time_ns(t, span_by_name(t, "GET /products")), 50_000_000);
    // Children overflowing their parent are clipped (Jaeger UI's own test trace).
    let set = load_ref("jaeger/traceWithOverlappingChildrenLongerThanParent.json");
    let t = only_trace(&set);
    let root = &t.spans[t.roots[0] as usize];
    assert!(self_time_ns(t, root) <= root.duration_ns);
}

#[test]
fn find_matches_names_attributes_events_and_filters() {
    use spanscope_core::view::find::{find, Filter};
    let set = load_ref("jaeger/ui_01.json");
    let t = only_trace(&set);
    let names_of = |filter: &Filter| {
        find(t, filter)
            .iter()
            .map(|&i| t.str(t.spans[i as usize].name).to_string())
            .collect::<Vec<_>>()
    };
    let q = |s: &str| Filter { query: s.into(), ..Default::default() };
    assert!(find(t, &Filter::default()).is_empty(), "no query, no matches");
    assert_eq!(names_of(&q("REFERENCE")), ["reference-test"]);
    // Service names match: every span of service-y.
    assert_eq!(
        find(t, &q("service-y")).len(),
        4,
        "three spans run in service-y, one tags peer.service=service-y"
    );
    // key=value on attributes, and a plain value.
    assert_eq!(names_of(&q("temperature=72")), ["some-operation"]);
    assert_eq!(names_of(&q("peer.ipv4=23456")), ["some-operation"]);
    assert!(find(t, &q("temperature=99")).is_empty());
    // Event names and fields.
    assert_eq!(names_of(&q("some-event")), ["test-general-conversion"]);
    // Span id.
    assert_eq!(names_of(&q("0000000000000005")), ["preserveParentID-test"]);
    // Quick filters.
    let errors = Filter { errors_only: true, ..Default::default() };
    assert_eq!(names_of(&errors), ["some-operation"]);
    let svc = Filter { services: vec!["service-x".into()], ..Default::default() };
    assert_eq!(find(t, &svc).len(), 2);
    let long = Filter { min_duration_ns: 5_000, ..Default::default() };
    assert_eq!(find(t, &long).len(), 4, "four spans last 5 µs, one 4 µs");
}

#[test]
fn show_only_matches_keeps_their_ancestors() {
    use spanscope_core::view::find::{find, Filter};
    let set = checkout();
    let t = only_trace(&set);
    let mut rows = RowModel::new(t);
    let matches = find(t, &Filter { query: "db.system=postgres".into(), ..Default::default() });
    assert_eq!(matches.len(), 1);
    rows.show_only(t, Some(&matches));
    assert_eq!(names(t, &rows), ["POST /checkout", "GET /products", "SELECT products"]);
    rows.show_only(t, None);
    assert_eq!(rows.len(), 5);
}

#[test]
fn clock_skew_adjustment_moves_the_server_into_its_client() {
    use spanscope_core::view::skew::adjust;
    // Zipkin's skew.json: serviceb's shared server "post" (93,577 µs, starts at ...008761)
    // starts 65.4 ms before its servicea client (94,539 µs, starts at ...074202).
    let set = load_ref("zipkin/skew.json");
    let t = only_trace(&set);
    let a = adjust(t);
    let idx = |pred: &dyn Fn(&spanscope_core::model::Span) -> bool| {
        t.spans.iter().position(pred).unwrap()
    };
    let client = idx(&|s| s.kind == spanscope_core::SpanKind::Client);
    let server = idx(&|s| s.flags.has(spanscope_core::model::SpanFlags::SHARED));
    let asynchronous = idx(&|s| t.str(s.name) == "async");
    assert_eq!(a.shifted, 1);
    // Centred: client start + (94,539 − 93,577) / 2 µs = +481 µs.
    assert_eq!(a.start_ns[server], t.spans[client].start_ns + 481_000);
    // Its child moves by the same amount.
    let moved = a.start_ns[server] - t.spans[server].start_ns;
    assert_eq!(a.start_ns[asynchronous] - t.spans[asynchronous].start_ns, moved);
    // Spans of the same service as their parent keep their times.
    assert_eq!(a.start_ns[client], t.spans[client].start_ns);
    assert!(a.trace_start_ns >= t.stats.start_ns);
}

/// Focus on GET /products: a two-span trace whose root is it, whose rows, statistics and
/// critical path are the subtree's alone, with every attribute kept.
#[test]
fn focus_re_roots_the_trace_on_a_subtree() {
    use spanscope_core::view::focus::{path_to, subtree};
    let set = checkout();
    let t = only_trace(&set);
    let products = t.spans.iter().position(|s| t.str(s.name) == "GET /products").unwrap() as u32;
    let f = subtree(t, products).unwrap();
    let ft = &f.trace;
    assert_eq!(names(ft, &RowModel::new(ft)), ["GET /products", "SELECT products"]);
    assert_eq!(f.origin[0], products);
    assert_eq!((ft.roots.as_slice(), ft.spans[0].depth, ft.spans[1].depth), (&[0][..], 1, 2));
    assert_eq!(ft.spans[1].parent, 0);
    assert_eq!(ft.duration_ns(), 90_000_000, "the focused span is the whole time range");
    for (i, &o) in f.origin.iter().enumerate() {
        let (a, b) = (&ft.spans[i], &t.spans[o as usize]);
        let texts = |tr: &spanscope_core::Trace, s| {
            tr.span_attrs(s).iter().map(|a| tr.value_text(&a.value)).collect::<Vec<_>>()
        };
        assert_eq!(texts(ft, a), texts(t, b));
        assert!(!texts(ft, a).is_empty());
        assert_eq!(ft.resource_attrs(a.resource), t.resource_attrs(b.resource));
    }
    let analysis = spanscope_core::analysis::TraceAnalysis::of(ft);
    let on_path: i64 = analysis.critical_path.iter().map(|s| s.duration_ns()).sum();
    assert_eq!(on_path, 90_000_000);
    assert_eq!(
        path_to(t, f.origin[1])
            .iter()
            .map(|&i| t.str(t.spans[i as usize].name))
            .collect::<Vec<_>>(),
        ["POST /checkout", "GET /products", "SELECT products"]
    );
    assert!(subtree(t, 99).is_none());
}

/// Focus in the middle of a generated 50,000-span trace: parents map back, depths restart at 1.
#[test]
fn focus_on_a_deep_chain() {
    let set = generated(50_000, 3);
    let t = &set.traces[0];
    let mid = t.preorder[t.preorder.len() / 2];
    let f = spanscope_core::view::focus::subtree(t, mid).unwrap();
    assert_eq!(f.trace.spans.len() as u32, RowModel::new(t).descendants(mid) + 1);
    let deepest = f.trace.spans.iter().map(|s| s.depth).max().unwrap();
    assert_eq!(deepest, f.trace.stats.max_depth);
    assert_eq!(
        deepest + t.spans[mid as usize].depth - 1,
        f.origin.iter().map(|&o| t.spans[o as usize].depth).max().unwrap()
    );
    for (i, s) in f.trace.spans.iter().enumerate().skip(1) {
        assert_eq!(f.origin[s.parent as usize], t.spans[f.origin[i] as usize].parent);
    }
}

/// The bundled N+1 sample: order-service runs 12 `select order_items` and 6
/// `get /api/prices/{sku}` calls (each with a pricing server span below it) in a row.
fn orders() -> spanscope_core::TraceSet {
    load_sample("orders-n-plus-one.zipkin.json")
}

#[test]
fn sibling_groups_fold_repeated_calls_into_one_row() {
    let set = orders();
    let t = only_trace(&set);
    let mut rows = RowModel::for_trace(t);
    assert!(!rows.grouping(), "small traces open with every span on its own row");
    assert_eq!(rows.len(), 29);
    rows.set_grouping(t, true);
    assert_eq!(
        names(t, &rows),
        [
            "get /orders/history",
            "get /api/orders",
            "get /api/orders",
            "select orders",
            "× 12 select order_items",
            "× 6 get /api/prices/{sku}",
            "render orders.html"
        ]
    );
    let Some(Row::Group(items)) = rows.get(4) else { panic!("row 4 is a group") };
    let g = *rows.group(items).unwrap();
    // 5+4+6+5+5+9+5+4+5+5+4+6 = 63 ms over 12 calls, 1 ms apart, from +11 ms; one timed out.
    assert_eq!((g.min_ns, g.max_ns, g.avg_ns, g.errors), (4_000_000, 9_000_000, 5_250_000, 1));
    assert_eq!(
        (g.start_ns - t.stats.start_ns, g.end_ns - t.stats.start_ns),
        (11_000_000, 85_000_000)
    );
    let members = rows.group_members(t, items);
    assert_eq!(members.len(), 12);
    // The timed-out call puts the folded row on an error path; the prices row has none.
    let analysis = spanscope_core::analysis::TraceAnalysis::of(t);
    assert_eq!(rows.positions(4).len(), 12);
    assert!(analysis.error_path_within(rows.positions(4)));
    assert!(!analysis.error_path_within(rows.positions(5)));
    // A folded group's members and their subtrees are shown by its row.
    let prices = rows.get(5).unwrap();
    let Row::Group(prices) = prices else { panic!("row 5 is a group") };
    let server = t.span_children(&t.spans[rows.group_members(t, prices)[2] as usize])[0];
    assert_eq!((rows.row_of(members[3]), rows.row_showing(members[3])), (None, Some(4)));
    assert_eq!(rows.row_showing(server), Some(5));
    assert_eq!(rows.row_showing(t.roots[0]), Some(0));
    // Opening a group shows its members after its row; closing folds them again.
    rows.toggle_group(t, items);
    assert_eq!(rows.len(), 7 + 12);
    assert_eq!(rows.row_of(members[0]), Some(5));
    assert_eq!(rows.row_showing(members[11]), Some(16));
    rows.toggle_group(t, items);
    assert_eq!(rows.len(), 7);
    // Revealing a span opens the groups that hold it (here the prices group, for a server).
    rows.reveal(t, server);
    assert_eq!(rows.len(), 7 + 12);
    assert_eq!(rows.row_of(server), Some(5 + 1 + 2 * 2 + 1));
    // Only-matches rows ignore groups; turning grouping off shows every span again.
    rows.show_only(t, Some(&[members[0]]));
    assert_eq!(
        names(t, &rows),
        ["get /orders/history", "get /api/orders", "get /api/orders", "select order_items"]
    );
    assert_eq!(rows.row_showing(members[1]), None);
    rows.show_only(t, None);
    rows.set_grouping(t, false);
    assert_eq!(rows.len(), 29);
}

/// Generated traces over 10,000 spans open grouped, and every span stays reachable: each is
/// shown by exactly the row `row_showing` names.
#[test]
fn big_traces_open_grouped_and_every_span_has_a_row() {
    let set = generated(20_000, 11);
    let t = &set.traces[0];
    let mut rows = RowModel::for_trace(t);
    assert!(rows.grouping());
    let groups = rows.iter().filter(|r| matches!(r, Row::Group(_))).count();
    assert!(groups > 50, "the generator repeats calls: {groups} groups");
    rows.expand_to_depth(t, 6);
    // Walk the rows in order: each span's covering row is the last row starting before it.
    let covered: Vec<Option<usize>> = t.preorder.iter().map(|&s| rows.row_showing(s)).collect();
    assert!(covered.iter().all(|r| r.is_some()));
    assert!(covered.windows(2).all(|w| w[0] <= w[1]), "rows follow pre-order");
    for (row, r) in rows.iter().enumerate() {
        if let Row::Span(s) = r {
            assert_eq!(rows.row_of(s), Some(row));
        }
    }
}

/// A collapsed row still says that a span below it has links (ui_01's references).
#[test]
fn collapsed_rows_know_the_links_they_hide() {
    let set = load_ref("jaeger/ui_01.json");
    let t = only_trace(&set);
    let analysis = spanscope_core::analysis::TraceAnalysis::of(t);
    let mut rows = RowModel::new(t);
    let linked: Vec<u32> =
        (0..t.spans.len() as u32).filter(|&i| analysis.has_link[i as usize]).collect();
    assert!(!linked.is_empty());
    let quiet = (0..t.spans.len() as u32)
        .find(|&i| !analysis.has_link[i as usize] && rows.descendants(i) == 0)
        .unwrap();
    assert!(!analysis.links_within(rows.positions(rows.row_of(quiet).unwrap())));
    rows.expand_to_depth(t, 1);
    assert_eq!(rows.len(), t.roots.len());
    let hiding = (0..rows.len()).filter(|&r| analysis.links_within(rows.positions(r))).count();
    assert!(hiding >= 1, "a root's collapsed subtree holds the linked spans");
    for &s in &linked {
        let row = rows.row_showing(s).unwrap();
        assert!(analysis.links_within(rows.positions(row)));
    }
}
