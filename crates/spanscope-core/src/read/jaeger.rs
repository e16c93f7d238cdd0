//! Jaeger JSON: the query API envelope, bare traces, arrays of traces, spans with embedded
//! processes, and JSON lines of any of these.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::de::{next_key, nullable, seed_is_visitor, skip, Int, Scalar, Str};
use super::{
    blank_span, each_value, finish_span_warnings, micros_to_ns, parent_id, span_id_or_hash,
    trace_id_or_hash, Touched,
};
use crate::builder::TraceSetBuilder;
use crate::draft::TraceDraft;
use crate::error::ReadError;
use crate::ids::{parse_trace_id, TraceId};
use crate::intern::Interner;
use crate::model::*;

#[derive(Debug, Clone, Copy)]
pub enum Mode {
    Envelope,
    Traces,
    Spans,
}

pub fn read(input: &[u8], mode: Mode, b: &mut TraceSetBuilder) -> Result<Format, ReadError> {
    let mut object_counter = 0u32;
    each_value(input, Format::Jaeger.family(), |de| {
        ValueSeed { b: &mut *b, mode, objects: &mut object_counter }.deserialize(de)
    })?;
    Ok(Format::Jaeger)
}

#[derive(Deserialize)]
pub(crate) struct JTag<'a> {
    #[serde(borrow)]
    key: Str<'a>,
    #[serde(rename = "type", borrow, default)]
    vtype: Option<Str<'a>>,
    #[serde(borrow, default = "null_scalar")]
    value: Scalar<'a>,
}

fn null_scalar() -> Scalar<'static> {
    Scalar::Null
}

#[derive(Deserialize)]
struct JLog<'a> {
    #[serde(default)]
    timestamp: Int,
    #[serde(borrow, default, deserialize_with = "nullable")]
    fields: Vec<JTag<'a>>,
}

#[derive(Deserialize)]
struct JRef<'a> {
    #[serde(rename = "refType", borrow, default)]
    ref_type: Str<'a>,
    #[serde(rename = "traceID", borrow, default)]
    trace_id: Str<'a>,
    #[serde(rename = "spanID", borrow, default)]
    span_id: Str<'a>,
}

#[derive(Deserialize)]
struct JProcess<'a> {
    #[serde(rename = "serviceName", borrow, default)]
    service_name: Str<'a>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    tags: Vec<JTag<'a>>,
}

#[derive(Deserialize)]
struct JSpan<'a> {
    #[serde(rename = "traceID", borrow, default)]
    trace_id: Str<'a>,
    #[serde(rename = "spanID", borrow, default)]
    span_id: Str<'a>,
    #[serde(rename = "parentSpanID", borrow, default)]
    parent_span_id: Str<'a>,
    #[serde(rename = "operationName", borrow, default)]
    operation_name: Str<'a>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    references: Vec<JRef<'a>>,
    #[serde(rename = "startTime", default)]
    start_time: Option<Int>,
    #[serde(default)]
    duration: Int,
    #[serde(borrow, default, deserialize_with = "nullable")]
    tags: Vec<JTag<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    logs: Vec<JLog<'a>>,
    #[serde(rename = "processID", borrow, default)]
    process_id: Str<'a>,
    #[serde(borrow, default)]
    process: Option<JProcess<'a>>,
    #[serde(borrow, default, deserialize_with = "nullable")]
    warnings: Vec<Str<'a>>,
}

/// One top-level value (or one element of `data`): an envelope, a trace, a span, or an array.
struct ValueSeed<'b> {
    b: &'b mut TraceSetBuilder,
    mode: Mode,
    objects: &'b mut u32,
}

