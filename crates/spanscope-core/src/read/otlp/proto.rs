//! Binary OTLP: an `ExportTraceServiceRequest` (what SDKs POST to `/v1/traces`, and what
//! `TracesData` encodes identically), or the Collector's file export with `format: proto`
//! (each message preceded by its length as a 4-byte big-endian integer).
//!
//! The messages are decoded by prost from these declarations, which follow the published
//! `opentelemetry/proto/{collector/trace/v1,trace/v1,common/v1,resource/v1}/*.proto` field
//! for field (only fields Spanscope shows are declared; protobuf skips the others). Each span
//! then goes through the same code as OTLP JSON, so both encodings read the same.

use std::borrow::Cow;

use prost::Message;

use super::{fill_resource, push_placed, AnyVal, KeyValue, OEvent, OLink, OResource, OScope};
use super::{OSpan, OStatus, SpanPlace};
use crate::builder::TraceSetBuilder;
use crate::error::ReadError;
use crate::ids::encode_base64;
use crate::model::Format;
use crate::read::de::{Int, Scalar, Str};
use crate::read::Touched;

#[derive(Clone, PartialEq, Message)]
struct ExportTraceServiceRequest {
    #[prost(message, repeated, tag = "1")]
    resource_spans: Vec<ResourceSpans>,
}

#[derive(Clone, PartialEq, Message)]
struct ResourceSpans {
    #[prost(message, optional, tag = "1")]
    resource: Option<Resource>,
    #[prost(message, repeated, tag = "2")]
    scope_spans: Vec<ScopeSpans>,
    /// `instrumentation_library_spans`, from before OTLP 0.15.
    #[prost(message, repeated, tag = "1000")]
    library_spans: Vec<ScopeSpans>,
}

#[derive(Clone, PartialEq, Message)]
struct Resource {
    #[prost(message, repeated, tag = "1")]
    attributes: Vec<PKeyValue>,
}

#[derive(Clone, PartialEq, Message)]
struct ScopeSpans {
    #[prost(message, optional, tag = "1")]
    scope: Option<Scope>,
    #[prost(message, repeated, tag = "2")]
    spans: Vec<Span>,
}

#[derive(Clone, PartialEq, Message)]
struct Scope {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(string, tag = "2")]
    version: String,
    #[prost(message, repeated, tag = "3")]
    attributes: Vec<PKeyValue>,
}

#[derive(Clone, PartialEq, Message)]
struct Span {
    #[prost(bytes = "vec", tag = "1")]
    trace_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    span_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "4")]
    parent_span_id: Vec<u8>,
    #[prost(string, tag = "5")]
    name: String,
    #[prost(int32, tag = "6")]
    kind: i32,
    #[prost(fixed64, tag = "7")]
    start_time_unix_nano: u64,
    #[prost(fixed64, tag = "8")]
    end_time_unix_nano: u64,
    #[prost(message, repeated, tag = "9")]
    attributes: Vec<PKeyValue>,
    #[prost(message, repeated, tag = "11")]
    events: Vec<Event>,
    #[prost(message, repeated, tag = "13")]
    links: Vec<Link>,
    #[prost(message, optional, tag = "15")]
    status: Option<Status>,
}

#[derive(Clone, PartialEq, Message)]
struct Event {
    #[prost(fixed64, tag = "1")]
    time_unix_nano: u64,
    #[prost(string, tag = "2")]
    name: String,
    #[prost(message, repeated, tag = "3")]
    attributes: Vec<PKeyValue>,
}

#[derive(Clone, PartialEq, Message)]
struct Link {
    #[prost(bytes = "vec", tag = "1")]
    trace_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    span_id: Vec<u8>,
    #[prost(message, repeated, tag = "4")]
    attributes: Vec<PKeyValue>,
}

#[derive(Clone, PartialEq, Message)]
struct Status {
    #[prost(string, tag = "2")]
    message: String,
    #[prost(int32, tag = "3")]
    code: i32,
}

#[derive(Clone, PartialEq, Message)]
struct PKeyValue {
    #[prost(string, tag = "1")]
    key: String,
    #[prost(message, optional, tag = "2")]
    value: Option<AnyValue>,
}

