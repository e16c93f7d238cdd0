//! Jaeger query-API JSON: `{"data": [trace...]}` with one process per resource.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{float_json, int_json, write_list, write_value};
use crate::model::*;

pub fn write(traces: &[Trace], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\"data\":[\n")?;
    write_list(out, traces, |out, t| write_trace(out, t))?;
    out.write_all(b"\n],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}\n")
}

fn process_id(resource: u32) -> String {
    format!("p{}", resource as u64 + 1)
}

fn write_trace(out: &mut dyn Write, t: &Trace) -> io::Result<()> {
    out.write_all(b"{\"traceID\":")?;
    write_value(out, &Value::from(t.trace_id_string()))?;
    out.write_all(b",\"spans\":[\n")?;
    write_list(out, &t.spans, |out, s| write_value(out, &span_json(t, s)))?;
    out.write_all(b"\n],\"processes\":")?;
    let mut processes = Map::new();
    for (i, r) in t.resources.iter().enumerate() {
        let tags: Vec<Value> = t.attrs[r.attrs.as_range()].iter().map(|a| tag_json(t, a)).collect();
        processes
            .insert(process_id(i as u32), json!({"serviceName": t.str(r.service), "tags": tags}));
    }
    write_value(out, &Value::Object(processes))?;
    out.write_all(b",\"warnings\":")?;
    let warnings = if t.warnings.is_empty() { Value::Null } else { json!(t.warnings) };
    write_value(out, &warnings)?;
    out.write_all(b"}")
}

pub(crate) fn tag_json(t: &Trace, a: &Attribute) -> Value {
    let key = t.str(a.key);
    let (kind, value) = match a.value {
        AttrValue::Str(r) | AttrValue::Json(r) => ("string", Value::from(t.text(r))),
        AttrValue::Bool(b) => ("bool", Value::from(b)),
        AttrValue::Int(i) => ("int64", int_json(i)),
        AttrValue::Float(f) => ("float64", float_json(f)),
        AttrValue::Bytes(r) => ("binary", Value::from(t.text(r))),
    };
    json!({"key": key, "type": kind, "value": value})
}

fn string_tag(key: &str, value: &str) -> Value {
    json!({"key": key, "type": "string", "value": value})
}

fn span_json(t: &Trace, s: &Span) -> Value {
    let mut references = Vec::new();
    if !s.parent_id.is_none() {
        let ref_type =
            if s.flags.has(SpanFlags::FOLLOWS_FROM) { "FOLLOWS_FROM" } else { "CHILD_OF" };
        references.push(json!({"refType": ref_type, "traceID": t.trace_id_string(), "spanID": t.span_id_string(s.parent_id)}));
    }
    for l in t.span_links(s) {
        let ref_type = if l.kind == LinkKind::ChildOf { "CHILD_OF" } else { "FOLLOWS_FROM" };
        let trace_id =
            if l.trace_id == t.trace_id { t.trace_id_string() } else { l.trace_id.to_string() };
        references.push(json!({"refType": ref_type, "traceID": trace_id, "spanID": t.span_id_string(l.span_id)}));
    }
    let mut tags: Vec<Value> = t.span_attrs(s).iter().map(|a| tag_json(t, a)).collect();
    if s.kind != SpanKind::Unspecified {
        tags.push(string_tag("span.kind", s.kind.name()));
    }
    match s.status {
        StatusCode::Error => {
            tags.push(json!({"key": "error", "type": "bool", "value": true}));
            tags.push(string_tag("otel.status_code", "ERROR"));
        }
        StatusCode::Ok => tags.push(string_tag("otel.status_code", "OK")),
        StatusCode::Unset => {}
    }
    if s.status_message.len > 0 {
        tags.push(string_tag("otel.status_description", t.text(s.status_message)));
    }
    if let Some(scope) = t.scopes.get(s.scope as usize) {
        if scope.name != crate::intern::Sym::EMPTY {
            tags.push(string_tag("otel.scope.name", t.str(scope.name)));
        }
        if scope.version != crate::intern::Sym::EMPTY {
            tags.push(string_tag("otel.scope.version", t.str(scope.version)));
        }
    }
    let logs: Vec<Value> = t
        .span_events(s)
        .iter()
        .map(|e| {
            let mut fields = Vec::new();
            if e.name != crate::intern::Sym::EMPTY {
                fields.push(string_tag("event", t.str(e.name)));
            }
            fields.extend(t.attrs[e.attrs.as_range()].iter().map(|a| tag_json(t, a)));
            json!({"timestamp": e.time_ns.div_euclid(1000), "fields": fields})
        })
        .collect();
    let warnings: Vec<&str> = t.span_warnings(s).collect();
    let mut obj = json!({
        "traceID": t.trace_id_string(),
        "spanID": t.span_id_string(s.span_id),
        "flags": 1,
        "operationName": t.str(s.name),
        "references": references,
        "startTime": s.start_ns.div_euclid(1000),
        "duration": s.duration_ns / 1000,
        "tags": tags,
        "logs": logs,
        "processID": process_id(s.resource),
        "warnings": if warnings.is_empty() { Value::Null } else { json!(warnings) },
    });
    if s.flags.has(SpanFlags::MISSING_TIME) {
        obj.as_object_mut().map(|o| o.remove("startTime"));
    }
    obj
}