seed_is_visitor!(ValueSeed<'b>);

impl<'de, 'b> Visitor<'de> for ValueSeed<'b> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Jaeger trace, span, or array of them")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // An array inside an envelope or of traces holds traces; a span array holds spans.
        let mode = match self.mode {
            Mode::Envelope => Mode::Traces,
            m => m,
        };
        while seq
            .next_element_seed(ValueSeed { b: &mut *self.b, mode, objects: &mut *self.objects })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match self.mode {
            Mode::Spans => {
                let span = JSpan::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                if span.span_id.as_str().is_empty() && span.trace_id.as_str().is_empty() {
                    self.b.foreign_items += 1;
                    return Ok(());
                }
                *self.objects += 1;
                push_span(self.b, span, *self.objects, &mut Touched::default());
                Ok(())
            }
            Mode::Envelope => {
                while let Some(key) = next_key(&mut map)? {
                    match key.as_str() {
                        "data" => map.next_value_seed(ValueSeed {
                            b: &mut *self.b,
                            mode: Mode::Traces,
                            objects: &mut *self.objects,
                        })?,
                        "errors" => {
                            let errors: Option<Vec<serde_json::Value>> = map.next_value()?;
                            for e in errors.unwrap_or_default() {
                                let msg = e.get("msg").and_then(|m| m.as_str()).unwrap_or("");
                                self.b.warnings.push(format!(
                                    "Jaeger query error: {}",
                                    if msg.is_empty() { e.to_string() } else { msg.to_string() }
                                ));
                            }
                        }
                        _ => skip(&mut map)?,
                    }
                }
                Ok(())
            }
            Mode::Traces => {
                *self.objects += 1;
                read_trace_object(self.b, *self.objects, &mut map)
            }
        }
    }
}

/// A trace object: `spans` (streamed), `processes` and `warnings`, in any key order.
fn read_trace_object<'de, A: MapAccess<'de>>(
    b: &mut TraceSetBuilder,
    object: u32,
    map: &mut A,
) -> Result<(), A::Error> {
    let mut touched = Touched::default();
    let mut processes: Vec<(Str<'de>, JProcess<'de>)> = Vec::new();
    let mut warnings: Vec<Str<'de>> = Vec::new();
    let mut own_id: Option<TraceId> = None;
    let mut jaeger_keys = 0;
    while let Some(key) = next_key(map)? {
        if matches!(key.as_str(), "spans" | "processes" | "traceID") {
            jaeger_keys += 1;
        }
        match key.as_str() {
            "spans" => {
                map.next_value_seed(SpansSeed { b: &mut *b, object, touched: &mut touched })?
            }
            "processes" => {
                let p: Option<std::collections::BTreeMap<Str<'de>, JProcess<'de>>> =
                    map.next_value()?;
                processes.extend(p.unwrap_or_default());
            }
            "warnings" => {
                let w: Option<Vec<Str<'de>>> = map.next_value()?;
                warnings.extend(w.unwrap_or_default());
            }
            "traceID" => {
                let id: Str = map.next_value()?;
                own_id = parse_trace_id(id.as_str()).ok();
            }
            _ => skip(map)?,
        }
    }
    if jaeger_keys == 0 {
        b.foreign_items += 1;
        return Ok(());
    }
    if touched.order.is_empty() {
        if let Some(id) = own_id {
            // A trace with no spans still carries its warnings.
            if !warnings.is_empty() {
                b.warnings.extend(warnings.iter().map(|w| format!("trace {id}: {}", w.as_str())));
            }
        }
        return Ok(());
    }
    for trace_id in touched.order {
        let (strings, draft) = b.trace(trace_id, Format::Jaeger);
        for (pid, process) in &processes {
            let pid = strings.intern(pid.as_str());
            let (index, _) = draft.resource_for_process(object, pid);
            fill_process(strings, draft, index, process);
        }
        draft.warnings.extend(warnings.iter().map(|w| w.as_str().to_string()));
    }
    Ok(())
}

fn fill_process(strings: &mut Interner, draft: &mut TraceDraft, index: u32, p: &JProcess) {
    let start = draft.attrs.len();
    for tag in &p.tags {
        let key = strings.intern(tag.key.as_str());
        let value = tag_value(draft, tag);
        draft.push_attr(key, value);
    }
    let resource = &mut draft.resources[index as usize];
    resource.service = strings.intern(p.service_name.as_str());
    resource.attrs = Range32::new(start, draft.attrs.len());
    if draft.unresolved_resources > 0 {
        draft.unresolved_resources -= 1;
    }
}

struct SpansSeed<'b> {
    b: &'b mut TraceSetBuilder,
    object: u32,
    touched: &'b mut Touched,
}

