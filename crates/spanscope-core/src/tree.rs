//! Turns a draft into a checked tree: merges Zipkin's split spans, resolves parent links
//! (including Zipkin's shared client/server ids), cuts cycles, orders children by start time
//! and computes depth and pre-order, all with loops and explicit stacks: a 100,000-deep chain
//! must not overflow the stack.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::draft::TraceDraft;
use crate::intern::{Interner, Sym};
use crate::model::*;

/// 100 days: a single span longer than this is almost certainly a unit mistake.
const MAX_SANE_DURATION_NS: i64 = 100 * 24 * 3600 * 1_000_000_000;

pub(crate) struct TreeParts {
    children: Vec<u32>,
    roots: Vec<u32>,
    preorder: Vec<u32>,
    stats: TraceStats,
}

impl TreeParts {
    pub(crate) fn into_trace(self, d: TraceDraft, strings: Arc<Interner>) -> Trace {
        Trace {
            trace_id: d.trace_id,
            format: d.format,
            strings,
            spans: d.spans,
            attrs: d.attrs,
            events: d.events,
            links: d.links,
            resources: d.resources,
            scopes: d.scopes,
            children: self.children,
            roots: self.roots,
            preorder: self.preorder,
            span_warnings: d.span_warnings,
            text: Arc::new(d.text),
            warnings: d.warnings,
            stats: self.stats,
            id_text: d.id_text,
            trace_id_text: d.trace_id_text,
        }
    }
}

pub(crate) fn resolve(mut d: TraceDraft, strings: &mut Interner) -> (TraceDraft, TreeParts) {
    assign_services(&mut d, strings);
    if matches!(d.format, Format::ZipkinV1 | Format::ZipkinV2) {
        let unknown = strings.intern("unknown_service");
        merge_split_spans(&mut d, unknown);
    }
    let mut stats = TraceStats::default();
    check_times(&mut d, &mut stats);
    link_parents(&mut d, &mut stats);
    cut_cycles(&mut d, &mut stats);
    let (children, roots) = build_children(&mut d);
    let preorder = walk_depths(&mut d, &children, &roots, &mut stats);
    flag_skew(&mut d, &mut stats);
    describe(&mut d, &stats);
    (d, TreeParts { children, roots, preorder, stats })
}

/// Copies each span's service from its resource; resources never defined get "unknown".
fn assign_services(d: &mut TraceDraft, strings: &mut Interner) {
    let unknown = strings.intern("unknown_service");
    let mut undefined = 0;
    for r in d.resources.iter_mut() {
        if r.service == Sym::EMPTY {
            r.service = unknown;
            undefined += 1;
        }
    }
    if d.unresolved_resources > 0 && undefined > 0 {
        d.warnings.push(format!(
            "{undefined} process/resource reference(s) have no definition; their spans are shown under 'unknown_service'"
        ));
    }
    for span in d.spans.iter_mut() {
        if let Some(r) = d.resources.get(span.resource as usize) {
            span.service = r.service;
        } else if span.service == Sym::EMPTY {
            span.service = unknown;
        }
    }
}

/// More parts than this under one span id is broken instrumentation, not a span reported
/// late: the rest stay separate spans (flagged as duplicate ids) and a warning says so.
pub const MAX_PARTS_PER_SPAN: usize = 1024;

/// The spans that parts with one (id, shared) key can merge into, so that finding a part's
/// span costs O(1) however many services share the id.
#[derive(Default)]
struct MergeTargets {
    /// The first span kept, and its position: a part with no service joins it.
    first: Option<usize>,
    /// A kept span with no service yet: any part joins it.
    unknown: Option<(usize, usize)>,
    /// Kept spans by service, each with its position (the earliest kept per service).
    by_service: FxHashMap<Sym, (usize, usize)>,
    kept: usize,
}

