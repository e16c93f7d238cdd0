//! The critical path: the work that held the request up, as Jaeger UI defines it.
//!
//! Per root (orphans are roots): children that do not block their parent are left out with
//! their subtrees (a FOLLOWS_FROM child, and a CONSUMER child of a PRODUCER); every other
//! child is clipped to its (already clipped) parent, and left out when wholly outside it.
//! Then, from the root: step into the last-finishing child (equal ends: the earlier start,
//! then the smaller span id) and take the section [child end, span end]; with no child left,
//! take [span start, span end] and return to the parent, whose next step is the child that
//! ended last strictly before the returning child started, the section ending at that start.
//! Sections of zero length are left out. One root's sections tile its interval exactly.
//!
//! Iterative (an explicit stack), O(n log n): a 100,000-deep chain is fine.

use crate::model::{SpanFlags, SpanKind, Trace, NO_SPAN};

/// One stretch of the critical path: `span` held the request up from `start_ns` to `end_ns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub span: u32,
    pub start_ns: i64,
    pub end_ns: i64,
}

impl Section {
    pub fn duration_ns(&self) -> i64 {
        self.end_ns - self.start_ns
    }
}

/// The critical path of every root, sorted by start.
pub fn critical_path(trace: &Trace) -> Vec<Section> {
    walk(trace).0
}

/// For each span the walk went into, the (clipped) interval its subtree holds the path for:
/// its subtree's sections tile exactly that. `(0, 0)` for spans off the path. A collapsed
/// row draws this.
pub fn critical_extents(trace: &Trace) -> Vec<(i64, i64)> {
    walk(trace).1
}

/// The sections, and each entered span's clipped interval.
pub(super) fn walk(trace: &Trace) -> (Vec<Section>, Vec<(i64, i64)>) {
    let n = trace.spans.len();
    let clipped = clip(trace);
    // Each span's blocking children, ordered so that the last one is the best pick: by end,
    // then the later start first (an earlier start wins ties), then the larger id first.
    let mut children: Vec<u32> = Vec::new();
    let mut ranges: Vec<(u32, u32)> = vec![(0, 0); n];
    for (i, span) in trace.spans.iter().enumerate() {
        if clipped[i].is_none() {
            continue;
        }
        let from = children.len();
        children.extend(
            trace.span_children(span).iter().copied().filter(|&c| clipped[c as usize].is_some()),
        );
        let key = |c: u32| {
            let (start, end) = clipped[c as usize].expect("kept");
            (end, std::cmp::Reverse(start), std::cmp::Reverse(trace.spans[c as usize].span_id))
        };
        children[from..].sort_unstable_by_key(|&c| key(c));
        ranges[i] = (from as u32, children.len() as u32);
    }
    let interval = |i: u32| clipped[i as usize].expect("kept");
    let ends_before = |of: u32, limit: i64, inclusive: bool| -> Option<u32> {
        let (from, to) = ranges[of as usize];
        let list = &children[from as usize..to as usize];
        let cut = list.partition_point(|&c| {
            let end = interval(c).1;
            end < limit || (inclusive && end == limit)
        });
        cut.checked_sub(1).map(|k| list[k])
    };

    let mut sections = Vec::new();
    let mut extents = vec![(0i64, 0i64); n];
    for &root in &trace.roots {
        let Some((_, root_end)) = clipped[root as usize] else { continue };
        // The walk: the span we are in, and where its next section ends. `entered` says the
        // span was just stepped into (any child may be picked) rather than returned to.
        let mut at = root;
        let mut until = root_end;
        let mut entered = true;
        extents[root as usize] = interval(root);
        loop {
            match ends_before(at, until, entered) {
                Some(child) => {
                    let child_end = interval(child).1;
                    push(&mut sections, at, child_end, until);
                    at = child;
                    until = child_end;
                    entered = true;
                    extents[child as usize] = interval(child);
                }
                None => {
                    let start = interval(at).0;
                    push(&mut sections, at, start, until);
                    if at == root {
                        break;
                    }
                    at = trace.spans[at as usize].parent;
                    until = start;
                    entered = false;
                }
            }
        }
    }
    sections.sort_unstable_by_key(|s| (s.start_ns, s.end_ns, s.span));
    (sections, extents)
}

fn push(sections: &mut Vec<Section>, span: u32, start_ns: i64, end_ns: i64) {
    if end_ns > start_ns {
        sections.push(Section { span, start_ns, end_ns });
    }
}

/// Each span's interval clipped to its clipped parent, or `None` when it does not block its
/// parent or falls wholly outside it (and so does its subtree). Parents come first in
/// `preorder`, so one pass suffices.
fn clip(trace: &Trace) -> Vec<Option<(i64, i64)>> {
    let mut clipped = vec![None; trace.spans.len()];
    for &i in &trace.preorder {
        let span = &trace.spans[i as usize];
        let own = (span.start_ns, span.end_ns());
        clipped[i as usize] = if span.parent == NO_SPAN {
            Some(own)
        } else {
            let parent = &trace.spans[span.parent as usize];
            let consumed = span.kind == SpanKind::Consumer && parent.kind == SpanKind::Producer;
            let blocks = !(span.flags.has(SpanFlags::FOLLOWS_FROM) || consumed);
            match clipped[span.parent as usize] {
                Some((from, to)) if blocks && own.0 < to && own.1 > from => {
                    Some((own.0.max(from), own.1.min(to)))
                }
                _ => None,
            }
        };
    }
    clipped
}

/// Time each span spends on the critical path, indexed like `trace.spans`.
pub fn critical_ns_by_span(trace: &Trace, sections: &[Section]) -> Vec<i64> {
    let mut out = vec![0i64; trace.spans.len()];
    for s in sections {
        out[s.span as usize] += s.duration_ns();
    }
    out
}