seed_is_visitor!(SpansSeed<'b>);

impl<'de, 'b> Visitor<'de> for SpansSeed<'b> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of Jaeger spans")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(span) = seq.next_element::<JSpan<'de>>()? {
            push_span(self.b, span, self.object, self.touched);
        }
        Ok(())
    }
}

/// Converts a tag to a typed value, following its declared `type` where there is one.
pub(crate) fn tag_value(draft: &mut TraceDraft, tag: &JTag) -> AttrValue {
    let declared = match tag.vtype.as_ref().map(|t| t.as_str()) {
        Some(t) if t.eq_ignore_ascii_case("bool") => Some("bool"),
        Some(t) if t.eq_ignore_ascii_case("int64") => Some("int64"),
        Some(t) if t.eq_ignore_ascii_case("float64") => Some("float64"),
        Some(t) if t.eq_ignore_ascii_case("binary") => Some("binary"),
        _ => None,
    };
    match (declared, &tag.value) {
        (_, Scalar::Bool(v)) => AttrValue::Bool(*v),
        (Some("bool"), Scalar::Str(s)) if s == "true" || s == "false" => {
            AttrValue::Bool(s == "true")
        }
        (_, Scalar::Int(i)) if declared != Some("float64") => AttrValue::Int(*i),
        (_, Scalar::Int(i)) => AttrValue::Float(*i as f64),
        (Some("int64"), Scalar::Str(s)) => match s.parse::<i64>() {
            Ok(i) => AttrValue::Int(i),
            Err(_) => AttrValue::Str(draft.push_text(s)),
        },
        (Some("float64"), Scalar::Str(s)) => match crate::number::parse_f64(s) {
            Some(f) => AttrValue::Float(f),
            None => AttrValue::Str(draft.push_text(s)),
        },
        (_, Scalar::Uint(u)) => AttrValue::Str(draft.push_text(&u.to_string())),
        (_, Scalar::Float(f)) => AttrValue::Float(*f),
        (Some("binary"), Scalar::Str(s)) => AttrValue::Bytes(draft.push_text(s)),
        (_, Scalar::Str(s)) => AttrValue::Str(draft.push_text(s)),
        (_, Scalar::Json(s)) => AttrValue::Json(draft.push_text(s)),
        (_, Scalar::Null) => AttrValue::Str(draft.push_text("")),
    }
}

