//! Sibling groups (runs of repeated calls, folded into one row) and error paths (the spans
//! from a root down to each error).

use crate::intern::Sym;
use crate::model::{Trace, NO_SPAN};

/// A run of at least `min_run` consecutive siblings with the same service and operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiblingGroup {
    /// The parent span, or `NO_SPAN` for a run of roots.
    pub parent: u32,
    /// The run's place in the parent's children (or in `trace.roots`): `from..to`.
    pub from: u32,
    pub to: u32,
    pub service: Sym,
    pub name: Sym,
    pub min_ns: i64,
    pub max_ns: i64,
    pub avg_ns: i64,
    pub errors: u32,
    /// The time the run covers: the earliest start to the latest end.
    pub start_ns: i64,
    pub end_ns: i64,
}

impl SiblingGroup {
    pub fn count(&self) -> u32 {
        self.to - self.from
    }

    /// The spans the run folds, in start order.
    pub fn members<'t>(&self, trace: &'t Trace) -> &'t [u32] {
        let list = match self.parent {
            NO_SPAN => &trace.roots[..],
            p => trace.span_children(&trace.spans[p as usize]),
        };
        &list[self.from as usize..self.to as usize]
    }
}

/// Every run of `min_run` or more consecutive siblings (in start order) with the same
/// service and operation, parents in index order.
pub fn sibling_groups(trace: &Trace, min_run: usize) -> Vec<SiblingGroup> {
    let min_run = min_run.max(2);
    let mut out = Vec::new();
    let mut scan = |parent: u32, list: &[u32]| {
        let mut from = 0;
        while from < list.len() {
            let first = &trace.spans[list[from] as usize];
            let same = |&c: &u32| {
                let s = &trace.spans[c as usize];
                s.service == first.service && s.name == first.name
            };
            let to = from + list[from..].iter().take_while(|c| same(c)).count();
            if to - from >= min_run {
                out.push(group(trace, parent, list, from, to));
            }
            from = to;
        }
    };
    scan(NO_SPAN, &trace.roots);
    for (i, span) in trace.spans.iter().enumerate() {
        scan(i as u32, trace.span_children(span));
    }
    out
}

fn group(trace: &Trace, parent: u32, list: &[u32], from: usize, to: usize) -> SiblingGroup {
    let members = list[from..to].iter().map(|&c| &trace.spans[c as usize]);
    let first = &trace.spans[list[from] as usize];
    let mut g = SiblingGroup {
        parent,
        from: from as u32,
        to: to as u32,
        service: first.service,
        name: first.name,
        min_ns: i64::MAX,
        max_ns: i64::MIN,
        avg_ns: 0,
        errors: 0,
        start_ns: i64::MAX,
        end_ns: i64::MIN,
    };
    let mut total = 0i64;
    for s in members {
        g.min_ns = g.min_ns.min(s.duration_ns);
        g.max_ns = g.max_ns.max(s.duration_ns);
        g.start_ns = g.start_ns.min(s.start_ns);
        g.end_ns = g.end_ns.max(s.end_ns());
        g.errors += s.is_error() as u32;
        total = total.saturating_add(s.duration_ns);
    }
    g.avg_ns = total / (to - from) as i64;
    g
}

/// Whether each span lies on the path from its root to some error span (the error spans
/// included), indexed like `trace.spans`. Each span is marked once: linear.
pub fn error_paths(trace: &Trace) -> Vec<bool> {
    let mut on_path = vec![false; trace.spans.len()];
    for (i, span) in trace.spans.iter().enumerate() {
        if !span.is_error() {
            continue;
        }
        let mut at = i as u32;
        while at != NO_SPAN && !on_path[at as usize] {
            on_path[at as usize] = true;
            at = trace.spans[at as usize].parent;
        }
    }
    on_path
}
