//! The `inspect`, `analyze`, `convert` and `generate` commands.

use std::io::Write;

use spanscope_core::analysis::{TraceAnalysis, TraceReport};
use spanscope_core::format::{format_duration_ns, format_duration_us};
use spanscope_core::generate::{self as generator, GenOptions};
use spanscope_core::redact::{self, Action, Redaction};
use spanscope_core::summary::TraceSummary;
use spanscope_core::write::{write_traces, OutputFormat};
use spanscope_core::{Opened, TraceSet};
use spanscope_graph::model::DependencyLink;

use crate::input;
use crate::safe_out::JsonEscapes;

/// Trace text as one table field: no raw control characters reach the terminal.
pub(crate) fn t(s: &str) -> std::borrow::Cow<'_, str> {
    spanscope_core::text::terminal_safe(s)
}

fn open_file(path: &str) -> Result<Opened, String> {
    let bytes = input::open(path)?;
    spanscope_core::open(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// Traces only: dependency links cannot be written as spans.
pub(crate) fn read_traces(path: &str) -> Result<TraceSet, String> {
    match open_file(path)? {
        Opened::Traces(set) => Ok(set),
        Opened::DependencyLinks(_) => {
            Err(format!("{path}: holds service dependency links, not spans of a trace"))
        }
    }
}

/// `--json` and the files of `inspect`, `analyze` and `scan`.
pub(crate) fn json_and_files<'a>(
    args: &'a [String],
    command: &str,
) -> Result<(bool, Vec<&'a String>), String> {
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    if files.is_empty() {
        return Err(format!("{command} needs at least one FILE"));
    }
    Ok((json, files))
}

/// A file's own warnings, on stderr (terminal-safe).
pub(crate) fn print_warnings(path: &str, set: &TraceSet) {
    for w in &set.warnings {
        eprintln!("{}: warning: {}", t(path), t(&w.to_string()));
    }
}

/// Every file's traces (its warnings printed), and the files that could not be read.
pub(crate) fn read_all<'a>(files: &[&'a String]) -> (Vec<(&'a str, TraceSet)>, Vec<String>) {
    let mut sets = Vec::new();
    let mut failures = Vec::new();
    for path in files {
        match read_traces(path) {
            Ok(set) => {
                print_warnings(path, &set);
                sets.push((path.as_str(), set));
            }
            Err(e) => failures.push(e),
        }
    }
    (sets, failures)
}

/// `list` as pretty JSON on stdout, with trace text escaped for terminals.
pub(crate) fn print_json(out: &mut impl Write, list: &impl serde::Serialize) -> Result<(), String> {
    let mut out = JsonEscapes::new(out);
    serde_json::to_writer_pretty(&mut out, list).map_err(|e| e.to_string())?;
    writeln!(out).ok();
    Ok(())
}

/// Every file that could not be read, as one error (the output for the others stands).
pub(crate) fn failed(failures: Vec<String>) -> Result<(), String> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\nspanscope: "))
    }
}

pub fn inspect(args: &[String]) -> Result<(), String> {
    let (json, files) = json_and_files(args, "inspect")?;
    let mut summaries = Vec::new();
    let mut graphs = Vec::new();
    let mut failures = Vec::new();
    for path in files {
        match open_file(path) {
            Ok(Opened::DependencyLinks(links)) => graphs.push((path.clone(), links)),
            Ok(Opened::Traces(set)) => {
                print_warnings(path, &set);
                summaries.extend(set.traces.iter().map(|t| (path.clone(), TraceSummary::of(t))));
            }
            Err(e) => failures.push(e),
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let list: Vec<&TraceSummary> = summaries.iter().map(|(_, s)| s).collect();
        print_json(&mut out, &list)?;
        for (path, links) in &graphs {
            eprintln!(
                "{}: {} (not a trace; the JSON lists traces only)",
                t(path),
                links_summary(links)
            );
        }
    } else {
        print_table(&mut out, &summaries).map_err(|e| e.to_string())?;
        for (path, links) in &graphs {
            print_links(&mut out, path, links).map_err(|e| e.to_string())?;
        }
    }
    failed(failures)
}

/// `analyze`: where the time went in each trace, as JSON or as tables.
pub fn analyze(args: &[String]) -> Result<(), String> {
    let (json, files) = json_and_files(args, "analyze")?;
    let (sets, failures) = read_all(&files);
    let reports: Vec<_> = sets
        .iter()
        .flat_map(|(_, set)| &set.traces)
        .map(|trace| (trace.duration_ns(), TraceReport::of(trace, &TraceAnalysis::of(trace))))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let list: Vec<&TraceReport> = reports.iter().map(|(_, r)| r).collect();
        print_json(&mut out, &list)?;
    } else {
        for (duration_ns, report) in &reports {
            print_analysis(&mut out, report, *duration_ns).map_err(|e| e.to_string())?;
        }
    }
    failed(failures)
}

