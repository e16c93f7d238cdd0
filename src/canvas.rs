//! Crisp canvases on any screen: the backing store follows the element's CSS size times the
//! device pixel ratio, and drawing uses CSS-pixel coordinates.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Resizes the backing store if needed and returns a context scaled to CSS pixels, with the
/// CSS width and height.
pub fn prepare(canvas: &HtmlCanvasElement) -> Option<(CanvasRenderingContext2d, f64, f64)> {
    let ratio = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
    let width = canvas.client_width() as f64;
    let height = canvas.client_height() as f64;
    let (pw, ph) = ((width * ratio).round() as u32, (height * ratio).round() as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok()?;
    ctx.clear_rect(0.0, 0.0, width, height);
    Some((ctx, width, height))
}

/// Draws `text` clipped to `max_width` with an ellipsis, measuring only when it may not fit.
pub fn fill_text_clipped(
    ctx: &CanvasRenderingContext2d,
    text: &str,
    x: f64,
    y: f64,
    max_width: f64,
) {
    if max_width <= 4.0 {
        return;
    }
    let width = |s: &str| ctx.measure_text(s).map(|m| m.width()).unwrap_or(0.0);
    // Cheap check first: ~7 px per character at 12 px.
    if text.chars().count() as f64 * 7.5 <= max_width || width(text) <= max_width {
        let _ = ctx.fill_text(text, x, y);
        return;
    }
    let mut chars: Vec<char> = text.chars().collect();
    let keep = (max_width / 7.0) as usize;
    chars.truncate(keep.min(chars.len()));
    while !chars.is_empty() {
        let candidate: String = chars.iter().collect::<String>() + "…";
        if width(&candidate) <= max_width {
            let _ = ctx.fill_text(&candidate, x, y);
            return;
        }
        chars.pop();
    }
}

/// Calls `on_resize` whenever the element's size changes (window resizes and panel drags
/// alike). The observer lives as long as the component that created it.
pub fn observe_resize(element: &web_sys::Element, on_resize: impl Fn() + 'static) {
    let callback = wasm_bindgen::closure::Closure::<dyn Fn()>::new(on_resize);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(element);
        let observer = send_wrapper::SendWrapper::new(observer);
        leptos::prelude::on_cleanup(move || observer.disconnect());
    }
    callback.forget();
}

/// True when an event comes from a text field, where keys and paste belong to the field.
pub fn from_text_field(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
        .unwrap_or(false)
}
