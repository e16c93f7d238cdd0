//! Services as nodes and calls as directed edges, with call, error and latency statistics.
//!
//! An edge is a child span in another service than its parent (a call; producer→consumer is a
//! messaging edge), or a span link between services. A client or producer span whose callee
//! is not instrumented adds an *inferred* node named by what the span says about its peer
//! (`peer.service` — Zipkin's remote endpoint reads as that —, `db.system`/`db.name`,
//! `server.address`, `net.peer.name`).

use rustc_hash::FxHashMap;
pub use spanscope_core::analysis::Latency;

pub use spanscope_core::links::{read_dependency_links, DependencyLink};
use spanscope_core::model::{LinkKind, Span, SpanKind, Trace, NO_SPAN};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Call,
    Messaging,
    Link,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    /// The service the node belongs to (its colour): the node itself in a service graph,
    /// the operation's service in an operation graph.
    pub service: String,
    /// Not instrumented: known only from what its callers' spans say.
    pub inferred: bool,
    pub spans: usize,
    pub errors: usize,
    pub latency: Latency,
    /// Time in the node's spans not covered by their children, summed.
    pub self_ns: i64,
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Services,
    /// (service, operation) pairs: a trace's call structure in more detail.
    Operations,
}

/// Per node while building: inferred, durations, errors, self time, service.
type NodeAcc = (bool, Vec<i64>, usize, i64, String);
/// An edge's ends and kind, and its calls' durations and error count while counting.
type EdgeAcc = ((String, String, EdgeKind), (Vec<i64>, usize));

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub calls: usize,
    pub errors: usize,
    /// Latency of the callee spans (of the calling span for inferred callees).
    pub latency: Latency,
}

