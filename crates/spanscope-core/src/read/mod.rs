//! Reading trace JSON of any supported format into a [`TraceSet`].
//!
//! The format is chosen by content ([`sniff`]), never by file name. Each reader streams: big
//! arrays are visited element by element and each span goes straight into the model, so no
//! intermediate tree of the whole document is built.

/// serde helpers the readers share (`spanscope-backend` reads its answers with them too).
pub mod de;
mod jaeger;
mod mixed;
mod otlp;
pub mod sniff;
mod zipkin;

use serde_json::de::StrRead;

use crate::builder::TraceSetBuilder;
use crate::draft::TraceDraft;
use crate::error::ReadError;
use crate::ids::{hashed_span_id, parse_span_id, parse_trace_id, SpanId, TraceId};
use crate::model::*;
use sniff::Sniffed;

/// What an input holds, as [`open`] found it.
#[derive(Debug)]
pub enum Opened {
    Traces(TraceSet),
    /// A backend's service dependency links (Jaeger UI's sample data, Jaeger's
    /// `/api/dependencies` answer, Zipkin's `/api/v2/dependencies`).
    DependencyLinks(Vec<crate::links::DependencyLink>),
}

/// The way in for any input a user has: reads traces or dependency links, whichever the
/// content is, and says which. Compressed input must be decompressed first (the CLI does it
/// itself, the app with the browser's `DecompressionStream`); it is named, not misread.
pub fn open(input: &[u8]) -> Result<Opened, ReadError> {
    let text = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if sniff::sniff(text) == Sniffed::DependencyLinks {
        return crate::links::read_dependency_links(text).map(Opened::DependencyLinks).map_err(
            |e| ReadError::Shape { format: "dependency links", line: 1, column: 1, message: e },
        );
    }
    read_bytes(input).map(Opened::Traces)
}

/// gzip's magic bytes (RFC 1952), whatever the file is called.
pub fn is_gzip(input: &[u8]) -> bool {
    input.starts_with(&[0x1f, 0x8b])
}

