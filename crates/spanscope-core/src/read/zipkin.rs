//! Zipkin JSON, v2 and v1: an array of spans, an array of traces (arrays of spans), a single
//! span object, or JSON lines. v1 spans (core annotations cs/sr/ss/cr and binaryAnnotations)
//! are converted to v2 the way Zipkin's own converter does, so both share one path.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::de::{nullable, seed_is_visitor, Int, Scalar, Str};
use super::{blank_span, each_value, micros_to_ns, parent_id, span_id_or_hash, trace_id_or_hash};
use crate::builder::TraceSetBuilder;
use crate::error::ReadError;
use crate::ids::{SpanId, TraceId};
use crate::model::*;

/// Reports `ZipkinV2`: v1 spans are converted to v2 on the way in (each trace's own
/// `format` still says which it was).
pub fn read(input: &[u8], b: &mut TraceSetBuilder) -> Result<Format, ReadError> {
    each_value(input, Format::ZipkinV2.family(), |de| ValueSeed { b: &mut *b }.deserialize(de))?;
    Ok(Format::ZipkinV2)
}

#[derive(Deserialize, Default, Clone)]
struct ZEndpoint<'a> {
    #[serde(rename = "serviceName", borrow, default)]
    service_name: Str<'a>,
    #[serde(borrow, default)]
    ipv4: Str<'a>,
    #[serde(borrow, default)]
    ipv6: Str<'a>,
    #[serde(default)]
    port: Option<Int>,
}

#[derive(Deserialize)]
struct ZAnnotation<'a> {
    #[serde(default)]
    timestamp: Int,
    #[serde(borrow, default)]
    value: Str<'a>,
    #[serde(borrow, default)]
    endpoint: Option<ZEndpoint<'a>>,
}

#[derive(Deserialize)]
struct ZBinaryAnnotation<'a> {
    #[serde(borrow, default)]
    key: Str<'a>,
    #[serde(borrow, default = "null_scalar")]
    value: Scalar<'a>,
    #[serde(borrow, default)]
    endpoint: Option<ZEndpoint<'a>>,
}

fn null_scalar() -> Scalar<'static> {
    Scalar::Null
}

#[derive(Deserialize)]
struct ZSpan<'a> {
    #[serde(rename = "traceId", borrow, default)]
    trace_id: Str<'a>,
    #[serde(borrow, default)]
    id: Str<'a>,
    #[serde(rename = "parentId", borrow, default)]
    parent_id: Str<'a>,
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default)]
    kind: Str<'a>,
    #[serde(default)]
    timestamp: Option<Int>,
    #[serde(default)]
    duration: Option<Int>,
    #[serde(rename = "localEndpoint", borrow, default)]
    local_endpoint: Option<ZEndpoint<'a>>,
    #[serde(rename = "remoteEndpoint", borrow, default)]
    remote_endpoint: Option<ZEndpoint<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    annotations: Vec<ZAnnotation<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    tags: std::collections::BTreeMap<Str<'a>, Scalar<'a>>,
    #[serde(rename = "binaryAnnotations", borrow, default, deserialize_with = "nullable")]
    binary_annotations: Vec<ZBinaryAnnotation<'a>>,
    #[serde(default)]
    shared: Option<bool>,
}

/// One v2-shaped span, whether read as v2 or converted from v1.
struct Part<'s, 'a> {
    id: &'s str,
    parent_id: &'s str,
    name: &'s str,
    kind: SpanKind,
    shared: bool,
    timestamp: Option<i64>,
    duration: Option<i64>,
    local: Option<&'s ZEndpoint<'a>>,
    remote: Option<&'s ZEndpoint<'a>>,
    annotations: Vec<(i64, &'s str)>,
    tags: Vec<(&'s str, Cow<'s, str>)>,
}

struct ValueSeed<'b> {
    b: &'b mut TraceSetBuilder,
}

seed_is_visitor!(ValueSeed<'b>);

impl<'de, 'b> Visitor<'de> for ValueSeed<'b> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Zipkin span, array of spans, or array of traces")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(ValueSeed { b: &mut *self.b })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let span = ZSpan::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        if span.id.as_str().is_empty() && span.trace_id.as_str().is_empty() {
            self.b.foreign_items += 1;
        } else {
            push_span(self.b, &span);
        }
        Ok(())
    }
}

fn is_v1(s: &ZSpan) -> bool {
    !s.binary_annotations.is_empty()
        || (s.local_endpoint.is_none() && s.annotations.iter().any(|a| a.endpoint.is_some()))
}

