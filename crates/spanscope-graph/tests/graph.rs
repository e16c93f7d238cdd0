//! Service graphs from real traces (edges and counts checked by hand), and the layout's
//! guarantees.

#[path = "../../spanscope-core/tests/common/mod.rs"]
mod common;

use common::*;
use spanscope_graph::export::{to_dot, to_mermaid};
use spanscope_graph::layout::{crossings, layered, radial, Layout, ROW_GAP};
use spanscope_graph::{EdgeKind, ServiceGraph};

fn checkout() -> spanscope_core::TraceSet {
    load_sample("checkout.jaeger.json")
}

#[test]
fn checkout_graph_has_the_calls_and_an_inferred_database() {
    let set = checkout();
    let g = ServiceGraph::from_traces(&set.traces);
    let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["auth-service", "payment-gateway", "postgresql: products", "product-service", "web-api"]
    );
    let db = &g.nodes[g.node("postgresql: products").unwrap()];
    assert!(db.inferred, "known only from the DB client span");
    assert!(!g.nodes[g.node("web-api").unwrap()].inferred);
    let calls = |a: &str, b: &str| g.edge(a, b).map(|e| (e.calls, e.kind, e.latency.max));
    assert_eq!(calls("web-api", "auth-service"), Some((1, EdgeKind::Call, 50_000_000)));
    assert_eq!(calls("web-api", "product-service"), Some((1, EdgeKind::Call, 90_000_000)));
    assert_eq!(calls("web-api", "payment-gateway"), Some((1, EdgeKind::Call, 60_000_000)));
    assert_eq!(
        calls("product-service", "postgresql: products"),
        Some((1, EdgeKind::Call, 40_000_000))
    );
    assert_eq!(g.edges.len(), 4);
}

#[test]
fn checkout_operation_graph_with_self_time() {
    let set = checkout();
    let g = ServiceGraph::operations_of(&set.traces);
    let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "auth-service · verify token",
            "payment-gateway · charge card",
            "postgresql: products",
            "product-service · GET /products",
            "product-service · SELECT products",
            "web-api · POST /checkout"
        ]
    );
    let node = |name: &str| &g.nodes[g.node(name).unwrap()];
    // 200 ms minus its children's union [5, 55] ∪ [60, 195] ms.
    assert_eq!(node("web-api · POST /checkout").self_ns, 15_000_000);
    assert_eq!(node("product-service · GET /products").self_ns, 50_000_000);
    assert_eq!(node("product-service · SELECT products").service, "product-service");
    assert!(node("postgresql: products").inferred);
    let edge = |a: &str, b: &str| g.edge(a, b).map(|e| (e.calls, e.latency.max));
    assert_eq!(
        edge("web-api · POST /checkout", "product-service · GET /products"),
        Some((1, 90_000_000))
    );
    assert_eq!(
        edge("product-service · GET /products", "product-service · SELECT products"),
        Some((1, 40_000_000))
    );
    assert_eq!(
        edge("product-service · SELECT products", "postgresql: products"),
        Some((1, 40_000_000))
    );
    assert_eq!(g.edges.len(), 5);
    // The service graph sums self time per service.
    let services = ServiceGraph::from_traces(&set.traces);
    assert_eq!(services.nodes[services.node("product-service").unwrap()].self_ns, 90_000_000);
    assert_eq!(services.nodes[services.node("web-api").unwrap()].service, "web-api");
}

/// No two node boxes (170 × 34 on screen) overlap.
fn assert_no_overlaps(l: &Layout) {
    for i in 0..l.positions.len() {
        for j in i + 1..l.positions.len() {
            let (a, b) = (l.positions[i], l.positions[j]);
            assert!(
                (a.0 - b.0).abs() >= 170.0 || (a.1 - b.1).abs() >= 34.0,
                "{i} {a:?} and {j} {b:?} overlap"
            );
        }
    }
}

