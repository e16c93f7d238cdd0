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

/// How the compare view lists call paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiffOrder {
    /// The merged tree, depth-first.
    #[default]
    Tree,
    /// Biggest regression first: B's total minus A's, then self time, then tree order.
    Regression,
}

/// One box of the differential flame graph: a call path of B, `x0..x1` as fractions of the
/// width, at `depth`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiffBox {
    pub node: u32,
    pub depth: u32,
    pub x0: f64,
    pub x1: f64,
}

impl TraceDiff {
    /// The nodes the compare view lists, in `order`; with `changed_only`, only those that
    /// are not the same.
    pub fn listed(&self, order: DiffOrder, changed_only: bool) -> Vec<u32> {
        let mut nodes: Vec<u32> = self
            .order
            .iter()
            .copied()
            .filter(|&k| !changed_only || self.change(k) != Change::Same)
            .collect();
        if order == DiffOrder::Regression {
            // The shared stable sort: tree order among ties, and no sort of its own in the wasm.
            crate::sort::sort_by_key(&mut nodes, |&k| {
                (-self.delta_total_ns(k), -self.delta_self_ns(k))
            });
        }
        nodes
    }

    /// The differential flame graph: B's call paths, widths by B's total time (children that
    /// ran concurrently and add up past their parent are scaled into it), in tree order.
    pub fn flame_boxes(&self) -> Vec<DiffBox> {
        let n = self.paths.nodes.len();
        let total = |k: usize| self.b[k].total_ns.max(0) as f64;
        let mut children_sum = vec![0f64; n];
        let mut roots_sum = 0f64;
        for (k, node) in self.paths.nodes.iter().enumerate() {
            match node.parent {
                crate::model::NO_SPAN => roots_sum += total(k),
                p => children_sum[p as usize] += total(k),
            }
        }
        // Per node: its box's left edge still free for the next child, and its children's
        // width per nanosecond.
        let mut cursor = vec![0f64; n];
        let mut child_unit = vec![0f64; n];
        let mut root_cursor = 0f64;
        let root_unit = if roots_sum > 0.0 { 1.0 / roots_sum } else { 0.0 };
        let mut boxes = Vec::new();
        for &k in &self.order {
            let node = &self.paths.nodes[k as usize];
            if self.b[k as usize].count == 0 {
                continue;
            }
            let (x0, unit) = match node.parent {
                crate::model::NO_SPAN => (&mut root_cursor, root_unit),
                p => (&mut cursor[p as usize], child_unit[p as usize]),
            };
            let width = total(k as usize) * unit;
            let b = DiffBox { node: k, depth: node.depth, x0: *x0, x1: *x0 + width };
            *x0 += width;
            let squeeze = if children_sum[k as usize] > total(k as usize) {
                total(k as usize) / children_sum[k as usize]
            } else {
                1.0
            };
            cursor[k as usize] = b.x0;
            child_unit[k as usize] = unit * squeeze;
            boxes.push(b);
        }
        boxes
    }
}
