//! Flame data: the merged call-path tree. Spans with the same service and operation under
//! the same path merge into one frame that keeps their count, total duration, self time and
//! errors. A frame's `inclusive_self_ns` (its own and its descendants' self time) nests
//! exactly inside its parent's, so widths by self time never overflow; total durations of
//! concurrent children can add up past their parent's, which the drawing scales down.
//!
//! The time-ordered icicle needs no merged data: it is the spans themselves, at their depth.

use rustc_hash::FxHashMap;

use super::TraceAnalysis;
use crate::intern::Sym;
use crate::model::{Trace, NO_SPAN};

/// One frame of the merged tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlameNode {
    /// Index in `FlameTree::nodes`, or `NO_SPAN` for a top-level frame.
    pub parent: u32,
    pub service: Sym,
    pub name: Sym,
    /// 0 for a top-level frame.
    pub depth: u32,
    pub count: u32,
    pub errors: u32,
    pub total_ns: i64,
    pub self_ns: i64,
    pub inclusive_self_ns: i64,
    /// Range into `FlameTree::children`.
    pub children: (u32, u32),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlameTree {
    pub nodes: Vec<FlameNode>,
    /// Children of each node, by total time (longest first), then by name.
    pub children: Vec<u32>,
    /// Top-level frames, in the same order.
    pub roots: Vec<u32>,
    /// The frame each span merged into, indexed like `trace.spans`.
    pub node_of_span: Vec<u32>,
}

impl FlameTree {
    pub fn children_of(&self, node: u32) -> &[u32] {
        let (from, to) = self.nodes[node as usize].children;
        &self.children[from as usize..to as usize]
    }
}

/// The merged call-path tree of `trace`. One pass in pre-order (parents first), one pass
/// backwards for the inclusive sums: no recursion.
pub fn merged_flame(trace: &Trace, analysis: &TraceAnalysis) -> FlameTree {
    let mut nodes: Vec<FlameNode> = Vec::new();
    let mut index: FxHashMap<(u32, Sym, Sym), u32> = FxHashMap::default();
    let mut node_of_span = vec![NO_SPAN; trace.spans.len()];
    for &i in &trace.preorder {
        let span = &trace.spans[i as usize];
        let parent =
            if span.parent == NO_SPAN { NO_SPAN } else { node_of_span[span.parent as usize] };
        let node = *index.entry((parent, span.service, span.name)).or_insert_with(|| {
            let depth = if parent == NO_SPAN { 0 } else { nodes[parent as usize].depth + 1 };
            nodes.push(FlameNode {
                parent,
                service: span.service,
                name: span.name,
                depth,
                count: 0,
                errors: 0,
                total_ns: 0,
                self_ns: 0,
                inclusive_self_ns: 0,
                children: (0, 0),
            });
            (nodes.len() - 1) as u32
        });
        node_of_span[i as usize] = node;
        let n = &mut nodes[node as usize];
        n.count += 1;
        n.errors += span.is_error() as u32;
        n.total_ns += span.duration_ns;
        n.self_ns += analysis.self_ns[i as usize];
    }
    // Nodes are created parents first, so a backward pass adds each into its parent.
    for k in (0..nodes.len()).rev() {
        nodes[k].inclusive_self_ns += nodes[k].self_ns;
        let (parent, sum) = (nodes[k].parent, nodes[k].inclusive_self_ns);
        if parent != NO_SPAN {
            nodes[parent as usize].inclusive_self_ns += sum;
        }
    }
    // Children lists by a counting sort on the parent, then ordered.
    let mut counts = vec![0u32; nodes.len() + 1];
    for n in &nodes {
        if n.parent != NO_SPAN {
            counts[n.parent as usize + 1] += 1;
        }
    }
    for k in 1..counts.len() {
        counts[k] += counts[k - 1];
    }
    let mut children = vec![0u32; counts[nodes.len()] as usize];
    let mut fill = counts.clone();
    let mut roots = Vec::new();
    for (k, n) in nodes.iter().enumerate() {
        if n.parent == NO_SPAN {
            roots.push(k as u32);
        } else {
            children[fill[n.parent as usize] as usize] = k as u32;
            fill[n.parent as usize] += 1;
        }
    }
    let order = |a: &u32, b: &u32| {
        let (x, y) = (&nodes[*a as usize], &nodes[*b as usize]);
        y.total_ns
            .cmp(&x.total_ns)
            .then_with(|| trace.str(x.service).cmp(trace.str(y.service)))
            .then_with(|| trace.str(x.name).cmp(trace.str(y.name)))
    };
    for k in 0..nodes.len() {
        crate::sort::sort_by(&mut children[counts[k] as usize..counts[k + 1] as usize], order);
    }
    crate::sort::sort_by(&mut roots, order);
    for (k, n) in nodes.iter_mut().enumerate() {
        n.children = (counts[k], counts[k + 1]);
    }
    FlameTree { nodes, children, roots, node_of_span }
}
