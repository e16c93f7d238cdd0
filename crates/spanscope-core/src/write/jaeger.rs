//! Jaeger query-API JSON: `{"data": [trace...]}` with one process per resource.

use std::borrow::Borrow;
use std::io::{self, Write};

use super::json::{self, item, Obj};
use super::{write_json, write_list};
use crate::model::*;

pub fn write<T: Borrow<Trace>>(traces: &[T], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\"data\":[\n")?;
    write_list(out, traces, |out, t| write_trace(out, t.borrow()))?;
    out.write_all(b"\n],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}\n")
}

fn process_id(resource: u32) -> String {
    format!("p{}", resource as u64 + 1)
}

fn write_trace(out: &mut dyn Write, t: &Trace) -> io::Result<()> {
    let mut buf = String::new();
    write_json(out, &mut buf, |b| {
        b.push_str("{\"traceID\":");
        json::string(b, &t.trace_id_string());
        b.push_str(",\"spans\":[\n");
    })?;
    write_list(out, &t.spans, |out, s| write_json(out, &mut buf, |b| span(b, t, s)))?;
    write_json(out, &mut buf, |b| {
        b.push_str("\n],\"processes\":");
        let mut processes = Obj::new(b);
        for (i, r) in t.resources.iter().enumerate() {
            let mut p = Obj::new(processes.key(&process_id(i as u32)));
            p.str("serviceName", t.str(r.service));
            json::list(p.key("tags"), &t.attrs[r.attrs.as_range()], |b, a| tag(b, t, a));
            p.end();
        }
        processes.end();
        b.push_str(",\"warnings\":");
        warnings(b, t.warnings.iter().map(String::as_str));
        b.push('}');
    })
}

/// A list of warnings, or `null` when there are none (as Jaeger writes it).
fn warnings<'a>(b: &mut String, list: impl ExactSizeIterator<Item = &'a str>) {
    if list.len() == 0 {
        b.push_str("null");
    } else {
        json::list(b, list, json::string);
    }
}

fn tag(b: &mut String, t: &Trace, a: &Attribute) {
    let mut o = Obj::new(b);
    o.str("key", t.str(a.key));
    match a.value {
        AttrValue::Str(r) | AttrValue::Json(r) => o.str("type", "string").str("value", t.text(r)),
        AttrValue::Bool(v) => o.str("type", "bool").bool("value", v),
        AttrValue::Int(i) => o.str("type", "int64").int("value", i),
        AttrValue::Float(f) => {
            json::float(o.str("type", "float64").key("value"), f);
            &mut o
        }
        AttrValue::Bytes(r) => o.str("type", "binary").str("value", t.text(r)),
    };
    o.end();
}

fn string_tag(b: &mut String, key: &str, value: &str) {
    Obj::new(b).str("key", key).str("type", "string").str("value", value).end();
}

fn reference(b: &mut String, ref_type: &str, trace_id: &str, span_id: &str) {
    Obj::new(b).str("refType", ref_type).str("traceID", trace_id).str("spanID", span_id).end();
}

fn span(b: &mut String, t: &Trace, s: &Span) {
    let trace_id = t.trace_id_string();
    let mut o = Obj::new(b);
    o.str("traceID", &trace_id).str("spanID", &t.span_id_string(s.span_id)).raw("flags", "1");
    o.str("operationName", t.str(s.name));
    let refs = o.key("references");
    refs.push('[');
    if !s.parent_id.is_none() {
        let ref_type =
            if s.flags.has(SpanFlags::FOLLOWS_FROM) { "FOLLOWS_FROM" } else { "CHILD_OF" };
        reference(refs, ref_type, &trace_id, &t.span_id_string(s.parent_id));
    }
    for l in t.span_links(s) {
        let ref_type = if l.kind == LinkKind::ChildOf { "CHILD_OF" } else { "FOLLOWS_FROM" };
        let linked =
            if l.trace_id == t.trace_id { trace_id.clone() } else { l.trace_id.to_string() };
        reference(item(refs), ref_type, &linked, &t.span_id_string(l.span_id));
    }
    refs.push(']');
    if !s.flags.has(SpanFlags::MISSING_TIME) {
        o.int("startTime", s.start_ns.div_euclid(1000));
    }
    o.int("duration", s.duration_ns / 1000);
    let tags = o.key("tags");
    tags.push('[');
    for a in t.span_attrs(s) {
        tag(item(tags), t, a);
    }
    if s.kind != SpanKind::Unspecified {
        string_tag(item(tags), "span.kind", s.kind.name());
    }
    match s.status {
        StatusCode::Error => {
            item(tags).push_str("{\"key\":\"error\",\"type\":\"bool\",\"value\":true}");
            string_tag(item(tags), "otel.status_code", "ERROR");
        }
        StatusCode::Ok => string_tag(item(tags), "otel.status_code", "OK"),
        StatusCode::Unset => {}
    }
    if s.status_message.len > 0 {
        string_tag(item(tags), "otel.status_description", t.text(s.status_message));
    }
    if let Some(scope) = t.scopes.get(s.scope as usize) {
        if scope.name != crate::intern::Sym::EMPTY {
            string_tag(item(tags), "otel.scope.name", t.str(scope.name));
        }
        if scope.version != crate::intern::Sym::EMPTY {
            string_tag(item(tags), "otel.scope.version", t.str(scope.version));
        }
    }
    tags.push(']');
    json::list(o.key("logs"), t.span_events(s), |b, e| {
        let mut log = Obj::new(b);
        log.int("timestamp", e.time_ns.div_euclid(1000));
        let fields = log.key("fields");
        fields.push('[');
        if e.name != crate::intern::Sym::EMPTY {
            string_tag(fields, "event", t.str(e.name));
        }
        for a in &t.attrs[e.attrs.as_range()] {
            tag(item(fields), t, a);
        }
        fields.push(']');
        log.end();
    });
    o.str("processID", &process_id(s.resource));
    let span_warnings: Vec<&str> = t.span_warnings(s).collect();
    warnings(o.key("warnings"), span_warnings.into_iter());
    o.end();
}