/// Reads every trace in `input` (one JSON document, or JSON lines).
pub fn read_bytes(input: &[u8]) -> Result<TraceSet, ReadError> {
    if is_gzip(input) {
        return Err(ReadError::Compressed);
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let mut builder = TraceSetBuilder::new();
    // Not JSON: binary OTLP (a request body, or the Collector's protobuf file export). Bytes
    // that are not that either get the JSON reader's message.
    if otlp::proto::looks_binary(input) {
        if let Some(result) = otlp::proto::read(input, &mut builder) {
            return finish(builder, result?.family());
        }
        builder = TraceSetBuilder::new();
    }
    let sniffed = sniff::sniff(input);
    let result = read_as(&sniffed, input, &mut builder);
    // Items of another format among the first one's (or one that broke its reader): a file
    // that mixes formats. Each item is then read by its own format; nothing goes silently.
    if builder.foreign_items > 0 || matches!(result, Err(ReadError::Shape { .. })) {
        if let Some(mixed) = mixed::read(input)? {
            return finish(mixed, "mixed");
        }
    }
    let format = result?.family();
    if builder.foreign_items > 0 {
        builder.warnings.push(format!(
            "{} item(s) in this {format} file are not {format} spans and were skipped",
            builder.foreign_items
        ));
    }
    finish(builder, format)
}

fn finish(builder: TraceSetBuilder, format: &'static str) -> Result<TraceSet, ReadError> {
    if builder.span_count() == 0 {
        return Err(ReadError::NoSpans { format, notes: builder.warnings });
    }
    Ok(builder.finish())
}

/// Reads `input` as what the sniffer found, into `builder`; returns the format read.
fn read_as(
    sniffed: &Sniffed,
    input: &[u8],
    builder: &mut TraceSetBuilder,
) -> Result<Format, ReadError> {
    match sniffed {
        Sniffed::JaegerEnvelope => jaeger::read(input, jaeger::Mode::Envelope, builder),
        Sniffed::JaegerTraces => jaeger::read(input, jaeger::Mode::Traces, builder),
        Sniffed::JaegerSpans => jaeger::read(input, jaeger::Mode::Spans, builder),
        Sniffed::Zipkin => zipkin::read(input, builder),
        Sniffed::Otlp => otlp::read(input, builder),
        Sniffed::DependencyLinks => Err(ReadError::NotATrace {
            what: "service dependency links ({parent, child, callCount})".into(),
        }),
        Sniffed::TraceSummaries => {
            Err(ReadError::NotATrace { what: "Jaeger trace summaries (search results)".into() })
        }
        Sniffed::TempoSearch => Err(ReadError::NotATrace { what: "Tempo search results".into() }),
        Sniffed::Unknown(keys) => {
            // Still report syntax errors first: they are the more useful message.
            check_syntax(input)?;
            Err(ReadError::UnknownShape { keys: keys.clone() })
        }
    }
}

fn check_syntax(input: &[u8]) -> Result<(), ReadError> {
    each_value(input, "JSON", |de| {
        serde::Deserialize::deserialize(de).map(|_: serde::de::IgnoredAny| ())
    })
}

type JsonDe<'de> = serde_json::Deserializer<StrRead<'de>>;

/// Calls `read_one` for each top-level JSON value: one for a normal file, one per line for
/// JSON lines.
fn each_value<'de>(
    input: &'de [u8],
    format: &'static str,
    mut read_one: impl FnMut(&mut JsonDe<'de>) -> Result<(), serde_json::Error>,
) -> Result<(), ReadError> {
    // Validating UTF-8 once up front is much faster than per string, and lets serde_json
    // borrow every string without checking it again.
    let text = std::str::from_utf8(input).map_err(|e| {
        let (line, column) = line_column(input, e.valid_up_to());
        ReadError::Syntax { line, column, message: "the input is not valid UTF-8 text".into() }
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    loop {
        read_one(&mut de).map_err(|e| ReadError::from_json(e, format))?;
        if de.end().is_ok() {
            return Ok(());
        }
    }
}

/// 1-based line and column of a byte offset.
fn line_column(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset.min(input.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset - before.iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0) + 1;
    (line, column)
}

/// A span with every field empty, ready for a reader to fill in.
fn blank_span(span_id: SpanId) -> Span {
    Span {
        span_id,
        parent_id: SpanId::NONE,
        start_ns: 0,
        duration_ns: 0,
        name: crate::intern::Sym::EMPTY,
        service: crate::intern::Sym::EMPTY,
        resource: u32::MAX,
        scope: 0,
        parent: NO_SPAN,
        depth: 0,
        attrs: Range32::default(),
        events: Range32::default(),
        links: Range32::default(),
        children: Range32::default(),
        warnings: Range32::default(),
        status_message: TextRef::default(),
        kind: SpanKind::Unspecified,
        status: StatusCode::Unset,
        flags: SpanFlags::default(),
    }
}

/// Reads a span id; one that is not hex is replaced by a stable hash, flagged, and its text
/// kept for display.
fn span_id_or_hash(draft: &mut TraceDraft, text: &str, flags: &mut SpanFlags) -> SpanId {
    match parse_span_id(text) {
        Ok(id) if !id.is_none() => id,
        _ => {
            flags.set(SpanFlags::BAD_ID);
            let id = hashed_span_id(text);
            draft.id_text.entry(id.0).or_insert_with(|| text.into());
            id
        }
    }
}

/// A trace id; one that is not hex is hashed, and its text kept for display.
fn trace_id_or_hash(text: &str) -> (TraceId, Option<Box<str>>) {
    match parse_trace_id(text) {
        Ok(id) => (id, None),
        Err(_) if text.is_empty() => (TraceId::default(), None),
        Err(_) => (TraceId::new(hashed_span_id(text).0 as u128, false), Some(text.into())),
    }
}

/// Parent id: empty or all-zero means none; anything unreadable is hashed like span ids.
fn parent_id(text: &str) -> SpanId {
    if text.is_empty() {
        return SpanId::NONE;
    }
    match parse_span_id(text) {
        Ok(id) => id,
        Err(_) => hashed_span_id(text),
    }
}

/// Microseconds (Jaeger, Zipkin) to nanoseconds, flagging values that overflow.
fn micros_to_ns(us: i64, flags: &mut SpanFlags) -> i64 {
    us.checked_mul(1000).unwrap_or_else(|| {
        flags.set(SpanFlags::ABSURD_TIME);
        if us < 0 {
            i64::MIN
        } else {
            i64::MAX
        }
    })
}

fn finish_span_warnings(draft: &mut TraceDraft, start: usize) -> Range32 {
    Range32::new(start, draft.span_warnings.len())
}

/// Same as the readers' blank span, for the synthetic trace generator.
pub(crate) fn blank_span_for_generator(id: SpanId) -> Span {
    blank_span(id)
}

/// Traces that the spans of one container (a Jaeger trace object, an OTLP resource) went to,
/// in first-seen order, so its deferred process/resource data can be filled in afterwards.
/// Usually one; a Collector batch can mix thousands, hence the set.
#[derive(Default)]
pub(crate) struct Touched {
    pub order: Vec<TraceId>,
    seen: rustc_hash::FxHashSet<u128>,
    /// OTLP: (trace, the scope's index in that trace, its place among the resource's
    /// scopes) for each run of spans, so each trace's scopes are filled in without visiting
    /// every scope of the resource for every trace.
    pub scoped: Vec<(TraceId, u32, u32)>,
}

impl Touched {
    pub fn add(&mut self, id: TraceId) {
        if self.order.last() != Some(&id) && self.seen.insert(id.value) {
            self.order.push(id);
        }
    }
}