/// Zipkin reports one span in parts (annotations sent late, retries): parts with the same id
/// and shared flag whose services agree (or one has none) are one span, as in Zipkin's own
/// `mergeV2ById`. Each span's parts are merged in one pass, so any number of parts costs
/// linear time and memory.
fn merge_split_spans(d: &mut TraceDraft, unknown: Sym) {
    let mut groups: FxHashMap<(u64, bool), MergeTargets> = FxHashMap::default();
    // For each span that absorbs parts: the parts, in input order.
    let mut parts_of: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut over_cap = 0usize;
    for i in 0..d.spans.len() {
        let s = d.spans[i];
        let g = groups.entry((s.span_id.0, s.flags.has(SpanFlags::SHARED))).or_default();
        // The first kept span that is compatible: same service, or either has none.
        let target = if s.service == unknown {
            g.first
        } else {
            let same = g.by_service.get(&s.service).copied();
            match (same, g.unknown) {
                (Some(a), Some(b)) => Some(if a.1 < b.1 { a.0 } else { b.0 }),
                (a, b) => a.or(b).map(|t| t.0),
            }
        };
        let parts = target.map(|t| parts_of.get(&t).map_or(0, Vec::len));
        match (target, parts) {
            (Some(t), Some(n)) if n + 1 < MAX_PARTS_PER_SPAN => {
                if d.spans[t].service == unknown && s.service != unknown {
                    d.spans[t].service = s.service;
                    d.spans[t].resource = s.resource;
                    let position = g.unknown.take().map_or(0, |u| u.1);
                    g.by_service
                        .entry(s.service)
                        .and_modify(|e| *e = (*e).min((t, position)))
                        .or_insert((t, position));
                }
                parts_of.entry(t).or_default().push(i);
            }
            (Some(_), _) => over_cap += 1,
            (None, _) => {
                let position = g.kept;
                g.kept += 1;
                g.first.get_or_insert(i);
                if s.service == unknown {
                    g.unknown.get_or_insert((i, position));
                } else {
                    g.by_service.entry(s.service).or_insert((i, position));
                }
            }
        }
    }
    if over_cap > 0 {
        d.warnings.push(format!(
            "{over_cap} Zipkin span parts were not merged: more than {MAX_PARTS_PER_SPAN} parts share one span id"
        ));
    }
    if parts_of.is_empty() {
        return;
    }
    let mut removed = vec![false; d.spans.len()];
    let mut targets: Vec<usize> = parts_of.keys().copied().collect();
    targets.sort_unstable();
    for into in targets {
        let parts = &parts_of[&into];
        let mut whole = d.spans[into];
        for &from in parts {
            let part = d.spans[from];
            if whole.name == Sym::EMPTY {
                whole.name = part.name;
            }
            if whole.kind == SpanKind::Unspecified {
                whole.kind = part.kind;
            }
            if whole.flags.has(SpanFlags::MISSING_TIME) && !part.flags.has(SpanFlags::MISSING_TIME)
            {
                whole.start_ns = part.start_ns;
                whole.flags.clear(SpanFlags::MISSING_TIME);
            }
            if whole.duration_ns == 0 {
                whole.duration_ns = part.duration_ns;
            }
            if whole.parent_id.is_none() {
                whole.parent_id = part.parent_id;
            }
            if part.status == StatusCode::Error {
                whole.status = StatusCode::Error;
                if whole.status_message.len == 0 {
                    whole.status_message = part.status_message;
                }
            }
            removed[from] = true;
        }
        let ranges = |f: fn(&Span) -> Range32| {
            std::iter::once(f(&d.spans[into]))
                .chain(parts.iter().map(|&p| f(&d.spans[p])))
                .collect::<Vec<_>>()
        };
        whole.attrs = merge_attrs(&mut d.attrs, &ranges(|s| s.attrs));
        whole.events = merge_events(&mut d.events, &ranges(|s| s.events));
        whole.links = concat_ranges(&mut d.links, &ranges(|s| s.links));
        d.spans[into] = whole;
    }
    let mut i = 0;
    d.spans.retain(|_| {
        let keep = !removed[i];
        i += 1;
        keep
    });
}

