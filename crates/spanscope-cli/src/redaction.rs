//! `spanscope scan`: the sensitive-data detector over trace files, for people and for CI
//! (exit status 1 when anything is found); and the rules `convert --redact` applies.

use std::io::Write;

use serde_json::json;
use spanscope_core::redact::{self, Pattern, Rule};
use spanscope_core::Trace;

use crate::commands::{failed, json_and_files, print_json, read_all, t};

pub const USAGE: &str = "  \
spanscope scan [--json] FILE...           list attributes that look like secrets or personal
                                            data (by service and key); exit status 1 if any";

/// Rust's `regex`, case-insensitive, as redaction rules are matched everywhere.
pub struct Regex(regex::Regex);

impl Pattern for Regex {
    fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

/// The rules of a JSON file (a list, or a config with `redact`), compiled.
pub fn load_rules(path: &str) -> Result<Vec<Rule<Regex>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let specs = redact::parse_rules(&text).map_err(|e| format!("{path}: {e}"))?;
    if specs.is_empty() {
        return Err(format!("{path}: no redaction rules in it"));
    }
    redact::compile(&specs, |re| {
        regex::RegexBuilder::new(re)
            .case_insensitive(true)
            .build()
            .map(Regex)
            .map_err(|e| format!("'{re}' is not a valid regex: {e}"))
    })
    .map_err(|e| format!("{path}: {e}"))
}

pub fn scan(args: &[String]) -> Result<(), String> {
    let (json, files) = json_and_files(args, "scan")?;
    let (sets, failures) = read_all(&files);
    let rows: Vec<Row<'_>> = sets
        .iter()
        .flat_map(|(path, set)| set.traces.iter().map(move |trace| (*path, trace)))
        .flat_map(|(path, trace)| {
            redact::group(trace, &redact::scan(trace)).into_iter().map(move |g| (path, trace, g))
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let list: Vec<_> =
            rows.iter().map(|(path, trace, g)| finding_json(path, trace, g)).collect();
        print_json(&mut out, &list)?;
    } else {
        print_table(&mut out, &rows).map_err(|e| e.to_string())?;
    }
    failed(failures)?;
    let total: usize = rows.iter().map(|(_, _, g)| g.count).sum();
    if total > 0 {
        let traces = {
            let mut ids: Vec<_> = rows.iter().map(|(p, tr, _)| (*p, tr.trace_id)).collect();
            ids.dedup();
            ids.len()
        };
        return Err(format!(
            "{total} attribute{} in {traces} trace{} look{} sensitive",
            if total == 1 { "" } else { "s" },
            if traces == 1 { "" } else { "s" },
            if total == 1 { "s" } else { "" }
        ));
    }
    Ok(())
}

fn finding_json(path: &str, trace: &Trace, g: &redact::FindingGroup) -> serde_json::Value {
    let span = trace.spans.get(g.first_span as usize).map(|s| trace.span_id_string(s.span_id));
    json!({
        "file": path,
        "traceId": trace.trace_id_string(),
        "service": g.service,
        "key": g.key,
        "place": g.place.name(),
        "kind": g.kind.name(),
        "label": g.kind.label(),
        "count": g.count,
        "spanId": span,
    })
}

type Row<'a> = (&'a str, &'a Trace, redact::FindingGroup);

fn print_table(out: &mut impl Write, rows: &[Row<'_>]) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "nothing that looks sensitive");
    }
    writeln!(
        out,
        "{:<20} {:<36} {:<8} {:>5}  {:<30} FIRST SPAN",
        "SERVICE", "KEY", "WHERE", "COUNT", "LOOKS LIKE"
    )?;
    let mut last_trace = None;
    for (path, trace, g) in rows {
        if last_trace != Some((*path, trace.trace_id)) {
            writeln!(out, "trace {} in {}", t(&trace.trace_id_string()), t(path))?;
            last_trace = Some((*path, trace.trace_id));
        }
        let span = trace.spans.get(g.first_span as usize).map(|s| trace.span_id_string(s.span_id));
        writeln!(
            out,
            "{:<20} {:<36} {:<8} {:>5}  {:<30} {}",
            t(&g.service),
            t(&g.key),
            g.place.name(),
            g.count,
            g.kind.label(),
            t(&span.unwrap_or_default())
        )?;
    }
    Ok(())
}
