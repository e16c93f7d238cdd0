//! OTLP JSON: `{"resourceSpans": [...]}` per the OpenTelemetry spec (hex ids, integer enums),
//! the protobuf-JSON variant (base64 ids, enum names), Tempo's `{"batches": [...]}` and
//! `{"trace": {...}}`, Jaeger api_v3's `{"result": {...}}`, legacy
//! `instrumentationLibrarySpans`, and Collector file-exporter JSON lines.

pub(super) mod proto;

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::de::{next_key, nullable, seed_is_visitor, skip, Int, Scalar, Str};
use super::{blank_span, each_value, parent_id, span_id_or_hash, trace_id_or_hash, Touched};
use crate::builder::TraceSetBuilder;
use crate::draft::TraceDraft;
use crate::error::ReadError;
use crate::ids::{parse_trace_id, SpanId, TraceId};
use crate::intern::Interner;
use crate::model::*;

pub fn read(input: &[u8], b: &mut TraceSetBuilder) -> Result<Format, ReadError> {
    let mut counter = 0u32;
    each_value(input, Format::Otlp.family(), |de| {
        DocSeed { b: &mut *b, counter: &mut counter }.deserialize(de)
    })?;
    Ok(Format::Otlp)
}

/// An OTLP `AnyValue`, typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnyVal<'a> {
    Empty,
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    Double(f64),
    Bytes(Cow<'a, str>),
    Json(String),
}

impl<'de: 'a, 'a> Deserialize<'de> for AnyVal<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyVal<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an OTLP AnyValue object")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AnyVal::Empty)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = AnyVal::Empty;
                while let Some(key) = next_key(&mut map)? {
                    out = match key.as_str() {
                        "stringValue" => AnyVal::Str(map.next_value::<Str>()?.0),
                        "boolValue" => match map.next_value::<Scalar>()? {
                            Scalar::Bool(b) => AnyVal::Bool(b),
                            other => AnyVal::Bool(other.to_text() == "true"),
                        },
                        "intValue" => AnyVal::Int(map.next_value::<Int>()?.0),
                        "doubleValue" => match map.next_value::<Scalar>()? {
                            Scalar::Float(f) => AnyVal::Double(f),
                            Scalar::Int(i) => AnyVal::Double(i as f64),
                            Scalar::Uint(u) => AnyVal::Double(u as f64),
                            other => AnyVal::Double(
                                crate::number::parse_f64(&other.to_text()).unwrap_or(f64::NAN),
                            ),
                        },
                        "bytesValue" => AnyVal::Bytes(map.next_value::<Str>()?.0),
                        "arrayValue" | "kvlistValue" => {
                            let raw: serde_json::Value = map.next_value()?;
                            AnyVal::Json(plain_json(&raw).to_string())
                        }
                        _ => {
                            skip(&mut map)?;
                            out
                        }
                    };
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

/// OTLP's wrapped arrays and maps (`{"values": [{"stringValue": ..}]}`) as plain JSON.
fn plain_json(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let Some(obj) = v.as_object() else { return v.clone() };
    let values = obj.get("values").and_then(|v| v.as_array());
    let any = |x: &Value| -> Value {
        let Some(o) = x.as_object() else { return x.clone() };
        if let Some(s) = o.get("stringValue") {
            return s.clone();
        }
        if let Some(b) = o.get("boolValue") {
            return b.clone();
        }
        if let Some(i) = o.get("intValue") {
            return match i {
                Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or_else(|_| i.clone()),
                _ => i.clone(),
            };
        }
        if let Some(d) = o.get("doubleValue") {
            return d.clone();
        }
        if let Some(b) = o.get("bytesValue") {
            return b.clone();
        }
        if let Some(inner) = o.get("arrayValue").or_else(|| o.get("kvlistValue")) {
            return plain_json(inner);
        }
        Value::Null
    };
    match values {
        Some(items) if items.iter().all(|i| i.get("key").is_some()) && !items.is_empty() => {
            let mut map = serde_json::Map::new();
            for item in items {
                let key = item.get("key").and_then(|k| k.as_str()).unwrap_or("").to_string();
                map.insert(key, item.get("value").map(any).unwrap_or(Value::Null));
            }
            Value::Object(map)
        }
        Some(items) => Value::Array(items.iter().map(any).collect()),
        None => Value::Array(Vec::new()),
    }
}

#[derive(Deserialize)]
pub(crate) struct KeyValue<'a> {
    #[serde(borrow, default)]
    key: Str<'a>,
    #[serde(borrow, default = "empty_any")]
    value: AnyVal<'a>,
}

