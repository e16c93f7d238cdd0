//! Service dependency graphs computed client-side from loaded traces: the model, a layered
//! layout, and DOT/Mermaid export.

pub mod export;
pub mod layout;
pub mod model;

pub use model::{Edge, EdgeKind, ServiceGraph};
