//! Layout math for the trace views, kept out of the browser so it is tested natively: which
//! rows are visible, where things go on screen, nice time ticks, service colours, and the
//! minimap's level of detail.

pub mod axis;
pub mod find;
pub mod flame;
pub mod focus;
pub mod legend;
pub mod minimap;
pub mod palette;
pub mod rows;
pub mod scatter;
pub mod skew;
pub mod viewport;
