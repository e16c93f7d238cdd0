//! Clock-skew adjustment, as Jaeger's and Zipkin's UIs do it: when a span of another service
//! (a server answering a client) falls outside its parent, its host clock is off, so shift it
//! and everything below it. A child no longer than its parent is centred in the parent (the
//! network latency split evenly both ways); a longer one is aligned to the parent's start.
//! Children on the same service share a clock and are never moved. Raw times stay in the
//! model; this returns adjusted starts for display.

use crate::model::{SpanFlags, Trace, NO_SPAN};

#[derive(Debug, Clone, PartialEq)]
pub struct Adjusted {
    /// Start of every span after adjustment, in ns.
    pub start_ns: Vec<i64>,
    /// How many spans were shifted directly (their descendants move with them).
    pub shifted: usize,
    pub trace_start_ns: i64,
    pub trace_end_ns: i64,
}

pub fn adjust(trace: &Trace) -> Adjusted {
    let mut start: Vec<i64> = trace.spans.iter().map(|s| s.start_ns).collect();
    let mut delta = vec![0i64; trace.spans.len()];
    let mut shifted = 0;
    // Pre-order visits parents first, so each span inherits its parent's shift.
    for &i in &trace.preorder {
        let s = &trace.spans[i as usize];
        if s.parent == NO_SPAN || s.flags.has(SpanFlags::MISSING_TIME) {
            continue;
        }
        let p = s.parent as usize;
        let inherited = delta[p];
        let mut d = inherited;
        let parent = &trace.spans[p];
        if parent.service != s.service && !parent.flags.has(SpanFlags::MISSING_TIME) {
            let (ps, pe) = (start[p], start[p] + parent.duration_ns);
            let cs = s.start_ns + inherited;
            let ce = cs + s.duration_ns;
            if cs < ps || ce > pe {
                let target = if s.duration_ns <= parent.duration_ns {
                    ps + (parent.duration_ns - s.duration_ns) / 2
                } else {
                    ps
                };
                d = inherited + (target - cs);
                shifted += 1;
            }
        }
        delta[i as usize] = d;
        start[i as usize] = s.start_ns + d;
    }
    let timed =
        || trace.spans.iter().enumerate().filter(|(_, s)| !s.flags.has(SpanFlags::MISSING_TIME));
    let trace_start_ns = timed().map(|(i, _)| start[i]).min().unwrap_or(0);
    let trace_end_ns = timed().map(|(i, s)| start[i] + s.duration_ns).max().unwrap_or(0);
    Adjusted { start_ns: start, shifted, trace_start_ns, trace_end_ns }
}