fn is_true(value: &Scalar) -> bool {
    match value {
        Scalar::Bool(b) => *b,
        Scalar::Str(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn push_span(b: &mut TraceSetBuilder, s: JSpan, object: u32, touched: &mut Touched) {
    let (trace_id, id_text) = trace_id_or_hash(s.trace_id.as_str());
    touched.add(trace_id);
    let (strings, draft) = b.trace(trace_id, Format::Jaeger);
    if id_text.is_some() {
        draft.trace_id_text = id_text;
    }
    let mut span = blank_span(crate::ids::SpanId::NONE);
    span.span_id = span_id_or_hash(draft, s.span_id.as_str(), &mut span.flags);
    span.name = strings.intern(s.operation_name.as_str());
    match s.start_time {
        Some(t) => span.start_ns = micros_to_ns(t.0, &mut span.flags),
        None => span.flags.set(crate::model::SpanFlags::MISSING_TIME),
    }
    span.duration_ns = micros_to_ns(s.duration.0, &mut span.flags);

    // Parent: the first CHILD_OF reference within this trace, else the first FOLLOWS_FROM;
    // every other reference is kept as a link.
    let same_trace = |r: &JRef| {
        trace_id_or_hash(r.trace_id.as_str()).0.value == trace_id.value
            || r.trace_id.as_str().is_empty()
    };
    let parent_ref = s
        .references
        .iter()
        .position(|r| r.ref_type.as_str().eq_ignore_ascii_case("CHILD_OF") && same_trace(r))
        .or_else(|| s.references.iter().position(same_trace));
    span.parent_id = match parent_ref {
        Some(i) => {
            if s.references[i].ref_type.as_str().eq_ignore_ascii_case("FOLLOWS_FROM") {
                span.flags.set(crate::model::SpanFlags::FOLLOWS_FROM);
            }
            parent_id(s.references[i].span_id.as_str())
        }
        None => parent_id(s.parent_span_id.as_str()),
    };
    let links_start = draft.links.len();
    for (i, r) in s.references.iter().enumerate() {
        if Some(i) == parent_ref {
            continue;
        }
        let kind = if r.ref_type.as_str().eq_ignore_ascii_case("FOLLOWS_FROM") {
            LinkKind::FollowsFrom
        } else {
            LinkKind::ChildOf
        };
        draft.links.push(Link {
            kind,
            trace_id: if r.trace_id.as_str().is_empty() {
                trace_id
            } else {
                trace_id_or_hash(r.trace_id.as_str()).0
            },
            span_id: parent_id(r.span_id.as_str()),
            attrs: Range32::default(),
        });
    }
    span.links = Range32::new(links_start, draft.links.len());

    let attrs_start = draft.attrs.len();
    let mut scope_name = None;
    let mut scope_version = None;
    for tag in &s.tags {
        match tag.key.as_str() {
            "span.kind" => span.kind = SpanKind::from_name(&tag.value.to_text()),
            "error" => {
                if is_true(&tag.value) {
                    span.status = StatusCode::Error;
                }
            }
            "otel.status_code" => {
                let code = StatusCode::from_name(&tag.value.to_text());
                if code != StatusCode::Unset {
                    span.status = code;
                }
            }
            "otel.status_description" => {
                span.status_message = draft.push_text(&tag.value.to_text())
            }
            "otel.scope.name" | "otel.library.name" => {
                scope_name = Some(tag.value.to_text().into_owned())
            }
            "otel.scope.version" | "otel.library.version" => {
                scope_version = Some(tag.value.to_text().into_owned())
            }
            key => {
                let key = strings.intern(key);
                let value = tag_value(draft, tag);
                draft.push_attr(key, value);
            }
        }
    }
    span.attrs = draft.attr_range_since(attrs_start);
    if scope_name.is_some() || scope_version.is_some() {
        let name = strings.intern(scope_name.as_deref().unwrap_or(""));
        let version = strings.intern(scope_version.as_deref().unwrap_or(""));
        span.scope =
            match draft.scopes.iter().position(|sc| sc.name == name && sc.version == version) {
                Some(i) => i as u32,
                None => {
                    draft.scopes.push(Scope { name, version, attrs: Range32::default() });
                    (draft.scopes.len() - 1) as u32
                }
            };
    }

    let events_start = draft.events.len();
    for log in &s.logs {
        let attrs_start = draft.attrs.len();
        let mut name = crate::intern::Sym::EMPTY;
        for field in &log.fields {
            if field.key.as_str() == "event"
                && matches!(field.value, Scalar::Str(_))
                && name == crate::intern::Sym::EMPTY
            {
                name = strings.intern(&field.value.to_text());
                continue;
            }
            let key = strings.intern(field.key.as_str());
            let value = tag_value(draft, field);
            draft.push_attr(key, value);
        }
        let mut flags = SpanFlags::default();
        let time_ns = micros_to_ns(log.timestamp.0, &mut flags);
        let attrs = draft.attr_range_since(attrs_start);
        draft.events.push(Event { time_ns, name, attrs });
    }
    span.events = Range32::new(events_start, draft.events.len());

    let warnings_start = draft.span_warnings.len();
    for w in &s.warnings {
        draft.push_span_warning(w.as_str());
    }
    span.warnings = finish_span_warnings(draft, warnings_start);

    span.resource = match &s.process {
        Some(p) => {
            let mut key = String::from("embedded/");
            key.push_str(p.service_name.as_str());
            for t in &p.tags {
                key.push('\u{1}');
                key.push_str(t.key.as_str());
                key.push('=');
                key.push_str(&t.value.to_text());
            }
            let (index, created) = draft.resource_for_key(&key);
            if created {
                draft.unresolved_resources += 1;
                fill_process(strings, draft, index, p);
            }
            index
        }
        None => {
            let pid = strings.intern(s.process_id.as_str());
            let (index, created) = draft.resource_for_process(object, pid);
            if created {
                draft.unresolved_resources += 1;
            }
            index
        }
    };
    draft.spans.push(span);
}
