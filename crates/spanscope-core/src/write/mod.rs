//! Writing traces as Jaeger, OTLP or Zipkin v2 JSON (`spanscope convert`), one span at a time
//! so a million-span trace never needs a second in-memory copy.

mod jaeger;
mod json;
mod otlp;
mod zipkin;

use std::borrow::Borrow;
use std::io::{self, Write};

use crate::model::{Attribute, Trace};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Jaeger,
    Otlp,
    Zipkin,
}

impl OutputFormat {
    pub fn parse(s: &str) -> Option<OutputFormat> {
        match s.to_ascii_lowercase().as_str() {
            "jaeger" => Some(OutputFormat::Jaeger),
            "otlp" => Some(OutputFormat::Otlp),
            "zipkin" | "zipkin2" | "zipkin-v2" => Some(OutputFormat::Zipkin),
            _ => None,
        }
    }
}

/// Writes `traces` (owned, or references to traces kept elsewhere) in `format`.
pub fn write_traces<T: Borrow<Trace>>(
    traces: &[T],
    format: OutputFormat,
    out: &mut impl Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Jaeger => jaeger::write(traces, out),
        OutputFormat::Otlp => otlp::write(traces, out),
        OutputFormat::Zipkin => zipkin::write(traces, out),
    }
}

pub fn to_string<T: Borrow<Trace>>(traces: &[T], format: OutputFormat) -> String {
    let mut buf = Vec::new();
    write_traces(traces, format, &mut buf).expect("writing to memory cannot fail");
    String::from_utf8(buf).expect("writers emit UTF-8")
}

/// Writes items separated by commas (the caller writes the brackets).
fn write_list<T, W: Write + ?Sized>(
    out: &mut W,
    items: impl IntoIterator<Item = T>,
    mut write_item: impl FnMut(&mut W, T) -> io::Result<()>,
) -> io::Result<()> {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        write_item(out, item)?;
    }
    Ok(())
}

/// Writes one item made by `make` (into a buffer reused from item to item).
fn write_json<W: Write + ?Sized>(
    out: &mut W,
    buf: &mut String,
    make: impl FnOnce(&mut String),
) -> io::Result<()> {
    buf.clear();
    make(buf);
    out.write_all(buf.as_bytes())
}

fn attr_text(trace: &Trace, a: &Attribute) -> String {
    trace.value_text(&a.value)
}

fn find_attr<'t>(trace: &'t Trace, attrs: &'t [Attribute], key: &str) -> Option<&'t Attribute> {
    attrs.iter().find(|a| trace.str(a.key) == key)
}