impl Edge {
    /// How bad the edge's error rate is, for its colour: 0 none, 1 up to 10 %, 2 up to
    /// 50 %, 3 above. Any error at all shows, however many calls succeed.
    pub fn error_level(&self) -> u8 {
        match (self.errors, self.calls) {
            (0, _) => 0,
            (e, c) if e * 10 <= c => 1,
            (e, c) if e * 2 <= c => 2,
            _ => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceGraph {
    /// Sorted by name, so the same traces always give the same graph.
    pub nodes: Vec<Node>,
    /// Sorted by (from, to, kind).
    pub edges: Vec<Edge>,
}

impl ServiceGraph {
    pub fn node(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    pub fn edge(&self, from: &str, to: &str) -> Option<&Edge> {
        let (f, t) = (self.node(from)?, self.node(to)?);
        self.edges.iter().find(|e| e.from == f && e.to == t)
    }

    /// Aggregates every span of `traces` into a service graph.
    pub fn from_traces<'a>(traces: impl IntoIterator<Item = &'a Trace>) -> ServiceGraph {
        ServiceGraph::build(&traces.into_iter().collect::<Vec<_>>(), Granularity::Services)
    }

    /// The operation graph: nodes are (service, operation), edges every parent→child pair
    /// between different operations.
    pub fn operations_of<'a>(traces: impl IntoIterator<Item = &'a Trace>) -> ServiceGraph {
        ServiceGraph::build(&traces.into_iter().collect::<Vec<_>>(), Granularity::Operations)
    }

    /// Not generic, so the app carries one copy however many callers it has.
    pub fn build(traces: &[&Trace], granularity: Granularity) -> ServiceGraph {
        // Hashed while counting, sorted once at the end (nodes by name, edges by their ends):
        // a lookup per span, and no B-tree code of their own in the app.
        let mut nodes: FxHashMap<String, NodeAcc> = FxHashMap::default();
        let mut edges: FxHashMap<(String, String, EdgeKind), (Vec<i64>, usize)> =
            FxHashMap::default();
        for &t in traces {
            let key = |s: &Span| match granularity {
                Granularity::Services => t.str(s.service).to_string(),
                Granularity::Operations => operation_key(t.str(s.service), t.str(s.name)),
            };
            let mut has_remote_child = vec![false; t.spans.len()];
            // Link targets by id, built only when some span has links (a scan per link was
            // quadratic on big traces).
            let index = t.spans.iter().any(|s| s.links.len > 0).then(|| t.span_index());
            for s in &t.spans {
                if s.parent != NO_SPAN && t.spans[s.parent as usize].service != s.service {
                    has_remote_child[s.parent as usize] = true;
                }
            }
            for (i, s) in t.spans.iter().enumerate() {
                let service = t.str(s.service).to_string();
                let name = key(s);
                let node = nodes
                    .entry(name.clone())
                    .or_insert_with(|| (false, Vec::new(), 0, 0, service.clone()));
                // A name seen as a real service is not inferred, even if a client named it first.
                node.0 = false;
                node.1.push(s.duration_ns);
                node.2 += s.is_error() as usize;
                node.3 += spanscope_core::analysis::self_time_ns(t, s);
                if s.parent != NO_SPAN {
                    let p = &t.spans[s.parent as usize];
                    let parent = key(p);
                    if parent != name {
                        let kind = if p.kind == SpanKind::Producer || s.kind == SpanKind::Consumer {
                            EdgeKind::Messaging
                        } else {
                            EdgeKind::Call
                        };
                        let e = edges.entry((parent, name.clone(), kind)).or_default();
                        e.0.push(s.duration_ns);
                        e.1 += s.is_error() as usize;
                    }
                }
                for l in t.span_links(s) {
                    if l.trace_id.value != t.trace_id.value
                        || !matches!(l.kind, LinkKind::FollowsFrom | LinkKind::Link)
                    {
                        continue;
                    }
                    if let Some(j) = index.as_ref().and_then(|ix| ix.get(&l.span_id).copied()) {
                        let source = key(&t.spans[j as usize]);
                        if source != name {
                            let e =
                                edges.entry((source, name.clone(), EdgeKind::Link)).or_default();
                            e.0.push(s.duration_ns);
                            e.1 += s.is_error() as usize;
                        }
                    }
                }
                if matches!(s.kind, SpanKind::Client | SpanKind::Producer) && !has_remote_child[i] {
                    if let Some(peer) = peer_name(t, s).filter(|p| *p != service) {
                        let inferred = nodes
                            .entry(peer.clone())
                            .or_insert_with(|| (true, Vec::new(), 0, 0, peer.clone()));
                        inferred.1.push(s.duration_ns);
                        inferred.2 += s.is_error() as usize;
                        let kind = if s.kind == SpanKind::Producer {
                            EdgeKind::Messaging
                        } else {
                            EdgeKind::Call
                        };
                        let e = edges.entry((name.clone(), peer, kind)).or_default();
                        e.0.push(s.duration_ns);
                        e.1 += s.is_error() as usize;
                    }
                }
            }
        }
        let mut nodes: Vec<(String, NodeAcc)> = nodes.into_iter().collect();
        spanscope_core::sort::sort_by(&mut nodes, |a, b| a.0.cmp(&b.0));
        let mut edges: Vec<EdgeAcc> = edges.into_iter().collect();
        spanscope_core::sort::sort_by(&mut edges, |a, b| a.0.cmp(&b.0));
        let names: Vec<String> = nodes.iter().map(|n| n.0.clone()).collect();
        let index = |name: &str| {
            names.binary_search_by(|n| n.as_str().cmp(name)).expect("every edge end is a node")
        };
        let graph_nodes = nodes
            .into_iter()
            .map(|(name, (inferred, durations, errors, self_ns, service))| Node {
                name,
                service,
                inferred,
                spans: durations.len(),
                errors,
                latency: Latency::of(durations),
                self_ns,
            })
            .collect();
        let graph_edges = edges
            .into_iter()
            .map(|((from, to, kind), (durations, errors))| Edge {
                from: index(&from),
                to: index(&to),
                kind,
                calls: durations.len(),
                errors,
                latency: Latency::of(durations),
            })
            .collect();
        ServiceGraph { nodes: graph_nodes, edges: graph_edges }
    }
}

/// An operation node's name: `service · operation`.
pub fn operation_key(service: &str, operation: &str) -> String {
    format!("{service} · {operation}")
}

impl ServiceGraph {
    /// A graph from a backend's dependency links (`parent`, `child`, `callCount`), as Jaeger's
    /// `/api/dependencies` and Zipkin's `/api/v2/dependencies` return them.
    pub fn from_links(links: &[DependencyLink]) -> ServiceGraph {
        let mut names: Vec<String> =
            links.iter().flat_map(|l| [l.parent.clone(), l.child.clone()]).collect();
        spanscope_core::sort::sort(&mut names);
        names.dedup();
        let index =
            |name: &str| names.binary_search_by(|n| n.as_str().cmp(name)).expect("collected above");
        // Sorted by (parent, child), repeats summed: no map type of its own in the app.
        let mut pairs: Vec<((usize, usize), (usize, usize))> = links
            .iter()
            .map(|l| ((index(&l.parent), index(&l.child)), (l.calls, l.errors)))
            .collect();
        spanscope_core::sort::sort_by_key(&mut pairs, |p| p.0);
        let mut edges: Vec<((usize, usize), (usize, usize))> = Vec::new();
        for (key, (calls, errors)) in pairs {
            match edges.last_mut() {
                Some((last, sum)) if *last == key => {
                    sum.0 += calls;
                    sum.1 += errors;
                }
                _ => edges.push((key, (calls, errors))),
            }
        }
        ServiceGraph {
            nodes: names
                .iter()
                .map(|n| Node {
                    name: n.clone(),
                    service: n.clone(),
                    inferred: false,
                    spans: 0,
                    errors: 0,
                    latency: Latency::default(),
                    self_ns: 0,
                })
                .collect(),
            edges: edges
                .into_iter()
                .map(|((from, to), (calls, errors))| Edge {
                    from,
                    to,
                    kind: EdgeKind::Call,
                    calls,
                    errors,
                    latency: Latency::default(),
                })
                .collect(),
        }
    }
}

/// What a client span says about the peer it called.
fn peer_name(t: &Trace, s: &Span) -> Option<String> {
    let attr = |key: &str| {
        t.span_attrs(s)
            .iter()
            .find(|a| t.str(a.key) == key)
            .map(|a| t.value_text(&a.value))
            .filter(|v| !v.is_empty())
    };
    if let Some(peer) = attr("peer.service") {
        return Some(peer);
    }
    if let Some(system) = attr("db.system") {
        return Some(match attr("db.name") {
            Some(db) => format!("{system}: {db}"),
            None => system,
        });
    }
    attr("server.address").or_else(|| attr("net.peer.name")).or_else(|| attr("messaging.system"))
}

impl ServiceGraph {
    /// Nodes within `up` hops upstream (callers) and `down` hops downstream (callees) of
    /// `node`: "focus on one service" for graphs too large to read whole.
    pub fn neighbourhood(&self, node: usize, up: usize, down: usize) -> Vec<bool> {
        let mut keep = vec![false; self.nodes.len()];
        if node >= self.nodes.len() {
            return keep;
        }
        keep[node] = true;
        for (hops, forward) in [(down, true), (up, false)] {
            let mut frontier = vec![false; self.nodes.len()];
            frontier[node] = true;
            for _ in 0..hops {
                let mut next = vec![false; self.nodes.len()];
                let mut grew = false;
                for e in &self.edges {
                    let (from, to) = if forward { (e.from, e.to) } else { (e.to, e.from) };
                    if frontier[from] && !keep[to] {
                        keep[to] = true;
                        next[to] = true;
                        grew = true;
                    }
                }
                if !grew {
                    break;
                }
                frontier = next;
            }
        }
        keep
    }

    /// Nodes whose name contains `text` (ignoring case), with their direct callers and callees
    /// so the matches keep their context.
    pub fn matching(&self, text: &str) -> Vec<bool> {
        let needle = spanscope_core::case::to_lower(text.trim());
        let hit: Vec<bool> = self
            .nodes
            .iter()
            .map(|n| spanscope_core::case::contains_ignore_case(&n.name, &needle))
            .collect();
        let mut keep = hit.clone();
        for e in &self.edges {
            if hit[e.from] || hit[e.to] {
                keep[e.from] = true;
                keep[e.to] = true;
            }
        }
        keep
    }

    /// The graph without edges of fewer than `min_calls` calls, and without the services
    /// only those edges connected: the busy core of a graph too large to read whole.
    /// Services that had no edges at all stay.
    pub fn busiest(&self, min_calls: usize) -> ServiceGraph {
        let mut had_edges = vec![false; self.nodes.len()];
        let mut keep = vec![false; self.nodes.len()];
        for e in &self.edges {
            had_edges[e.from] = true;
            had_edges[e.to] = true;
            if e.calls >= min_calls {
                keep[e.from] = true;
                keep[e.to] = true;
            }
        }
        for (k, had) in keep.iter_mut().zip(had_edges) {
            *k |= !had;
        }
        let mut g = self.subgraph(&keep);
        g.edges.retain(|e| e.calls >= min_calls);
        g
    }

    /// The graph restricted to the kept nodes (and edges between them), re-indexed.
    pub fn subgraph(&self, keep: &[bool]) -> ServiceGraph {
        let mut index = vec![usize::MAX; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if keep.get(i).copied().unwrap_or(false) {
                index[i] = nodes.len();
                nodes.push(n.clone());
            }
        }
        let edges = self
            .edges
            .iter()
            .filter(|e| index[e.from] != usize::MAX && index[e.to] != usize::MAX)
            .map(|e| Edge { from: index[e.from], to: index[e.to], ..e.clone() })
            .collect();
        ServiceGraph { nodes, edges }
    }
}