fn empty_any() -> AnyVal<'static> {
    AnyVal::Empty
}

#[derive(Deserialize, Default)]
struct OResource<'a> {
    #[serde(borrow, default, deserialize_with = "nullable")]
    attributes: Vec<KeyValue<'a>>,
}

#[derive(Deserialize, Default)]
struct OScope<'a> {
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default)]
    version: Str<'a>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    attributes: Vec<KeyValue<'a>>,
}

#[derive(Deserialize)]
struct OEvent<'a> {
    #[serde(rename = "timeUnixNano", default)]
    time: Int,
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    attributes: Vec<KeyValue<'a>>,
}

#[derive(Deserialize)]
struct OLink<'a> {
    #[serde(rename = "traceId", borrow, default)]
    trace_id: Str<'a>,
    #[serde(rename = "spanId", borrow, default)]
    span_id: Str<'a>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    attributes: Vec<KeyValue<'a>>,
}

#[derive(Deserialize, Default)]
struct OStatus<'a> {
    #[serde(borrow, default = "null_scalar")]
    code: Scalar<'a>,
    #[serde(borrow, default)]
    message: Str<'a>,
}

fn null_scalar() -> Scalar<'static> {
    Scalar::Null
}

#[derive(Deserialize)]
struct OSpan<'a> {
    #[serde(rename = "traceId", borrow, default)]
    trace_id: Str<'a>,
    #[serde(rename = "spanId", borrow, default)]
    span_id: Str<'a>,
    #[serde(rename = "parentSpanId", borrow, default)]
    parent_span_id: Str<'a>,
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default = "null_scalar")]
    kind: Scalar<'a>,
    #[serde(rename = "startTimeUnixNano", default)]
    start: Option<Int>,
    #[serde(rename = "endTimeUnixNano", default)]
    end: Option<Int>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    attributes: Vec<KeyValue<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    events: Vec<OEvent<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    links: Vec<OLink<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    status: Option<OStatus<'a>>,
}

/// A document (or an element of a top-level array): finds `resourceSpans`/`batches`, looking
/// inside `trace` and `result` wrappers.
struct DocSeed<'b> {
    b: &'b mut TraceSetBuilder,
    counter: &'b mut u32,
}

seed_is_visitor!(DocSeed<'b>);

impl<'de, 'b> Visitor<'de> for DocSeed<'b> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP object with resourceSpans")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(DocSeed { b: &mut *self.b, counter: &mut *self.counter })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut otlp_keys = 0;
        while let Some(key) = next_key(&mut map)? {
            match key.as_str() {
                "resourceSpans" | "batches" => {
                    otlp_keys += 1;
                    map.next_value_seed(ResourceSpansSeq {
                        b: &mut *self.b,
                        counter: &mut *self.counter,
                    })?
                }
                "trace" | "result" => {
                    otlp_keys += 1;
                    map.next_value_seed(DocSeed { b: &mut *self.b, counter: &mut *self.counter })?
                }
                _ => skip(&mut map)?,
            }
        }
        if otlp_keys == 0 {
            self.b.foreign_items += 1;
        }
        Ok(())
    }
}

struct ResourceSpansSeq<'b> {
    b: &'b mut TraceSetBuilder,
    counter: &'b mut u32,
}

