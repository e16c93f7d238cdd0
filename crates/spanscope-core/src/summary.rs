//! Per-trace summary: the facts `spanscope inspect` prints and the app's header shows.

use serde::Serialize;

use crate::format::ns_to_micros_rounded;
use crate::model::{Trace, NO_SPAN};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceSummary {
    pub trace_id: String,
    pub format: String,
    pub span_count: usize,
    pub services: Vec<String>,
    pub root_service_name: String,
    pub root_span_name: String,
    pub start_time_micros: i64,
    pub duration_micros: i64,
    pub error_span_count: usize,
    pub max_depth: u32,
    pub service_edges: Vec<(String, String, usize)>,
    pub orphan_count: usize,
    pub warnings: Vec<String>,
}

impl TraceSummary {
    pub fn of(trace: &Trace) -> TraceSummary {
        let services: Vec<String> =
            trace.service_counts().iter().map(|(s, _)| trace.str(*s).to_string()).collect();
        // `roots` is sorted by start time, then input order.
        let root = trace.roots.first().map(|&i| &trace.spans[i as usize]);
        let mut edge_ids: rustc_hash::FxHashMap<(u32, u32), usize> = Default::default();
        for s in &trace.spans {
            if s.parent == NO_SPAN {
                continue;
            }
            let p = &trace.spans[s.parent as usize];
            if p.service != s.service {
                *edge_ids.entry((p.service.0, s.service.0)).or_default() += 1;
            }
        }
        // Symbols are unique per string, so each pair of names comes once: a sorted list
        // (through the shared sort) instead of a map type of its own.
        let mut edges: Vec<(String, String, usize)> = edge_ids
            .into_iter()
            .map(|((a, b), n)| {
                let name = |s| trace.str(crate::intern::Sym(s)).to_string();
                (name(a), name(b), n)
            })
            .collect();
        crate::sort::sort(&mut edges);
        TraceSummary {
            trace_id: trace.trace_id_string(),
            format: trace.format.name().to_string(),
            span_count: trace.spans.len(),
            services,
            root_service_name: root.map(|r| trace.str(r.service).to_string()).unwrap_or_default(),
            root_span_name: root.map(|r| trace.str(r.name).to_string()).unwrap_or_default(),
            start_time_micros: ns_to_micros_rounded(trace.stats.start_ns),
            duration_micros: ns_to_micros_rounded(trace.duration_ns()),
            error_span_count: trace.spans.iter().filter(|s| s.is_error()).count(),
            max_depth: trace.stats.max_depth,
            service_edges: edges,
            orphan_count: trace.stats.orphans,
            warnings: trace.warnings.clone(),
        }
    }
}
