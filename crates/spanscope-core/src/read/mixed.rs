//! Files that mix formats: JSON lines, or one array, whose items are Jaeger, Zipkin and OTLP
//! (a concatenated export, a collector dump beside a Zipkin one). The fast path reads a file
//! with one reader; when that reader meets items not of its format, this reads every item
//! with its own reader instead, and says what it found and what it skipped.

use serde_json::value::RawValue;

use super::sniff::{self, Sniffed};
use super::{line_column, read_as};
use crate::builder::TraceSetBuilder;
use crate::error::ReadError;

/// The traces of a mixed file, or `None` when its items are all of one format (the fast
/// path's result then stands).
pub(super) fn read(input: &[u8]) -> Result<Option<TraceSetBuilder>, ReadError> {
    let items = split(input);
    if items.len() < 2 {
        return Ok(None);
    }
    let kinds: Vec<Sniffed> = items.iter().map(|(_, item)| sniff::sniff(item)).collect();
    if kinds.iter().all(|k| k == &kinds[0]) {
        return Ok(None);
    }
    let mut builder = TraceSetBuilder::new();
    let mut read_by: Vec<(&'static str, usize)> = Vec::new();
    let mut skipped: Vec<usize> = Vec::new();
    for ((line, item), kind) in items.iter().zip(&kinds) {
        let foreign_before = builder.foreign_items;
        match read_as(kind, item, &mut builder) {
            Ok(format) if builder.foreign_items == foreign_before => {
                let format = format.family();
                match read_by.iter_mut().find(|(f, _)| *f == format) {
                    Some((_, n)) => *n += 1,
                    None => read_by.push((format, 1)),
                }
            }
            Ok(_) | Err(ReadError::NotATrace { .. } | ReadError::UnknownShape { .. }) => {
                builder.foreign_items = foreign_before;
                skipped.push(*line)
            }
            Err(e) => return Err(at_line(e, *line)),
        }
    }
    if read_by.len() > 1 {
        let formats: Vec<String> = read_by.iter().map(|(f, n)| format!("{n} {f}")).collect();
        builder.warnings.push(format!(
            "this file mixes formats ({} items); each item was read by its own format",
            formats.join(", ")
        ));
    }
    if let Some(first) = skipped.first() {
        builder.warnings.push(format!(
            "{} item(s) hold no spans of a format Spanscope reads and were skipped (the first at line {first})",
            skipped.len()
        ));
    }
    Ok(Some(builder))
}

/// The file's top-level items with the line each starts on: the lines of JSON lines, or
/// the elements of one top-level array.
fn split(input: &[u8]) -> Vec<(usize, &[u8])> {
    if is_json_lines(input) {
        return input
            .split(|&b| b == b'\n')
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim_ascii()))
            .filter(|(_, line)| !line.is_empty())
            .collect();
    }
    if input.trim_ascii_start().first() != Some(&b'[') {
        return Vec::new();
    }
    let Ok(text) = std::str::from_utf8(input) else { return Vec::new() };
    let Ok(elements) = serde_json::from_str::<Vec<&RawValue>>(text) else { return Vec::new() };
    elements
        .iter()
        .map(|raw| {
            let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            (line_column(input, offset).0, raw.get().as_bytes())
        })
        .collect()
}

/// JSON lines: the first non-blank line is a whole JSON value and more follows. (The first
/// line of a pretty-printed document or of an array laid out one item a line is not.)
fn is_json_lines(input: &[u8]) -> bool {
    let mut lines = input.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).filter(|l| !l.is_empty());
    let whole = |line: &[u8]| serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok();
    lines.next().is_some_and(whole) && lines.next().is_some()
}

/// An item's error, with its line counted from the start of the file.
fn at_line(e: ReadError, item_line: usize) -> ReadError {
    let shift = |line: usize| line + item_line - 1;
    match e {
        ReadError::Syntax { line, column, message } => {
            ReadError::Syntax { line: shift(line), column, message }
        }
        ReadError::Truncated { line, column } => ReadError::Truncated { line: shift(line), column },
        ReadError::Shape { format, line, column, message } => {
            ReadError::Shape { format, line: shift(line), column, message }
        }
        other => other,
    }
}
