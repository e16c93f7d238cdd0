//! Trace statistics: spans grouped by service, operation, both, or an attribute's value (as
//! Jaeger UI's group-by), optionally grouped again inside each group.
//!
//! Self time as a share of the trace is the wall-clock union of the group's self time, so
//! concurrent spans of one group never add up past 100 % (Jaeger UI's can: jaeger-ui #689).

use rustc_hash::FxHashMap;

use super::compare::{rank, Spread};
use super::{self_intervals, TraceAnalysis};
use crate::intern::Sym;
use crate::model::{Span, Trace};

/// What to group spans by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Service,
    Operation,
    ServiceOperation,
    /// The value of this span attribute; spans without it form one group.
    Attribute(String),
}

/// The key of spans that lack the attribute grouped by.
pub const NO_VALUE: &str = "(no value)";

/// A span's group, cheap to hash: interned names, text only for attribute values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Name(Sym),
    Pair(Sym, Sym),
    Value(String),
    NoValue,
}

/// The first grouping's key and the second's.
type GroupKey = (Key, Option<Key>);

impl GroupBy {
    fn key(&self, trace: &Trace, span: &Span) -> Key {
        match self {
            GroupBy::Service => Key::Name(span.service),
            GroupBy::Operation => Key::Name(span.name),
            GroupBy::ServiceOperation => Key::Pair(span.service, span.name),
            GroupBy::Attribute(key) => trace
                .span_attrs(span)
                .iter()
                .find(|a| trace.str(a.key) == key)
                .map_or(Key::NoValue, |a| Key::Value(trace.value_text(&a.value))),
        }
    }
}

impl Key {
    fn text(self, trace: &Trace) -> String {
        match self {
            Key::Name(sym) => trace.str(sym).to_string(),
            Key::Pair(service, name) => format!("{} {}", trace.str(service), trace.str(name)),
            Key::Value(text) => text,
            Key::NoValue => NO_VALUE.to_string(),
        }
    }
}

/// One group's figures; times in nanoseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub key: String,
    /// The second grouping's key, when there is one.
    pub sub: Option<String>,
    /// The spans, indices into `trace.spans`, in trace order.
    pub spans: Vec<u32>,
    pub total_ns: i64,
    pub min_ns: i64,
    pub max_ns: i64,
    pub avg_ns: i64,
    pub p50_ns: i64,
    pub p95_ns: i64,
    pub p99_ns: i64,
    pub self_total_ns: i64,
    pub self_avg_ns: i64,
    /// Wall-clock time in which some span of the group was doing its own work.
    pub self_wall_ns: i64,
    /// `self_wall_ns` as a percentage of the trace's duration: at most 100.
    pub self_percent: f64,
    pub critical_ns: i64,
    pub errors: usize,
}

impl Group {
    pub fn count(&self) -> usize {
        self.spans.len()
    }
}

/// The groups of `trace` by `by` (then by `then` inside each), sorted by key.
pub fn statistics(
    trace: &Trace,
    analysis: &TraceAnalysis,
    by: &GroupBy,
    then: Option<&GroupBy>,
) -> Vec<Group> {
    let mut index: FxHashMap<GroupKey, usize> = FxHashMap::default();
    let mut members: Vec<(GroupKey, Vec<u32>)> = Vec::new();
    for (i, span) in trace.spans.iter().enumerate() {
        let key = (by.key(trace, span), then.map(|t| t.key(trace, span)));
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            members.push((key, Vec::new()));
            members.len() - 1
        });
        members[slot].1.push(i as u32);
    }
    let trace_ns = trace.duration_ns();
    let mut groups: Vec<Group> = members
        .into_iter()
        .map(|((key, sub), spans)| {
            figures(trace, analysis, key.text(trace), sub.map(|k| k.text(trace)), spans, trace_ns)
        })
        .collect();
    crate::sort::sort_by(&mut groups, |a, b| (&a.key, &a.sub).cmp(&(&b.key, &b.sub)));
    groups
}

