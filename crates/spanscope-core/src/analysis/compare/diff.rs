//! Two traces aligned by call path.

use super::{CallPaths, PathStats};
use crate::model::Trace;

/// How a call path differs from trace A to trace B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    /// Only B has it.
    Added,
    /// Only A has it.
    Removed,
    /// Both have it, with another span count or error count, or a total or self time that
    /// moved by at least `CHANGED_RATIO` of A's and `CHANGED_MIN_NS`.
    Changed,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Same => "same",
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// Timing noise below these is not a change: 10 % and 100 µs.
pub const CHANGED_RATIO: f64 = 0.1;
pub const CHANGED_MIN_NS: i64 = 100_000;

/// Trace A and trace B on one tree of call paths: `a[k]` and `b[k]` are what each has at
/// node `k`; `order` is the merged tree depth-first (children by service, then operation).
#[derive(Debug, Clone, Default)]
pub struct TraceDiff {
    pub paths: CallPaths,
    pub a: Vec<PathStats>,
    pub b: Vec<PathStats>,
    pub a_node_of_span: Vec<u32>,
    pub b_node_of_span: Vec<u32>,
    pub order: Vec<u32>,
}

impl TraceDiff {
    pub fn of(a: &Trace, b: &Trace) -> TraceDiff {
        let mut paths = CallPaths::default();
        let (mut a_stats, a_node_of_span) = paths.add(a);
        let (b_stats, b_node_of_span) = paths.add(b);
        a_stats.resize(paths.nodes.len(), PathStats::default());
        let order = paths.depth_first();
        TraceDiff { paths, a: a_stats, b: b_stats, a_node_of_span, b_node_of_span, order }
    }

    pub fn change(&self, node: u32) -> Change {
        let (a, b) = (&self.a[node as usize], &self.b[node as usize]);
        let moved = |x: i64, y: i64| {
            let delta = (y - x).abs();
            delta >= CHANGED_MIN_NS && delta as f64 >= x.abs() as f64 * CHANGED_RATIO
        };
        if a.count == 0 {
            Change::Added
        } else if b.count == 0 {
            Change::Removed
        } else if a.count != b.count
            || a.errors != b.errors
            || moved(a.total_ns, b.total_ns)
            || moved(a.self_ns, b.self_ns)
        {
            Change::Changed
        } else {
            Change::Same
        }
    }

    /// B's total time at `node` minus A's (a missing side counts as zero).
    pub fn delta_total_ns(&self, node: u32) -> i64 {
        self.b[node as usize].total_ns - self.a[node as usize].total_ns
    }

    pub fn delta_self_ns(&self, node: u32) -> i64 {
        self.b[node as usize].self_ns - self.a[node as usize].self_ns
    }
}
