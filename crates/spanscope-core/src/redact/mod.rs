//! Redaction and the sensitive-data scan.
//!
//! Rules (`config.json` `redact`, or `spanscope convert --redact RULES.json`) pick attributes
//! by a regex on the key and, optionally, one on the value, and mask, hash or drop them. They
//! apply to span, resource, event and link attributes alike. Redaction makes a new `Trace`
//! whose ids, timing and tree are the original's: only attribute values change.
//!
//! The regex engine is the caller's ([`Pattern`]): the CLI brings Rust's `regex`, the web app
//! the browser's `RegExp`, so the app ships no regex engine of its own.

pub mod detect;

use std::sync::Arc;

use serde_json::Value;

use crate::intern::Sym;
use crate::model::{AttrValue, Attribute, Range32, TextRef, Trace, NO_SPAN};
pub use detect::FindingKind;

/// A compiled regex, matched case-insensitively anywhere in the text.
pub trait Pattern {
    fn is_match(&self, text: &str) -> bool;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The value becomes `***`.
    Mask,
    /// The value becomes `hash:` and 16 hex digits, the same for equal values, so a user id
    /// can still be followed across spans. (FNV-1a: it hides a value, but a guessable one,
    /// such as a short number, can be found by trying.)
    Hash,
    /// The attribute is removed.
    Drop,
}

impl Action {
    pub fn parse(s: &str) -> Option<Action> {
        match s {
            "mask" => Some(Action::Mask),
            "hash" => Some(Action::Hash),
            "drop" => Some(Action::Drop),
            _ => None,
        }
    }
}

/// A rule as written in JSON, before its regexes are compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    pub key: String,
    pub value: Option<String>,
    pub action: Action,
}

#[derive(Debug)]
pub struct Rule<P> {
    pub key: P,
    pub value: Option<P>,
    pub action: Action,
}

/// Reads `[{key, value?, action}]`, or an object with such a list under `redact`.
pub fn parse_rules(json: &str) -> Result<Vec<RuleSpec>, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("redaction rules: {e}"))?;
    rules_from_value(&doc)
}

/// The rules in a parsed document (a list, or a config object with `redact`; none if absent).
pub fn rules_from_value(doc: &Value) -> Result<Vec<RuleSpec>, String> {
    let list = match doc {
        Value::Array(list) => list,
        Value::Object(map) => match map.get("redact") {
            Some(Value::Array(list)) => list,
            Some(_) => return Err("redaction rules: `redact` must be a list".into()),
            None => return Ok(Vec::new()),
        },
        _ => return Err("redaction rules: expected a list of {key, value, action}".into()),
    };
    list.iter()
        .enumerate()
        .map(|(i, rule)| {
            let field = |name: &str| rule.get(name).and_then(Value::as_str);
            let key =
                field("key").ok_or_else(|| format!("redaction rule {}: no `key` regex", i + 1))?;
            let action = match field("action") {
                None => Action::Mask,
                Some(a) => Action::parse(a).ok_or_else(|| {
                    format!("redaction rule {}: action '{a}' is not mask, hash or drop", i + 1)
                })?,
            };
            Ok(RuleSpec { key: key.to_string(), value: field("value").map(str::to_string), action })
        })
        .collect()
}

/// Compiles every rule's regexes with the caller's engine; the message names the bad rule.
pub fn compile<P>(
    specs: &[RuleSpec],
    mut regex: impl FnMut(&str) -> Result<P, String>,
) -> Result<Vec<Rule<P>>, String> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let bad = |e: String| format!("redaction rule {}: {e}", i + 1);
            Ok(Rule {
                key: regex(&s.key).map_err(bad)?,
                value: s.value.as_deref().map(&mut regex).transpose().map_err(bad)?,
                action: s.action,
            })
        })
        .collect()
}

/// Where an attribute was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    Span,
    Resource,
    Event,
    Link,
}

impl Place {
    pub fn name(&self) -> &'static str {
        match self {
            Place::Span => "span",
            Place::Resource => "resource",
            Place::Event => "event",
            Place::Link => "link",
        }
    }
}

