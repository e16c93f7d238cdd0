//! Redaction rules and the sensitive-data detector on a trace full of planted secrets
//! (`tests/data/secrets.otlp.json`: hand-written, every secret fake).

mod common;

use std::path::PathBuf;

use spanscope_core::model::{AttrValue, Trace};
use spanscope_core::redact::{self, Action, FindingKind, Pattern, Redaction, Rule};
use spanscope_core::write::{to_string, OutputFormat};
use spanscope_core::{read_bytes, TraceSet};

#[derive(Debug)]
struct Re(regex::Regex);

impl Pattern for Re {
    fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

fn compile(json: &str) -> Vec<Rule<Re>> {
    let specs = redact::parse_rules(json).unwrap();
    redact::compile(&specs, |re| {
        regex::RegexBuilder::new(re)
            .case_insensitive(true)
            .build()
            .map(Re)
            .map_err(|e| e.to_string())
    })
    .unwrap()
}

fn planted() -> TraceSet {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/secrets.otlp.json");
    read_bytes(&std::fs::read(path).unwrap()).unwrap()
}

/// Every attribute as (span name or "resource", key, value text), in model order.
fn values(t: &Trace) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in &t.spans {
        for a in t.span_attrs(s) {
            out.push((t.str(a.key).to_string(), t.value_text(&a.value)));
        }
        for e in t.span_events(s) {
            for a in &t.attrs[e.attrs.as_range()] {
                out.push((t.str(a.key).to_string(), t.value_text(&a.value)));
            }
        }
        for l in t.span_links(s) {
            for a in &t.attrs[l.attrs.as_range()] {
                out.push((t.str(a.key).to_string(), t.value_text(&a.value)));
            }
        }
    }
    for r in 0..t.resources.len() {
        for a in t.resource_attrs(r as u32) {
            out.push((t.str(a.key).to_string(), t.value_text(&a.value)));
        }
    }
    out
}

fn value_of(t: &Trace, key: &str) -> Option<String> {
    values(t).into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

#[test]
fn the_detector_finds_every_planted_secret_and_nothing_else() {
    let set = planted();
    let t = &set.traces[0];
    let groups = redact::group(t, &redact::scan(t));
    let got: Vec<(&str, &str, &str, &str, usize)> = groups
        .iter()
        .map(|g| (g.service.as_str(), g.key.as_str(), g.place.name(), g.kind.name(), g.count))
        .collect();
    assert_eq!(
        got,
        [
            ("checkout", "db.password", "resource", "secret-key", 1),
            ("checkout", "enduser.email", "span", "email", 1),
            ("checkout", "http.request.header.authorization", "span", "auth-header", 1),
            ("checkout", "http.request.header.cookie", "span", "auth-header", 1),
            ("checkout", "message", "event", "aws-access-key", 1),
            ("checkout", "payment.card", "span", "card-number", 1),
            ("checkout", "url.full", "span", "jwt", 1),
            ("orders-db", "auth", "span", "basic-credentials", 1),
            ("orders-db", "client_secret", "link", "secret-key", 1),
            ("orders-db", "db.connection_string", "span", "url-password", 1),
        ]
    );
    // The first span each was found on is the span that carries it.
    let card = groups.iter().find(|g| g.kind == FindingKind::CardNumber).unwrap();
    assert_eq!(t.str(t.spans[card.first_span as usize].name), "charge card");
}

#[test]
fn rules_mask_hash_and_drop_and_keep_ids_and_timing() {
    let set = planted();
    let t = &set.traces[0];
    let rules = compile(
        r#"{"redact": [
            {"key": "^enduser\\.", "action": "hash"},
            {"key": "authorization|cookie", "action": "drop"},
            {"key": "^payment\\.", "value": "^[0-9 ]{13,}$"},
            {"key": "PASSWORD", "action": "mask"}
        ]}"#,
    );
    let (r, changed) = redact::redact(t, &Redaction { rules: &rules, detected: None });
    assert_eq!(changed, 5);
    assert_eq!(
        value_of(&r, "enduser.email").unwrap(),
        format!("hash:{:016x}", fnv("jane.doe@example.com"))
    );
    assert_eq!(value_of(&r, "http.request.header.authorization"), None);
    assert_eq!(value_of(&r, "http.request.header.cookie"), None);
    assert_eq!(value_of(&r, "payment.card").unwrap(), "***");
    // The value regex spares what it does not match; the key regex is case-insensitive.
    assert_eq!(value_of(&r, "payment.reference").unwrap(), "order-4111111111111112");
    assert_eq!(value_of(&r, "db.password").unwrap(), "***");
    // Everything else is untouched, in order, and ids, times and the tree are the same.
    assert_eq!(values(&r).len(), values(t).len() - 2);
    assert_eq!(value_of(&r, "db.statement"), value_of(t, "db.statement"));
    assert_eq!(r.trace_id, t.trace_id);
    for (a, b) in r.spans.iter().zip(&t.spans) {
        assert_eq!(
            (a.span_id, a.parent, a.start_ns, a.duration_ns, a.children),
            (b.span_id, b.parent, b.start_ns, b.duration_ns, b.children)
        );
    }
    // The event and the link keep their own attributes.
    assert_eq!(value_of(&r, "message"), value_of(t, "message"));
    assert_eq!(value_of(&r, "client_secret"), value_of(t, "client_secret"));
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn masking_what_the_detector_finds_leaves_nothing_to_find() {
    let set = planted();
    let t = &set.traces[0];
    let none: Vec<Rule<Re>> = Vec::new();
    let (r, changed) = redact::redact(t, &Redaction { rules: &none, detected: Some(Action::Mask) });
    assert_eq!(changed, 10);
    assert!(redact::scan(&r).is_empty());
    // A redacted trace written out and read back is the redacted model.
    let written = to_string(std::slice::from_ref(&r), OutputFormat::Otlp);
    let back = read_bytes(written.as_bytes()).unwrap();
    let mut got = values(&back.traces[0]);
    let mut want = values(&r);
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(
        !written.contains("hunter2") && !written.contains("AKIA") && !written.contains("jane.doe")
    );
}

