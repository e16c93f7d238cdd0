//! The minimap: the whole trace at a glance (drawn with level of detail: one rectangle per
//! run of covered cells, never one call per span) and the viewing window, which a drag
//! selects and a double click resets.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::view::minimap::{cells, cells_where, critical_cells, MinimapCells};
use spanscope_core::view::viewport::Window;

use super::waterfall::LABEL_W;
use super::ViewState;
use crate::theme::Palette;

const HEIGHT_BANDS: usize = 30;

#[derive(Clone, Copy)]
enum Drag {
    Select { from: f64 },
    Resize { fixed: f64 },
    Move { grab: f64, from: Window },
}

#[component]
pub fn Minimap(state: ViewState) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drag = RwSignal::new(None::<Drag>);
    // The whole-trace picture depends only on the trace, the size, the theme and the search
    // matches, so it is drawn once into an offscreen canvas and copied on every window change:
    // zooming costs one drawImage, not one rectangle per cell.
    let picture = StoredValue::new_local(None::<(String, web_sys::HtmlCanvasElement)>);

    crate::canvas::host(canvas, move |f| {
        let window = state.viewport.window.get();
        let (ctx, colours, w, h) = (&f.ctx, f.palette, f.width, f.height);
        let timeline_w = (w - LABEL_W - 16.0).max(10.0);
        let x0 = LABEL_W + 8.0;
        state.find.found.track();
        let critical_path = state.display.critical_path.get();
        // The matches are one `Arc` per filter change: its address says whether they changed.
        let matches = state.find.found.with_untracked(|f| Arc::as_ptr(f) as usize);
        let key = format!("{w}x{h}:{matches}:{}:{critical_path}", colours.accent);
        if picture.with_value(|p| p.as_ref().map(|(k, _)| k != &key).unwrap_or(true)) {
            let base = draw_picture(state, colours, (w, h), x0, timeline_w, critical_path);
            picture.set_value(base.map(|b| (key, b)));
        }
        picture.with_value(|p| {
            if let Some((_, base)) = p {
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(base, 0.0, 0.0, w, h);
            }
        });
        // Dim what is outside the window.
        ctx.set_fill_style_str("rgba(128,128,128,0.35)");
        let (a, b) = (x0 + window.start * timeline_w, x0 + window.end * timeline_w);
        ctx.fill_rect(x0, 0.0, a - x0, h);
        ctx.fill_rect(b, 0.0, x0 + timeline_w - b, h);
        ctx.set_stroke_style_str(&colours.fg);
        ctx.stroke_rect(a, 0.5, (b - a).max(1.0), h - 1.0);
        ctx.set_fill_style_str(&colours.muted);
        ctx.set_font("12px system-ui, sans-serif");
        let _ = ctx.fill_text(
            "Drag to zoom; drag the window to move it · double-click to reset",
            8.0,
            h / 2.0,
        );
    });

    let fraction = move |x: f64| -> f64 {
        let width = canvas.get().map(|c| c.client_width() as f64).unwrap_or(1.0) - LABEL_W - 16.0;
        ((x - LABEL_W - 8.0) / width.max(1.0)).clamp(0.0, 1.0)
    };
    // Dragging inside the window moves it, near an edge resizes it, elsewhere selects anew.
    let on_down = move |ev: leptos::ev::MouseEvent| {
        let at = fraction(ev.offset_x() as f64);
        let w = state.viewport.window.get_untracked();
        let edge = 0.006_f64.max(w.width() * 0.08);
        let mode = if w.width() >= 0.999 {
            Drag::Select { from: at }
        } else if (at - w.start).abs() < edge {
            Drag::Resize { fixed: w.end }
        } else if (at - w.end).abs() < edge {
            Drag::Resize { fixed: w.start }
        } else if at > w.start && at < w.end && w.width() < 1.0 {
            Drag::Move { grab: at, from: w }
        } else {
            Drag::Select { from: at }
        };
        drag.set(Some(mode));
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let to = fraction(ev.offset_x() as f64);
        match drag.get_untracked() {
            Some(Drag::Select { from }) if (to - from).abs() > 0.002 => {
                state.viewport.window.set(Window::new(from, to))
            }
            Some(Drag::Resize { fixed }) if (to - fixed).abs() > 0.002 => {
                state.viewport.window.set(Window::new(fixed, to))
            }
            Some(Drag::Move { grab, from }) => {
                state.viewport.window.set(from.pan((to - grab) / from.width()))
            }
            _ => {}
        }
    };
    let on_up = move |_| drag.set(None);
    view! {
        <canvas class="minimap" data-testid="minimap" node_ref=canvas
            on:mousedown=on_down on:mousemove=on_move on:mouseup=on_up on:mouseleave=on_up
            on:dblclick=move |_| state.viewport.window.set(Window::default())></canvas>
    }
}

/// Draws the trace (and search matches) into a new offscreen canvas at device resolution.
fn draw_picture(
    state: ViewState,
    colours: &Palette,
    (w, h): (f64, f64),
    x0: f64,
    timeline_w: f64,
    critical_path: bool,
) -> Option<web_sys::HtmlCanvasElement> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    let base: web_sys::HtmlCanvasElement =
        document.create_element("canvas").ok()?.dyn_into().ok()?;
    let ratio = crate::canvas::device_pixel_ratio();
    base.set_width((w * ratio).round() as u32);
    base.set_height((h * ratio).round() as u32);
    let ctx: web_sys::CanvasRenderingContext2d = base.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok()?;
    let columns = timeline_w.round() as usize;
    let m: MinimapCells =
        state.trace.with_value(|t| cells(t, HEIGHT_BANDS.min(t.spans.len()), columns));
    let band_h = h / m.bands as f64;
    for (band, start, len, kind) in m.runs() {
        ctx.set_fill_style_str(if kind == 2 { &colours.error } else { &colours.accent });
        ctx.fill_rect(
            x0 + start as f64,
            band as f64 * band_h + band_h * 0.15,
            len as f64,
            (band_h * 0.7).max(1.0),
        );
    }
    if critical_path {
        let path = state.trace.with_value(|t| {
            state.analysis.with_value(|a| critical_cells(t, &a.critical_path, m.bands, columns))
        });
        ctx.set_fill_style_str(&colours.fg);
        for (band, start, len, _) in path.runs() {
            let y = band as f64 * band_h + band_h * 0.35;
            ctx.fill_rect(x0 + start as f64, y, len as f64, (band_h * 0.3).max(1.0));
        }
    }
    state.find.found.with_untracked(|found| {
        let flags = &found.flags;
        if flags.iter().any(|&f| f) {
            let matches =
                state.trace.with_value(|t| cells_where(t, m.bands, columns, |i| flags[i as usize]));
            ctx.set_fill_style_str(&colours.highlight_strong);
            for (band, start, len, _) in matches.runs() {
                ctx.fill_rect(x0 + start as f64, band as f64 * band_h, len as f64, band_h.max(2.0));
            }
        }
    });
    Some(base)
}