#[test]
fn radial_layout_for_dense_graphs() {
    // A hub with 12 callees, two of which call on; and a separate pair.
    let mut edges: Vec<(usize, usize)> = (1..=12).map(|i| (0, i)).collect();
    edges.extend([(1, 13), (2, 14), (15, 16)]);
    let l = radial(17, &edges);
    assert_no_overlaps(&l);
    assert_eq!(radial(17, &edges), l, "deterministic");
    // Two parts: their centres (the hub, and node 15) on ring 0; the hub's callees on ring 1.
    assert_eq!((l.layer[0], l.layer[15], l.layer[5], l.layer[13], l.layer[16]), (0, 0, 1, 2, 1));
    // A node sits nearer its parent than the ring's opposite side.
    let dist = |a: usize, b: usize| {
        ((l.positions[a].0 - l.positions[b].0).powi(2)
            + (l.positions[a].1 - l.positions[b].1).powi(2))
        .sqrt()
    };
    let far = (1..=12).map(|i| dist(13, i)).fold(0.0, f64::max);
    assert!(dist(13, 1) < far);
    // Jaeger UI's large.json: 1,238 services, no overlaps.
    let links = spanscope_graph::model::read_dependency_links(
        &std::fs::read(refdata("jaeger/large.json")).unwrap(),
    )
    .unwrap();
    let g = ServiceGraph::from_links(&links);
    let e: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    let started = std::time::Instant::now();
    let big = radial(g.nodes.len(), &e);
    eprintln!("large.json radial layout in {:?}", started.elapsed());
    assert_no_overlaps(&big);
    assert!(radial(0, &[]).positions.is_empty());
    assert_eq!(radial(1, &[]).positions, [(0.0, 0.0)]);
}

#[test]
fn graph_of_a_zipkin_trace_with_messaging_and_errors() {
    // messaging-kafka.json: servicea produces to Kafka, serviceb consumes (3 PRODUCER →
    // CONSUMER pairs), and 3 error spans.
    let set = load_ref("zipkin/messaging-kafka.json");
    let g = ServiceGraph::from_traces(&set.traces);
    let e = g.edge("servicea", "serviceb").expect("servicea → serviceb");
    assert_eq!((e.calls, e.kind), (3, EdgeKind::Messaging));
    assert_eq!(g.nodes.iter().map(|n| n.errors).sum::<usize>(), 3);
    // The genai trace: the same edges as `inspect` reports, aggregated.
    let set = load_ref("jaeger/genaiTestTrace.json");
    let g = ServiceGraph::from_traces(&set.traces);
    assert_eq!(g.edge("mcp-gateway", "auth-service").map(|e| e.calls), Some(7));
    assert_eq!(g.edge("coding-agent", "mcp-gateway").map(|e| e.calls), Some(7));
    // trace-store → k8s-api: 1 of 3 calls failed, so the edge is drawn in the middle red.
    let e = g.edge("trace-store", "k8s-api").unwrap();
    assert_eq!((e.calls, e.errors, e.error_level()), (3, 1, 2));
    assert_eq!(g.edges.iter().filter(|e| e.error_level() > 0).count(), 1);
    let level = |calls, errors| spanscope_graph::Edge { calls, errors, ..e.clone() }.error_level();
    assert_eq!(
        [
            level(100, 0),
            level(100, 1),
            level(100, 10),
            level(100, 11),
            level(100, 50),
            level(100, 51),
            level(1, 1)
        ],
        [0, 1, 1, 2, 2, 3, 3]
    );
}

#[test]
fn layout_has_no_overlaps_and_acyclic_edges_point_right() {
    let set = load_ref("jaeger/genaiTestTrace.json");
    let g = ServiceGraph::from_traces(&set.traces);
    let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    let l = layered(g.nodes.len(), &edges);
    for i in 0..g.nodes.len() {
        for j in i + 1..g.nodes.len() {
            let (a, b) = (l.positions[i], l.positions[j]);
            assert!(
                (a.0 - b.0).abs() >= 1.0 || (a.1 - b.1).abs() >= ROW_GAP - 1e-9,
                "{i} and {j} overlap"
            );
        }
    }
    for &(a, b) in &edges {
        assert!(l.positions[a].0 < l.positions[b].0, "edge {a}→{b} points backwards");
    }
    assert_eq!(layered(g.nodes.len(), &edges), l, "deterministic");
}