seed_is_visitor!(ResourceSpansSeq<'b>);

impl<'de, 'b> Visitor<'de> for ResourceSpansSeq<'b> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of resourceSpans")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(ResourceSpansObj { b: &mut *self.b, counter: &mut *self.counter })?
            .is_some()
        {}
        Ok(())
    }
}

struct ResourceSpansObj<'b> {
    b: &'b mut TraceSetBuilder,
    counter: &'b mut u32,
}

seed_is_visitor!(ResourceSpansObj<'b>);

impl<'de, 'b> Visitor<'de> for ResourceSpansObj<'b> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a resourceSpans object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        *self.counter += 1;
        let resource_key = format!("otlp/{}", self.counter);
        let mut resource = OResource::default();
        let mut touched = Touched::default();
        let mut scopes: Vec<(String, OScope<'de>)> = Vec::new();
        while let Some(key) = next_key(&mut map)? {
            match key.as_str() {
                "resource" => resource = map.next_value::<Option<OResource>>()?.unwrap_or_default(),
                "scopeSpans" | "instrumentationLibrarySpans" => {
                    map.next_value_seed(ScopeSpansSeq {
                        b: &mut *self.b,
                        counter: &mut *self.counter,
                        resource_key: &resource_key,
                        touched: &mut touched,
                        scopes: &mut scopes,
                    })?
                }
                _ => skip(&mut map)?,
            }
        }
        fill_resource(self.b, &resource_key, &resource, touched, &scopes);
        Ok(())
    }
}

/// After a resourceSpans' spans are in: its resource and scopes, filled in for each trace
/// its spans went to.
fn fill_resource(
    b: &mut TraceSetBuilder,
    resource_key: &str,
    resource: &OResource,
    touched: Touched,
    scopes: &[(String, OScope)],
) {
    for &id in &touched.order {
        let (strings, draft) = b.trace(id, Format::Otlp);
        let (index, _) = draft.resource_for_key(resource_key);
        let start = draft.attrs.len();
        let mut service = None;
        for kv in &resource.attributes {
            if kv.key.as_str() == "service.name" {
                if let AnyVal::Str(s) = &kv.value {
                    service = Some(strings.intern(s));
                }
            }
            push_kv(strings, draft, kv);
        }
        let r = &mut draft.resources[index as usize];
        r.attrs = Range32::new(start, draft.attrs.len());
        r.service = service.unwrap_or_else(|| strings.intern("unknown_service"));
    }
    // Each trace's own scopes: as many steps as the spans changed scope or trace, never
    // traces × scopes (200,000 scopes of one span each, each span its own trace).
    let mut done: rustc_hash::FxHashSet<(u128, u32)> = Default::default();
    for &(id, si, pos) in &touched.scoped {
        let Some((_, scope)) = scopes.get(pos as usize) else { continue };
        if !done.insert((id.value, si)) {
            continue;
        }
        let (strings, draft) = b.trace(id, Format::Otlp);
        let start = draft.attrs.len();
        for kv in &scope.attributes {
            push_kv(strings, draft, kv);
        }
        let sc = &mut draft.scopes[si as usize];
        sc.name = strings.intern(scope.name.as_str());
        sc.version = strings.intern(scope.version.as_str());
        sc.attrs = Range32::new(start, draft.attrs.len());
    }
}

struct ScopeSpansSeq<'b, 'de> {
    b: &'b mut TraceSetBuilder,
    counter: &'b mut u32,
    resource_key: &'b str,
    touched: &'b mut Touched,
    scopes: &'b mut Vec<(String, OScope<'de>)>,
}

seed_is_visitor!(ScopeSpansSeq<'b, 'de>);