/// Critical path per service, and the operations with the most self time.
fn print_analysis(out: &mut impl Write, r: &TraceReport, duration_ns: i64) -> std::io::Result<()> {
    let percent =
        |ns: i64| if duration_ns > 0 { ns as f64 * 100.0 / duration_ns as f64 } else { 0.0 };
    writeln!(
        out,
        "trace {}: {} spans, {}, critical path {} in {} sections",
        t(&r.trace_id),
        r.span_count,
        format_duration_ns(duration_ns),
        format_duration_ns(r.critical_path_micros.0),
        r.critical_path.len()
    )?;
    writeln!(
        out,
        "  {:<32} {:>12} {:>7} {:>12} {:>6} {:>7}",
        "SERVICE", "CRITICAL", "%", "SELF", "SPANS", "ERRORS"
    )?;
    let mut services: Vec<_> = r.services.iter().collect();
    spanscope_core::sort::sort_by(&mut services, |a, b| {
        b.critical_micros.cmp(&a.critical_micros).then(a.service.cmp(&b.service))
    });
    for s in services {
        writeln!(
            out,
            "  {:<32} {:>12} {:>6.1}% {:>12} {:>6} {:>7}",
            t(&s.service),
            format_duration_ns(s.critical_micros.0),
            percent(s.critical_micros.0),
            format_duration_ns(s.self_micros.0),
            s.spans,
            s.errors
        )?;
    }
    writeln!(
        out,
        "  {:<48} {:>12} {:>7} {:>6} {:>7}",
        "TOP OPERATIONS BY SELF TIME", "SELF", "%", "COUNT", "ERRORS"
    )?;
    let mut ops: Vec<_> = r.operations.iter().collect();
    spanscope_core::sort::sort_by(&mut ops, |a, b| {
        b.self_micros
            .cmp(&a.self_micros)
            .then((&a.service, &a.operation).cmp(&(&b.service, &b.operation)))
    });
    for o in ops.iter().take(10) {
        let name = format!("{}: {}", o.service, o.operation);
        writeln!(
            out,
            "  {:<48} {:>12} {:>6.1}% {:>6} {:>7}",
            t(&name),
            format_duration_ns(o.self_micros.0),
            percent(o.self_micros.0),
            o.count,
            o.errors
        )?;
    }
    Ok(())
}

fn print_table(out: &mut impl Write, rows: &[(String, TraceSummary)]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<34} {:>8} {:>12} {:>6} {:>6} {:>8}  {:<10} ROOT",
        "TRACE ID", "SPANS", "DURATION", "DEPTH", "ERRORS", "ORPHANS", "FORMAT"
    )?;
    for (path, s) in rows {
        writeln!(
            out,
            "{:<34} {:>8} {:>12} {:>6} {:>6} {:>8}  {:<10} {}: {}",
            t(&s.trace_id),
            s.span_count,
            format_duration_us(s.duration_micros),
            s.max_depth,
            s.error_span_count,
            s.orphan_count,
            s.format,
            t(&s.root_service_name),
            t(&s.root_span_name)
        )?;
        writeln!(out, "    file: {}", t(path))?;
        let services: Vec<_> = s.services.iter().map(|name| t(name)).collect();
        writeln!(out, "    services ({}): {}", s.services.len(), services.join(", "))?;
        for (a, b, n) in &s.service_edges {
            writeln!(out, "    calls: {} -> {} ×{n}", t(a), t(b))?;
        }
        for w in &s.warnings {
            writeln!(out, "    warning: {}", t(&w.to_string()))?;
        }
    }
    Ok(())
}

