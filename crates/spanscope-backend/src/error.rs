//! Why a backend call could not go ahead or its answer could not be used. Typed so callers
//! can tell a form mistake (say it next to the field, send nothing) from an unreadable answer
//! (name the backend and suggest checking its URL); `Display` gives the user's message.

use std::fmt;

use spanscope_core::ReadError;

/// A duration field that does not hold a duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    /// Not Go's duration syntax; holds the text (shortened).
    Invalid(String),
    /// Longer than a trace could be; holds the text (shortened).
    TooLong(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => f.write_str("empty duration"),
            DurationError::Invalid(text) => {
                write!(f, "`{text}` is not a duration; write it like 250ms, 1.5s, 2m or 1h30m")
            }
            DurationError::TooLong(text) => write!(f, "`{text}` is too long"),
        }
    }
}

impl std::error::Error for DurationError {}

/// What is wrong with the search form or the trace-id box; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    MinDuration(DurationError),
    MaxDuration(DurationError),
    MinAboveMax,
    /// Jaeger searches one service at a time.
    ServiceRequired,
    /// The tags text is not logfmt; holds what follows the bad spot (shortened).
    TagsNotKeyValue(String),
    TagsUnclosedQuote,
    /// Jaeger matches tags exactly, so every key needs a value.
    JaegerTagNeedsValue(String),
    /// Tempo 1.x matches tags by value, so every key needs a value.
    TempoTagNeedsValue(String),
    /// TraceQL typed for a Tempo backend set to the 1.x tags API.
    TraceqlOnTagsApi,
    /// Jaeger's api_v3 search has no tag filter.
    TagsOnJaegerV3,
    /// Not 1 to 32 hex digits; holds the text (shortened).
    NotATraceId(String),
    NoTraceId,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::MinDuration(e) => write!(f, "Min duration: {e}"),
            FormError::MaxDuration(e) => write!(f, "Max duration: {e}"),
            FormError::MinAboveMax => f.write_str("Min duration is longer than max duration."),
            FormError::ServiceRequired => {
                f.write_str("Choose a service: Jaeger searches one service at a time.")
            }
            FormError::TagsNotKeyValue(rest) => {
                write!(f, "Tags: expected key=value, found `{rest}`")
            }
            FormError::TagsUnclosedQuote => {
                f.write_str("Tags: a quoted value is not closed (missing \")")
            }
            FormError::JaegerTagNeedsValue(key) => {
                write!(f, "Tags: Jaeger needs a value for `{key}` (write {key}=value)")
            }
            FormError::TempoTagNeedsValue(key) => write!(
                f,
                "Tags: `{key}` needs a value (key=value): Tempo 1.x matches tags by value."
            ),
            FormError::TraceqlOnTagsApi => f.write_str(
                "Tags: this Tempo backend is set to `api: tags` (Tempo 1.x), which has no \
                 TraceQL; write key=value pairs.",
            ),
            FormError::TagsOnJaegerV3 => f.write_str(
                "Tags: Jaeger's api_v3 search does not filter by tags; clear the field or use \
                 the v1 API.",
            ),
            FormError::NotATraceId(text) => {
                write!(
                    f,
                    "`{text}` is not a trace id (1 to 32 hex digits) and holds none (as a traceparent, B3 header, log line or trace URL would)"
                )
            }
            FormError::NoTraceId => f.write_str("Enter a trace id"),
        }
    }
}

impl std::error::Error for FormError {}

/// An answer that arrived but cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// The body is not JSON; holds the parser's words.
    NotJson(String),
    /// JSON, but no list of names in any shape the list endpoints use.
    NoNames,
    /// A search answer the trace readers could not read.
    Search(ReadError),
    /// A search-summaries answer (Tempo, api_v3) of the wrong shape; holds serde's words.
    Summaries(String),
    /// A trace-by-id answer the trace readers could not read.
    Trace(ReadError),
    /// Not dependency links; holds serde's words.
    NotDependencyLinks(String),
    /// The body stopped arriving; holds the browser's words.
    BrokeOff(String),
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::NotJson(e) => write!(f, "the answer is not JSON ({e})"),
            AnswerError::NoNames => f.write_str("the answer has no list of names"),
            AnswerError::Search(e) => write!(f, "the search answer could not be read: {e}"),
            AnswerError::Summaries(e) => write!(f, "the search answer could not be read ({e})"),
            AnswerError::Trace(e) => write!(f, "the trace could not be read: {e}"),
            AnswerError::NotDependencyLinks(e) => {
                write!(f, "not dependency links ({{parent, child, callCount}}): {e}")
            }
            AnswerError::BrokeOff(e) => write!(f, "the answer broke off: {e}"),
        }
    }
}

impl std::error::Error for AnswerError {}

/// A `config.json` that cannot be used at all (smaller faults are warnings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    NotJson(String),
    NotObject,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotJson(e) => write!(f, "config.json is not valid JSON ({e})"),
            ConfigError::NotObject => {
                f.write_str("config.json must hold a JSON object like {\"backends\": [...]}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}