#[test]
fn layered_layout_keeps_crossings_few() {
    // Two callers whose callees come in the opposite order: the layout uncrosses them.
    let l = layered(4, &[(0, 3), (1, 2)]);
    assert_eq!(crossings(&l, &[(0, 3), (1, 2)]), 0);
    // The same layers in node-index order, for comparison.
    let naive = |l: &Layout| {
        let mut seen = vec![0usize; l.layer.len()];
        let positions = l.layer.iter().map(|&layer| {
            seen[layer] += 1;
            (layer as f64, seen[layer] as f64)
        });
        Layout { positions: positions.collect(), ..l.clone() }
    };
    assert_eq!(crossings(&naive(&l), &[(0, 3), (1, 2)]), 1);
    // Real graphs: the genai trace, and Jaeger UI's large.json.
    let set = load_ref("jaeger/genaiTestTrace.json");
    let g = ServiceGraph::from_traces(&set.traces);
    let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(crossings(&layered(g.nodes.len(), &edges), &edges), 0);
    let links = spanscope_graph::model::read_dependency_links(
        &std::fs::read(refdata("jaeger/large.json")).unwrap(),
    )
    .unwrap();
    let g = ServiceGraph::from_links(&links);
    let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    let l = layered(g.nodes.len(), &edges);
    let (ours, by_index) = (crossings(&l, &edges), crossings(&naive(&l), &edges));
    eprintln!("large.json crossings between adjacent layers: {ours} (node order: {by_index})");
    assert!(ours * 2 < by_index, "{ours} crossings, {by_index} in node order");
}

/// No waypoint of a routed edge lies on a node box (170 × 34).
fn assert_routes_clear_of_boxes(l: &Layout) {
    for (e, route) in l.routes.iter().enumerate() {
        for &(x, y) in route {
            for (v, &(nx, ny)) in l.positions.iter().enumerate() {
                assert!(
                    (x - nx).abs() >= 85.0 || (y - ny).abs() >= 17.0,
                    "edge {e} passes through node {v}"
                );
            }
        }
    }
}

#[test]
fn edges_that_skip_layers_are_routed_around_nodes() {
    // a → b → c → d and a → d: the long edge gets a waypoint in b's and c's layers.
    let edges = [(0, 1), (1, 2), (2, 3), (0, 3), (3, 0)];
    let l = layered(4, &edges);
    assert_eq!(l.routes.len(), edges.len());
    let xs: Vec<f64> = l.routes[3].iter().map(|p| p.0).collect();
    assert_eq!(
        xs,
        [l.positions[1].0, l.positions[2].0],
        "one waypoint per skipped layer, in order"
    );
    // The back edge d → a walks the same kind of path the other way.
    let back: Vec<f64> = l.routes[4].iter().map(|p| p.0).collect();
    assert_eq!(back, [l.positions[2].0, l.positions[1].0]);
    assert!(l.routes[..3].iter().all(Vec::is_empty));
    assert_routes_clear_of_boxes(&l);
    // large.json: long edges are routed within the budget, none through a box.
    let links = spanscope_graph::model::read_dependency_links(
        &std::fs::read(refdata("jaeger/large.json")).unwrap(),
    )
    .unwrap();
    let g = ServiceGraph::from_links(&links);
    let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    let l = layered(g.nodes.len(), &edges);
    // (An edge and its reverse share their waypoints.)
    let waypoints: std::collections::HashSet<(u64, u64)> =
        l.routes.iter().flatten().map(|p| (p.0.to_bits(), p.1.to_bits())).collect();
    assert!(
        !waypoints.is_empty() && waypoints.len() <= 2 * g.nodes.len(),
        "{} waypoints",
        waypoints.len()
    );
    assert_routes_clear_of_boxes(&l);
}

#[test]
fn cycles_are_laid_out_too() {
    // a → b → c → a, plus c → d.
    let l = layered(4, &[(0, 1), (1, 2), (2, 0), (2, 3)]);
    let mut layers = l.layer.clone();
    layers.sort();
    assert_eq!(layers, [0, 1, 2, 3]);
}

