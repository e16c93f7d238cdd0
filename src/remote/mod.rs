//! Talking to live backends from the browser: the runtime configuration (site `config.json`
//! plus the user's own backends), HTTP with timeouts, cancellation and failure diagnosis, and
//! a client per backend that speaks its API. What to request and how to read the answers
//! lives in the core (`spanscope_backend`), tested natively.

pub mod client;
pub mod http;
pub mod settings;