/// Zipkin merges tags as a map: a later part's value replaces an earlier one with the same
/// key, which keeps its first place.
fn merge_attrs(attrs: &mut Vec<Attribute>, parts: &[Range32]) -> Range32 {
    let mut merged: Vec<Attribute> = Vec::new();
    let mut place: FxHashMap<Sym, usize> = FxHashMap::default();
    for r in parts {
        for attr in &attrs[r.as_range()] {
            match place.get(&attr.key) {
                Some(&at) => merged[at].value = attr.value,
                None => {
                    place.insert(attr.key, merged.len());
                    merged.push(*attr);
                }
            }
        }
    }
    let start = attrs.len();
    attrs.extend(merged);
    Range32::new(start, attrs.len())
}

/// Annotations are a set: identical (time, name) pairs from several parts count once.
fn merge_events(events: &mut Vec<Event>, parts: &[Range32]) -> Range32 {
    let mut seen: rustc_hash::FxHashSet<(i64, Sym)> = Default::default();
    let mut merged: Vec<Event> = Vec::new();
    for r in parts {
        for e in &events[r.as_range()] {
            if seen.insert((e.time_ns, e.name)) {
                merged.push(*e);
            }
        }
    }
    crate::sort::sort_by_key(&mut merged, |e| (e.time_ns, e.name));
    let start = events.len();
    events.extend(merged);
    Range32::new(start, events.len())
}

/// Appends copies of several ranges so they become one contiguous range.
fn concat_ranges<T: Copy>(items: &mut Vec<T>, parts: &[Range32]) -> Range32 {
    let non_empty: Vec<&Range32> = parts.iter().filter(|r| r.len > 0).collect();
    match non_empty.as_slice() {
        [] => Range32::default(),
        [one] => **one,
        _ => {
            let start = items.len();
            for r in non_empty {
                items.extend_from_within(r.as_range());
            }
            Range32::new(start, items.len())
        }
    }
}

fn check_times(d: &mut TraceDraft, stats: &mut TraceStats) {
    for s in d.spans.iter_mut() {
        if s.duration_ns < 0 {
            s.duration_ns = 0;
            s.flags.set(SpanFlags::NEGATIVE_DURATION);
        }
        if s.start_ns < 0 || s.duration_ns > MAX_SANE_DURATION_NS || s.start_ns == i64::MAX {
            s.flags.set(SpanFlags::ABSURD_TIME);
        }
        let f = s.flags;
        stats.negative_durations += f.has(SpanFlags::NEGATIVE_DURATION) as usize;
        stats.absurd_times += f.has(SpanFlags::ABSURD_TIME) as usize;
        stats.missing_times += f.has(SpanFlags::MISSING_TIME) as usize;
        stats.bad_ids += f.has(SpanFlags::BAD_ID) as usize;
    }
    let mut start = i64::MAX;
    let mut end = i64::MIN;
    for s in d.spans.iter().filter(|s| !s.flags.has(SpanFlags::MISSING_TIME)) {
        start = start.min(s.start_ns);
        end = end.max(s.end_ns());
    }
    if start > end {
        start = 0;
        end = 0;
    }
    stats.start_ns = start;
    stats.end_ns = end;
}

/// Shared (server) spans by id, looked up in O(1) however many services share one id: the
/// first one per id, and the first one per id and service.
#[derive(Default)]
struct SharedSpans {
    first: FxHashMap<u64, u32>,
    on_service: FxHashMap<(u64, Sym), u32>,
}

impl SharedSpans {
    fn add(&mut self, id: u64, service: Sym, index: u32) {
        self.first.entry(id).or_insert(index);
        self.on_service.entry((id, service)).or_insert(index);
    }
}

