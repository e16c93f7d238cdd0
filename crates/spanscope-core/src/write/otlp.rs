//! OTLP JSON as the OpenTelemetry spec writes it: hex ids, integer enums, nanoseconds as
//! strings, one `resourceSpans` entry per (trace, resource) with one `scopeSpans` per scope.

use std::borrow::Borrow;
use std::io::{self, Write};

use serde_json::Value;

use super::json::{self, Obj};
use super::{write_json, write_list};
use crate::model::*;

pub fn write<T: Borrow<Trace>>(traces: &[T], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\"resourceSpans\":[\n")?;
    let groups = traces
        .iter()
        .map(Borrow::borrow)
        .flat_map(|t| group_by_resource(t).into_iter().map(move |g| (t, g)));
    write_list(out, groups, |out, (t, spans)| write_resource(out, t, &spans))?;
    out.write_all(b"\n]}\n")
}

/// Span indices grouped by resource, then scope, in one sort (not one pass per resource).
fn group_by_resource(t: &Trace) -> Vec<Vec<u32>> {
    let mut order: Vec<u32> = (0..t.spans.len() as u32).collect();
    // The shared sort: in the web app a sort of its own would cost 4 KB.
    crate::sort::sort_by_key(&mut order, |&i| {
        (t.spans[i as usize].resource, t.spans[i as usize].scope, i)
    });
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut last = None;
    for i in order {
        let r = t.spans[i as usize].resource;
        if last != Some(r) {
            groups.push(Vec::new());
            last = Some(r);
        }
        groups.last_mut().expect("pushed above").push(i);
    }
    groups
}

fn any_value(b: &mut String, t: &Trace, v: &AttrValue) {
    if let AttrValue::Json(r) = *v {
        if let Ok(parsed) = serde_json::from_str::<Value>(t.text(r)) {
            return wrap_plain(b, &parsed);
        }
    }
    let mut o = Obj::new(b);
    match *v {
        AttrValue::Str(r) | AttrValue::Json(r) => o.str("stringValue", t.text(r)),
        AttrValue::Bool(v) => o.bool("boolValue", v),
        AttrValue::Int(i) => o.str("intValue", &i.to_string()),
        AttrValue::Float(f) => {
            json::float(o.key("doubleValue"), f);
            &mut o
        }
        AttrValue::Bytes(r) => o.str("bytesValue", t.text(r)),
    };
    o.end();
}

/// Plain JSON back to OTLP's wrapped AnyValue.
fn wrap_plain(b: &mut String, v: &Value) {
    let mut o = Obj::new(b);
    match v {
        Value::String(s) => {
            o.str("stringValue", s);
        }
        Value::Bool(x) => {
            o.bool("boolValue", *x);
        }
        Value::Number(n) if n.is_i64() => {
            o.str("intValue", &n.to_string());
        }
        Value::Number(n) => {
            o.raw("doubleValue", &n.to_string());
        }
        Value::Array(items) => {
            let mut array = Obj::new(o.key("arrayValue"));
            json::list(array.key("values"), items, wrap_plain);
            array.end();
        }
        Value::Object(map) => {
            let mut kvlist = Obj::new(o.key("kvlistValue"));
            json::list(kvlist.key("values"), map, |b, (k, v)| {
                let mut entry = Obj::new(b);
                entry.str("key", k);
                wrap_plain(entry.key("value"), v);
                entry.end();
            });
            kvlist.end();
        }
        Value::Null => {}
    }
    o.end();
}

/// Attributes as OTLP's `[{key, value}]`, and `extra` string attributes after them.
fn attributes(b: &mut String, t: &Trace, attrs: &[Attribute], extra: Option<(&str, &str)>) {
    b.push('[');
    for a in attrs {
        let mut o = Obj::new(json::item(b));
        o.str("key", t.str(a.key));
        any_value(o.key("value"), t, &a.value);
        o.end();
    }
    if let Some((key, value)) = extra {
        let mut o = Obj::new(json::item(b));
        o.str("key", key);
        Obj::new(o.key("value")).str("stringValue", value).end();
        o.end();
    }
    b.push(']');
}