#[test]
fn jaeger_dependency_links_4271() {
    let bytes = std::fs::read(refdata("jaeger/large.json")).unwrap();
    let links = spanscope_graph::model::read_dependency_links(&bytes).unwrap();
    assert_eq!(links.len(), 4271);
    // The first link of the file, checked by hand.
    assert_eq!(
        (links[0].parent.as_str(), links[0].child.as_str(), links[0].calls),
        ("Service574", "Service1529", 54)
    );
    assert!(spanscope_graph::model::read_dependency_links(b"[{\"spans\": 1}]").is_err());
    let g = ServiceGraph::from_links(&links);
    let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    let started = std::time::Instant::now();
    let l = layered(g.nodes.len(), &edges);
    eprintln!(
        "large.json: {} nodes, {} edges, layout in {:?}, {} layers, {} waypoints, height {}",
        g.nodes.len(),
        g.edges.len(),
        started.elapsed(),
        l.layer.iter().max().unwrap() + 1,
        l.routes.iter().map(Vec::len).sum::<usize>(),
        l.height
    );
    assert_eq!(l.positions.len(), g.nodes.len());
    // Distinct services and (parent, child) pairs, counted in the file.
    assert_eq!((g.nodes.len(), g.edges.len()), (1238, 4271));
    // The busy core: links of at least 1,000 and 10,000 calls, and the services they join
    // (counted in the file).
    let core = |min| {
        let b = g.busiest(min);
        (b.nodes.len(), b.edges.len())
    };
    assert_eq!([core(1), core(1000), core(10_000)], [(1238, 4271), (271, 363), (66, 52)]);
    assert!(g.busiest(10_000).edges.iter().all(|e| e.calls >= 10_000));
}

#[test]
fn dot_and_mermaid_export() {
    let set = checkout();
    let g = ServiceGraph::from_traces(&set.traces);
    let dot = to_dot(&g);
    assert!(dot.starts_with("digraph services {"));
    assert!(dot.contains("n2 [label=\"postgresql: products\", style=\"rounded,dashed\"];"));
    assert!(dot.contains("n3 -> n2 [label=\"1\"];"));
    let mermaid = to_mermaid(&g);
    assert!(mermaid.contains("n2([\"postgresql: products\"])"));
    assert!(mermaid.contains("n4 -->|1| n0"));
}

#[test]
fn focus_with_hops_and_name_filter() {
    // genaiTestTrace: api-edge → graphql-gateway → coding-agent → {mcp-gateway, vector-store};
    // mcp-gateway → {auth-service, metrics-backend, summarizer-agent, trace-store};
    // trace-store → k8s-api (edges from `inspect`, checked against the file).
    let set = load_ref("jaeger/genaiTestTrace.json");
    let g = ServiceGraph::from_traces(&set.traces);
    let names =
        |keep: &[bool]| g.subgraph(keep).nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
    let coding = g.node("coding-agent").unwrap();
    assert_eq!(
        names(&g.neighbourhood(coding, 1, 1)),
        ["coding-agent", "graphql-gateway", "mcp-gateway", "vector-store"]
    );
    assert_eq!(
        names(&g.neighbourhood(coding, 0, 2)),
        [
            "auth-service",
            "coding-agent",
            "mcp-gateway",
            "metrics-backend",
            "summarizer-agent",
            "trace-store",
            "vector-store"
        ]
    );
    assert_eq!(
        names(&g.neighbourhood(coding, 2, 0)),
        ["api-edge", "coding-agent", "graphql-gateway"]
    );
    let sub = g.subgraph(&g.neighbourhood(coding, 1, 1));
    assert_eq!(
        sub.edges.len(),
        3,
        "graphql-gateway→coding-agent, coding-agent→mcp-gateway, coding-agent→vector-store"
    );
    assert_eq!(names(&g.matching("K8S")), ["k8s-api", "trace-store"]);
    assert_eq!(g.subgraph(&g.matching("")).nodes.len(), g.nodes.len());
}
