//! The differential flame graph: B's call paths as an icicle, widths by B's total time,
//! colours from the change against A (red slower, green faster, violet added; grey the
//! same). Boxes are laid out once in the core (`TraceDiff::flame_boxes`); the canvas draws
//! the rows on screen and scrolls over the rest.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::analysis::compare::{Change, DiffBox, TraceDiff};
use spanscope_core::format::{format_delta_ns, format_duration_ns};

/// Row height in CSS pixels.
const ROW_H: f64 = 20.0;
/// How many boxes `data-layout` lists, for tests and tools.
const LISTED: usize = 400;

const SAME: (f64, f64, f64) = (150.0, 160.0, 172.0);
const SLOWER: (f64, f64, f64) = (214.0, 39.0, 40.0);
const FASTER: (f64, f64, f64) = (44.0, 160.0, 44.0);
const ADDED: &str = "rgb(142, 68, 173)";

/// A box's fill: grey mixed towards red or green by how much B's total moved from A's
/// (all the way at ±100 %).
fn fill(d: &TraceDiff, node: u32) -> String {
    let (a, b) = (d.a[node as usize].total_ns, d.b[node as usize].total_ns);
    match d.change(node) {
        Change::Added => ADDED.to_string(),
        Change::Same | Change::Removed => mix(SAME, SAME, 0.0),
        Change::Changed => {
            let ratio = (b - a) as f64 / a.max(1) as f64;
            let target = if ratio >= 0.0 { SLOWER } else { FASTER };
            mix(SAME, target, ratio.abs().clamp(0.35, 1.0))
        }
    }
}

fn mix(from: (f64, f64, f64), to: (f64, f64, f64), t: f64) -> String {
    let c = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    format!("rgb({}, {}, {})", c(from.0, to.0), c(from.1, to.1), c(from.2, to.2))
}

/// What the two sides are called: the compare view's B and A, or this trace and the
/// typical one (its baseline's medians).
#[derive(Clone, Copy)]
pub struct Sides {
    pub b: &'static str,
    pub a: &'static str,
    /// The line above the graph.
    pub intro: &'static str,
}

pub const TWO_TRACES: Sides = Sides {
    b: "B",
    a: "A",
    intro: "Widths are trace B's time per call path; red is slower than in A, green faster, violet new in B. Click a box to open its first span in B.",
};

pub const VS_TYPICAL: Sides = Sides {
    b: "this trace",
    a: "typical",
    intro: "Widths are this trace's time per call path; red is slower than the baseline's median, green faster, violet a path no baseline trace has. Click a box to show its first span.",
};

#[component]
pub fn DiffFlame(
    diff: StoredValue<Arc<TraceDiff>>,
    on_open: Callback<u32>,
    sides: Sides,
) -> impl IntoView {
    let boxes: Arc<Vec<DiffBox>> = Arc::new(diff.with_value(|d| d.flame_boxes()));
    let depth = boxes.iter().map(|b| b.depth + 1).max().unwrap_or(0);
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let width = StoredValue::new(1000.0f64);
    let view_h = RwSignal::new(0.0f64);
    let fills: Arc<Vec<String>> =
        Arc::new(diff.with_value(|d| boxes.iter().map(|b| fill(d, b.node)).collect()));
    let layout = diff.with_value(|d| {
        boxes
            .iter()
            .take(LISTED)
            .map(|b| {
                format!(
                    "{}|{}|{}|{}",
                    d.paths.operation(b.node),
                    b.depth,
                    spanscope_core::format::fixed(b.x0, 5),
                    spanscope_core::format::fixed(b.x1, 5)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let (draw_boxes, draw_fills) = (boxes.clone(), fills.clone());
    crate::canvas::host(canvas, move |f| {
        width.set_value(f.width);
        if view_h.get_untracked() != f.height {
            view_h.set(f.height);
        }
        let top = scroll_top.get();
        let ctx = &f.ctx;
        ctx.set_font("12px system-ui, -apple-system, 'Segoe UI', sans-serif");
        ctx.set_text_baseline("middle");
        diff.with_value(|d| {
            for (b, colour) in draw_boxes.iter().zip(draw_fills.iter()) {
                let y = b.depth as f64 * ROW_H - top;
                if y + ROW_H < 0.0 || y > f.height {
                    continue;
                }
                let (x, w) = (b.x0 * f.width, (b.x1 - b.x0) * f.width);
                if w < 0.5 {
                    continue;
                }
                ctx.set_fill_style_str(colour);
                ctx.fill_rect(x, y, (w - 1.0).max(0.5), ROW_H - 1.0);
                if w > 30.0 {
                    ctx.set_fill_style_str("#fff");
                    let name =
                        format!("{}: {}", d.paths.service(b.node), d.paths.operation(b.node));
                    crate::canvas::fill_text_clipped(ctx, &name, x + 4.0, y + ROW_H / 2.0, w - 8.0);
                }
            }
        });
    });
    let box_at = move |x: f64, y: f64| -> Option<DiffBox> {
        let depth = ((y + scroll_top.get_untracked()) / ROW_H).floor() as u32;
        let fx = x / width.get_value().max(1.0);
        boxes.iter().find(|b| b.depth == depth && b.x0 <= fx && fx < b.x1).copied()
    };
    let box_at = StoredValue::new(box_at);
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let found = box_at.with_value(|f| f(ev.offset_x() as f64, ev.offset_y() as f64));
        let text = found.map(|b| {
            diff.with_value(|d| {
                let (a, bb) = (&d.a[b.node as usize], &d.b[b.node as usize]);
                format!(
                    "{}: {} · {} {} ({} spans) · {} {} ({} spans) · Δ {} · {}",
                    d.paths.service(b.node),
                    d.paths.operation(b.node),
                    sides.b,
                    format_duration_ns(bb.total_ns),
                    bb.count,
                    sides.a,
                    format_duration_ns(a.total_ns),
                    a.count,
                    format_delta_ns(d.delta_total_ns(b.node)),
                    d.change(b.node).name()
                )
            })
        });
        // The canvas's own title is the tooltip: no view to keep in step with the pointer.
        let canvas: web_sys::Element = event_target(&ev);
        let _ = canvas.set_attribute("title", &text.unwrap_or_default());
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(b) = box_at.with_value(|f| f(ev.offset_x() as f64, ev.offset_y() as f64)) {
            on_open.run(b.node);
        }
    };
    let on_scroll = move |ev: leptos::ev::Event| {
        let el: web_sys::HtmlElement = event_target(&ev);
        scroll_top.set(el.scroll_top() as f64);
    };
    view! {
        <p class="muted">{sides.intro}</p>
        <div class="flame-scroller" data-testid="diff-flame-scroller" on:scroll=on_scroll>
            <canvas class="flame" data-testid="diff-flame" node_ref=canvas
                data-depth=depth data-row-h=ROW_H data-boxes=fills.len() data-layout=layout
                on:mousemove=on_move on:click=on_click></canvas>
            <div style:height=move || format!("{}px", (depth as f64 * ROW_H - view_h.get()).max(0.0))></div>
        </div>
    }
}
