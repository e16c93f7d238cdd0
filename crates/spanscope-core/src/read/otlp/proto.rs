//! Binary OTLP: an `ExportTraceServiceRequest` (what SDKs POST to `/v1/traces`, and what
//! `TracesData` encodes identically), or the Collector's file export with `format: proto`
//! (each message preceded by its length as a 4-byte big-endian integer).
//!
//! Decoded by hand from the protobuf wire format, field numbers as in the published
//! `opentelemetry/proto/{collector/trace/v1,trace/v1,common/v1,resource/v1}/*.proto` (only
//! fields Spanscope shows are read; others are skipped, as protobuf requires). Strings and
//! ids are borrowed from the input. This replaced prost's derived decoder, which cost the
//! app 13 KB gzipped for the same messages. Each span then goes through the same code as
//! OTLP JSON, so both encodings read the same.

use std::borrow::Cow;

use super::{fill_resource, push_placed, AnyVal, KeyValue, OEvent, OLink, OResource, OScope};
use super::{OSpan, OStatus, SpanPlace};
use crate::builder::TraceSetBuilder;
use crate::error::ReadError;
use crate::ids::encode_base64;
use crate::model::Format;
use crate::read::de::{Int, Scalar, Str};
use crate::read::Touched;

/// The bytes are not a well-formed message of the expected type.
struct Malformed;

type Decoded<T> = Result<T, Malformed>;

/// One field's value, by wire type.
#[derive(Clone, Copy)]
enum Wire<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32,
}

impl<'a> Wire<'a> {
    fn varint(self) -> Decoded<u64> {
        if let Wire::Varint(v) = self {
            Ok(v)
        } else {
            Err(Malformed)
        }
    }
    fn fixed64(self) -> Decoded<u64> {
        if let Wire::Fixed64(v) = self {
            Ok(v)
        } else {
            Err(Malformed)
        }
    }
    fn bytes(self) -> Decoded<&'a [u8]> {
        if let Wire::Bytes(b) = self {
            Ok(b)
        } else {
            Err(Malformed)
        }
    }
    /// Protobuf strings are UTF-8; anything else is not OTLP.
    fn str(self) -> Decoded<&'a str> {
        std::str::from_utf8(self.bytes()?).map_err(|_| Malformed)
    }
    fn text(self) -> Decoded<Str<'a>> {
        Ok(Str(Cow::Borrowed(self.str()?)))
    }
}

/// Calls `each` with every field of one message, in order. `each` is a trait object, so
/// the loop exists once in the wasm rather than once per message type.
fn fields<'a>(rest: &'a [u8], mut each: impl FnMut(u64, Wire<'a>) -> Decoded<()>) -> Decoded<()> {
    each_field(rest, &mut each)
}

fn each_field<'a>(
    mut rest: &'a [u8],
    each: &mut dyn FnMut(u64, Wire<'a>) -> Decoded<()>,
) -> Decoded<()> {
    while !rest.is_empty() {
        let key = varint(&mut rest)?;
        let (number, wire_type) = (key >> 3, key & 7);
        let value = match wire_type {
            0 => Wire::Varint(varint(&mut rest)?),
            1 => Wire::Fixed64(u64::from_le_bytes(take(&mut rest, 8)?.try_into().unwrap())),
            2 => {
                let len = usize::try_from(varint(&mut rest)?).map_err(|_| Malformed)?;
                Wire::Bytes(take(&mut rest, len)?)
            }
            5 => {
                take(&mut rest, 4)?;
                Wire::Fixed32
            }
            // Groups (3, 4) are deprecated and absent from OTLP; 6 and 7 do not exist.
            _ => return Err(Malformed),
        };
        if number == 0 {
            return Err(Malformed);
        }
        each(number, value)?;
    }
    Ok(())
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Decoded<&'a [u8]> {
    if rest.len() < n {
        return Err(Malformed);
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn varint(rest: &mut &[u8]) -> Decoded<u64> {
    let mut value = 0u64;
    for i in 0..10 {
        let (&byte, tail) = rest.split_first().ok_or(Malformed)?;
        *rest = tail;
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            return Ok(value);
        }
    }
    Err(Malformed)
}

/// A resource and its scopes with their spans, borrowed from the input.
#[derive(Default)]
struct ResourceSpans<'a> {
    resource: OResource<'a>,
    scopes: Vec<(OScope<'a>, Vec<OSpan<'a>>)>,
}

fn request<'a>(bytes: &'a [u8], out: &mut Vec<ResourceSpans<'a>>) -> Decoded<()> {
    fields(bytes, |number, value| {
        if number == 1 {
            out.push(resource_spans(value.bytes()?)?);
        }
        Ok(())
    })
}

