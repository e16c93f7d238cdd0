//! Link patterns (`config.json` `linkPatterns`): links from a span or a trace to the team's
//! other tools (logs, dashboards, metrics), Jaeger UI compatible.
//!
//! An entry is `{type, key?, url, text}`. `type` is `attributes` (Jaeger: `tags`), `resource`
//! (`process`), `events` (`logs`) or `traces`. With `key`, the link belongs to that attribute
//! and shows where the attribute does; without, it belongs to every span (or, for `traces`,
//! to the trace). `url` and `text` hold `#{name}` placeholders, filled from the attribute's
//! own list, then the span's ancestors' attributes and resources (nearest first), then
//! `traceID`, `spanID`, `serviceName`, `operationName`, `startTime`, `duration` (µs) and, for
//! the trace, `traceID`, `traceName`, `startTime`, `endTime`, `duration` (also as
//! `trace.traceID`, …). Formatters follow a `|`: `epoch_micros_to_date_iso`, `pad_start N c`
//! and `add N`, chained left to right (`#{startTime | add -60000000 | epoch_micros_to_date_iso}`).
//! A link with a placeholder that has no value is left out. Values are percent-encoded in
//! the URL; only `http:`, `https:` and relative URLs are accepted.

use serde_json::Value;

use crate::format::format_iso_millis;
use crate::model::{Attribute, Trace, NO_SPAN};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternType {
    Attributes,
    Resource,
    Events,
    Traces,
}

#[derive(Debug, Clone, PartialEq)]
enum Formatter {
    EpochMicrosToDateIso,
    PadStart(usize, char),
    Add(i64),
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Param(String, Vec<Formatter>),
}

#[derive(Debug, Clone, PartialEq)]
struct Template(Vec<Part>);

#[derive(Debug, Clone, PartialEq)]
pub struct LinkPattern {
    pub kind: PatternType,
    pub key: Option<String>,
    url: Template,
    text: Template,
}

/// A link ready to show: the attribute it belongs to (none: the span's or trace's own).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub kind: PatternType,
    pub key: Option<String>,
    pub text: String,
    pub url: String,
}

/// The patterns of `config.json` `linkPatterns`, and a message for each entry left out.
pub fn parse(list: &Value) -> (Vec<LinkPattern>, Vec<String>) {
    let (mut patterns, mut problems) = (Vec::new(), Vec::new());
    for (i, entry) in list.as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        match parse_one(entry) {
            Ok(p) => patterns.push(p),
            Err(e) => problems.push(format!("config.json linkPatterns[{i}] left out: {e}")),
        }
    }
    (patterns, problems)
}

fn parse_one(entry: &Value) -> Result<LinkPattern, String> {
    let field = |name: &str| entry.get(name).and_then(Value::as_str);
    let kind = match field("type") {
        Some("attributes" | "tags") => PatternType::Attributes,
        Some("resource" | "process") => PatternType::Resource,
        Some("events" | "logs") => PatternType::Events,
        Some("traces") => PatternType::Traces,
        _ => {
            let given = entry.get("type").map_or("none".into(), Value::to_string);
            return Err(format!("type {given} is not attributes, resource, events or traces"));
        }
    };
    let url_text = field("url").ok_or("no `url`")?;
    let url = template(url_text)?;
    check_scheme(&url)?;
    let text = template(field("text").unwrap_or(url_text))?;
    Ok(LinkPattern { kind, key: field("key").map(str::to_string), url, text })
}

/// `http:`, `https:` or relative: decided by the text before the first placeholder, so no
/// value can choose the scheme.
fn check_scheme(url: &Template) -> Result<(), String> {
    let head =
        match url.0.first() {
            Some(Part::Text(t)) => t.as_str(),
            _ => return Err(
                "the url must start with http://, https:// or a relative path, not a placeholder"
                    .into(),
            ),
        };
    let end = head.find(['/', '?', '#']).unwrap_or(head.len());
    // (A value cannot add a scheme after this text: its `:` and `/` are percent-encoded.)
    match head[..end].split_once(':') {
        None => Ok(()),
        Some((scheme, _))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            Ok(())
        }
        Some((scheme, _)) => {
            Err(format!("url scheme `{scheme}:` refused: only http, https and relative urls"))
        }
    }
}

