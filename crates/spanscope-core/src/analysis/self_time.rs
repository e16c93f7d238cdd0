//! Self time: the part of a span that none of its direct children covers (children clipped
//! to the span). Children are sorted by start, so one linear pass finds the gaps.

use crate::model::{Span, Trace};

/// Calls `gap(start, end)` for each stretch of `span` that no direct child covers, in order.
pub fn self_intervals(trace: &Trace, span: &Span, mut gap: impl FnMut(i64, i64)) {
    let (start, end) = (span.start_ns, span.end_ns());
    let mut cursor = start;
    for &c in trace.span_children(span) {
        let child = &trace.spans[c as usize];
        let (a, b) = (child.start_ns.max(start), child.end_ns().min(end));
        if b <= a {
            continue;
        }
        if a > cursor {
            gap(cursor, a);
        }
        cursor = cursor.max(b);
    }
    if end > cursor {
        gap(cursor, end);
    }
}

/// Time inside `span` not covered by any direct child.
pub fn self_time_ns(trace: &Trace, span: &Span) -> i64 {
    let mut total = 0;
    self_intervals(trace, span, |a, b| total += b - a);
    total
}

/// Every span's self time, indexed like `trace.spans`.
pub fn self_times(trace: &Trace) -> Vec<i64> {
    trace.spans.iter().map(|s| self_time_ns(trace, s)).collect()
}