fn resource_spans(bytes: &[u8]) -> Decoded<ResourceSpans<'_>> {
    let mut rs = ResourceSpans::default();
    fields(bytes, |number, value| {
        match number {
            1 => {
                fields(value.bytes()?, |n, v| {
                    if n == 1 {
                        rs.resource.attributes.push(key_value(v.bytes()?)?);
                    }
                    Ok(())
                })?;
            }
            // 1000: `instrumentation_library_spans`, from before OTLP 0.15.
            2 | 1000 => rs.scopes.push(scope_spans(value.bytes()?)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(rs)
}

fn scope_spans(bytes: &[u8]) -> Decoded<(OScope<'_>, Vec<OSpan<'_>>)> {
    let mut scope = OScope::default();
    let mut spans = Vec::new();
    fields(bytes, |number, value| {
        match number {
            1 => fields(value.bytes()?, |n, v| {
                match n {
                    1 => scope.name = v.text()?,
                    2 => scope.version = v.text()?,
                    3 => scope.attributes.push(key_value(v.bytes()?)?),
                    _ => {}
                }
                Ok(())
            })?,
            2 => spans.push(span(value.bytes()?)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok((scope, spans))
}

fn span(bytes: &[u8]) -> Decoded<OSpan<'_>> {
    let mut s = OSpan {
        trace_id: Str::default(),
        span_id: Str::default(),
        parent_span_id: Str::default(),
        name: Str::default(),
        kind: Scalar::Int(0),
        start: Some(Int(0)),
        end: Some(Int(0)),
        attributes: Vec::new(),
        events: Vec::new(),
        links: Vec::new(),
        status: None,
    };
    fields(bytes, |number, value| {
        match number {
            1 => s.trace_id = hex(value.bytes()?),
            2 => s.span_id = hex(value.bytes()?),
            4 => s.parent_span_id = hex(value.bytes()?),
            5 => s.name = value.text()?,
            6 => s.kind = Scalar::Int(value.varint()? as i32 as i64),
            7 => s.start = Some(nanos(value.fixed64()?)),
            8 => s.end = Some(nanos(value.fixed64()?)),
            9 => s.attributes.push(key_value(value.bytes()?)?),
            11 => s.events.push(event(value.bytes()?)?),
            13 => s.links.push(link(value.bytes()?)?),
            15 => s.status = Some(status(value.bytes()?)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(s)
}

fn event(bytes: &[u8]) -> Decoded<OEvent<'_>> {
    let mut e = OEvent { time: Int(0), name: Str::default(), attributes: Vec::new() };
    fields(bytes, |number, value| {
        match number {
            1 => e.time = nanos(value.fixed64()?),
            2 => e.name = value.text()?,
            3 => e.attributes.push(key_value(value.bytes()?)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(e)
}

fn link(bytes: &[u8]) -> Decoded<OLink<'_>> {
    let mut l = OLink { trace_id: Str::default(), span_id: Str::default(), attributes: Vec::new() };
    fields(bytes, |number, value| {
        match number {
            1 => l.trace_id = hex(value.bytes()?),
            2 => l.span_id = hex(value.bytes()?),
            4 => l.attributes.push(key_value(value.bytes()?)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(l)
}

fn status(bytes: &[u8]) -> Decoded<OStatus<'_>> {
    let mut st = OStatus { code: Scalar::Int(0), message: Str::default() };
    fields(bytes, |number, value| {
        match number {
            2 => st.message = value.text()?,
            3 => st.code = Scalar::Int(value.varint()? as i32 as i64),
            _ => {}
        }
        Ok(())
    })?;
    Ok(st)
}

fn key_value(bytes: &[u8]) -> Decoded<KeyValue<'_>> {
    let mut key = Str::default();
    let mut value = AnyVal::Empty;
    fields(bytes, |number, v| {
        match number {
            1 => key = v.text()?,
            2 => value = any_value(v.bytes()?)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(KeyValue { key, value })
}

/// An `AnyValue`'s one-of, as read; the last field set wins, as protobuf says.
enum OneOf<'a> {
    Empty,
    Str(&'a str),
    Bool(bool),
    Int(i64),
    Double(f64),
    Bytes(&'a [u8]),
    Array(&'a [u8]),
    KvList(&'a [u8]),
}

fn one_of(bytes: &[u8]) -> Decoded<OneOf<'_>> {
    let mut out = OneOf::Empty;
    fields(bytes, |number, v| {
        out = match number {
            1 => OneOf::Str(v.str()?),
            2 => OneOf::Bool(v.varint()? != 0),
            3 => OneOf::Int(v.varint()? as i64),
            4 => OneOf::Double(f64::from_bits(v.fixed64()?)),
            5 => OneOf::Array(v.bytes()?),
            6 => OneOf::KvList(v.bytes()?),
            7 => OneOf::Bytes(v.bytes()?),
            _ => return Ok(()),
        };
        Ok(())
    })?;
    Ok(out)
}

fn any_value(bytes: &[u8]) -> Decoded<AnyVal<'_>> {
    Ok(match one_of(bytes)? {
        OneOf::Empty => AnyVal::Empty,
        OneOf::Str(s) => AnyVal::Str(Cow::Borrowed(s)),
        OneOf::Bool(b) => AnyVal::Bool(b),
        OneOf::Int(i) => AnyVal::Int(i),
        OneOf::Double(f) => AnyVal::Double(f),
        // As protobuf-JSON writes bytes, so both encodings show the same text.
        OneOf::Bytes(b) => AnyVal::Bytes(Cow::Owned(encode_base64(b))),
        compound => AnyVal::Json(plain(compound, 0)?.to_string()),
    })
}

/// Nesting deeper than this is refused (as prost's recursion limit did): hostile input
/// must not exhaust the stack.
const MAX_DEPTH: usize = 100;

/// Arrays and maps as plain JSON, as the JSON reader shows them.
fn plain(v: OneOf<'_>, depth: usize) -> Decoded<serde_json::Value> {
    use serde_json::Value as J;
    if depth > MAX_DEPTH {
        return Err(Malformed);
    }
    Ok(match v {
        OneOf::Empty => J::Null,
        OneOf::Str(s) => J::from(s),
        OneOf::Bool(b) => J::from(b),
        OneOf::Int(i) => J::from(i),
        OneOf::Double(f) => J::from(f),
        OneOf::Bytes(b) => J::from(encode_base64(b)),
        OneOf::Array(bytes) => {
            let mut items = Vec::new();
            fields(bytes, |number, v| {
                if number == 1 {
                    items.push(plain(one_of(v.bytes()?)?, depth + 1)?);
                }
                Ok(())
            })?;
            J::Array(items)
        }
        OneOf::KvList(bytes) => {
            let mut map = serde_json::Map::new();
            fields(bytes, |number, v| {
                if number == 1 {
                    let (mut key, mut value) = ("", J::Null);
                    fields(v.bytes()?, |n, v| {
                        match n {
                            1 => key = v.str()?,
                            2 => value = plain(one_of(v.bytes()?)?, depth + 1)?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    map.insert(key.to_string(), value);
                }
                Ok(())
            })?;
            J::Object(map)
        }
    })
}

/// Whether `input` may be binary OTLP: JSON starts (after white space) with `{` or `[`; an
/// encoded request starts with field 1 (`0x0a`), a file export with a length.
pub(in crate::read) fn looks_binary(input: &[u8]) -> bool {
    !matches!(input.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'[') | None)
}

/// Reads one request, or a file export of many; `None` when the bytes are neither.
pub(in crate::read) fn read(
    input: &[u8],
    b: &mut TraceSetBuilder,
) -> Option<Result<Format, ReadError>> {
    let messages = match length_prefixed(input) {
        Some(messages) => messages,
        None => vec![input],
    };
    let mut resources = Vec::new();
    for m in messages {
        request(m, &mut resources).ok()?;
    }
    // Text that happens to decode (protobuf skips what it does not know) holds no spans:
    // it gets the JSON reader's message instead.
    let spans: usize = resources.iter().flat_map(|rs| &rs.scopes).map(|(_, s)| s.len()).sum();
    if spans == 0 {
        return None;
    }
    let mut counter = 0u32;
    for rs in resources {
        push_resource_spans(b, &mut counter, rs);
    }
    Some(Ok(Format::Otlp))
}

/// The messages of a file export, when `input` is exactly a run of length-prefixed ones.
fn length_prefixed(input: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let body = rest.get(4..4 + len)?;
        // A message starts with field 1, resource_spans (or is empty).
        if !body.is_empty() && body[0] != 0x0a {
            return None;
        }
        out.push(body);
        rest = &rest[4 + len..];
    }
    (!out.is_empty()).then_some(out)
}

fn push_resource_spans(b: &mut TraceSetBuilder, counter: &mut u32, rs: ResourceSpans) {
    *counter += 1;
    let resource_key = format!("otlp-pb/{counter}");
    let mut touched = Touched::default();
    let mut scopes = Vec::new();
    for (scope, spans) in rs.scopes {
        *counter += 1;
        let scope_key = format!("otlp-pb-scope/{counter}");
        let at = SpanPlace {
            resource_key: &resource_key,
            scope_key: &scope_key,
            scope_pos: scopes.len() as u32,
        };
        let mut cached = None;
        for span in &spans {
            push_placed(b, &at, &mut touched, &mut cached, span);
        }
        scopes.push((scope_key, scope));
    }
    fill_resource(b, &resource_key, &rs.resource, touched, &scopes);
}

fn nanos(t: u64) -> Int {
    Int(t.min(i64::MAX as u64) as i64)
}

fn hex(bytes: &[u8]) -> Str<'static> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    Str(Cow::Owned(s))
}
