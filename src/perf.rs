//! User Timing marks, so load and paint times can be measured from outside (DevTools,
//! Playwright, RUM): `spanscope:load-start`, `spanscope:parsed`, `spanscope:first-paint`.

pub const LOAD_START: &str = "spanscope:load-start";
pub const PARSED: &str = "spanscope:parsed";
pub const FIRST_PAINT: &str = "spanscope:first-paint";

pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}