/// Resolves `parent_id` to an index. Follows Zipkin's rules for shared ids: a shared (server)
/// span is the child of the non-shared (client) span with its id, and a child naming that id
/// belongs to the shared span on its own service when there is one.
fn link_parents(d: &mut TraceDraft, stats: &mut TraceStats) {
    let n = d.spans.len();
    let mut plain: FxHashMap<u64, u32> = FxHashMap::default();
    plain.reserve(n);
    let mut shared = SharedSpans::default();

    // One pass indexes non-shared spans by id. Jaeger data converted from Zipkin carries
    // client and server halves under one id: the server half becomes shared, like Jaeger's
    // own span-id deduplication does; other collisions are duplicates.
    let mut dup_first: Vec<u32> = Vec::new();
    for i in 0..n {
        let s = d.spans[i];
        if s.flags.has(SpanFlags::SHARED) {
            shared.add(s.span_id.0, s.service, i as u32);
            continue;
        }
        match plain.entry(s.span_id.0) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i as u32);
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let first = *e.get() as usize;
                let o = d.spans[first];
                if s.kind == SpanKind::Server && o.kind == SpanKind::Client {
                    d.spans[i].flags.set(SpanFlags::SHARED);
                    shared.add(s.span_id.0, s.service, i as u32);
                } else if o.kind == SpanKind::Server
                    && s.kind == SpanKind::Client
                    && !o.flags.has(SpanFlags::DUPLICATE_ID)
                {
                    d.spans[first].flags.set(SpanFlags::SHARED);
                    shared.add(s.span_id.0, o.service, first as u32);
                    e.insert(i as u32);
                } else {
                    d.spans[i].flags.set(SpanFlags::DUPLICATE_ID);
                    stats.duplicate_ids += 1;
                    dup_first.push(first as u32);
                }
            }
        }
    }
    for first in dup_first.drain(..) {
        d.spans[first as usize].flags.set(SpanFlags::DUPLICATE_ID);
    }
    // "Shared" means sharing an id with a client span in this trace; without one it is just a
    // server span (Zipkin drops the flag on a lone root the same way).
    for s in d.spans.iter_mut() {
        if s.flags.has(SpanFlags::SHARED) && !plain.contains_key(&s.span_id.0) {
            s.flags.clear(SpanFlags::SHARED);
        }
    }

    for i in 0..n {
        let s = d.spans[i];
        let parent = if s.flags.has(SpanFlags::SHARED) {
            match plain.get(&s.span_id.0).filter(|&&client| client as usize != i) {
                Some(&client) => Some(client),
                None if s.parent_id.is_none() => None,
                None => plain.get(&s.parent_id.0).copied(),
            }
        } else if s.parent_id.is_none() {
            None
        } else {
            let p = s.parent_id.0;
            shared
                .on_service
                .get(&(p, s.service))
                .copied()
                .or_else(|| plain.get(&p).copied())
                .or_else(|| shared.first.get(&p).copied())
        };
        let span = &mut d.spans[i];
        match parent {
            Some(p) => span.parent = p,
            None => {
                span.parent = NO_SPAN;
                // A span that names a parent which is not in the trace is an orphan.
                if !span.parent_id.is_none() {
                    span.flags.set(SpanFlags::ORPHAN);
                    stats.orphans += 1;
                }
            }
        }
    }
}

/// Finds spans whose parent chain never reaches a root and cuts one link per cycle.
/// Each span is visited a bounded number of times: O(n).
fn cut_cycles(d: &mut TraceDraft, stats: &mut TraceStats) {
    let n = d.spans.len();
    // 0 = unknown, 1 = reaches a root, 2 + k = on the walk started at span k.
    let mut state = vec![0u32; n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let stamp = start as u32 + 2;
        let mut cur = start;
        loop {
            if state[cur] == 1 {
                break;
            }
            if state[cur] == stamp {
                // `cur` is on a cycle: make it a root.
                d.spans[cur].parent = NO_SPAN;
                d.spans[cur].flags.set(SpanFlags::CYCLE_CUT);
                stats.cycles_cut += 1;
                break;
            }
            state[cur] = stamp;
            let p = d.spans[cur].parent;
            if p == NO_SPAN {
                break;
            }
            cur = p as usize;
        }
        // Everything stamped on this walk now reaches a root.
        let mut cur = start;
        while state[cur] == stamp {
            state[cur] = 1;
            let p = d.spans[cur].parent;
            if p == NO_SPAN {
                break;
            }
            cur = p as usize;
        }
    }
}