fn template(text: &str) -> Result<Template, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("#{") {
        if start > 0 {
            parts.push(Part::Text(rest[..start].to_string()));
        }
        let end =
            rest[start..].find('}').ok_or_else(|| format!("`#{{` without `}}` in `{text}`"))?;
        let inner = &rest[start + 2..start + end];
        let mut pieces = inner.split('|');
        let name = pieces.next().unwrap_or_default().trim().to_string();
        if name.is_empty() {
            return Err(format!("an empty placeholder in `{text}`"));
        }
        let formatters = pieces.map(formatter).collect::<Result<Vec<_>, _>>()?;
        parts.push(Part::Param(name, formatters));
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    Ok(Template(parts))
}

fn formatter(text: &str) -> Result<Formatter, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["epoch_micros_to_date_iso"] => Ok(Formatter::EpochMicrosToDateIso),
        ["add", n] => {
            n.parse().map(Formatter::Add).map_err(|_| format!("`add {n}`: not an integer"))
        }
        ["pad_start", n, c] => {
            let mut chars = c.chars();
            match (n.parse(), chars.next(), chars.next()) {
                (Ok(n), Some(c), None) => Ok(Formatter::PadStart(n, c)),
                _ => Err(format!("`pad_start {n} {c}`: needs a length and one character")),
            }
        }
        _ => Err(format!(
            "unknown formatter `{}` (epoch_micros_to_date_iso, pad_start N c, add N)",
            text.trim()
        )),
    }
}

impl Formatter {
    /// Jaeger's rule: a formatter that does not fit the value leaves it as it is.
    fn apply(&self, value: String) -> String {
        match self {
            Formatter::Add(n) => match value.parse::<i64>() {
                Ok(v) => v.saturating_add(*n).to_string(),
                Err(_) => value,
            },
            Formatter::EpochMicrosToDateIso => match value.parse::<i64>() {
                Ok(micros) => format_iso_millis(micros),
                Err(_) => value,
            },
            Formatter::PadStart(len, c) => {
                let have = value.chars().count();
                let mut out: String = std::iter::repeat_n(*c, len.saturating_sub(have)).collect();
                out.push_str(&value);
                out
            }
        }
    }
}

/// What `#{name}` can mean around one span (or the trace).
struct Scope<'t> {
    trace: &'t Trace,
    /// The item's own list (the attribute's span, resource or event).
    own: &'t [Attribute],
    span: u32,
}

impl Scope<'_> {
    fn value(&self, name: &str) -> Option<String> {
        let t = self.trace;
        let find = |list: &[Attribute]| {
            list.iter().find(|a| t.str(a.key) == name).map(|a| t.value_text(&a.value))
        };
        if let Some(v) = find(self.own) {
            return Some(v);
        }
        let mut at = self.span;
        while let Some(s) = t.spans.get(at as usize) {
            if let Some(v) = find(t.span_attrs(s)).or_else(|| find(t.resource_attrs(s.resource))) {
                return Some(v);
            }
            at = s.parent;
        }
        let micros = |ns: i64| (ns.div_euclid(1000)).to_string();
        let span = t.spans.get(self.span as usize);
        let trace_field = |name: &str| -> Option<String> {
            Some(match name {
                "traceID" => t.trace_id_string(),
                "traceName" => {
                    let root = t.spans.get(*t.roots.first()? as usize)?;
                    format!("{}: {}", t.str(root.service), t.str(root.name))
                }
                "startTime" => micros(t.stats.start_ns),
                "endTime" => micros(t.stats.end_ns),
                "duration" => micros(t.duration_ns()),
                _ => return None,
            })
        };
        if let Some(field) = name.strip_prefix("trace.") {
            return trace_field(field);
        }
        match (name, span) {
            ("spanID", Some(s)) => Some(t.span_id_string(s.span_id)),
            ("serviceName", Some(s)) => Some(t.str(s.service).to_string()),
            ("operationName", Some(s)) => Some(t.str(s.name).to_string()),
            ("startTime", Some(s)) => Some(micros(s.start_ns)),
            ("duration", Some(s)) => Some(micros(s.duration_ns)),
            _ => trace_field(name),
        }
    }

    /// The template filled in; `None` when a placeholder has no value.
    fn fill(&self, template: &Template, encode: bool) -> Option<String> {
        let mut out = String::new();
        for part in &template.0 {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Param(name, formatters) => {
                    let value = formatters.iter().fold(self.value(name)?, |v, f| f.apply(v));
                    if encode {
                        encode_component(&value, &mut out);
                    } else {
                        out.push_str(&value);
                    }
                }
            }
        }
        Some(out)
    }

    fn link(&self, p: &LinkPattern) -> Option<Link> {
        Some(Link {
            kind: p.kind,
            key: p.key.clone(),
            url: self.fill(&p.url, true)?,
            text: self.fill(&p.text, false)?,
        })
    }
}