fn push_span(b: &mut TraceSetBuilder, s: &ZSpan) {
    let (trace_id, id_text) = trace_id_or_hash(s.trace_id.as_str());
    if is_v1(s) {
        for part in v1_parts(s) {
            push_part(b, trace_id, &id_text, Format::ZipkinV1, &part);
        }
    } else {
        let part = Part {
            id: s.id.as_str(),
            parent_id: s.parent_id.as_str(),
            name: s.name.as_str(),
            kind: SpanKind::from_name(s.kind.as_str()),
            shared: s.shared.unwrap_or(false),
            timestamp: s.timestamp.map(|t| t.0),
            duration: s.duration.map(|t| t.0),
            local: s.local_endpoint.as_ref(),
            remote: s.remote_endpoint.as_ref(),
            annotations: s.annotations.iter().map(|a| (a.timestamp.0, a.value.as_str())).collect(),
            tags: s.tags.iter().map(|(k, v)| (k.as_str(), v.to_text())).collect(),
        };
        push_part(b, trace_id, &id_text, Format::ZipkinV2, &part);
    }
}

/// Splits a v1 span into its client and server halves (or one local span), as Zipkin's
/// V1SpanConverter does: the server half of a shared RPC span keeps the id and is `shared`.
fn v1_parts<'s, 'a>(s: &'s ZSpan<'a>) -> Vec<Part<'s, 'a>> {
    let find = |v: &str| s.annotations.iter().find(|a| a.value.as_str() == v);
    let (cs, cr, sr, ss) = (find("cs"), find("cr"), find("sr"), find("ss"));
    let (ms, mr) = (find("ms"), find("mr"));
    // (key, value, service of the endpoint that recorded it)
    let mut tags: Vec<(&str, Cow<str>, &str)> = Vec::new();
    let mut local_from_binary = None;
    let mut client_remote = None;
    let mut server_remote = None;
    fn service_of<'s>(e: &'s Option<ZEndpoint>) -> &'s str {
        e.as_ref().map(endpoint_service).unwrap_or("")
    }
    for ba in &s.binary_annotations {
        match ba.key.as_str() {
            "sa" | "ma" => client_remote = ba.endpoint.as_ref(),
            "ca" => server_remote = ba.endpoint.as_ref(),
            key => {
                if local_from_binary.is_none() {
                    local_from_binary = ba.endpoint.as_ref();
                }
                tags.push((key, ba.value.to_text(), service_of(&ba.endpoint)));
            }
        }
    }
    let core = ["cs", "cr", "sr", "ss", "ms", "mr", "ws", "wr"];
    let other_annotations: Vec<(i64, &str, &str)> = s
        .annotations
        .iter()
        .filter(|a| !core.contains(&a.value.as_str()))
        .map(|a| (a.timestamp.0, a.value.as_str(), service_of(&a.endpoint)))
        .collect();
    let base = |kind, shared, timestamp: Option<i64>, duration, local, remote| Part {
        id: s.id.as_str(),
        parent_id: s.parent_id.as_str(),
        name: s.name.as_str(),
        kind,
        shared,
        timestamp,
        duration,
        local,
        remote,
        annotations: Vec::new(),
        tags: Vec::new(),
    };
    let span_between = |a: Option<&ZAnnotation>, b: Option<&ZAnnotation>| match (a, b) {
        (Some(a), Some(b)) => Some(b.timestamp.0 - a.timestamp.0),
        _ => None,
    };
    let mut parts = Vec::new();
    let has_client = cs.is_some() || cr.is_some();
    let has_server = sr.is_some() || ss.is_some();
    if has_client {
        let start = cs.map(|a| a.timestamp.0).or(s.timestamp.map(|t| t.0));
        let dur = if has_server {
            span_between(cs, cr)
        } else {
            s.duration.map(|d| d.0).or(span_between(cs, cr))
        };
        let local = cs.or(cr).and_then(|a| a.endpoint.as_ref());
        parts.push(base(SpanKind::Client, false, start, dur, local, client_remote));
    }
    if has_server {
        let start =
            sr.map(|a| a.timestamp.0).or(if has_client { None } else { s.timestamp.map(|t| t.0) });
        let dur = if has_client {
            span_between(sr, ss)
        } else {
            s.duration.map(|d| d.0).or(span_between(sr, ss))
        };
        let local = sr.or(ss).and_then(|a| a.endpoint.as_ref());
        // A server that did not own the span's timestamp shares the client's id.
        let shared = has_client || s.timestamp.is_none();
        parts.push(base(SpanKind::Server, shared, start, dur, local, server_remote));
    }
    if !has_client && !has_server {
        let (kind, anchor) = match (ms, mr) {
            (Some(a), _) => (SpanKind::Producer, Some(a)),
            (None, Some(a)) => (SpanKind::Consumer, Some(a)),
            _ => (SpanKind::Unspecified, None),
        };
        let local = anchor
            .and_then(|a| a.endpoint.as_ref())
            .or(local_from_binary)
            .or_else(|| s.annotations.iter().find_map(|a| a.endpoint.as_ref()));
        let start = s.timestamp.map(|t| t.0).or(anchor.map(|a| a.timestamp.0));
        parts.push(base(kind, false, start, s.duration.map(|d| d.0), local, client_remote));
    }
    // Tags and plain annotations go to the half on the endpoint that recorded them, else to
    // the first half.
    let part_for = |parts: &[Part], service: &str| {
        parts
            .iter()
            .position(|p| !service.is_empty() && p.local.map(endpoint_service) == Some(service))
            .unwrap_or(0)
    };
    for (key, value, service) in tags {
        let i = part_for(&parts, service);
        parts[i].tags.push((key, value));
    }
    for (ts, value, service) in other_annotations {
        let i = part_for(&parts, service);
        parts[i].annotations.push((ts, value));
    }
    parts
}

