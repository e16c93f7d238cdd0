//! Zipkin v2 JSON: one flat array of spans. Zipkin tags are strings, so typed attributes
//! become their text; `peer.*` attributes become the remote endpoint.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{attr_text, find_attr, write_list, write_value};
use crate::model::*;

pub fn write(traces: &[Trace], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"[\n")?;
    let spans = traces.iter().flat_map(|t| t.spans.iter().map(move |s| (t, s)));
    write_list(out, spans, |out, (t, s)| write_value(out, &span_json(t, s)))?;
    out.write_all(b"\n]\n")
}

const ENDPOINT_KEYS: [&str; 3] = ["ipv4", "ipv6", "port"];

fn endpoint(t: &Trace, service: Option<&str>, attrs: &[Attribute], prefix: &str) -> Option<Value> {
    let mut e = Map::new();
    if let Some(service) = service.filter(|s| !s.is_empty()) {
        e.insert("serviceName".into(), Value::from(service));
    }
    for key in ENDPOINT_KEYS {
        if let Some(a) = find_attr(t, attrs, &format!("{prefix}{key}")) {
            let v = match a.value {
                AttrValue::Int(i) => Value::from(i),
                _ => Value::from(attr_text(t, a)),
            };
            e.insert(key.into(), v);
        }
    }
    (!e.is_empty()).then_some(Value::Object(e))
}

fn span_json(t: &Trace, s: &Span) -> Value {
    let attrs = t.span_attrs(s);
    let mut tags = Map::new();
    for a in attrs {
        let key = t.str(a.key);
        let is_remote = key == "peer.service"
            || ENDPOINT_KEYS.iter().any(|k| key.strip_prefix("peer.") == Some(k));
        if !is_remote {
            tags.insert(key.to_string(), Value::from(attr_text(t, a)));
        }
    }
    if s.status == StatusCode::Error {
        let msg = t.text(s.status_message);
        tags.insert("error".into(), Value::from(if msg.is_empty() { "true" } else { msg }));
    }
    let mut o = Map::new();
    o.insert("traceId".into(), Value::from(t.trace_id.to_string()));
    if !s.parent_id.is_none() {
        o.insert("parentId".into(), Value::from(s.parent_id.to_string()));
    }
    o.insert("id".into(), Value::from(s.span_id.to_string()));
    let kind = match s.kind {
        SpanKind::Client => Some("CLIENT"),
        SpanKind::Server => Some("SERVER"),
        SpanKind::Producer => Some("PRODUCER"),
        SpanKind::Consumer => Some("CONSUMER"),
        _ => None,
    };
    if let Some(kind) = kind {
        o.insert("kind".into(), Value::from(kind));
    }
    o.insert("name".into(), Value::from(t.str(s.name)));
    if !s.flags.has(SpanFlags::MISSING_TIME) {
        o.insert("timestamp".into(), Value::from(s.start_ns.div_euclid(1000)));
        o.insert("duration".into(), Value::from(s.duration_ns / 1000));
    }
    let resource_attrs = t.resource_attrs(s.resource);
    if let Some(local) = endpoint(t, Some(t.str(s.service)), resource_attrs, "") {
        o.insert("localEndpoint".into(), local);
    }
    let peer_service = find_attr(t, attrs, "peer.service").map(|a| attr_text(t, a));
    if let Some(remote) = endpoint(t, peer_service.as_deref(), attrs, "peer.") {
        o.insert("remoteEndpoint".into(), remote);
    }
    let annotations: Vec<Value> = t
        .span_events(s)
        .iter()
        .map(|e| json!({"timestamp": e.time_ns.div_euclid(1000), "value": t.str(e.name)}))
        .collect();
    if !annotations.is_empty() {
        o.insert("annotations".into(), Value::from(annotations));
    }
    if !tags.is_empty() {
        o.insert("tags".into(), Value::Object(tags));
    }
    if s.flags.has(SpanFlags::SHARED) {
        o.insert("shared".into(), Value::from(true));
    }
    Value::Object(o)
}