/// Every attribute of a trace once, with the span it belongs to (for a resource attribute:
/// the first span that ran there) and where on it.
fn each_attribute(trace: &Trace, mut visit: impl FnMut(u32, Place, usize)) {
    let mut resource_span = vec![NO_SPAN; trace.resources.len()];
    for (i, span) in trace.spans.iter().enumerate() {
        let i = i as u32;
        if let Some(first) = resource_span.get_mut(span.resource as usize) {
            if *first == NO_SPAN {
                *first = i;
            }
        }
        span.attrs.as_range().for_each(|a| visit(i, Place::Span, a));
        for e in trace.span_events(span) {
            e.attrs.as_range().for_each(|a| visit(i, Place::Event, a));
        }
        for l in trace.span_links(span) {
            l.attrs.as_range().for_each(|a| visit(i, Place::Link, a));
        }
    }
    for (r, resource) in trace.resources.iter().enumerate() {
        resource.attrs.as_range().for_each(|a| visit(resource_span[r], Place::Resource, a));
    }
}

/// One attribute that looks sensitive.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The span it was found on (`NO_SPAN` for a resource no span uses).
    pub span: u32,
    pub place: Place,
    /// Index into `trace.attrs`.
    pub attr: usize,
    pub kind: FindingKind,
}

/// Text of a value the detector and value regexes look at; numbers and booleans are never
/// secrets on their own (`None`).
fn text_of<'t>(trace: &'t Trace, value: &AttrValue) -> Option<&'t str> {
    match value {
        AttrValue::Str(t) | AttrValue::Bytes(t) | AttrValue::Json(t) => Some(trace.text(*t)),
        _ => None,
    }
}

/// Every attribute the built-in detector flags, in span order.
pub fn scan(trace: &Trace) -> Vec<Finding> {
    let mut key_kind: Vec<Option<Option<FindingKind>>> = vec![None; trace.strings.len()];
    let mut found = Vec::new();
    each_attribute(trace, |span, place, attr| {
        let a = &trace.attrs[attr];
        let Some(text) = text_of(trace, &a.value) else { return };
        if let Some(kind) = detect(trace, &mut key_kind, a.key, text) {
            found.push(Finding { span, place, attr, kind });
        }
    });
    found
}

fn detect(
    trace: &Trace,
    key_kind: &mut [Option<Option<FindingKind>>],
    key: Sym,
    text: &str,
) -> Option<FindingKind> {
    if detect::already_masked(text) {
        return None;
    }
    let by_key = match key_kind.get_mut(key.0 as usize) {
        Some(slot) => *slot.get_or_insert_with(|| detect::sensitive_key(trace.str(key))),
        None => detect::sensitive_key(trace.str(key)),
    };
    by_key.or_else(|| detect::sensitive_value(text))
}

/// Findings of one kind under one service and key.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingGroup {
    pub service: String,
    pub key: String,
    pub place: Place,
    pub kind: FindingKind,
    pub count: usize,
    /// The first span it was found on, to jump to.
    pub first_span: u32,
}

/// Findings by service, key and kind, sorted by service then key: what a team has to fix in
/// its instrumentation.
pub fn group(trace: &Trace, findings: &[Finding]) -> Vec<FindingGroup> {
    let mut groups: rustc_hash::FxHashMap<(Sym, Sym, Place, FindingKind), FindingGroup> =
        Default::default();
    for f in findings {
        let service = trace.spans.get(f.span as usize).map(|s| s.service).unwrap_or(Sym::EMPTY);
        let key = trace.attrs[f.attr].key;
        groups
            .entry((service, key, f.place, f.kind))
            .or_insert_with(|| FindingGroup {
                service: trace.str(service).to_string(),
                key: trace.str(key).to_string(),
                place: f.place,
                kind: f.kind,
                count: 0,
                first_span: f.span,
            })
            .count += 1;
    }
    let mut list: Vec<FindingGroup> = groups.into_values().collect();
    crate::sort::sort_by(&mut list, |a, b| {
        (&a.service, &a.key, a.place, a.kind).cmp(&(&b.service, &b.key, b.place, b.kind))
    });
    list
}

