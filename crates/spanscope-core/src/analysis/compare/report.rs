//! Comparisons as `spanscope diff --json` prints them (times as exact microseconds).

use serde::Serialize;

use super::{Assessment, Baseline, PathStats, Spread, TraceDiff};
use crate::analysis::Micros;
use crate::model::{Trace, NO_SPAN};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffReport {
    pub a_trace_id: String,
    pub b_trace_id: String,
    pub nodes: Vec<DiffNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffNode {
    pub path: Vec<(String, String)>,
    pub a: Side,
    pub b: Side,
    pub change: &'static str,
}

/// What one trace has at one call path; `spanId` is its earliest span there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    pub count: u32,
    pub total_micros: Micros,
    pub self_micros: Micros,
    pub errors: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span_id: Option<String>,
}

impl Side {
    fn of(trace: &Trace, s: &PathStats) -> Side {
        Side {
            count: s.count,
            total_micros: Micros(s.total_ns),
            self_micros: Micros(s.self_ns),
            errors: s.errors,
            span_id: (s.first_span != NO_SPAN)
                .then(|| trace.span_id_string(trace.spans[s.first_span as usize].span_id)),
        }
    }
}

fn path_of(paths: &super::CallPaths, node: u32) -> Vec<(String, String)> {
    paths.path(node).into_iter().map(|(s, o)| (s.to_string(), o.to_string())).collect()
}

impl DiffReport {
    pub fn of(a: &Trace, b: &Trace, diff: &TraceDiff) -> DiffReport {
        let nodes = diff
            .order
            .iter()
            .map(|&k| DiffNode {
                path: path_of(&diff.paths, k),
                a: Side::of(a, &diff.a[k as usize]),
                b: Side::of(b, &diff.b[k as usize]),
                change: diff.change(k).name(),
            })
            .collect();
        DiffReport { a_trace_id: a.trace_id.to_hex(), b_trace_id: b.trace_id.to_hex(), nodes }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BaselineReport {
    pub trace_id: String,
    pub baseline_traces: u32,
    pub nodes: Vec<RatedNode>,
}

/// One call path of the trace, with the baseline's spread there (absent for a new path).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RatedNode {
    pub path: Vec<(String, String)>,
    #[serde(flatten)]
    pub trace: Side,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSpread>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BaselineSpread {
    pub traces: u32,
    pub total: Percentiles,
    #[serde(rename = "self")]
    pub self_time: Percentiles,
    pub total_percentile: f64,
    pub self_percentile: f64,
    pub excess_micros: Micros,
    pub above_p90: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Percentiles {
    pub p50_micros: Micros,
    pub p90_micros: Micros,
    pub p99_micros: Micros,
}

impl From<Spread> for Percentiles {
    fn from(s: Spread) -> Self {
        Percentiles {
            p50_micros: Micros(s.p50),
            p90_micros: Micros(s.p90),
            p99_micros: Micros(s.p99),
        }
    }
}

/// A percentile rank to one decimal.
fn tenth(p: f64) -> f64 {
    (p * 10.0).round() / 10.0
}

impl BaselineReport {
    pub fn of(trace: &Trace, baseline: &Baseline, assessment: &Assessment) -> BaselineReport {
        let nodes = assessment
            .paths
            .depth_first()
            .into_iter()
            .map(|k| RatedNode {
                path: path_of(&assessment.paths, k),
                trace: Side::of(trace, &assessment.stats[k as usize]),
                baseline: assessment.rated[k as usize].map(|r| BaselineSpread {
                    traces: baseline.traces_with(r.baseline_node),
                    total: baseline.total(r.baseline_node).into(),
                    self_time: baseline.self_time(r.baseline_node).into(),
                    total_percentile: tenth(r.total_percentile),
                    self_percentile: tenth(r.self_percentile),
                    excess_micros: Micros(r.excess_ns),
                    above_p90: r.above_p90,
                }),
            })
            .collect();
        BaselineReport {
            trace_id: trace.trace_id.to_hex(),
            baseline_traces: baseline.traces,
            nodes,
        }
    }
}
