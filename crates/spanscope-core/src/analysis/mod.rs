//! Analyses of a trace that several views share, browser-free and iterative (no recursion
//! over depth): self time, the critical path, statistics by group, flame data, sibling
//! groups and error paths. `TraceAnalysis` computes the per-span parts once per trace.

pub mod compare;
mod critical_path;
mod flame;
mod latency;
mod report;
mod self_time;
mod siblings;
mod stats;

pub use critical_path::{critical_extents, critical_ns_by_span, critical_path, Section};
pub use flame::{merged_flame, FlameNode, FlameTree};
pub use latency::Latency;
pub use report::{Micros, OperationTime, PathSection, ServiceTime, TraceReport};
pub use self_time::{self_intervals, self_time_ns, self_times};
pub use siblings::{error_paths, sibling_groups, SiblingGroup};
pub use stats::{statistics, Group, GroupBaseline, GroupBy, GroupRating};

use crate::model::Trace;

/// What every view of one trace needs, indexed like `trace.spans` where per span: the
/// critical path (sections by start; per span, its time on it and the extent its subtree
/// holds it, `(0, 0)` when off it), self time, the error paths, and the high-latency bar.
#[derive(Debug, Clone, Default)]
pub struct TraceAnalysis {
    pub critical_path: Vec<Section>,
    pub critical_ns: Vec<i64>,
    pub critical_extent: Vec<(i64, i64)>,
    pub self_ns: Vec<i64>,
    pub on_error_path: Vec<bool>,
    /// Spans at least this long are "high latency": the trace's 80th percentile, as Grafana.
    pub high_latency_ns: i64,
    /// Links and non-parent references between spans of this trace: (linked, linking).
    pub links: Vec<(u32, u32)>,
    /// Whether a span links to another span of the trace or is linked to.
    pub has_link: Vec<bool>,
    /// Per pre-order position, how many spans before it have links (`has_link`) and lie on
    /// an error path: whether a collapsed row or a folded group hides one is a subtraction.
    links_before: Vec<u32>,
    error_path_before: Vec<u32>,
    /// Each span's own sections, grouped by span: `section_ranges[i]` indexes `by_span`.
    by_span: Vec<Section>,
    section_ranges: Vec<(u32, u32)>,
}

impl TraceAnalysis {
    pub fn of(trace: &Trace) -> TraceAnalysis {
        let (critical_path, critical_extent) = critical_path::walk(trace);
        let critical_ns = critical_ns_by_span(trace, &critical_path);
        // Sections grouped by span (a counting sort keeps each span's in time order).
        let n = trace.spans.len();
        let mut starts = vec![0u32; n + 1];
        for s in &critical_path {
            starts[s.span as usize + 1] += 1;
        }
        for k in 1..=n {
            starts[k] += starts[k - 1];
        }
        let mut fill = starts.clone();
        let mut by_span = critical_path.clone();
        for s in &critical_path {
            by_span[fill[s.span as usize] as usize] = *s;
            fill[s.span as usize] += 1;
        }
        let section_ranges = (0..n).map(|k| (starts[k], starts[k + 1])).collect();
        let mut durations: Vec<i64> = trace.spans.iter().map(|s| s.duration_ns).collect();
        let high_latency_ns = if durations.is_empty() {
            0
        } else {
            let k = ((durations.len() - 1) as f64 * 0.8).round() as usize;
            *durations.select_nth_unstable(k).1
        };
        let mut links = Vec::new();
        let mut has_link = vec![false; n];
        // Built only when some span has links: most traces have none.
        let index = trace.spans.iter().any(|s| s.links.len > 0).then(|| trace.span_index());
        for (k, s) in trace.spans.iter().enumerate() {
            for l in trace.span_links(s) {
                if l.trace_id.value != trace.trace_id.value {
                    continue;
                }
                let found = index.as_ref().and_then(|ix| ix.get(&l.span_id).copied());
                if let Some(j) = found.filter(|&j| j as usize != k) {
                    links.push((j, k as u32));
                    has_link[j as usize] = true;
                    has_link[k] = true;
                }
            }
        }
        let on_error_path = error_paths(trace);
        let links_before = count_before(trace, &has_link);
        let error_path_before = count_before(trace, &on_error_path);
        TraceAnalysis {
            links_before,
            error_path_before,
            links,
            has_link,
            critical_path,
            critical_ns,
            critical_extent,
            self_ns: self_times(trace),
            on_error_path,
            high_latency_ns,
            by_span,
            section_ranges,
        }
    }

    /// The critical-path sections of one span, in time order.
    pub fn sections_of(&self, span: u32) -> &[Section] {
        let (from, to) = self.section_ranges[span as usize];
        &self.by_span[from as usize..to as usize]
    }

    /// Whether a span at pre-order positions `range` has links (a row's hidden spans).
    pub fn links_within(&self, range: std::ops::Range<u32>) -> bool {
        within(&self.links_before, range)
    }

    /// Whether a span at pre-order positions `range` lies on an error path.
    pub fn error_path_within(&self, range: std::ops::Range<u32>) -> bool {
        within(&self.error_path_before, range)
    }

    /// Whether the critical path runs through the span or its subtree.
    pub fn on_critical_path(&self, span: u32) -> bool {
        let (a, b) = self.critical_extent[span as usize];
        b > a
    }
}

/// Prefix counts of `flags` (indexed like `trace.spans`) in pre-order: entry `k` counts the
/// flagged spans at positions before `k`.
fn count_before(trace: &Trace, flags: &[bool]) -> Vec<u32> {
    let mut before = Vec::with_capacity(trace.preorder.len() + 1);
    let mut n = 0u32;
    before.push(0);
    for &s in &trace.preorder {
        n += flags[s as usize] as u32;
        before.push(n);
    }
    before
}

fn within(before: &[u32], range: std::ops::Range<u32>) -> bool {
    let count = |k: u32| before.get(k as usize).copied().unwrap_or(0);
    range.end > range.start && count(range.end) > count(range.start)
}
