//! Spanscope's browser-free core: one trace model for Jaeger, Zipkin (v1/v2) and OTLP JSON,
//! the readers that fill it, the writers that convert between formats, and tree analysis.
//! The backends' APIs (`spanscope-backend`) and the service graph (`spanscope-graph`) are
//! crates of their own: the web app builds them for size and this crate for speed.
//!
//! Everything here is plain Rust with no browser dependency, so it is tested and benchmarked
//! natively and compiled unchanged into the web app.

pub mod analysis;
pub mod builder;
pub mod case;
pub mod draft;
pub mod error;
pub mod format;
pub mod generate;
pub mod ids;
pub mod intern;
pub mod link_patterns;
pub mod links;
pub mod model;
pub mod number;
pub mod read;
pub mod redact;
pub mod shapes;
pub mod sort;
pub mod summary;
pub mod text;
mod tree;
pub mod view;
pub mod write;

pub use error::ReadError;
pub use ids::{SpanId, TraceId};
pub use model::{AttrValue, Format, SpanKind, StatusCode, Trace, TraceSet};
pub use read::{open, read_bytes, Opened};
pub use summary::TraceSummary;
pub use tree::MAX_PARTS_PER_SPAN;