impl<'de, 'b> Visitor<'de> for ScopeSpansSeq<'b, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of scopeSpans")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            *self.counter += 1;
            let scope_key = format!("scope/{}", self.counter);
            let seed = ScopeSpansObj {
                b: &mut *self.b,
                resource_key: self.resource_key,
                scope_key: &scope_key,
                scope_pos: self.scopes.len() as u32,
                touched: &mut *self.touched,
            };
            match seq.next_element_seed(seed)? {
                Some(scope) => self.scopes.push((scope_key, scope)),
                None => return Ok(()),
            }
        }
    }
}

struct ScopeSpansObj<'b> {
    b: &'b mut TraceSetBuilder,
    resource_key: &'b str,
    scope_key: &'b str,
    scope_pos: u32,
    touched: &'b mut Touched,
}

seed_is_visitor!(ScopeSpansObj<'b>);

impl<'de, 'b> Visitor<'de> for ScopeSpansObj<'b> {
    type Value = OScope<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scopeSpans object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OScope<'de>, A::Error> {
        let mut scope = OScope::default();
        while let Some(key) = next_key(&mut map)? {
            match key.as_str() {
                "scope" | "instrumentationLibrary" => {
                    scope = map.next_value::<Option<OScope>>()?.unwrap_or_default()
                }
                "spans" => map.next_value_seed(SpansSeq {
                    b: &mut *self.b,
                    resource_key: self.resource_key,
                    scope_key: self.scope_key,
                    scope_pos: self.scope_pos,
                    touched: &mut *self.touched,
                })?,
                _ => skip(&mut map)?,
            }
        }
        Ok(scope)
    }
}

struct SpansSeq<'b> {
    b: &'b mut TraceSetBuilder,
    resource_key: &'b str,
    scope_key: &'b str,
    scope_pos: u32,
    touched: &'b mut Touched,
}

seed_is_visitor!(SpansSeq<'b>);

impl<'de, 'b> Visitor<'de> for SpansSeq<'b> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of OTLP spans")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Resource and scope indices of the last trace seen: spans of one trace come together.
        let mut cached: Option<(TraceId, u32, u32)> = None;
        while let Some(span) = seq.next_element::<OSpan<'de>>()? {
            let at = SpanPlace {
                resource_key: self.resource_key,
                scope_key: self.scope_key,
                scope_pos: self.scope_pos,
            };
            push_placed(self.b, &at, &mut *self.touched, &mut cached, &span);
        }
        Ok(())
    }
}

/// Where a span's resource and scope are recorded.
struct SpanPlace<'k> {
    resource_key: &'k str,
    scope_key: &'k str,
    /// The scope's place among its resource's scopes.
    scope_pos: u32,
}

/// One span into its trace, with its resource and scope (`cached`: those of the last trace).
fn push_placed(
    b: &mut TraceSetBuilder,
    at: &SpanPlace,
    touched: &mut Touched,
    cached: &mut Option<(TraceId, u32, u32)>,
    span: &OSpan,
) {
    let (trace_id, id_text) = trace_id_or_hash(span.trace_id.as_str());
    touched.add(trace_id);
    let (strings, draft) = b.trace(trace_id, Format::Otlp);
    if id_text.is_some() {
        draft.trace_id_text = id_text;
    }
    let (resource, scope) = match *cached {
        Some((id, r, s)) if id == trace_id => (r, s),
        _ => {
            let r = draft.resource_for_key(at.resource_key).0;
            let s = draft.scope_for_key(at.scope_key);
            *cached = Some((trace_id, r, s));
            touched.scoped.push((trace_id, s, at.scope_pos));
            (r, s)
        }
    };
    push_span(strings, draft, span, resource, scope);
}

pub(crate) fn any_to_attr(draft: &mut TraceDraft, v: &AnyVal) -> AttrValue {
    match v {
        AnyVal::Empty => AttrValue::Str(TextRef::default()),
        AnyVal::Str(s) => AttrValue::Str(draft.push_text(s)),
        AnyVal::Bool(b) => AttrValue::Bool(*b),
        AnyVal::Int(i) => AttrValue::Int(*i),
        AnyVal::Double(f) => AttrValue::Float(*f),
        AnyVal::Bytes(s) => AttrValue::Bytes(draft.push_text(s)),
        AnyVal::Json(s) => AttrValue::Json(draft.push_text(s)),
    }
}

