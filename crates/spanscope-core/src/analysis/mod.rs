//! Analyses of a trace that several views share, browser-free and iterative (no recursion
//! over depth): self time, the critical path, statistics by group, flame data, sibling
//! groups and error paths. `TraceAnalysis` computes the per-span parts once per trace.

mod critical_path;
mod flame;
mod latency;
mod report;
mod self_time;
mod siblings;
mod stats;

pub use critical_path::{critical_ns_by_span, critical_path, Section};
pub use flame::{merged_flame, FlameNode, FlameTree};
pub use latency::Latency;
pub use report::{Micros, OperationTime, PathSection, ServiceTime, TraceReport};
pub use self_time::{self_intervals, self_time_ns, self_times};
pub use siblings::{error_paths, sibling_groups, SiblingGroup};
pub use stats::{statistics, Group, GroupBy};

use crate::model::Trace;

/// What every view of one trace needs: the critical path, and each span's self time and time
/// on the critical path (indexed like `trace.spans`).
#[derive(Debug, Clone, Default)]
pub struct TraceAnalysis {
    pub critical_path: Vec<Section>,
    pub critical_ns: Vec<i64>,
    pub self_ns: Vec<i64>,
}

impl TraceAnalysis {
    pub fn of(trace: &Trace) -> TraceAnalysis {
        let critical_path = critical_path(trace);
        let critical_ns = critical_ns_by_span(trace, &critical_path);
        TraceAnalysis { critical_path, critical_ns, self_ns: self_times(trace) }
    }
}