fn figures(
    trace: &Trace,
    analysis: &TraceAnalysis,
    key: String,
    sub: Option<String>,
    spans: Vec<u32>,
    trace_ns: i64,
) -> Group {
    let mut durations: Vec<i64> =
        spans.iter().map(|&i| trace.spans[i as usize].duration_ns).collect();
    durations.sort_unstable();
    let count = durations.len() as i64;
    let at = |p: f64| durations[((durations.len() - 1) as f64 * p).round() as usize];
    let total_ns: i64 = durations.iter().sum();
    let self_total_ns: i64 = spans.iter().map(|&i| analysis.self_ns[i as usize]).sum();
    let self_wall_ns = self_union(trace, &spans);
    Group {
        key,
        sub,
        total_ns,
        min_ns: durations[0],
        max_ns: *durations.last().expect("a group has spans"),
        avg_ns: total_ns / count,
        p50_ns: at(0.5),
        p95_ns: at(0.95),
        p99_ns: at(0.99),
        self_total_ns,
        self_avg_ns: self_total_ns / count,
        self_wall_ns,
        self_percent: if trace_ns > 0 {
            (self_wall_ns as f64 * 100.0 / trace_ns as f64).min(100.0)
        } else {
            0.0
        },
        critical_ns: spans.iter().map(|&i| analysis.critical_ns[i as usize]).sum(),
        errors: spans.iter().filter(|&&i| trace.spans[i as usize].is_error()).count(),
        spans,
    }
}

/// The length of the union of the spans' self-time intervals.
fn self_union(trace: &Trace, spans: &[u32]) -> i64 {
    let mut gaps: Vec<(i64, i64)> = Vec::new();
    for &i in spans {
        self_intervals(trace, &trace.spans[i as usize], |a, b| gaps.push((a, b)));
    }
    gaps.sort_unstable();
    let (mut total, mut cursor) = (0i64, i64::MIN);
    for (a, b) in gaps {
        let a = a.max(cursor);
        if b > a {
            total += b - a;
            cursor = b;
        }
    }
    total
}

/// What a set of traces (a baseline: other requests of the same endpoint) has in each group:
/// per group, the total span time of each trace with spans in it, sorted. Groups match by
/// their text, so traces with their own interners line up.
#[derive(Debug, Clone, Default)]
pub struct GroupBaseline {
    pub traces: u32,
    totals: FxHashMap<(String, Option<String>), Vec<i64>>,
}

/// One group of a trace against the same group of a baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupRating {
    /// Baseline traces with spans in the group.
    pub traces_with: u32,
    /// The baseline's median of the group's total per trace.
    pub typical_total_ns: i64,
    /// This trace's total over that median (negative: below it).
    pub excess_ns: i64,
    /// Percentile rank (0–100) of this trace's total among the baseline's, ties counting half.
    pub percentile: f64,
    pub above_p90: bool,
}

impl GroupBaseline {
    pub fn of<'a>(
        traces: impl IntoIterator<Item = &'a Trace>,
        by: &GroupBy,
        then: Option<&GroupBy>,
    ) -> GroupBaseline {
        let mut baseline = GroupBaseline::default();
        for trace in traces {
            let mut sums: FxHashMap<GroupKey, i64> = FxHashMap::default();
            for span in &trace.spans {
                let key = (by.key(trace, span), then.map(|t| t.key(trace, span)));
                *sums.entry(key).or_default() += span.duration_ns;
            }
            for ((key, sub), total) in sums {
                let text = (key.text(trace), sub.map(|k| k.text(trace)));
                baseline.totals.entry(text).or_default().push(total);
            }
            baseline.traces += 1;
        }
        for totals in baseline.totals.values_mut() {
            totals.sort_unstable();
        }
        baseline
    }

    /// `group` (of the trace being rated) against the baseline's same group, if any
    /// baseline trace has it.
    pub fn rate(&self, group: &Group) -> Option<GroupRating> {
        let totals = self.totals.get(&(group.key.clone(), group.sub.clone()))?;
        let spread = Spread::of(totals);
        Some(GroupRating {
            traces_with: totals.len() as u32,
            typical_total_ns: spread.p50,
            excess_ns: group.total_ns - spread.p50,
            percentile: rank(totals, group.total_ns),
            above_p90: group.total_ns > spread.p90,
        })
    }
}