fn push_kv(strings: &mut Interner, draft: &mut TraceDraft, kv: &KeyValue) {
    let key = strings.intern(kv.key.as_str());
    let value = any_to_attr(draft, &kv.value);
    draft.push_attr(key, value);
}

/// Unix nanoseconds (u64 in OTLP) as i64; later than 2262 is flagged as absurd.
fn nanos(value: i64) -> i64 {
    value
}

fn push_span(strings: &mut Interner, draft: &mut TraceDraft, s: &OSpan, resource: u32, scope: u32) {
    let mut span = blank_span(SpanId::NONE);
    span.span_id = span_id_or_hash(draft, s.span_id.as_str(), &mut span.flags);
    span.parent_id = parent_id(s.parent_span_id.as_str());
    span.name = strings.intern(s.name.as_str());
    span.kind = match &s.kind {
        Scalar::Int(n) => SpanKind::from_otlp(*n),
        other => {
            let text = other.to_text();
            match text.parse::<i64>() {
                Ok(n) => SpanKind::from_otlp(n),
                Err(_) => SpanKind::from_name(&text),
            }
        }
    };
    let start = s.start.map(|t| nanos(t.0)).unwrap_or(0);
    if start == 0 {
        span.flags.set(SpanFlags::MISSING_TIME);
    }
    span.start_ns = start;
    span.duration_ns = match s.end {
        Some(end) if end.0 != 0 && start != 0 => nanos(end.0).saturating_sub(start),
        _ => 0,
    };
    if let Some(status) = &s.status {
        span.status = match &status.code {
            Scalar::Int(n) => StatusCode::from_otlp(*n),
            Scalar::Null => StatusCode::Unset,
            other => {
                let text = other.to_text();
                match text.parse::<i64>() {
                    Ok(n) => StatusCode::from_otlp(n),
                    Err(_) => StatusCode::from_name(&text),
                }
            }
        };
        if !status.message.as_str().is_empty() {
            span.status_message = draft.push_text(status.message.as_str());
        }
    }
    let attrs_start = draft.attrs.len();
    for kv in &s.attributes {
        push_kv(strings, draft, kv);
    }
    span.attrs = draft.attr_range_since(attrs_start);

    let events_start = draft.events.len();
    for e in &s.events {
        let attrs_start = draft.attrs.len();
        for kv in &e.attributes {
            push_kv(strings, draft, kv);
        }
        let attrs = draft.attr_range_since(attrs_start);
        let name = strings.intern(e.name.as_str());
        draft.events.push(Event { time_ns: nanos(e.time.0), name, attrs });
    }
    span.events = Range32::new(events_start, draft.events.len());

    let links_start = draft.links.len();
    for l in &s.links {
        let attrs_start = draft.attrs.len();
        let mut kind = LinkKind::Link;
        for kv in &l.attributes {
            // Jaeger's translator records OpenTracing reference types this way.
            if kv.key.as_str() == "opentracing.ref_type" {
                match &kv.value {
                    AnyVal::Str(v) if v == "follows_from" => kind = LinkKind::FollowsFrom,
                    AnyVal::Str(v) if v == "child_of" => kind = LinkKind::ChildOf,
                    _ => push_kv(strings, draft, kv),
                }
                continue;
            }
            push_kv(strings, draft, kv);
        }
        let attrs = draft.attr_range_since(attrs_start);
        draft.links.push(Link {
            kind,
            trace_id: parse_trace_id(l.trace_id.as_str()).unwrap_or(draft.trace_id),
            span_id: parent_id(l.span_id.as_str()),
            attrs,
        });
    }
    span.links = Range32::new(links_start, draft.links.len());

    span.resource = resource;
    span.scope = scope;
    draft.spans.push(span);
}
