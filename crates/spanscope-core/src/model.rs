//! The normalized trace model shared by every format.
//!
//! Built for a million spans: spans live in one `Vec` per trace and refer to each other by
//! `u32` index; attributes, events, links and children are index ranges into flat arrays;
//! names are interned [`Sym`]s and free text lives in one arena per trace. No boxed tree, and
//! nothing recursive over depth.

use std::sync::Arc;

use crate::ids::{SpanId, TraceId};
use crate::intern::{Interner, Sym};

/// Index meaning "no span" (a root, or a parent that is not in the trace).
pub const NO_SPAN: u32 = u32::MAX;

/// A half-open range `[start, start + len)` into one of a trace's flat arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range32 {
    pub start: u32,
    pub len: u32,
}

impl Range32 {
    pub fn new(start: usize, end: usize) -> Self {
        Range32 { start: start as u32, len: (end - start) as u32 }
    }
    pub fn as_range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// A string stored in a trace's text arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextRef {
    pub offset: u32,
    pub len: u32,
}

/// The input format a trace was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jaeger,
    ZipkinV2,
    ZipkinV1,
    Otlp,
}

impl Format {
    pub fn name(&self) -> &'static str {
        match self {
            Format::Jaeger => "jaeger",
            Format::ZipkinV2 => "zipkin-v2",
            Format::ZipkinV1 => "zipkin-v1",
            Format::Otlp => "otlp",
        }
    }

    /// The format's family as messages name it: `Jaeger`, `Zipkin` (v1 and v2 are read by
    /// one reader) or `OTLP`.
    pub fn family(&self) -> &'static str {
        match self {
            Format::Jaeger => "Jaeger",
            Format::ZipkinV2 | Format::ZipkinV1 => "Zipkin",
            Format::Otlp => "OTLP",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum SpanKind {
    #[default]
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

impl SpanKind {
    /// Lowercase name as Jaeger's `span.kind` tag uses it.
    pub fn name(&self) -> &'static str {
        match self {
            SpanKind::Unspecified => "",
            SpanKind::Internal => "internal",
            SpanKind::Server => "server",
            SpanKind::Client => "client",
            SpanKind::Producer => "producer",
            SpanKind::Consumer => "consumer",
        }
    }

    /// Reads `server`, `SERVER` or `SPAN_KIND_SERVER` (and so on) without allocating.
    pub fn from_name(s: &str) -> SpanKind {
        let s = match s.get(..10) {
            Some(prefix) if prefix.eq_ignore_ascii_case("span_kind_") => &s[10..],
            _ => s,
        };
        const NAMES: [(&str, SpanKind); 5] = [
            ("server", SpanKind::Server),
            ("client", SpanKind::Client),
            ("internal", SpanKind::Internal),
            ("producer", SpanKind::Producer),
            ("consumer", SpanKind::Consumer),
        ];
        NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|(_, k)| *k)
            .unwrap_or_default()
    }

    /// OTLP's integer enum.
    pub fn from_otlp(n: i64) -> SpanKind {
        match n {
            1 => SpanKind::Internal,
            2 => SpanKind::Server,
            3 => SpanKind::Client,
            4 => SpanKind::Producer,
            5 => SpanKind::Consumer,
            _ => SpanKind::Unspecified,
        }
    }

    pub fn to_otlp(&self) -> i64 {
        *self as u8 as i64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum StatusCode {
    #[default]
    Unset,
    Ok,
    Error,
}

impl StatusCode {
    pub fn from_otlp(n: i64) -> StatusCode {
        match n {
            1 => StatusCode::Ok,
            2 => StatusCode::Error,
            _ => StatusCode::Unset,
        }
    }
    pub fn from_name(s: &str) -> StatusCode {
        match s.to_ascii_uppercase().trim_start_matches("STATUS_CODE_") {
            "OK" => StatusCode::Ok,
            "ERROR" => StatusCode::Error,
            _ => StatusCode::Unset,
        }
    }
}

/// Per-span facts found while building the tree, as bits to keep `Span` small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpanFlags(pub u16);

impl SpanFlags {
    /// Has a parent id, but no span with that id is in the trace.
    pub const ORPHAN: u16 = 1;
    /// Another span in the trace has the same id.
    pub const DUPLICATE_ID: u16 = 1 << 1;
    /// Its parent link closed a cycle and was cut.
    pub const CYCLE_CUT: u16 = 1 << 2;
    /// Starts before its parent starts (clock skew or bad data).
    pub const STARTS_BEFORE_PARENT: u16 = 1 << 3;
    /// Ends after its parent ends (async work, or skew).
    pub const ENDS_AFTER_PARENT: u16 = 1 << 4;
    /// The input duration was negative; it is stored as 0.
    pub const NEGATIVE_DURATION: u16 = 1 << 5;
    /// No start timestamp in the input.
    pub const MISSING_TIME: u16 = 1 << 6;
    /// Timestamp before 1970 or after 2300, or a duration over 100 days.
    pub const ABSURD_TIME: u16 = 1 << 7;
    /// Zipkin server span that shares its id with the client span that called it.
    pub const SHARED: u16 = 1 << 8;
    /// The span id was not hex; it was replaced by a hash of its text.
    pub const BAD_ID: u16 = 1 << 9;
    /// Its parent reference is Jaeger's FOLLOWS_FROM: the parent does not wait for it, so it
    /// is not on the parent's critical path.
    pub const FOLLOWS_FROM: u16 = 1 << 10;

    pub fn has(&self, bit: u16) -> bool {
        self.0 & bit != 0
    }
    pub fn set(&mut self, bit: u16) {
        self.0 |= bit;
    }
    pub fn clear(&mut self, bit: u16) {
        self.0 &= !bit;
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttrValue {
    Str(TextRef),
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Raw bytes, kept as the base64 text the formats carry.
    Bytes(TextRef),
    /// An OTLP array or key-value list, kept as compact JSON text.
    Json(TextRef),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attribute {
    pub key: Sym,
    pub value: AttrValue,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub time_ns: i64,
    pub name: Sym,
    pub attrs: Range32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Jaeger CHILD_OF reference.
    ChildOf,
    /// Jaeger FOLLOWS_FROM reference.
    FollowsFrom,
    /// OTLP span link.
    Link,
}

impl LinkKind {
    pub fn name(&self) -> &'static str {
        match self {
            LinkKind::ChildOf => "CHILD_OF",
            LinkKind::FollowsFrom => "FOLLOWS_FROM",
            LinkKind::Link => "LINK",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub kind: LinkKind,
    pub trace_id: TraceId,
    pub span_id: SpanId,
    pub attrs: Range32,
}

/// A Jaeger process, Zipkin local endpoint or OTLP resource: where spans ran.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Resource {
    pub service: Sym,
    pub attrs: Range32,
}

/// OTLP instrumentation scope (library) that produced a span.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scope {
    pub name: Sym,
    pub version: Sym,
    pub attrs: Range32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub span_id: SpanId,
    /// Parent id as written in the input (zero if none).
    pub parent_id: SpanId,
    /// Start, in nanoseconds since the Unix epoch, as in the input (never adjusted).
    pub start_ns: i64,
    pub duration_ns: i64,
    pub name: Sym,
    pub service: Sym,
    pub resource: u32,
    pub scope: u32,
    /// Index of the parent span in `Trace::spans`, or [`NO_SPAN`].
    pub parent: u32,
    /// 1 for a root.
    pub depth: u32,
    pub attrs: Range32,
    pub events: Range32,
    pub links: Range32,
    /// Range into `Trace::children`, sorted by start time.
    pub children: Range32,
    /// Range into `Trace::span_warnings`.
    pub warnings: Range32,
    pub status_message: TextRef,
    pub kind: SpanKind,
    pub status: StatusCode,
    pub flags: SpanFlags,
}

impl Span {
    pub fn end_ns(&self) -> i64 {
        self.start_ns.saturating_add(self.duration_ns)
    }
    pub fn is_error(&self) -> bool {
        self.status == StatusCode::Error
    }
}

/// One trace, ready to display: the tree is resolved and checked.
#[derive(Debug, Clone)]
pub struct Trace {
    pub trace_id: TraceId,
    pub format: Format,
    pub strings: Arc<Interner>,
    pub spans: Vec<Span>,
    pub attrs: Vec<Attribute>,
    pub events: Vec<Event>,
    pub links: Vec<Link>,
    pub resources: Vec<Resource>,
    pub scopes: Vec<Scope>,
    /// Child span indices; each span's `children` range points here.
    pub children: Vec<u32>,
    /// Roots (spans with no parent in the trace), sorted by start time.
    pub roots: Vec<u32>,
    /// Depth-first pre-order of all spans (roots in start order, children in start order):
    /// the waterfall's row order when everything is expanded.
    pub preorder: Vec<u32>,
    pub span_warnings: Vec<TextRef>,
    /// Shared, so a focused sub-trace (`focus::subtree`) reuses it instead of copying it.
    pub text: Arc<String>,
    /// Trace-level warnings from the input (Jaeger `warnings`) and from checks.
    pub warnings: Vec<String>,
    pub stats: TraceStats,
    /// Original text of span ids that were not hex (their `SpanId` is a hash).
    pub id_text: rustc_hash::FxHashMap<u64, Box<str>>,
    /// Original text of a trace id that was not hex.
    pub trace_id_text: Option<Box<str>>,
}

/// Counts found while building the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceStats {
    pub orphans: usize,
    pub duplicate_ids: usize,
    pub cycles_cut: usize,
    pub starts_before_parent: usize,
    pub negative_durations: usize,
    pub missing_times: usize,
    pub absurd_times: usize,
    pub bad_ids: usize,
    pub max_depth: u32,
    pub start_ns: i64,
    pub end_ns: i64,
}

impl Trace {
    /// The trace id as the user knows it: lowercase hex, or the input's text if not hex.
    pub fn trace_id_string(&self) -> String {
        match &self.trace_id_text {
            Some(text) => text.to_string(),
            None => self.trace_id.to_hex(),
        }
    }

    /// A span id as the user knows it.
    pub fn span_id_string(&self, id: SpanId) -> String {
        match self.id_text.get(&id.0) {
            Some(text) => text.to_string(),
            None => id.to_string(),
        }
    }

    pub fn str(&self, sym: Sym) -> &str {
        self.strings.get(sym)
    }

    pub fn text(&self, r: TextRef) -> &str {
        let start = r.offset as usize;
        self.text.get(start..start + r.len as usize).unwrap_or("")
    }

    pub fn span_attrs(&self, span: &Span) -> &[Attribute] {
        &self.attrs[span.attrs.as_range()]
    }

    pub fn span_events(&self, span: &Span) -> &[Event] {
        &self.events[span.events.as_range()]
    }

    pub fn span_links(&self, span: &Span) -> &[Link] {
        &self.links[span.links.as_range()]
    }

    pub fn span_children(&self, span: &Span) -> &[u32] {
        &self.children[span.children.as_range()]
    }

    pub fn span_warnings(&self, span: &Span) -> impl Iterator<Item = &str> {
        self.span_warnings[span.warnings.as_range()].iter().map(|t| self.text(*t))
    }

    pub fn resource_attrs(&self, resource: u32) -> &[Attribute] {
        match self.resources.get(resource as usize) {
            Some(r) => &self.attrs[r.attrs.as_range()],
            None => &[],
        }
    }

    /// Index of the first span with this id (duplicates after the first are skipped).
    /// The first span with this id. A scan: for many lookups, build `span_index` once.
    pub fn find_span(&self, id: SpanId) -> Option<u32> {
        self.spans.iter().position(|s| s.span_id == id).map(|i| i as u32)
    }

    /// The first span whose id reads `text` (as `span_id_string` writes it): a link's span.
    pub fn find_span_by_text(&self, text: &str) -> Option<u32> {
        // Hex ids are written in lower case; links may carry upper case (Jaeger UI's uiFind).
        let text = text.trim();
        // A 16-digit hex id is compared as a number: no string per span at 1M spans.
        if text.len() == 16 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(v) = u64::from_str_radix(text, 16) {
                if !self.id_text.contains_key(&v) {
                    return self.spans.iter().position(|s| s.span_id.0 == v).map(|i| i as u32);
                }
            }
        }
        self.spans
            .iter()
            .position(|s| self.span_id_string(s.span_id).eq_ignore_ascii_case(text))
            .map(|i| i as u32)
    }

    /// Span indices by id (the first span of an id, as `find_span` finds it).
    pub fn span_index(&self) -> rustc_hash::FxHashMap<SpanId, u32> {
        let mut index = rustc_hash::FxHashMap::default();
        index.reserve(self.spans.len());
        for (i, s) in self.spans.iter().enumerate() {
            index.entry(s.span_id).or_insert(i as u32);
        }
        index
    }

    /// The attribute value as display text (numbers and booleans formatted, text as-is).
    pub fn value_text(&self, value: &AttrValue) -> String {
        match value {
            AttrValue::Str(t) | AttrValue::Bytes(t) | AttrValue::Json(t) => {
                self.text(*t).to_string()
            }
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Int(i) => i.to_string(),
            AttrValue::Float(f) => format_float(*f),
        }
    }

    /// Every service with its span count, sorted by name: the order that decides service
    /// colours everywhere. One pass over the spans, counting by interned symbol.
    pub fn service_counts(&self) -> Vec<(Sym, usize)> {
        let mut counts: rustc_hash::FxHashMap<Sym, usize> = Default::default();
        for s in &self.spans {
            *counts.entry(s.service).or_default() += 1;
        }
        let mut out: Vec<(Sym, usize)> = counts.into_iter().collect();
        crate::sort::sort_by(&mut out, |a, b| self.str(a.0).cmp(self.str(b.0)));
        out
    }

    pub fn duration_ns(&self) -> i64 {
        self.stats.end_ns.saturating_sub(self.stats.start_ns)
    }
}

/// Formats a float the way JSON writers do: integral values keep no fraction digits.
pub fn format_float(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Everything read from one input: traces in order of first appearance, plus file-level
/// warnings (for example Jaeger envelope `errors`).
#[derive(Debug, Clone, Default)]
pub struct TraceSet {
    pub traces: Vec<Trace>,
    pub warnings: Vec<String>,
}