#[derive(Clone, PartialEq, Message)]
struct AnyValue {
    #[prost(oneof = "Value", tags = "1, 2, 3, 4, 5, 6, 7")]
    value: Option<Value>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
enum Value {
    #[prost(string, tag = "1")]
    Str(String),
    #[prost(bool, tag = "2")]
    Bool(bool),
    #[prost(int64, tag = "3")]
    Int(i64),
    #[prost(double, tag = "4")]
    Double(f64),
    #[prost(message, tag = "5")]
    Array(ArrayValue),
    #[prost(message, tag = "6")]
    KvList(KeyValueList),
    #[prost(bytes = "vec", tag = "7")]
    Bytes(Vec<u8>),
}

#[derive(Clone, PartialEq, Message)]
struct ArrayValue {
    #[prost(message, repeated, tag = "1")]
    values: Vec<AnyValue>,
}

#[derive(Clone, PartialEq, Message)]
struct KeyValueList {
    #[prost(message, repeated, tag = "1")]
    values: Vec<PKeyValue>,
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
    let mut requests = Vec::with_capacity(messages.len());
    for m in messages {
        requests.push(ExportTraceServiceRequest::decode(m).ok()?);
    }
    // Text that happens to decode (protobuf skips what it does not know) holds no spans:
    // it gets the JSON reader's message instead.
    let spans: usize = requests
        .iter()
        .flat_map(|r| &r.resource_spans)
        .flat_map(|rs| rs.scope_spans.iter().chain(&rs.library_spans))
        .map(|ss| ss.spans.len())
        .sum();
    if spans == 0 {
        return None;
    }
    let mut counter = 0u32;
    for request in requests {
        for rs in request.resource_spans {
            push_resource_spans(b, &mut counter, rs);
        }
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
    let resource =
        OResource { attributes: rs.resource.map(|r| kvs(r.attributes)).unwrap_or_default() };
    let mut touched = Touched::default();
    let mut scopes = Vec::new();
    for ss in rs.scope_spans.into_iter().chain(rs.library_spans) {
        *counter += 1;
        let scope_key = format!("otlp-pb-scope/{counter}");
        let at = SpanPlace {
            resource_key: &resource_key,
            scope_key: &scope_key,
            scope_pos: scopes.len() as u32,
        };
        let mut cached = None;
        for span in ss.spans {
            push_placed(b, &at, &mut touched, &mut cached, &o_span(span));
        }
        let scope = ss.scope.unwrap_or_default();
        let scope = OScope {
            name: owned(scope.name),
            version: owned(scope.version),
            attributes: kvs(scope.attributes),
        };
        scopes.push((scope_key, scope));
    }
    fill_resource(b, &resource_key, &resource, touched, &scopes);
}

fn o_span(s: Span) -> OSpan<'static> {
    OSpan {
        trace_id: hex(&s.trace_id),
        span_id: hex(&s.span_id),
        parent_span_id: hex(&s.parent_span_id),
        name: owned(s.name),
        kind: Scalar::Int(s.kind as i64),
        start: Some(nanos(s.start_time_unix_nano)),
        end: Some(nanos(s.end_time_unix_nano)),
        attributes: kvs(s.attributes),
        events: s
            .events
            .into_iter()
            .map(|e| OEvent {
                time: nanos(e.time_unix_nano),
                name: owned(e.name),
                attributes: kvs(e.attributes),
            })
            .collect(),
        links: s
            .links
            .into_iter()
            .map(|l| OLink {
                trace_id: hex(&l.trace_id),
                span_id: hex(&l.span_id),
                attributes: kvs(l.attributes),
            })
            .collect(),
        status: s
            .status
            .map(|st| OStatus { code: Scalar::Int(st.code as i64), message: owned(st.message) }),
    }
}

fn kvs(list: Vec<PKeyValue>) -> Vec<KeyValue<'static>> {
    list.into_iter().map(|kv| KeyValue { key: owned(kv.key), value: any(kv.value) }).collect()
}

fn any(v: Option<AnyValue>) -> AnyVal<'static> {
    match v.and_then(|v| v.value) {
        None => AnyVal::Empty,
        Some(Value::Str(s)) => AnyVal::Str(Cow::Owned(s)),
        Some(Value::Bool(b)) => AnyVal::Bool(b),
        Some(Value::Int(i)) => AnyVal::Int(i),
        Some(Value::Double(f)) => AnyVal::Double(f),
        // As protobuf-JSON writes bytes, so both encodings show the same text.
        Some(Value::Bytes(bytes)) => AnyVal::Bytes(Cow::Owned(encode_base64(&bytes))),
        Some(compound @ (Value::Array(_) | Value::KvList(_))) => {
            AnyVal::Json(plain(&compound).to_string())
        }
    }
}

/// Arrays and maps as plain JSON, as the JSON reader shows them.
fn plain(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    let inner = |v: &AnyValue| v.value.as_ref().map_or(J::Null, plain);
    match v {
        Value::Str(s) => J::from(s.as_str()),
        Value::Bool(b) => J::from(*b),
        Value::Int(i) => J::from(*i),
        Value::Double(f) => J::from(*f),
        Value::Bytes(b) => J::from(encode_base64(b)),
        Value::Array(a) => J::Array(a.values.iter().map(inner).collect()),
        Value::KvList(l) => J::Object(
            l.values
                .iter()
                .map(|kv| (kv.key.clone(), kv.value.as_ref().map_or(J::Null, inner)))
                .collect(),
        ),
    }
}

fn nanos(t: u64) -> Int {
    Int(t.min(i64::MAX as u64) as i64)
}

fn hex(bytes: &[u8]) -> Str<'static> {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    Str(Cow::Owned(s))
}

fn owned(s: String) -> Str<'static> {
    Str(Cow::Owned(s))
}
