//! Comparing traces by call path: every span is keyed by the (service, operation) pairs from
//! its root down to it, as Jaeger's trace DAG does, so two requests line up even when their
//! span ids, timings and sibling order differ. `CallPaths` is the merged tree of paths over
//! any number of traces (names compared as text: each trace has its own interner);
//! `TraceDiff` aligns two traces, `Baseline` summarizes many and rates one trace against them.

mod baseline;
mod diff;
mod report;

pub(crate) use baseline::rank;
pub use baseline::{Assessed, Assessment, Baseline, Spread};
pub use diff::{Change, DiffBox, DiffOrder, TraceDiff};
pub use report::{BaselineReport, DiffReport, Side};

use rustc_hash::FxHashMap;

use super::self_times;
use crate::intern::{Interner, Sym};
use crate::model::{Trace, NO_SPAN};

/// One call path: a (service, operation) under its parent path (`NO_SPAN` at the top).
/// Names are symbols of the `CallPaths`' own interner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathNode {
    pub parent: u32,
    pub service: Sym,
    pub operation: Sym,
    pub depth: u32,
}

/// What one trace has at one call path. `first_span` is the earliest span there (`NO_SPAN`
/// when the trace lacks the path); `start_ns`/`end_ns` are the earliest start and the latest
/// end of its spans, from the trace's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStats {
    pub count: u32,
    pub errors: u32,
    pub total_ns: i64,
    pub self_ns: i64,
    pub first_span: u32,
    pub start_ns: i64,
    pub end_ns: i64,
}

impl Default for PathStats {
    fn default() -> Self {
        PathStats {
            count: 0,
            errors: 0,
            total_ns: 0,
            self_ns: 0,
            first_span: NO_SPAN,
            start_ns: i64::MAX,
            end_ns: i64::MIN,
        }
    }
}

/// The merged tree of call paths, with its own table of names. (The map's key type is the
/// flame tree's, so the wasm carries one copy of its code.)
#[derive(Debug, Clone, Default)]
pub struct CallPaths {
    pub nodes: Vec<PathNode>,
    names: Interner,
    index: FxHashMap<(u32, Sym, Sym), u32>,
}

impl CallPaths {
    pub fn name(&self, sym: Sym) -> &str {
        self.names.get(sym)
    }

    pub fn service(&self, node: u32) -> &str {
        self.name(self.nodes[node as usize].service)
    }

    pub fn operation(&self, node: u32) -> &str {
        self.name(self.nodes[node as usize].operation)
    }

    /// The (service, operation) pairs from the root down to `node`.
    pub fn path(&self, node: u32) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        let mut k = node;
        while k != NO_SPAN {
            out.push((self.service(k), self.operation(k)));
            k = self.nodes[k as usize].parent;
        }
        out.reverse();
        out
    }

    /// The node for `service`/`operation` under `parent`, if some trace had it.
    pub fn find(&self, parent: u32, service: &str, operation: &str) -> Option<u32> {
        let service = self.names.find(service)?;
        let operation = self.names.find(operation)?;
        self.index.get(&(parent, service, operation)).copied()
    }

    /// Adds `trace`'s paths. Returns what the trace has at each node (indexed like `nodes`
    /// as they are after this call) and each span's node (indexed like `trace.spans`).
    /// One pass in pre-order.
    pub fn add(&mut self, trace: &Trace) -> (Vec<PathStats>, Vec<u32>) {
        let self_ns = self_times(trace);
        // The trace's symbols to ours, looked up once per distinct symbol.
        let mut ids: FxHashMap<Sym, u32> = FxHashMap::default();
        let mut node_of_span = vec![NO_SPAN; trace.spans.len()];
        let mut stats: Vec<PathStats> = Vec::new();
        let origin = trace.stats.start_ns;
        for &i in &trace.preorder {
            let span = &trace.spans[i as usize];
            let parent =
                if span.parent == NO_SPAN { NO_SPAN } else { node_of_span[span.parent as usize] };
            let mut id_of = |sym: Sym, paths: &mut CallPaths| {
                Sym(*ids.entry(sym).or_insert_with(|| paths.names.intern(trace.str(sym)).0))
            };
            let key = (parent, id_of(span.service, self), id_of(span.name, self));
            let node = match self.index.get(&key) {
                Some(&node) => node,
                None => {
                    let depth =
                        if parent == NO_SPAN { 0 } else { self.nodes[parent as usize].depth + 1 };
                    let node = self.nodes.len() as u32;
                    self.nodes.push(PathNode { parent, service: key.1, operation: key.2, depth });
                    self.index.insert(key, node);
                    node
                }
            };
            node_of_span[i as usize] = node;
            if stats.len() <= node as usize {
                stats.resize(node as usize + 1, PathStats::default());
            }
            let s = &mut stats[node as usize];
            let (start, end) = (span.start_ns - origin, span.end_ns() - origin);
            s.count += 1;
            s.errors += span.is_error() as u32;
            s.total_ns += span.duration_ns;
            s.self_ns += self_ns[i as usize];
            if start < s.start_ns {
                s.start_ns = start;
                s.first_span = i;
            }
            s.end_ns = s.end_ns.max(end);
        }
        stats.resize(self.nodes.len(), PathStats::default());
        (stats, node_of_span)
    }

    /// Every node in depth-first order, children (and roots) sorted by service, then
    /// operation. Iterative: an explicit stack, no recursion over depth.
    pub fn depth_first(&self) -> Vec<u32> {
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); self.nodes.len()];
        let mut roots = Vec::new();
        for (k, n) in self.nodes.iter().enumerate() {
            match n.parent {
                NO_SPAN => roots.push(k as u32),
                p => children[p as usize].push(k as u32),
            }
        }
        let by_name = |a: &u32, b: &u32| {
            (self.service(*a), self.operation(*a)).cmp(&(self.service(*b), self.operation(*b)))
        };
        let mut order = Vec::with_capacity(self.nodes.len());
        // Reversed on the stack so the first in name order comes off first.
        crate::sort::sort_by(&mut roots, by_name);
        let mut stack: Vec<u32> = roots.into_iter().rev().collect();
        while let Some(k) = stack.pop() {
            order.push(k);
            let kids = &mut children[k as usize];
            crate::sort::sort_by(kids, by_name);
            stack.extend(kids.iter().rev());
        }
        order
    }
}