/// `encodeURIComponent`: everything but letters, digits and `-_.!~*'()` as UTF-8 `%XX`.
fn encode_component(value: &str, out: &mut String) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The links of one span: its attributes', its resource's, its events' (each with the key it
/// belongs to) and those for every span (no key).
pub fn span_links(trace: &Trace, span: u32, patterns: &[LinkPattern]) -> Vec<Link> {
    let Some(s) = trace.spans.get(span as usize) else { return Vec::new() };
    let has = |list: &[Attribute], key: &str| list.iter().any(|a| trace.str(a.key) == key);
    let mut links = Vec::new();
    for p in patterns {
        let lists: Vec<&[Attribute]> = match p.kind {
            PatternType::Attributes => vec![trace.span_attrs(s)],
            PatternType::Resource => vec![trace.resource_attrs(s.resource)],
            PatternType::Events => {
                trace.span_events(s).iter().map(|e| &trace.attrs[e.attrs.as_range()]).collect()
            }
            PatternType::Traces => continue,
        };
        for own in lists {
            if p.key.as_deref().is_some_and(|k| !has(own, k)) {
                continue;
            }
            if let Some(link) = (Scope { trace, own, span }).link(p) {
                if !links.contains(&link) {
                    links.push(link);
                }
            }
        }
    }
    links
}

/// The trace's own links (`type: traces`), for the trace header.
pub fn trace_links(trace: &Trace, patterns: &[LinkPattern]) -> Vec<Link> {
    patterns
        .iter()
        .filter(|p| p.kind == PatternType::Traces)
        .filter_map(|p| Scope { trace, own: &[], span: NO_SPAN }.link(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_as_javascript_writes_them() {
        assert_eq!(format_iso_millis(1_577_836_800_000_000), "2020-01-01T00:00:00.000Z");
        assert_eq!(format_iso_millis(1_577_836_800_123_456), "2020-01-01T00:00:00.123Z");
        assert_eq!(format_iso_millis(-1_000), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn schemes() {
        let ok = |u: &str| parse_one(&serde_json::json!({"type": "traces", "url": u})).is_ok();
        assert!(ok("https://logs.example.com/?q=#{traceID}"));
        assert!(ok("HTTP://logs/#{traceID}"));
        assert!(ok("/grafana/explore?trace=#{traceID}"));
        assert!(ok("logs?trace=#{traceID}"));
        assert!(!ok("javascript:alert(#{traceID})"));
        assert!(!ok(" javascript:alert(1)"));
        assert!(!ok("java\tscript:alert(1)"));
        assert!(!ok("data:text/html,#{traceID}"));
        assert!(!ok("#{url}"));
        assert!(ok("x#{url}"), "relative: a value's `:` is encoded");
    }

    #[test]
    fn formatters() {
        assert_eq!(
            Formatter::Add(-60_000_000).apply("1700000060000000".into()),
            "1700000000000000"
        );
        assert_eq!(Formatter::PadStart(8, '0').apply("abc".into()), "00000abc");
        assert_eq!(Formatter::EpochMicrosToDateIso.apply("not a number".into()), "not a number");
        assert!(formatter("uppercase").unwrap_err().contains("unknown formatter `uppercase`"));
    }
}