/// What to redact: the rules, and what to do with the detector's findings (`None`: leave).
pub struct Redaction<'r, P> {
    pub rules: &'r [Rule<P>],
    pub detected: Option<Action>,
}

/// A copy of `trace` with the rules applied, and how many attributes changed. Ids, timing,
/// the tree and every other field are the original's.
pub fn redact<P: Pattern>(trace: &Trace, how: &Redaction<'_, P>) -> (Trace, usize) {
    let mut action_of: Vec<Option<Action>> = vec![None; trace.attrs.len()];
    let mut key_rules: Vec<Option<Vec<usize>>> = vec![None; trace.strings.len()];
    let mut key_kind: Vec<Option<Option<FindingKind>>> = vec![None; trace.strings.len()];
    each_attribute(trace, |_, _, attr| {
        let a = &trace.attrs[attr];
        let key = trace.str(a.key);
        if let Some(slot @ None) = key_rules.get_mut(a.key.0 as usize) {
            *slot =
                Some((0..how.rules.len()).filter(|&r| how.rules[r].key.is_match(key)).collect());
        }
        let candidates = key_rules.get(a.key.0 as usize).and_then(|s| s.as_deref()).unwrap_or(&[]);
        let text = text_of(trace, &a.value);
        let value_text = || text.map(str::to_string).unwrap_or_else(|| trace.value_text(&a.value));
        let by_rule = candidates.iter().map(|&r| &how.rules[r]).find(|rule| match &rule.value {
            None => true,
            Some(p) => p.is_match(&value_text()),
        });
        action_of[attr] = by_rule.map(|r| r.action).or_else(|| {
            let action = how.detected?;
            detect(trace, &mut key_kind, a.key, text?).map(|_| action)
        });
    });
    rebuild(trace, &action_of)
}

/// The trace with each attribute's action applied.
fn rebuild(trace: &Trace, action_of: &[Option<Action>]) -> (Trace, usize) {
    let mut out = trace.clone();
    let changed = action_of.iter().filter(|a| a.is_some()).count();
    if changed == 0 {
        return (out, 0);
    }
    let mut text = String::with_capacity(trace.text.len() + changed * 21);
    text.push_str(&trace.text);
    let mask = push_text(&mut text, "***");
    // kept_before[i]: attributes kept before index i, so every range maps by two lookups.
    let mut kept_before = Vec::with_capacity(trace.attrs.len() + 1);
    let mut attrs = Vec::with_capacity(trace.attrs.len());
    for (a, action) in trace.attrs.iter().zip(action_of) {
        kept_before.push(attrs.len() as u32);
        let value = match action {
            None => a.value,
            Some(Action::Drop) => continue,
            Some(Action::Mask) => AttrValue::Str(mask),
            Some(Action::Hash) => {
                let hashed = format!("hash:{:016x}", fnv1a(trace.value_text(&a.value).as_bytes()));
                AttrValue::Str(push_text(&mut text, &hashed))
            }
        };
        attrs.push(Attribute { key: a.key, value });
    }
    kept_before.push(attrs.len() as u32);
    let remap = |r: Range32| {
        let start = kept_before[r.start as usize];
        Range32 { start, len: kept_before[(r.start + r.len) as usize] - start }
    };
    out.spans.iter_mut().for_each(|s| s.attrs = remap(s.attrs));
    out.events.iter_mut().for_each(|e| e.attrs = remap(e.attrs));
    out.links.iter_mut().for_each(|l| l.attrs = remap(l.attrs));
    out.resources.iter_mut().for_each(|r| r.attrs = remap(r.attrs));
    out.scopes.iter_mut().for_each(|s| s.attrs = remap(s.attrs));
    out.attrs = attrs;
    out.text = Arc::new(text);
    (out, changed)
}

fn push_text(text: &mut String, s: &str) -> TextRef {
    let offset = text.len() as u32;
    text.push_str(s);
    TextRef { offset, len: s.len() as u32 }
}

/// FNV-1a, 64 bits: stable across runs and machines, unlike the std hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}
