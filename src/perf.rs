//! User Timing marks, so load and paint times can be measured from outside (DevTools,
//! Playwright, RUM): `spanscope:load-start`, `spanscope:bytes-read`, `spanscope:parsed`,
//! `spanscope:first-paint`, `spanscope:search-response`, `spanscope:search-rendered`.

pub const LOAD_START: &str = "spanscope:load-start";
pub const BYTES_READ: &str = "spanscope:bytes-read";
pub const PARSED: &str = "spanscope:parsed";
pub const FIRST_PAINT: &str = "spanscope:first-paint";
/// A search answer has arrived (before it is read).
pub const SEARCH_RESPONSE: &str = "spanscope:search-response";
/// The search's list and scatter plot are on screen.
pub const SEARCH_RENDERED: &str = "spanscope:search-rendered";

pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

thread_local! {
    static AWAITING_PAINT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A load finished: the next waterfall frame is its first paint.
pub fn expect_first_paint() {
    AWAITING_PAINT.with(|a| a.set(true));
}

/// Called after each waterfall frame; marks `spanscope:first-paint` once per load.
pub fn mark_first_paint_once() {
    if AWAITING_PAINT.with(|a| a.replace(false)) {
        mark(FIRST_PAINT);
    }
}
