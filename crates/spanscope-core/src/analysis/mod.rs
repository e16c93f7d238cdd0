//! Analyses of a trace that several views share, browser-free and iterative: self time now;
//! the critical path and statistics are to come here too.

mod latency;
mod self_time;

pub use latency::Latency;
pub use self_time::self_time_ns;
