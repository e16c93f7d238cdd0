//! User Timing marks, so load and paint times can be measured from outside (DevTools,
//! Playwright, RUM): `spanscope:load-start`, `spanscope:bytes-read`, `spanscope:parsed`,
//! `spanscope:first-paint`, `spanscope:search-response`, `spanscope:search-rendered`, and
//! `spanscope:view-rendered` (detail: the view's name) when a trace view has drawn.

pub const LOAD_START: &str = "spanscope:load-start";
pub const BYTES_READ: &str = "spanscope:bytes-read";
pub const PARSED: &str = "spanscope:parsed";
pub const FIRST_PAINT: &str = "spanscope:first-paint";
/// A search answer has arrived (before it is read).
pub const SEARCH_RESPONSE: &str = "spanscope:search-response";
/// The search's list and scatter plot are on screen.
pub const SEARCH_RENDERED: &str = "spanscope:search-rendered";

/// A trace view (its name in the mark's `detail`) has drawn after being opened.
pub const VIEW_RENDERED: &str = "spanscope:view-rendered";

pub fn mark_view_rendered(view: &str) {
    // `performance.mark(name, {detail})`: web-sys has the options only behind its unstable
    // flag, so the call goes through js-sys.
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else { return };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"detail".into(), &view.into());
    if let Ok(mark) = js_sys::Reflect::get(&perf, &"mark".into()) {
        let mark: js_sys::Function = mark.into();
        let _ = mark.call2(&perf, &VIEW_RENDERED.into(), &options);
    }
}

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
