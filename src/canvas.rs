//! Crisp canvases on any screen. Every canvas (waterfall, minimap, graph, scatter plot) is
//! hosted by [`host`]: the backing store follows the element's CSS size times the device pixel
//! ratio, drawing uses CSS-pixel coordinates, and each draw function gets one
//! [`CanvasFrame`] with the context, size, ratio and theme colours.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// One redraw of a hosted canvas: a context scaled to CSS pixels, the CSS size, the device
/// pixel ratio, the theme's colours and the element (plotters draws on it directly).
pub struct CanvasFrame<'a> {
    pub ctx: CanvasRenderingContext2d,
    pub width: f64,
    pub height: f64,
    pub ratio: f64,
    pub palette: &'a crate::theme::Palette,
    pub canvas: &'a HtmlCanvasElement,
}

/// Owns a canvas the way every view needs it: the backing store follows the element's size
/// and the device pixel ratio, and `draw` runs again when the element is resized, when the
/// theme changes, and when any signal it reads changes. Returns a trigger that forces a
/// redraw.
pub fn host(
    canvas: leptos::prelude::NodeRef<leptos::html::Canvas>,
    draw: impl Fn(&CanvasFrame) + 'static,
) -> leptos::prelude::Trigger {
    use leptos::prelude::*;
    let resized = Trigger::new();
    Effect::new(move |_| {
        if let Some(el) = canvas.get() {
            observe_resize(&el, move || resized.notify());
        }
    });
    let draw = send_wrapper::SendWrapper::new(draw);
    Effect::new(move |_| {
        resized.track();
        let palette = crate::theme::palette();
        let Some(el) = canvas.get() else { return };
        let Some((ctx, width, height)) = prepare(&el) else { return };
        let ratio = device_pixel_ratio();
        draw(&CanvasFrame { ctx, width, height, ratio, palette: &palette, canvas: &el });
    });
    resized
}

pub fn device_pixel_ratio() -> f64 {
    web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0)
}

/// Resizes the backing store if needed and returns a context scaled to CSS pixels, with the
/// CSS width and height.
fn prepare(canvas: &HtmlCanvasElement) -> Option<(CanvasRenderingContext2d, f64, f64)> {
    let ratio = device_pixel_ratio();
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
