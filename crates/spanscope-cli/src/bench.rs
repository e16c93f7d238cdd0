//! `spanscope bench`: generates traces of each size in each format with the project's own
//! generator, then reads each natively and prints MB/s, spans/s and peak heap.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use spanscope_core::generate::{generate, GenOptions};
use spanscope_core::read_bytes;
use spanscope_core::write::{write_traces, OutputFormat};

use crate::{alloc, input};

const FORMATS: [(OutputFormat, &str); 3] = [
    (OutputFormat::Jaeger, "jaeger"),
    (OutputFormat::Otlp, "otlp"),
    (OutputFormat::Zipkin, "zipkin"),
];

pub fn run(args: &[String]) -> Result<(), String> {
    let sizes = flag(args, "--sizes").unwrap_or("10000,100000,1000000");
    let sizes: Vec<usize> = sizes
        .split(',')
        .map(|s| {
            s.trim().replace('_', "").parse().map_err(|_| format!("--sizes: '{s}' is not a number"))
        })
        .collect::<Result<_, _>>()?;
    let dir = PathBuf::from(flag(args, "--dir").unwrap_or("bench-data"));
    // This machine shares its CPU with others, so single runs vary by ±20%: best of several.
    let runs: usize =
        flag(args, "--runs").unwrap_or("7").parse().map_err(|_| "--runs must be a number")?;
    if args.iter().any(|a| a == "--shapes") {
        return shapes(&sizes, runs);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if args.iter().any(|a| a == "--realistic") {
        return realistic(&sizes, runs, &dir);
    }
    Row::header("format", 8, false);
    for &size in &sizes {
        for (format, name) in FORMATS {
            let path = dir.join(format!("trace-{size}.{name}.json"));
            ensure_file(&path, size, format)?;
            measure(&path, size, runs)?.print(name, 8, false);
        }
    }
    Ok(())
}

/// The hostile shapes beside the generator's ordinary Jaeger trace of the same size: each
/// should read within 2× the ordinary speed and memory. Their spans are small, so per span
/// is the fair comparison; per MB is printed too.
fn shapes(sizes: &[usize], runs: usize) -> Result<(), String> {
    Row::header("shape", 32, true);
    for &n in sizes {
        let ordinary = generate(&GenOptions { spans: n, seed: 42, ..GenOptions::default() });
        let mut json = Vec::new();
        write_traces(&ordinary.traces, OutputFormat::Jaeger, &mut json)
            .map_err(|e| e.to_string())?;
        let mut rows = vec![("jaeger: the generator's trace", json, n)];
        rows.extend(spanscope_core::shapes::all(n).into_iter().map(|s| (s.name, s.json, s.spans)));
        for (name, json, spans) in rows {
            measure_bytes(name, &json, spans, runs)?.print(name, 32, true);
        }
    }
    Ok(())
}

/// Production-like traces (`shapes::realistic_jaeger`: many services, long values, logs,
/// deep and wide trees, 128-bit ids) in each format, the OTLP and Zipkin files converted from
/// the Jaeger one by the core's writers. Files are kept in `dir` for the browser benchmark.
fn realistic(sizes: &[usize], runs: usize, dir: &Path) -> Result<(), String> {
    Row::header("production-like", 16, true);
    for &n in sizes {
        let jaeger = spanscope_core::shapes::realistic_jaeger(n).json;
        let model = read_bytes(&jaeger).map_err(|e| e.to_string())?;
        for (format, name) in FORMATS {
            let json = match format {
                OutputFormat::Jaeger => jaeger.clone(),
                _ => {
                    let mut out = Vec::new();
                    write_traces(&model.traces, format, &mut out).map_err(|e| e.to_string())?;
                    out
                }
            };
            let path = dir.join(format!("realistic-{n}.{name}.json"));
            std::fs::write(&path, &json)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            measure_bytes(name, &json, n, runs)?.print(name, 16, true);
        }
    }
    Ok(())
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

/// Writes the benchmark file once; later runs reuse it (same seed, same bytes).
fn ensure_file(path: &Path, spans: usize, format: OutputFormat) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let started = Instant::now();
    let set = generate(&GenOptions { spans, seed: 42, ..GenOptions::default() });
    let tmp = path.with_extension("tmp");
    let file =
        std::fs::File::create(&tmp).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    write_traces(&set.traces, format, &mut out).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, path).map_err(|e| e.to_string())?;
    eprintln!("generated {} in {:.1}s", path.display(), started.elapsed().as_secs_f64());
    Ok(())
}

struct Row {
    spans: usize,
    mb: f64,
    seconds: f64,
    peak_mb: f64,
}

impl Row {
    /// The table's header; `per_span` adds bytes of peak memory per span.
    fn header(first: &str, width: usize, per_span: bool) {
        print!(
            "{first:<width$} {:>9} {:>9} {:>9} {:>9} {:>12} {:>10} {:>9}",
            "spans", "file MB", "read s", "MB/s", "spans/s", "peak MB", "peak/file"
        );
        println!("{}", if per_span { format!(" {:>7}", "B/span") } else { String::new() });
    }

    fn print(&self, name: &str, width: usize, per_span: bool) {
        print!(
            "{name:<width$} {:>9} {:>9.1} {:>9.3} {:>9.0} {:>12.0} {:>10.1} {:>9.2}",
            self.spans,
            self.mb,
            self.seconds,
            self.mb / self.seconds,
            self.spans as f64 / self.seconds,
            self.peak_mb,
            self.peak_mb / self.mb
        );
        let bytes_per_span = self.peak_mb * 1e6 / self.spans as f64;
        println!("{}", if per_span { format!(" {bytes_per_span:>7.0}") } else { String::new() });
    }
}

fn measure(path: &Path, expected_spans: usize, runs: usize) -> Result<Row, String> {
    let bytes = input::open(path.to_str().unwrap_or_default())?;
    measure_bytes(&path.display().to_string(), &bytes, expected_spans, runs)
}

fn measure_bytes(
    name: &str,
    bytes: &[u8],
    expected_spans: usize,
    runs: usize,
) -> Result<Row, String> {
    let mb = bytes.len() as f64 / 1e6;
    let runs = if expected_spans >= 1_000_000 { runs.min(3) } else { runs }.max(1);
    let mut best = f64::MAX;
    let mut peak = 0usize;
    let mut spans = 0;
    for _ in 0..runs {
        let before = alloc::live();
        alloc::reset_peak();
        let started = Instant::now();
        let set = read_bytes(bytes).map_err(|e| format!("{name}: {e}"))?;
        best = best.min(started.elapsed().as_secs_f64());
        peak = peak.max(alloc::peak() - before);
        spans = set.traces.iter().map(|t| t.spans.len()).sum();
        drop(set);
    }
    if spans != expected_spans {
        return Err(format!("{name}: read {spans} spans, expected {expected_spans}"));
    }
    Ok(Row { spans, mb, seconds: best, peak_mb: peak as f64 / 1e6 })
}
