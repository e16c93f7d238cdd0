//! One trace's analysis as `spanscope analyze --json` prints it: the critical path, and
//! time per service and per operation. Times are Unix microseconds and durations
//! microseconds, written with up to three decimals so nanosecond inputs keep their precision
//! (an `f64` would not: 1.7e15 µs with nanoseconds needs 19 digits).

use serde::{Serialize, Serializer};

use super::{statistics, GroupBy, TraceAnalysis};
use crate::model::Trace;

/// Nanoseconds, written as microseconds with up to three decimals (exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Micros(pub i64);

impl Micros {
    pub fn text(self) -> String {
        let (sign, ns) =
            if self.0 < 0 { ("-", self.0.unsigned_abs()) } else { ("", self.0 as u64) };
        let (whole, frac) = (ns / 1000, ns % 1000);
        if frac == 0 {
            format!("{sign}{whole}")
        } else {
            let digits = format!("{frac:03}");
            format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl Serialize for Micros {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = serde_json::value::RawValue::from_string(self.text())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceReport {
    pub trace_id: String,
    pub span_count: usize,
    pub critical_path: Vec<PathSection>,
    pub critical_path_micros: Micros,
    pub services: Vec<ServiceTime>,
    pub operations: Vec<OperationTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathSection {
    pub span_id: String,
    pub start_micros: Micros,
    pub end_micros: Micros,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceTime {
    pub service: String,
    pub spans: usize,
    pub total_micros: Micros,
    pub self_micros: Micros,
    pub critical_micros: Micros,
    pub errors: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationTime {
    pub service: String,
    pub operation: String,
    pub count: usize,
    pub total_micros: Micros,
    pub self_micros: Micros,
    pub min_micros: Micros,
    pub max_micros: Micros,
    pub errors: usize,
}

impl TraceReport {
    pub fn of(trace: &Trace, analysis: &TraceAnalysis) -> TraceReport {
        let critical_path = analysis
            .critical_path
            .iter()
            .map(|s| PathSection {
                span_id: trace.span_id_string(trace.spans[s.span as usize].span_id),
                start_micros: Micros(s.start_ns),
                end_micros: Micros(s.end_ns),
            })
            .collect();
        let services = statistics(trace, analysis, &GroupBy::Service, None)
            .into_iter()
            .map(|g| ServiceTime {
                spans: g.count(),
                total_micros: Micros(g.total_ns),
                self_micros: Micros(g.self_total_ns),
                critical_micros: Micros(g.critical_ns),
                errors: g.errors,
                service: g.key,
            })
            .collect();
        let operations = statistics(trace, analysis, &GroupBy::Service, Some(&GroupBy::Operation))
            .into_iter()
            .map(|g| OperationTime {
                count: g.count(),
                total_micros: Micros(g.total_ns),
                self_micros: Micros(g.self_total_ns),
                min_micros: Micros(g.min_ns),
                max_micros: Micros(g.max_ns),
                errors: g.errors,
                operation: g.sub.unwrap_or_default(),
                service: g.key,
            })
            .collect();
        TraceReport {
            trace_id: trace.trace_id_string(),
            span_count: trace.spans.len(),
            critical_path,
            critical_path_micros: Micros(
                analysis.critical_path.iter().map(|s| s.duration_ns()).sum(),
            ),
            services,
            operations,
        }
    }
}