fn links_summary(links: &[DependencyLink]) -> String {
    let mut services: Vec<&str> = links.iter().flat_map(|l| [&*l.parent, &*l.child]).collect();
    services.sort_unstable();
    services.dedup();
    let calls: usize = links.iter().map(|l| l.calls).sum();
    format!(
        "service dependency links: {} links between {} services, {calls} calls",
        links.len(),
        services.len()
    )
}

/// A dependency-links file: its size and its busiest edges.
fn print_links(out: &mut impl Write, path: &str, links: &[DependencyLink]) -> std::io::Result<()> {
    writeln!(out, "{}: {}", t(path), links_summary(links))?;
    let mut busiest: Vec<&DependencyLink> = links.iter().collect();
    busiest.sort_by(|a, b| {
        b.calls.cmp(&a.calls).then_with(|| (&a.parent, &a.child).cmp(&(&b.parent, &b.child)))
    });
    for l in busiest.iter().take(10) {
        writeln!(out, "    calls: {} -> {} ×{}", t(&l.parent), t(&l.child), l.calls)?;
    }
    Ok(())
}

fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn positional(args: &[String], flags_with_values: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if flags_with_values.contains(&args[i].as_str()) {
            i += 2;
            continue;
        }
        out.push(args[i].clone());
        i += 1;
    }
    out
}

pub fn convert(args: &[String]) -> Result<(), String> {
    let to = flag_value(args, "--to").ok_or("convert needs --to jaeger|otlp|zipkin")?;
    let format = OutputFormat::parse(to)
        .ok_or_else(|| format!("unknown output format '{to}': use jaeger, otlp or zipkin"))?;
    let rules = flag_value(args, "--redact").map(crate::redaction::load_rules).transpose()?;
    let detected = args.iter().any(|a| a == "--redact-detected").then_some(Action::Mask);
    let files: Vec<String> = positional(args, &["--to", "--redact"])
        .into_iter()
        .filter(|a| a != "--redact-detected")
        .collect();
    let [path] = files.as_slice() else {
        return Err("convert takes exactly one FILE".into());
    };
    let mut set = read_traces(path)?;
    if rules.is_some() || detected.is_some() {
        let how = Redaction { rules: rules.as_deref().unwrap_or_default(), detected };
        for trace in &mut set.traces {
            let (redacted, changed) = redact::redact(trace, &how);
            eprintln!(
                "{}: trace {}: {changed} attributes redacted",
                t(path),
                t(&trace.trace_id_string())
            );
            *trace = redacted;
        }
    }
    let stdout = std::io::stdout();
    let mut out = JsonEscapes::new(std::io::BufWriter::new(stdout.lock()));
    write_traces(&set.traces, format, &mut out).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}

pub fn generate_options(args: &[String]) -> Result<(GenOptions, OutputFormat), String> {
    let spans = flag_value(args, "--spans").unwrap_or("1000");
    let spans: usize = spans
        .replace('_', "")
        .parse()
        .map_err(|_| format!("--spans: '{spans}' is not a number"))?;
    let seed =
        flag_value(args, "--seed").unwrap_or("1").parse().map_err(|_| "--seed must be a number")?;
    let traces = flag_value(args, "--traces")
        .unwrap_or("1")
        .parse()
        .map_err(|_| "--traces must be a number")?;
    let format = flag_value(args, "--format").unwrap_or("jaeger");
    let format = OutputFormat::parse(format).ok_or_else(|| format!("unknown format '{format}'"))?;
    let same_request = args.iter().any(|a| a == "--same-request");
    Ok((GenOptions { spans, seed, traces, same_request, ..GenOptions::default() }, format))
}

pub fn generate(args: &[String]) -> Result<(), String> {
    let (options, format) = generate_options(args)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let set = generator::generate(&options);
    write_traces(&set.traces, format, &mut out).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}
