//! Latency percentiles of a set of spans.

/// Latency summary of a set of spans, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Latency {
    pub p50: i64,
    pub p95: i64,
    pub max: i64,
}

impl Latency {
    pub fn of(mut durations: Vec<i64>) -> Latency {
        if durations.is_empty() {
            return Latency::default();
        }
        durations.sort_unstable();
        let at = |p: f64| durations[((durations.len() - 1) as f64 * p).round() as usize];
        Latency { p50: at(0.5), p95: at(0.95), max: *durations.last().expect("not empty") }
    }
}