fn hex32(t: &TraceId) -> String {
    format!("{:032x}", t.value)
}

use crate::ids::TraceId;

/// One `resourceSpans` entry; `spans` all share one resource and are sorted by scope.
fn write_resource(out: &mut dyn Write, t: &Trace, spans: &[u32]) -> io::Result<()> {
    let resource = t.spans[spans[0] as usize].resource;
    let (service, attrs) = match t.resources.get(resource as usize) {
        Some(r) => (t.str(r.service), &t.attrs[r.attrs.as_range()]),
        None => ("unknown_service", &[][..]),
    };
    let named = attrs.iter().any(|a| t.str(a.key) == "service.name");
    let mut buf = String::new();
    write_json(out, &mut buf, |b| {
        b.push_str("{\"resource\":{\"attributes\":");
        // service.name added when the resource had none.
        attributes(b, t, attrs, (!named).then_some(("service.name", service)));
        b.push_str("},\"scopeSpans\":[\n");
    })?;
    let by_scope = spans.chunk_by(|a, b| t.spans[*a as usize].scope == t.spans[*b as usize].scope);
    write_list(out, by_scope, |out, group| {
        let scope =
            t.scopes.get(t.spans[group[0] as usize].scope as usize).copied().unwrap_or_default();
        write_json(out, &mut buf, |b| {
            b.push_str("{\"scope\":");
            let mut o = Obj::new(b);
            o.str("name", t.str(scope.name)).str("version", t.str(scope.version));
            attributes(o.key("attributes"), t, &t.attrs[scope.attrs.as_range()], None);
            o.end();
            b.push_str(",\"spans\":[\n");
        })?;
        write_list(out, group, |out, &i| {
            write_json(out, &mut buf, |b| span(b, t, &t.spans[i as usize]))
        })?;
        out.write_all(b"\n]}")
    })?;
    out.write_all(b"\n]}")
}

fn span(b: &mut String, t: &Trace, s: &Span) {
    let mut o = Obj::new(b);
    o.str("traceId", &hex32(&t.trace_id)).str("spanId", &s.span_id.to_string());
    if !s.parent_id.is_none() {
        o.str("parentSpanId", &s.parent_id.to_string());
    }
    o.str("name", t.str(s.name)).raw("kind", &s.kind.to_otlp().to_string());
    if !s.flags.has(SpanFlags::MISSING_TIME) {
        o.str("startTimeUnixNano", &s.start_ns.to_string());
        o.str("endTimeUnixNano", &s.end_ns().to_string());
    }
    attributes(o.key("attributes"), t, t.span_attrs(s), None);
    let events = t.span_events(s);
    if !events.is_empty() {
        json::list(o.key("events"), events, |b, e| {
            let mut ev = Obj::new(b);
            ev.str("timeUnixNano", &e.time_ns.to_string()).str("name", t.str(e.name));
            attributes(ev.key("attributes"), t, &t.attrs[e.attrs.as_range()], None);
            ev.end();
        });
    }
    // OTLP has no CHILD_OF/FOLLOWS_FROM distinction; Jaeger's own translator maps references
    // to links the same way, recording the type as an attribute.
    let links = t.span_links(s);
    if !links.is_empty() {
        json::list(o.key("links"), links, |b, l| {
            let mut link = Obj::new(b);
            link.str("traceId", &hex32(&l.trace_id)).str("spanId", &l.span_id.to_string());
            let ref_type = (l.kind != LinkKind::Link).then(|| l.kind.name().to_ascii_lowercase());
            let extra = ref_type.as_deref().map(|r| ("opentracing.ref_type", r));
            attributes(link.key("attributes"), t, &t.attrs[l.attrs.as_range()], extra);
            link.end();
        });
    }
    let code = match s.status {
        StatusCode::Unset => 0,
        StatusCode::Ok => 1,
        StatusCode::Error => 2,
    };
    if code != 0 || s.status_message.len > 0 {
        let mut status = Obj::new(o.key("status"));
        status.raw("code", &code.to_string()).str("message", t.text(s.status_message));
        status.end();
    }
    o.end();
}
