//! OTLP JSON as the OpenTelemetry spec writes it: hex ids, integer enums, nanoseconds as
//! strings, one `resourceSpans` entry per (trace, resource) with one `scopeSpans` per scope.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{float_json, write_list, write_value};
use crate::model::*;

pub fn write(traces: &[Trace], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\"resourceSpans\":[\n")?;
    let groups = traces.iter().flat_map(|t| group_by_resource(t).into_iter().map(move |g| (t, g)));
    write_list(out, groups, |out, (t, spans)| write_resource(out, t, &spans))?;
    out.write_all(b"\n]}\n")
}

/// Span indices grouped by resource, then scope, in one sort (not one pass per resource).
fn group_by_resource(t: &Trace) -> Vec<Vec<u32>> {
    let mut order: Vec<u32> = (0..t.spans.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (t.spans[i as usize].resource, t.spans[i as usize].scope, i));
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

pub(crate) fn any_value(t: &Trace, v: &AttrValue) -> Value {
    match *v {
        AttrValue::Str(r) => json!({"stringValue": t.text(r)}),
        AttrValue::Bool(b) => json!({"boolValue": b}),
        AttrValue::Int(i) => json!({"intValue": i.to_string()}),
        AttrValue::Float(f) => json!({"doubleValue": float_json(f)}),
        AttrValue::Bytes(r) => json!({"bytesValue": t.text(r)}),
        AttrValue::Json(r) => match serde_json::from_str::<Value>(t.text(r)) {
            Ok(parsed) => wrap_plain(&parsed),
            Err(_) => json!({"stringValue": t.text(r)}),
        },
    }
}

/// Plain JSON back to OTLP's wrapped AnyValue.
fn wrap_plain(v: &Value) -> Value {
    match v {
        Value::String(s) => json!({"stringValue": s}),
        Value::Bool(b) => json!({"boolValue": b}),
        Value::Number(n) if n.is_i64() => json!({"intValue": n.to_string()}),
        Value::Number(n) => json!({"doubleValue": n}),
        Value::Array(items) => {
            json!({"arrayValue": {"values": items.iter().map(wrap_plain).collect::<Vec<_>>()}})
        }
        Value::Object(map) => {
            json!({"kvlistValue": {"values": map.iter().map(|(k, v)| json!({"key": k, "value": wrap_plain(v)})).collect::<Vec<_>>()}})
        }
        Value::Null => json!({}),
    }
}

fn attributes(t: &Trace, attrs: &[Attribute]) -> Vec<Value> {
    attrs.iter().map(|a| json!({"key": t.str(a.key), "value": any_value(t, &a.value)})).collect()
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
    let mut resource_attrs = attributes(t, attrs);
    if !attrs.iter().any(|a| t.str(a.key) == "service.name") {
        resource_attrs.insert(0, json!({"key": "service.name", "value": {"stringValue": service}}));
    }
    out.write_all(b"{\"resource\":")?;
    write_value(out, &json!({"attributes": resource_attrs}))?;
    out.write_all(b",\"scopeSpans\":[\n")?;
    let by_scope = spans.chunk_by(|a, b| t.spans[*a as usize].scope == t.spans[*b as usize].scope);
    write_list(out, by_scope, |out, group| {
        let scope =
            t.scopes.get(t.spans[group[0] as usize].scope as usize).copied().unwrap_or_default();
        out.write_all(b"{\"scope\":")?;
        write_value(
            out,
            &json!({"name": t.str(scope.name), "version": t.str(scope.version), "attributes": attributes(t, &t.attrs[scope.attrs.as_range()])}),
        )?;
        out.write_all(b",\"spans\":[\n")?;
        write_list(out, group, |out, &i| write_value(out, &span_json(t, &t.spans[i as usize])))?;
        out.write_all(b"\n]}")
    })?;
    out.write_all(b"\n]}")
}

fn span_json(t: &Trace, s: &Span) -> Value {
    let mut obj = json!({
        "traceId": hex32(&t.trace_id),
        "spanId": s.span_id.to_string(),
        "name": t.str(s.name),
        "kind": s.kind.to_otlp(),
        "startTimeUnixNano": s.start_ns.to_string(),
        "endTimeUnixNano": s.end_ns().to_string(),
        "attributes": attributes(t, t.span_attrs(s)),
    });
    let o = obj.as_object_mut().expect("object");
    if !s.parent_id.is_none() {
        o.insert("parentSpanId".into(), Value::from(s.parent_id.to_string()));
    }
    if s.flags.has(SpanFlags::MISSING_TIME) {
        o.remove("startTimeUnixNano");
        o.remove("endTimeUnixNano");
    }
    let events: Vec<Value> = t
        .span_events(s)
        .iter()
        .map(|e| json!({"timeUnixNano": e.time_ns.to_string(), "name": t.str(e.name), "attributes": attributes(t, &t.attrs[e.attrs.as_range()])}))
        .collect();
    if !events.is_empty() {
        o.insert("events".into(), Value::from(events));
    }
    // OTLP has no CHILD_OF/FOLLOWS_FROM distinction; Jaeger's own translator maps references
    // to links the same way, recording the type as an attribute.
    let links: Vec<Value> = t
        .span_links(s)
        .iter()
        .map(|l| {
            let mut attrs = attributes(t, &t.attrs[l.attrs.as_range()]);
            if l.kind != LinkKind::Link {
                attrs.push(json!({"key": "opentracing.ref_type", "value": {"stringValue": l.kind.name().to_ascii_lowercase()}}));
            }
            json!({"traceId": hex32(&l.trace_id), "spanId": l.span_id.to_string(), "attributes": attrs})
        })
        .collect();
    if !links.is_empty() {
        o.insert("links".into(), Value::from(links));
    }
    let code = match s.status {
        StatusCode::Unset => 0,
        StatusCode::Ok => 1,
        StatusCode::Error => 2,
    };
    if code != 0 || s.status_message.len > 0 {
        o.insert("status".into(), json!({"code": code, "message": t.text(s.status_message)}));
    }
    obj
}