#[test]
fn numbers_are_never_findings() {
    let set = planted();
    let t = &set.traces[0];
    let flagged: Vec<usize> = redact::scan(t).iter().map(|f| f.attr).collect();
    for (i, a) in t.attrs.iter().enumerate() {
        if !matches!(a.value, AttrValue::Str(_) | AttrValue::Bytes(_) | AttrValue::Json(_)) {
            assert!(!flagged.contains(&i), "{} flagged", t.str(a.key));
        }
    }
}

#[test]
fn bad_rules_say_which_rule_and_why() {
    assert!(redact::parse_rules("{").unwrap_err().starts_with("redaction rules:"));
    assert_eq!(
        redact::parse_rules(r#"[{"action":"mask"}]"#).unwrap_err(),
        "redaction rule 1: no `key` regex"
    );
    assert_eq!(
        redact::parse_rules(r#"[{"key":"a"},{"key":"b","action":"shred"}]"#).unwrap_err(),
        "redaction rule 2: action 'shred' is not mask, hash or drop"
    );
    assert_eq!(redact::parse_rules(r#"{"backends": []}"#).unwrap(), vec![]);
    let specs = redact::parse_rules(r#"[{"key":"ok"},{"key":"("}]"#).unwrap();
    let err =
        redact::compile(&specs, |re| regex::Regex::new(re).map(Re).map_err(|e| e.to_string()))
            .unwrap_err();
    assert!(err.starts_with("redaction rule 2: "), "{err}");
}

#[test]
fn a_production_like_trace_without_secrets_has_no_findings() {
    // 2,000 spans of the realistic shape: SQL, long URLs, stack traces, escapes, 128-bit ids.
    let shape = spanscope_core::shapes::realistic_jaeger(2_000);
    let set = read_bytes(&shape.json).unwrap();
    let findings: Vec<String> = set
        .traces
        .iter()
        .flat_map(|t| {
            redact::group(t, &redact::scan(t))
                .into_iter()
                .map(|g| format!("{}={}", g.key, g.kind.name()))
        })
        .collect();
    assert_eq!(findings, Vec::<String>::new());
}