/// Children of every span in one array (counting sort by parent), each group sorted by start.
fn build_children(d: &mut TraceDraft) -> (Vec<u32>, Vec<u32>) {
    let n = d.spans.len();
    let mut counts = vec![0u32; n + 1];
    for s in &d.spans {
        if s.parent != NO_SPAN {
            counts[s.parent as usize] += 1;
        }
    }
    let mut offset = 0u32;
    for (i, s) in d.spans.iter_mut().enumerate() {
        s.children = Range32 { start: offset, len: counts[i] };
        offset += counts[i];
    }
    let mut fill: Vec<u32> = d.spans.iter().map(|s| s.children.start).collect();
    let mut children = vec![0u32; offset as usize];
    let mut roots = Vec::new();
    for (i, s) in d.spans.iter().enumerate() {
        if s.parent == NO_SPAN {
            roots.push(i as u32);
        } else {
            let slot = &mut fill[s.parent as usize];
            children[*slot as usize] = i as u32;
            *slot += 1;
        }
    }
    let spans = &d.spans;
    // Spans without a timestamp sort last rather than at 1970.
    let key = |i: u32| {
        let s = &spans[i as usize];
        (s.flags.has(SpanFlags::MISSING_TIME), s.start_ns, i)
    };
    let by_start = |a: &u32, b: &u32| key(*a).cmp(&key(*b));
    for s in spans.iter() {
        if s.children.len > 1 {
            children[s.children.as_range()].sort_unstable_by(by_start);
        }
    }
    roots.sort_unstable_by(by_start);
    (children, roots)
}

fn walk_depths(
    d: &mut TraceDraft,
    children: &[u32],
    roots: &[u32],
    stats: &mut TraceStats,
) -> Vec<u32> {
    let mut preorder = Vec::with_capacity(d.spans.len());
    let mut stack: Vec<u32> = roots.iter().rev().copied().collect();
    for &r in roots {
        d.spans[r as usize].depth = 1;
    }
    while let Some(i) = stack.pop() {
        preorder.push(i);
        let span = d.spans[i as usize];
        stats.max_depth = stats.max_depth.max(span.depth);
        for &c in children[span.children.as_range()].iter().rev() {
            d.spans[c as usize].depth = span.depth + 1;
            stack.push(c);
        }
    }
    preorder
}

fn flag_skew(d: &mut TraceDraft, stats: &mut TraceStats) {
    for i in 0..d.spans.len() {
        let s = d.spans[i];
        if s.parent == NO_SPAN || s.flags.has(SpanFlags::MISSING_TIME) {
            continue;
        }
        let p = d.spans[s.parent as usize];
        if p.flags.has(SpanFlags::MISSING_TIME) {
            continue;
        }
        if s.start_ns < p.start_ns {
            d.spans[i].flags.set(SpanFlags::STARTS_BEFORE_PARENT);
            stats.starts_before_parent += 1;
        }
        if s.end_ns() > p.end_ns() {
            d.spans[i].flags.set(SpanFlags::ENDS_AFTER_PARENT);
        }
    }
}

/// Human-readable trace warnings for every check that found something.
fn describe(d: &mut TraceDraft, st: &TraceStats) {
    let mut add = |count: usize, text: &str| {
        if count > 0 {
            d.warnings.push(format!("{count} {text}"));
        }
    };
    add(
        st.orphans,
        "orphan span(s): parent id not in this trace (trace incomplete); shown as roots",
    );
    add(st.duplicate_ids, "span(s) reuse the id of another span; children attach to the first");
    add(st.cycles_cut, "cycle(s) in parent links; each was cut and its span shown as a root");
    add(st.starts_before_parent, "span(s) start before their parent (clock skew?); raw times kept");
    add(st.negative_durations, "span(s) have a negative duration; shown as 0");
    add(st.missing_times, "span(s) have no start time");
    add(st.absurd_times, "span(s) have an impossible timestamp or a duration over 100 days");
    add(
        st.bad_ids,
        "span(s) have an id that is not hex (kept as text; other formats need hex ids)",
    );
}
