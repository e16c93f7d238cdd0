//! `diff`: what changed between two traces, or where one trace stands against a baseline of
//! others, by call path (`core::analysis::compare`).

use std::io::Write;

use spanscope_core::analysis::compare::{Baseline, BaselineReport, DiffReport, TraceDiff};
use spanscope_core::format::{format_delta_ns, format_duration_ns};
use spanscope_core::model::Trace;

use crate::commands::{print_json, print_warnings, read_traces, t};

pub const USAGE: &str = "  spanscope diff [--json] A.json B.json     what changed from trace A to trace B, per call path
  spanscope diff [--json] --baseline FILE... TRACE.json
                                            each call path of TRACE against the same path in
                                            the baseline's traces (percentiles, excess)
                                            (a file with several traces: FILE#TRACE_ID)";

pub fn run(args: &[String]) -> Result<(), String> {
    let json = args.iter().any(|a| a == "--json");
    let baseline = args.iter().any(|a| a == "--baseline");
    let files: Vec<&String> =
        args.iter().filter(|a| *a != "--json" && *a != "--baseline").collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if baseline {
        let Some((trace_file, baseline_files)) = files.split_last() else {
            return Err("diff --baseline needs baseline FILEs and a TRACE file".into());
        };
        if baseline_files.is_empty() {
            return Err("diff --baseline needs at least one baseline FILE before TRACE".into());
        }
        let trace = one_trace(trace_file)?;
        let mut others = Vec::new();
        for path in baseline_files {
            let set = read_traces(path)?;
            print_warnings(path, &set);
            // The rated trace is not its own baseline.
            others.extend(set.traces.into_iter().filter(|o| o.trace_id != trace.trace_id));
        }
        let baseline = Baseline::of(&others);
        let report = BaselineReport::of(&trace, &baseline, &baseline.assess(&trace));
        if json {
            return print_json(&mut out, &report);
        }
        print_baseline(&mut out, &report).map_err(|e| e.to_string())
    } else {
        let [a, b] = files[..] else {
            return Err("diff needs two trace files: A.json B.json".into());
        };
        let (a, b) = (one_trace(a)?, one_trace(b)?);
        let report = DiffReport::of(&a, &b, &TraceDiff::of(&a, &b));
        if json {
            return print_json(&mut out, &report);
        }
        print_diff(&mut out, &report).map_err(|e| e.to_string())
    }
}

/// The one trace of `arg`: a file holding one trace, or `FILE#TRACE_ID` for one of several.
fn one_trace(arg: &str) -> Result<Trace, String> {
    let (path, wanted) = match arg.rsplit_once('#') {
        Some((path, id)) if !std::path::Path::new(arg).exists() => (path, Some(id)),
        _ => (arg, None),
    };
    let set = read_traces(path)?;
    print_warnings(path, &set);
    let count = set.traces.len();
    let mut traces = set.traces.into_iter();
    match wanted {
        Some(id) => traces
            .find(|tr| tr.trace_id.to_hex() == id.to_ascii_lowercase())
            .ok_or_else(|| format!("{path}: no trace {id} among its {count}")),
        None if count == 1 => Ok(traces.next().expect("one trace")),
        None if count == 0 => Err(format!("{path}: holds no trace")),
        None => {
            let ids: Vec<String> = traces.take(5).map(|tr| tr.trace_id.to_hex()).collect();
            Err(format!(
                "{path}: holds {count} traces; pick one as {path}#TRACE_ID (for example {})",
                ids.join(", ")
            ))
        }
    }
}

/// A call path as one table cell: its last step, indented by depth (capped, so deep trees
/// stay readable).
fn step(path: &[(String, String)]) -> String {
    let (service, operation) =
        path.last().map(|(s, o)| (s.as_str(), o.as_str())).unwrap_or_default();
    let indent = "  ".repeat((path.len().saturating_sub(1)).min(20));
    format!("{indent}{}: {}", t(service), t(operation))
}

fn print_diff(out: &mut impl Write, r: &DiffReport) -> std::io::Result<()> {
    writeln!(out, "A {} → B {}", t(&r.a_trace_id), t(&r.b_trace_id))?;
    writeln!(
        out,
        "{:<8} {:>9} {:>11} {:>11} {:>11} {:>11}  CALL PATH",
        "CHANGE", "COUNT A/B", "TOTAL A", "TOTAL B", "Δ TOTAL", "Δ SELF"
    )?;
    for n in &r.nodes {
        let (a, b) = (&n.a, &n.b);
        let total = |s: &spanscope_core::analysis::compare::Side| {
            if s.count == 0 {
                "-".to_string()
            } else {
                format_duration_ns(s.total_micros.0)
            }
        };
        writeln!(
            out,
            "{:<8} {:>9} {:>11} {:>11} {:>11} {:>11}  {}",
            n.change,
            format!("{}/{}", a.count, b.count),
            total(a),
            total(b),
            format_delta_ns(b.total_micros.0 - a.total_micros.0),
            format_delta_ns(b.self_micros.0 - a.self_micros.0),
            step(&n.path)
        )?;
    }
    Ok(())
}

fn print_baseline(out: &mut impl Write, r: &BaselineReport) -> std::io::Result<()> {
    writeln!(out, "trace {} against {} baseline traces", t(&r.trace_id), r.baseline_traces)?;
    writeln!(
        out,
        "{:>6} {:>11} {:>11} {:>11} {:>11} {:>7}  CALL PATH (! above the baseline's p90)",
        "PCTL", "TOTAL", "P50", "P90", "EXCESS", "TRACES"
    )?;
    for n in &r.nodes {
        let total = format_duration_ns(n.trace.total_micros.0);
        match &n.baseline {
            Some(b) => writeln!(
                out,
                "{:>6.1} {:>11} {:>11} {:>11} {:>11} {:>7}  {}{}",
                b.total_percentile,
                total,
                format_duration_ns(b.total.p50_micros.0),
                format_duration_ns(b.total.p90_micros.0),
                format_delta_ns(b.excess_micros.0),
                b.traces,
                if b.above_p90 { "! " } else { "  " },
                step(&n.path)
            )?,
            None => writeln!(
                out,
                "{:>6} {:>11} {:>11} {:>11} {:>11} {:>7}    {}",
                "new",
                total,
                "-",
                "-",
                "-",
                0,
                step(&n.path)
            )?,
        }
    }
    Ok(())
}
