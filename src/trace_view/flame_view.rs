//! The *Flame graph* tab on canvas: the merged call-path tree (width by total or self time)
//! or the time-ordered icicle (one frame per span, wall-clock). Click a frame to zoom into
//! it, the breadcrumb to go back; hover for a tooltip; find matches are highlighted; frames
//! take their service's colour. Frames are laid out once per mode and zoom (`view::flame`)
//! and drawn from that list.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::analysis::{merged_flame, FlameTree};
use spanscope_core::format::format_duration_ns;
use spanscope_core::intern::Sym;
use spanscope_core::model::Trace;
use spanscope_core::view::flame::{icicle_rects, merged_path, merged_rects, rect_at};
use spanscope_core::view::palette::css;

use super::ViewState;
use crate::canvas::fill_text_clipped;

/// Height of one row of frames, CSS pixels.
const ROW_H: f64 = 20.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Merged,
    TimeOrdered,
}

#[component]
pub fn FlameView(state: ViewState) -> impl IntoView {
    let mode = RwSignal::new(Mode::Merged);
    let by_self = RwSignal::new(false);
    // The frame zoomed into: a flame node (merged) or a span (time-ordered).
    let zoom = RwSignal::new(None::<u32>);
    let hover = RwSignal::new(None::<(f64, f64, String)>);
    let tree: StoredValue<Arc<FlameTree>> = StoredValue::new(Arc::new(
        state.trace.with_value(|t| state.analysis.with_value(|a| merged_flame(t, a))),
    ));
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let width = RwSignal::new(1000.0f64);
    // Every depth is laid out (at most a row's width of frames each: narrower than half a
    // pixel is not laid out); the canvas scrolls over them and draws the rows on screen.
    let scroll_top = RwSignal::new(0.0f64);
    let view_h = RwSignal::new(0.0f64);
    let rects = Memo::new(move |_| {
        // Frames narrower than half a pixel are not drawn, nor what is under them.
        let min_w = 0.5 / width.get().max(1.0);
        let max_depth = u32::MAX;
        let zoom = zoom.get();
        let rects = match mode.get() {
            Mode::Merged => {
                tree.with_value(|t| merged_rects(t, zoom, by_self.get(), min_w, max_depth))
            }
            Mode::TimeOrdered => {
                state.trace.with_value(|t| icicle_rects(t, zoom, min_w, max_depth))
            }
        };
        Arc::new(rects)
    });
    // What a frame is: its service and operation, and whether it holds errors. Cheap, so
    // every frame of every redraw can ask; the tooltip's text is built only on hover.
    let frame_of = move |t: &Trace, tree: &FlameTree, item: u32| -> (Sym, Sym, bool) {
        match mode.get_untracked() {
            Mode::Merged => {
                let n = &tree.nodes[item as usize];
                (n.service, n.name, n.errors > 0)
            }
            Mode::TimeOrdered => {
                let s = &t.spans[item as usize];
                (s.service, s.name, s.is_error())
            }
        }
    };
    let name_of = move |item: u32| -> String {
        state
            .trace
            .with_value(|t| tree.with_value(|tree| t.str(frame_of(t, tree, item).1).to_string()))
    };
    let tooltip = move |item: u32| -> String {
        state.trace.with_value(|t| match mode.get_untracked() {
            Mode::Merged => tree.with_value(|tree| {
                let n = &tree.nodes[item as usize];
                format!(
                    "{} · {}: {} span(s), total {}, self {}{}",
                    t.str(n.service),
                    t.str(n.name),
                    n.count,
                    format_duration_ns(n.total_ns),
                    format_duration_ns(n.self_ns),
                    if n.errors > 0 { format!(", {} error(s)", n.errors) } else { String::new() }
                )
            }),
            Mode::TimeOrdered => {
                let s = &t.spans[item as usize];
                format!(
                    "{} · {}: {} from +{}",
                    t.str(s.service),
                    t.str(s.name),
                    format_duration_ns(s.duration_ns),
                    format_duration_ns(s.start_ns - t.stats.start_ns)
                )
            }
        })
    };
    // Frames holding a find match: a merged frame when any of its spans matched.
    let matched = Memo::new(move |_| {
        let found = state.find.found.get();
        match mode.get() {
            Mode::Merged => tree.with_value(|t| {
                let mut flags = vec![false; t.nodes.len()];
                for &s in &found.spans {
                    flags[t.node_of_span[s as usize] as usize] = true;
                }
                Arc::new(flags)
            }),
            Mode::TimeOrdered => Arc::new(found.flags.clone()),
        }
    });
    let marked = StoredValue::new(false);
    crate::canvas::host(canvas, move |f| {
        let (ctx, palette) = (&f.ctx, f.palette);
        if width.get_untracked() != f.width {
            width.set(f.width);
        }
        if view_h.get_untracked() != f.height {
            view_h.set(f.height);
        }
        let top = scroll_top.get();
        let (first, last) =
            ((top / ROW_H).floor() as u32, ((top + f.height) / ROW_H).ceil() as u32);
        let rects = rects.get();
        let matched = matched.get();
        ctx.set_font("12px system-ui, -apple-system, 'Segoe UI', sans-serif");
        ctx.set_text_baseline("middle");
        state.trace.with_value(|t| {
            tree.with_value(|tree| {
                for r in rects.iter().filter(|r| r.depth >= first && r.depth <= last) {
                    let (x, w, y) = (r.x * f.width, r.w * f.width, r.depth as f64 * ROW_H - top);
                    let (service, name, error) = frame_of(t, tree, r.item);
                    ctx.set_fill_style_str(&css(state.colour_of(service)));
                    ctx.fill_rect(x, y, (w - 1.0).max(0.5), ROW_H - 1.0);
                    if matched.get(r.item as usize).copied().unwrap_or(false) {
                        ctx.set_stroke_style_str(&palette.highlight_strong);
                        ctx.set_line_width(2.0);
                        ctx.stroke_rect(x + 1.0, y + 1.0, (w - 3.0).max(0.5), ROW_H - 3.0);
                    }
                    if error {
                        ctx.set_fill_style_str(&palette.error);
                        ctx.fill_rect(x, y + ROW_H - 4.0, (w - 1.0).max(0.5), 3.0);
                    }
                    if w > 30.0 {
                        ctx.set_fill_style_str("#ffffff");
                        fill_text_clipped(ctx, t.str(name), x + 4.0, y + ROW_H / 2.0, w - 8.0);
                    }
                }
            })
        });
        if !marked.get_value() {
            marked.set_value(true);
            crate::perf::mark_view_rendered("flame");
        }
    });
    let frame_at = move |ev: &leptos::ev::MouseEvent| {
        let x = ev.offset_x() as f64 / width.get_untracked().max(1.0);
        let depth = ((ev.offset_y() as f64 + scroll_top.get_untracked()) / ROW_H).floor() as u32;
        rects.with_untracked(|r| rect_at(r, x, depth))
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        hover.set(
            frame_at(&ev).map(|r| (ev.client_x() as f64, ev.client_y() as f64, tooltip(r.item))),
        );
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(r) = frame_at(&ev) {
            zoom.set(Some(r.item));
        }
    };
    // Published for tests and tools: the frames of the top rows, in CSS pixels.
    let frames = move || {
        let w = width.get();
        let rects = rects.get();
        let items: Vec<String> = rects
            .iter()
            .filter(|r| r.depth < 3)
            .take(200)
            .map(|r| {
                let name = name_of(r.item);
                format!(
                    "{{\"name\":{},\"x\":{},\"w\":{},\"depth\":{}}}",
                    serde_json::Value::from(name),
                    spanscope_core::format::fixed(r.x * w, 1),
                    spanscope_core::format::fixed(r.w * w, 1),
                    r.depth
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    };
    let crumbs = move || {
        let Some(z) = zoom.get() else { return Vec::new() };
        let path: Vec<u32> = match mode.get() {
            Mode::Merged => tree.with_value(|t| merged_path(t, z)),
            Mode::TimeOrdered => state.trace.with_value(|t| {
                let mut path = vec![z];
                let mut at = t.spans[z as usize].parent;
                while at != spanscope_core::model::NO_SPAN {
                    path.push(at);
                    at = t.spans[at as usize].parent;
                }
                path.reverse();
                path
            }),
        };
        path.into_iter().map(|item| (item, name_of(item))).collect()
    };
    // Rows laid out, and the scroll height they need.
    let depth = move || rects.with(|r| r.iter().map(|r| r.depth + 1).max().unwrap_or(0));
    let spacer = move || format!("{}px", (depth() as f64 * ROW_H - view_h.get()).max(0.0));
    let scroller = NodeRef::<leptos::html::Div>::new();
    let on_scroll = move |_| {
        if let Some(el) = scroller.get() {
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    // A new zoom or mode starts at the top.
    Effect::new(move |_| {
        rects.track();
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
    });
    let set_mode = move |m: Mode| {
        zoom.set(None);
        mode.set(m);
    };
    // *vs typical*: the trace against its baseline's medians, in the compare view's graph.
    let vs_typical = RwSignal::new(false);
    let typical = state.display.typical;
    let shows_typical = move || vs_typical.get() && typical.with(|t| t.is_some());
    let nav = expect_context::<crate::route::Nav>();
    let typical_flame = move || {
        let rated = typical.get().filter(|_| vs_typical.get())?;
        let diff = StoredValue::new(rated.diff.clone());
        let on_open = Callback::new(move |node: u32| {
            let first = rated.diff.b[node as usize].first_span;
            let same = state.trace.with_value(|t| Arc::ptr_eq(t, &rated.of));
            if same && first != spanscope_core::model::NO_SPAN {
                nav.set_tab(crate::route::TraceTab::Timeline);
                state.select_and_show(first);
            }
        });
        Some(
            view! { <crate::compare::flame::DiffFlame diff=diff sides=crate::compare::flame::VS_TYPICAL on_open=on_open/> },
        )
    };
    view! {
        <div class="flame-view">
            <div class="toolbar">
                <label><input type="radio" name="flame-mode" data-testid="flame-merged" prop:checked=move || mode.get() == Mode::Merged on:change=move |_| set_mode(Mode::Merged)/>" merged call paths"</label>
                <label><input type="radio" name="flame-mode" data-testid="flame-time" prop:checked=move || mode.get() == Mode::TimeOrdered on:change=move |_| set_mode(Mode::TimeOrdered)/>" time order"</label>
                <label title="Width by each frame's own time and its descendants' (nests exactly), instead of total duration (concurrent calls can exceed their parent, and are scaled to fit)">
                    <input type="checkbox" data-testid="flame-by-self" prop:disabled=move || mode.get() != Mode::Merged on:change=move |ev| by_self.set(event_target_checked(&ev))/>" width by self time"</label>
                <label title="Colour each call path by its time against the typical trace of this endpoint (rate the trace with vs typical on the timeline first)">
                    <input type="checkbox" data-testid="flame-typical" prop:disabled=move || typical.with(|t| t.is_none()) on:change=move |ev| vs_typical.set(event_target_checked(&ev))/>" vs typical"</label>
                <button class="small" data-testid="flame-png" title="Save the flame graph as shown as a PNG picture"
                    on:click=move |ev| crate::download::save_png_near(&ev, ".flame-view", if shows_typical() { "[data-testid=diff-flame]" } else { "[data-testid=flame]" }, &format!("trace-{}-flame.png", state.trace.with_value(|t| t.trace_id_string())))>"PNG"</button>
            </div>
            {typical_flame}
            <nav class="breadcrumb" data-testid="flame-breadcrumb" class:hidden=shows_typical>
                <button class="link" on:click=move |_| zoom.set(None)>"All"</button>
                {move || crumbs().into_iter().map(|(item, name)| view! {
                    " › " <button class="link" on:click=move |_| zoom.set(Some(item))>{name}</button>
                }).collect_view()}
            </nav>
            <div class="flame-scroller" data-testid="flame-scroller" node_ref=scroller on:scroll=on_scroll class:hidden=shows_typical>
                <canvas class="flame" data-testid="flame" data-frames=frames data-depth=depth data-row-h=ROW_H node_ref=canvas
                    on:mousemove=on_move on:mouseleave=move |_| hover.set(None) on:click=on_click></canvas>
                <div style:height=spacer></div>
            </div>
            {move || hover.get().map(|(x, y, text)| view! {
                <div class="tooltip" data-testid="flame-tooltip" style:left=format!("{}px", x + 14.0) style:top=format!("{}px", y + 14.0)>{text}</div>
            })}
        </div>
    }
}
