//! Focus on a span: its subtree as a trace of its own, so every view (waterfall, minimap,
//! statistics, flame graph, spans table, critical path) re-roots on it unchanged.
//!
//! Spans are copied in pre-order, so the focused span is index 0 and `preorder` is the
//! identity; the text arena is shared, and only the attributes, events and links the subtree
//! uses are copied. One linear pass, no recursion.

use crate::model::{
    Attribute, Event, Link, Range32, Resource, Scope, Span, SpanFlags, Trace, TraceStats, NO_SPAN,
};

/// A focused sub-trace and, for each of its spans, the span's index in the whole trace.
pub struct Focused {
    pub trace: Trace,
    pub origin: Vec<u32>,
}

/// The spans from the root down to `span` (both included), root first.
pub fn path_to(trace: &Trace, span: u32) -> Vec<u32> {
    let mut path = Vec::new();
    let mut cur = span;
    while cur != NO_SPAN && (cur as usize) < trace.spans.len() && path.len() <= trace.spans.len() {
        path.push(cur);
        cur = trace.spans[cur as usize].parent;
    }
    path.reverse();
    path
}

/// Appends `items` to `into`: the range they now take.
fn append<T>(into: &mut Vec<T>, items: impl Iterator<Item = T>) -> Range32 {
    let start = into.len();
    into.extend(items);
    Range32::new(start, into.len())
}

/// `span`'s subtree as a trace (None when there is no such span).
pub fn subtree(trace: &Trace, span: u32) -> Option<Focused> {
    let pos = trace.preorder.iter().position(|&s| s == span)?;
    let top_depth = trace.spans[span as usize].depth;
    // A subtree ends at the next span as shallow as its root.
    let end = trace.preorder[pos + 1..]
        .iter()
        .position(|&s| trace.spans[s as usize].depth <= top_depth)
        .map_or(trace.preorder.len(), |n| pos + 1 + n);
    let origin = trace.preorder[pos..end].to_vec();
    let mut index_of = vec![NO_SPAN; trace.spans.len()];
    for (i, &s) in origin.iter().enumerate() {
        index_of[s as usize] = i as u32;
    }
    let mut attrs: Vec<Attribute> = Vec::new();
    let mut copy_attrs = |r: Range32| append(&mut attrs, trace.attrs[r.as_range()].iter().copied());
    let resources =
        trace.resources.iter().map(|r| Resource { attrs: copy_attrs(r.attrs), ..*r }).collect();
    let scopes = trace.scopes.iter().map(|s| Scope { attrs: copy_attrs(s.attrs), ..*s }).collect();
    let (mut events, mut links, mut children, mut span_warnings) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut stats = TraceStats { start_ns: i64::MAX, end_ns: i64::MIN, ..TraceStats::default() };
    let mut spans: Vec<Span> = Vec::with_capacity(origin.len());
    for &old in &origin {
        let o = &trace.spans[old as usize];
        let mut s = *o;
        s.parent = if old == span { NO_SPAN } else { index_of[o.parent as usize] };
        s.depth = o.depth - top_depth + 1;
        s.attrs = copy_attrs(o.attrs);
        s.events = append(
            &mut events,
            trace.span_events(o).iter().map(|&e| Event { attrs: copy_attrs(e.attrs), ..e }),
        );
        s.links = append(
            &mut links,
            trace.span_links(o).iter().map(|&l| Link { attrs: copy_attrs(l.attrs), ..l }),
        );
        s.children =
            append(&mut children, trace.span_children(o).iter().map(|&c| index_of[c as usize]));
        s.warnings =
            append(&mut span_warnings, trace.span_warnings[o.warnings.as_range()].iter().copied());
        stats.max_depth = stats.max_depth.max(s.depth);
        if !s.flags.has(SpanFlags::MISSING_TIME) {
            stats.start_ns = stats.start_ns.min(s.start_ns);
            stats.end_ns = stats.end_ns.max(s.end_ns());
        }
        spans.push(s);
    }
    if stats.start_ns > stats.end_ns {
        (stats.start_ns, stats.end_ns) = (0, 0);
    }
    let focused = Trace {
        trace_id: trace.trace_id,
        format: trace.format,
        strings: trace.strings.clone(),
        spans,
        attrs,
        events,
        links,
        resources,
        scopes,
        children,
        roots: vec![0],
        preorder: (0..origin.len() as u32).collect(),
        span_warnings,
        text: trace.text.clone(),
        warnings: Vec::new(),
        stats,
        id_text: trace.id_text.clone(),
        trace_id_text: trace.trace_id_text.clone(),
    };
    Some(Focused { trace: focused, origin })
}
