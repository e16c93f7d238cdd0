//! Find in trace: which spans match a query. A plain query matches operation, service, span
//! id, attribute keys and values, and event names and fields, ignoring case; `key=value`
//! matches an attribute (span or resource) whose key is `key` and whose value contains
//! `value`. Quick filters (errors only, services, minimum duration) and the pills (critical
//! path, high latency: both need the trace's analysis) narrow the result.

use crate::analysis::TraceAnalysis;
use crate::model::{Attribute, Span, Trace};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub query: String,
    pub errors_only: bool,
    /// Service names to keep; empty keeps all.
    pub services: Vec<String>,
    pub min_duration_ns: i64,
    /// Only spans the critical path runs through.
    pub critical_only: bool,
    /// Only spans at least as long as the trace's 80th percentile.
    pub high_latency: bool,
    /// Only these spans (a statistics row, say), with what to call them.
    pub only_spans: Option<(String, std::sync::Arc<Vec<u32>>)>,
}

impl Filter {
    pub fn is_active(&self) -> bool {
        !self.query.trim().is_empty()
            || self.errors_only
            || !self.services.is_empty()
            || self.min_duration_ns > 0
            || self.critical_only
            || self.high_latency
            || self.only_spans.is_some()
    }
}

/// Indices of matching spans, in pre-order (top to bottom in the waterfall). The pills
/// match nothing without an analysis.
pub fn find(trace: &Trace, filter: &Filter) -> Vec<u32> {
    find_with(trace, filter, None)
}

/// `find`, with the analysis the pills need.
pub fn find_with(trace: &Trace, filter: &Filter, analysis: Option<&TraceAnalysis>) -> Vec<u32> {
    if !filter.is_active() {
        return Vec::new();
    }
    let query = Query::parse(&filter.query);
    let chosen: Option<Vec<bool>> = filter.only_spans.as_ref().map(|(_, spans)| {
        let mut keep = vec![false; trace.spans.len()];
        for &i in spans.iter() {
            if let Some(k) = keep.get_mut(i as usize) {
                *k = true;
            }
        }
        keep
    });
    let services: Vec<crate::intern::Sym> =
        filter.services.iter().filter_map(|name| trace.strings.find(name)).collect();
    trace
        .preorder
        .iter()
        .copied()
        .filter(|&i| {
            let s = &trace.spans[i as usize];
            (!filter.errors_only || s.is_error())
                && (filter.services.is_empty() || services.contains(&s.service))
                && s.duration_ns >= filter.min_duration_ns
                && chosen.as_ref().is_none_or(|keep| keep[i as usize])
                && (!filter.critical_only || analysis.is_some_and(|a| a.on_critical_path(i)))
                && (!filter.high_latency
                    || analysis.is_some_and(|a| s.duration_ns >= a.high_latency_ns))
                && query.matches(trace, s)
        })
        .collect()
}

enum Query {
    All,
    Text(String),
    KeyValue(String, String),
}

impl Query {
    fn parse(text: &str) -> Query {
        let text = text.trim();
        if text.is_empty() {
            return Query::All;
        }
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !k.contains(' ') => {
                Query::KeyValue(k.trim().to_string(), crate::case::to_lower(v.trim()))
            }
            _ => Query::Text(crate::case::to_lower(text)),
        }
    }

    fn matches(&self, t: &Trace, s: &Span) -> bool {
        match self {
            Query::All => true,
            Query::Text(needle) => {
                let has = |hay: &str| crate::case::contains_ignore_case(hay, needle);
                let attr_has = |attrs: &[Attribute]| {
                    attrs.iter().any(|a| has(t.str(a.key)) || has(&t.value_text(&a.value)))
                };
                has(t.str(s.name))
                    || has(t.str(s.service))
                    || has(&t.span_id_string(s.span_id))
                    || attr_has(t.span_attrs(s))
                    || t.span_events(s)
                        .iter()
                        .any(|e| has(t.str(e.name)) || attr_has(&t.attrs[e.attrs.as_range()]))
            }
            Query::KeyValue(key, value) => {
                let hit = |attrs: &[Attribute]| {
                    attrs.iter().any(|a| {
                        t.str(a.key) == key
                            && crate::case::contains_ignore_case(&t.value_text(&a.value), value)
                    })
                };
                hit(t.span_attrs(s)) || hit(t.resource_attrs(s.resource))
            }
        }
    }
}
