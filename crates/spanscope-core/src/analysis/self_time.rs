//! Self time: the part of a span that none of its direct children covers.

use crate::model::{Span, Trace};

/// Time inside `span` not covered by any direct child (children clipped to the span).
pub fn self_time_ns(trace: &Trace, span: &Span) -> i64 {
    let (start, end) = (span.start_ns, span.end_ns());
    let mut intervals: Vec<(i64, i64)> = trace
        .span_children(span)
        .iter()
        .map(|&c| &trace.spans[c as usize])
        .map(|c| (c.start_ns.max(start), c.end_ns().min(end)))
        .filter(|(a, b)| b > a)
        .collect();
    intervals.sort_unstable();
    let mut covered = 0;
    let mut cursor = start;
    for (a, b) in intervals {
        let a = a.max(cursor);
        if b > a {
            covered += b - a;
            cursor = b;
        }
    }
    (end - start - covered).max(0)
}
