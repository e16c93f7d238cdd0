//! Errors a user can act on: each says what was wrong and where.

use std::fmt;

/// The shapes Spanscope recognizes, listed in "unknown shape" messages.
pub const ACCEPTED_SHAPES: &str = "\
Jaeger: {\"data\": [trace...]} (query API), a trace {\"traceID\", \"spans\", \"processes\"}, an array of traces, \
an array of spans with \"process\", or JSON lines of these; \
Zipkin v2 or v1: an array of spans, an array of traces (arrays of spans), or a single span; \
OTLP: {\"resourceSpans\": [...]}, Tempo {\"batches\": [...]} or {\"trace\": {...}}, Jaeger api_v3 {\"result\": {...}}, \
or OpenTelemetry Collector JSON lines";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing but whitespace.
    Empty,
    /// gzip-compressed bytes, given to a reader that needs them decompressed.
    Compressed,
    /// Not valid JSON.
    Syntax { line: usize, column: usize, message: String },
    /// The JSON stops in the middle of a value.
    Truncated { line: usize, column: usize },
    /// Valid JSON that matches none of the accepted shapes.
    UnknownShape { keys: Vec<String> },
    /// Valid JSON of a known kind that holds no spans (dependency links, search summaries).
    NotATrace { what: String },
    /// The detected format, but a value of the wrong type somewhere.
    Shape { format: &'static str, line: usize, column: usize, message: String },
    /// The shape was right but it held no spans; `notes` carries what the file said instead
    /// (for example a Jaeger query error).
    NoSpans { format: &'static str, notes: Vec<String> },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => write!(f, "the input is empty: no trace to read"),
            ReadError::Compressed => {
                write!(f, "the input is gzip-compressed: decompress it first (gunzip)")
            }
            ReadError::Syntax { line, column, message } => {
                write!(f, "not valid JSON at line {line}, column {column}: {message}")
            }
            ReadError::Truncated { line, column } => write!(
                f,
                "the JSON ends early at line {line}, column {column}: the file looks truncated"
            ),
            ReadError::UnknownShape { keys } => {
                if keys.is_empty() {
                    write!(f, "this JSON is not a trace format Spanscope knows. Accepted: {ACCEPTED_SHAPES}")
                } else {
                    write!(
                        f,
                        "this JSON is not a trace format Spanscope knows (its keys: {}). Accepted: {ACCEPTED_SHAPES}",
                        keys.join(", ")
                    )
                }
            }
            ReadError::NotATrace { what } => {
                write!(f, "this file holds {what}, not spans of a trace")
            }
            ReadError::Shape { format, line, column, message } => write!(
                f,
                "looks like {format} JSON, but at line {line}, column {column}: {message}"
            ),
            ReadError::NoSpans { format, notes } if notes.is_empty() => {
                write!(f, "this {format} JSON holds no spans")
            }
            ReadError::NoSpans { format, notes } => {
                write!(f, "this {format} JSON holds no spans ({})", notes.join("; "))
            }
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    pub(crate) fn from_json(err: serde_json::Error, format: &'static str) -> ReadError {
        use serde_json::error::Category;
        let (line, column) = (err.line(), err.column());
        match err.classify() {
            Category::Eof => ReadError::Truncated { line, column },
            Category::Syntax | Category::Io => {
                let text = err.to_string();
                let message = text.split(" at line ").next().unwrap_or(&text).to_string();
                ReadError::Syntax { line, column, message }
            }
            Category::Data => {
                let text = err.to_string();
                let message = text.split(" at line ").next().unwrap_or(&text).to_string();
                ReadError::Shape { format, line, column, message }
            }
        }
    }
}
