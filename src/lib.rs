//! Spanscope's web app (Leptos, client-side rendered). Everything that needs no browser lives
//! in `spanscope-core`; this crate only gets bytes in, calls the core, and shows results.

pub mod app;
pub mod canvas;
pub mod load;
pub mod perf;
pub mod theme;
pub mod trace_view;
pub mod url_state;
