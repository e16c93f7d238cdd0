//! Live backends: runtime configuration, the Jaeger, Zipkin and Tempo HTTP APIs (request
//! paths and answers), unit conversion, and error diagnosis. No I/O here: the app sends the
//! requests (gloo-net) and `spanscope serve` proxies them.

pub mod api;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod query;
pub mod responses;
pub mod trace_ref;
pub mod units;

pub use api::Api;
pub use config::{AppConfig, Backend, BackendKind};
pub use error::{AnswerError, ConfigError, DurationError, FormError};
pub use query::{SearchQuery, TimeRange};
pub use responses::{SearchHit, SearchResults, SortOrder};
