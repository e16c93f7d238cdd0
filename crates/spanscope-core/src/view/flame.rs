//! Where the flame graph's frames go: in fractions of the width, one row per depth, frames
//! too narrow to see left out with everything under them (so a million spans cost only what
//! can be seen). Computed once per mode and zoom; the canvas draws and hit-tests from it.

use crate::analysis::FlameTree;
use crate::model::{Trace, NO_SPAN};

/// One frame: `x` and `w` are fractions of the width, `item` a flame node (merged) or a
/// span (time-ordered).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlameRect {
    pub x: f64,
    pub w: f64,
    pub depth: u32,
    pub item: u32,
}

/// Frames of the merged call-path tree under `root` (all top-level frames when `None`),
/// width by total time or by self time (own and descendants'). Concurrent children whose
/// total exceeds their parent's are scaled down to fit it.
pub fn merged_rects(
    tree: &FlameTree,
    root: Option<u32>,
    by_self: bool,
    min_w: f64,
    max_depth: u32,
) -> Vec<FlameRect> {
    let value = |n: u32| {
        let node = &tree.nodes[n as usize];
        (if by_self { node.inclusive_self_ns } else { node.total_ns }).max(0) as f64
    };
    let mut out = Vec::new();
    // (node, x, w, depth) still to place.
    let mut stack: Vec<(u32, f64, f64, u32)> = Vec::new();
    let place =
        |list: &[u32], x: f64, w: f64, parent_value: f64, depth: u32, stack: &mut Vec<_>| {
            let sum: f64 = list.iter().map(|&c| value(c)).sum();
            let total = sum.max(parent_value);
            if total <= 0.0 {
                return;
            }
            let mut at = x;
            for &c in list {
                let cw = w * value(c) / total;
                if cw >= min_w {
                    stack.push((c, at, cw, depth));
                }
                at += cw;
            }
        };
    match root {
        Some(r) => stack.push((r, 0.0, 1.0, 0)),
        None => place(&tree.roots, 0.0, 1.0, 0.0, 0, &mut stack),
    }
    while let Some((n, x, w, depth)) = stack.pop() {
        out.push(FlameRect { x, w, depth, item: n });
        if depth + 1 < max_depth {
            place(tree.children_of(n), x, w, value(n), depth + 1, &mut stack);
        }
    }
    out
}

/// Frames of the time-ordered icicle: one per span, wall-clock, depth in the tree, under
/// `root` (its interval fills the width) or the whole trace.
pub fn icicle_rects(
    trace: &Trace,
    root: Option<u32>,
    min_w: f64,
    max_depth: u32,
) -> Vec<FlameRect> {
    let (start, end, top, spans): (i64, i64, u32, &[u32]) = match root {
        Some(r) => {
            let s = &trace.spans[r as usize];
            let from = trace.preorder.iter().position(|&i| i == r).unwrap_or(0);
            let mut to = from + 1;
            while to < trace.preorder.len()
                && trace.spans[trace.preorder[to] as usize].depth > s.depth
            {
                to += 1;
            }
            (s.start_ns, s.end_ns(), s.depth, &trace.preorder[from..to])
        }
        None => (trace.stats.start_ns, trace.stats.end_ns, 1, &trace.preorder[..]),
    };
    let width = (end - start).max(1) as f64;
    let mut out = Vec::new();
    // A span too narrow (or too deep) hides its subtree: skip to the next row at its depth.
    let mut hidden_below = u32::MAX;
    for &i in spans {
        let s = &trace.spans[i as usize];
        if s.depth > hidden_below {
            continue;
        }
        hidden_below = u32::MAX;
        let depth = s.depth.saturating_sub(top);
        let x = ((s.start_ns - start) as f64 / width).clamp(0.0, 1.0);
        let w = ((s.end_ns() - start) as f64 / width).clamp(0.0, 1.0) - x;
        if w < min_w || depth >= max_depth {
            hidden_below = s.depth;
            continue;
        }
        out.push(FlameRect { x, w, depth, item: i });
    }
    out
}

/// The frame at fraction `x` of the width in row `depth`.
pub fn rect_at(rects: &[FlameRect], x: f64, depth: u32) -> Option<FlameRect> {
    rects.iter().copied().find(|r| r.depth == depth && x >= r.x && x < r.x + r.w)
}

/// The zoomed-in frame's ancestors, outermost first (for the breadcrumb).
pub fn merged_path(tree: &FlameTree, node: u32) -> Vec<u32> {
    let mut out = vec![node];
    let mut at = tree.nodes[node as usize].parent;
    while at != NO_SPAN {
        out.push(at);
        at = tree.nodes[at as usize].parent;
    }
    out.reverse();
    out
}
