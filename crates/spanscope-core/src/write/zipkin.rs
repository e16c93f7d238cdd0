//! Zipkin v2 JSON: one flat array of spans. Zipkin tags are strings, so typed attributes
//! become their text; `peer.*` attributes become the remote endpoint.

use std::borrow::Borrow;
use std::io::{self, Write};

use super::json::{self, Obj};
use super::{attr_text, find_attr, write_json, write_list};
use crate::model::*;

pub fn write<T: Borrow<Trace>>(traces: &[T], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"[\n")?;
    let spans =
        traces.iter().map(Borrow::borrow).flat_map(|t: &Trace| t.spans.iter().map(move |s| (t, s)));
    let mut buf = String::new();
    write_list(out, spans, |out, (t, s)| write_json(out, &mut buf, |b| span(b, t, s)))?;
    out.write_all(b"\n]\n")
}

const ENDPOINT_KEYS: [&str; 3] = ["ipv4", "ipv6", "port"];

/// `"name":{endpoint}` when there is anything to say about it.
fn endpoint(
    o: &mut Obj<'_>,
    name: &str,
    t: &Trace,
    service: Option<&str>,
    attrs: &[Attribute],
    prefix: &str,
) {
    let service = service.filter(|s| !s.is_empty());
    let found: Vec<(&str, &Attribute)> = ENDPOINT_KEYS
        .iter()
        .filter_map(|key| Some((*key, find_attr(t, attrs, &format!("{prefix}{key}"))?)))
        .collect();
    if service.is_none() && found.is_empty() {
        return;
    }
    let mut e = Obj::new(o.key(name));
    if let Some(service) = service {
        e.str("serviceName", service);
    }
    for (key, a) in found {
        match a.value {
            AttrValue::Int(i) => e.int(key, i),
            _ => e.str(key, &attr_text(t, a)),
        };
    }
    e.end();
}

fn span(b: &mut String, t: &Trace, s: &Span) {
    let attrs = t.span_attrs(s);
    let mut o = Obj::new(b);
    o.str("traceId", &t.trace_id.to_string());
    if !s.parent_id.is_none() {
        o.str("parentId", &s.parent_id.to_string());
    }
    o.str("id", &s.span_id.to_string());
    let kind = match s.kind {
        SpanKind::Client => Some("CLIENT"),
        SpanKind::Server => Some("SERVER"),
        SpanKind::Producer => Some("PRODUCER"),
        SpanKind::Consumer => Some("CONSUMER"),
        _ => None,
    };
    if let Some(kind) = kind {
        o.str("kind", kind);
    }
    o.str("name", t.str(s.name));
    if !s.flags.has(SpanFlags::MISSING_TIME) {
        o.int("timestamp", s.start_ns.div_euclid(1000));
        o.int("duration", s.duration_ns / 1000);
    }
    endpoint(&mut o, "localEndpoint", t, Some(t.str(s.service)), t.resource_attrs(s.resource), "");
    let peer_service = find_attr(t, attrs, "peer.service").map(|a| attr_text(t, a));
    endpoint(&mut o, "remoteEndpoint", t, peer_service.as_deref(), attrs, "peer.");
    let events = t.span_events(s);
    if !events.is_empty() {
        json::list(o.key("annotations"), events, |b, e| {
            Obj::new(b)
                .int("timestamp", e.time_ns.div_euclid(1000))
                .str("value", t.str(e.name))
                .end();
        });
    }
    // Zipkin tags are one string per key (the last of a repeated key wins, as in a JSON
    // object); remote-endpoint attributes went into the endpoint.
    let mut tags: Vec<(&str, String)> = Vec::new();
    for a in attrs {
        let key = t.str(a.key);
        let is_remote = key == "peer.service"
            || ENDPOINT_KEYS.iter().any(|k| key.strip_prefix("peer.") == Some(k));
        if !is_remote {
            tags.push((key, attr_text(t, a)));
        }
    }
    if s.status == StatusCode::Error {
        let msg = t.text(s.status_message);
        tags.push(("error", if msg.is_empty() { "true".into() } else { msg.to_string() }));
    }
    // By key; of a repeated key, the last (the shared sort, by key then place from the end).
    let mut order: Vec<(&str, std::cmp::Reverse<usize>)> =
        tags.iter().enumerate().map(|(i, (k, _))| (*k, std::cmp::Reverse(i))).collect();
    crate::sort::sort(&mut order);
    order.dedup_by(|later, kept| later.0 == kept.0);
    let tags: Vec<(&str, String)> =
        order.into_iter().map(|(_, std::cmp::Reverse(i))| std::mem::take(&mut tags[i])).collect();
    if !tags.is_empty() {
        let mut map = Obj::new(o.key("tags"));
        for (key, value) in &tags {
            map.str(key, value);
        }
        map.end();
    }
    if s.flags.has(SpanFlags::SHARED) {
        o.raw("shared", "true");
    }
    o.end();
}
