//! A baseline: what a set of traces (say, the last 50 requests of the same endpoint) spends
//! at each call path, and where one trace stands against it.

use super::{CallPaths, PathStats, TraceDiff};
use crate::model::{Trace, NO_SPAN};

/// Percentiles of per-trace times at one call path (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spread {
    pub p50: i64,
    pub p90: i64,
    pub p99: i64,
}

impl Spread {
    pub(crate) fn of(sorted: &[i64]) -> Spread {
        if sorted.is_empty() {
            return Spread::default();
        }
        let at = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
        Spread { p50: at(0.5), p90: at(0.9), p99: at(0.99) }
    }
}

/// Per call path, the per-trace total and self times of every trace that has the path,
/// sorted (a trace with the path twice counts its spans' sum, once).
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub paths: CallPaths,
    pub traces: u32,
    totals: Vec<Vec<i64>>,
    selfs: Vec<Vec<i64>>,
}

/// Where one trace's call path stands: percentile ranks (0–100) of its total and self time
/// among the baseline's traces with that path, its total time over the baseline median, and
/// whether it is above the baseline's 90th percentile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessed {
    pub baseline_node: u32,
    pub total_percentile: f64,
    pub self_percentile: f64,
    pub excess_ns: i64,
    pub above_p90: bool,
}

/// One trace against a baseline: its own call paths, what it has at each, and the rating of
/// each (`None` for a path no baseline trace has).
#[derive(Debug, Clone, Default)]
pub struct Assessment {
    pub paths: CallPaths,
    pub stats: Vec<PathStats>,
    pub node_of_span: Vec<u32>,
    pub rated: Vec<Option<Assessed>>,
}

impl Baseline {
    pub fn of<'a>(traces: impl IntoIterator<Item = &'a Trace>) -> Baseline {
        let mut baseline = Baseline::default();
        for trace in traces {
            let (stats, _) = baseline.paths.add(trace);
            baseline.totals.resize_with(stats.len(), Vec::new);
            baseline.selfs.resize_with(stats.len(), Vec::new);
            for (k, s) in stats.iter().enumerate().filter(|(_, s)| s.count > 0) {
                baseline.totals[k].push(s.total_ns);
                baseline.selfs[k].push(s.self_ns);
            }
            baseline.traces += 1;
        }
        for v in baseline.totals.iter_mut().chain(baseline.selfs.iter_mut()) {
            v.sort_unstable();
        }
        baseline
    }

    /// How many baseline traces have the path.
    pub fn traces_with(&self, node: u32) -> u32 {
        self.totals[node as usize].len() as u32
    }

    pub fn total(&self, node: u32) -> Spread {
        Spread::of(&self.totals[node as usize])
    }

    pub fn self_time(&self, node: u32) -> Spread {
        Spread::of(&self.selfs[node as usize])
    }

    /// Rates every call path of `trace` against the baseline.
    pub fn assess(&self, trace: &Trace) -> Assessment {
        let mut paths = CallPaths::default();
        let (stats, node_of_span) = paths.add(trace);
        // Nodes come parents first, so each parent's baseline node is known before its children's.
        let mut in_baseline = vec![NO_SPAN; paths.nodes.len()];
        let mut rated = Vec::with_capacity(paths.nodes.len());
        for (k, n) in paths.nodes.iter().enumerate() {
            let parent = if n.parent == NO_SPAN { NO_SPAN } else { in_baseline[n.parent as usize] };
            let found = (n.parent == NO_SPAN || parent != NO_SPAN)
                .then(|| self.paths.find(parent, paths.name(n.service), paths.name(n.operation)))
                .flatten();
            in_baseline[k] = found.unwrap_or(NO_SPAN);
            rated.push(found.map(|b| {
                let s = &stats[k];
                let totals = &self.totals[b as usize];
                Assessed {
                    baseline_node: b,
                    total_percentile: rank(totals, s.total_ns),
                    self_percentile: rank(&self.selfs[b as usize], s.self_ns),
                    excess_ns: s.total_ns - Spread::of(totals).p50,
                    above_p90: s.total_ns > Spread::of(totals).p90,
                }
            }));
        }
        Assessment { paths, stats, node_of_span, rated }
    }
}

impl Assessment {
    /// The trace against the typical one, as a diff: side B is this trace, side A at each
    /// call path the baseline's median total and self time (with B's span and error counts,
    /// so only time makes a change). Paths no baseline trace has are added. Drawn by the
    /// differential flame graph like a comparison of two traces.
    pub fn versus_median(self, baseline: &Baseline) -> TraceDiff {
        let a = self
            .stats
            .iter()
            .zip(&self.rated)
            .map(|(s, rated)| match rated {
                Some(r) => PathStats {
                    total_ns: baseline.total(r.baseline_node).p50,
                    self_ns: baseline.self_time(r.baseline_node).p50,
                    ..*s
                },
                None => PathStats::default(),
            })
            .collect();
        TraceDiff {
            order: self.paths.depth_first(),
            paths: self.paths,
            a,
            b: self.stats,
            a_node_of_span: Vec::new(),
            b_node_of_span: self.node_of_span,
        }
    }
}

/// Percentile rank of `value` in `sorted`: the share below it, counting ties as half.
pub(crate) fn rank(sorted: &[i64], value: i64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let below = sorted.partition_point(|&x| x < value);
    let not_above = sorted.partition_point(|&x| x <= value);
    (below as f64 + (not_above - below) as f64 / 2.0) * 100.0 / sorted.len() as f64
}