fn endpoint_service<'s>(e: &'s ZEndpoint) -> &'s str {
    e.service_name.as_str()
}

fn push_part(
    b: &mut TraceSetBuilder,
    trace_id: TraceId,
    id_text: &Option<Box<str>>,
    format: Format,
    p: &Part,
) {
    let (strings, draft) = b.trace(trace_id, format);
    if id_text.is_some() {
        draft.trace_id_text = id_text.clone();
    }
    let mut span = blank_span(SpanId::NONE);
    span.span_id = span_id_or_hash(draft, p.id, &mut span.flags);
    span.parent_id = parent_id(p.parent_id);
    // A span naming itself as parent is a root (Zipkin's cleaner drops such parent ids).
    if span.parent_id == span.span_id {
        span.parent_id = SpanId::NONE;
    }
    span.name = strings.intern(p.name);
    span.kind = p.kind;
    // Shared is for the server side; Zipkin ignores it on a client.
    if p.shared && p.kind != SpanKind::Client {
        span.flags.set(SpanFlags::SHARED);
    }
    match p.timestamp {
        Some(t) if t != 0 => span.start_ns = micros_to_ns(t, &mut span.flags),
        _ => span.flags.set(SpanFlags::MISSING_TIME),
    }
    span.duration_ns = micros_to_ns(p.duration.unwrap_or(0), &mut span.flags);

    let local = p.local.cloned().unwrap_or_default();
    let key = format!(
        "zipkin/{}/{}/{}/{}",
        local.service_name.as_str(),
        local.ipv4.as_str(),
        local.ipv6.as_str(),
        local.port.map(|p| p.0).unwrap_or(0)
    );
    let (resource, created) = draft.resource_for_key(&key);
    if created {
        let start = draft.attrs.len();
        endpoint_attrs(strings, draft, &local, "");
        let r = &mut draft.resources[resource as usize];
        r.service = strings.intern(local.service_name.as_str());
        r.attrs = Range32::new(start, draft.attrs.len());
    }
    span.resource = resource;

    let attrs_start = draft.attrs.len();
    for (key, value) in &p.tags {
        if *key == "error" {
            span.status = StatusCode::Error;
            if !value.is_empty() && value != "true" {
                span.status_message = draft.push_text(value);
            }
            continue;
        }
        let key = strings.intern(key);
        draft.push_str_attr(key, value);
    }
    if let Some(remote) = p.remote {
        endpoint_attrs(strings, draft, remote, "peer.");
    }
    span.attrs = draft.attr_range_since(attrs_start);

    let events_start = draft.events.len();
    for &(ts, value) in &p.annotations {
        let mut flags = SpanFlags::default();
        let name = strings.intern(value);
        let time_ns = micros_to_ns(ts, &mut flags);
        draft.events.push(Event { time_ns, name, attrs: Range32::default() });
    }
    span.events = Range32::new(events_start, draft.events.len());
    draft.spans.push(span);
}

/// Endpoint fields as attributes: `service`, `ipv4`, `ipv6`, `port` with a prefix (`peer.`
/// for the remote side, as Jaeger's Zipkin translator names them).
fn endpoint_attrs(
    strings: &mut crate::intern::Interner,
    draft: &mut crate::draft::TraceDraft,
    e: &ZEndpoint,
    prefix: &str,
) {
    if !prefix.is_empty() && !e.service_name.as_str().is_empty() {
        let key = strings.intern(&format!("{prefix}service"));
        draft.push_str_attr(key, e.service_name.as_str());
    }
    for (name, value) in [("ipv4", e.ipv4.as_str()), ("ipv6", e.ipv6.as_str())] {
        if !value.is_empty() {
            let key = strings.intern(&format!("{prefix}{name}"));
            draft.push_str_attr(key, value);
        }
    }
    if let Some(port) = e.port {
        let key = strings.intern(&format!("{prefix}port"));
        draft.push_attr(key, AttrValue::Int(port.0));
    }
}
