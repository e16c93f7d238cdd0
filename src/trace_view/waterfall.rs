//! The waterfall: one row per visible span, drawn on one canvas. Only the rows on screen are
//! drawn, so scrolling a million-span trace costs the same as a small one. The hot path calls
//! the 2D context directly (a few calls per row): plotters' per-element overhead would
//! dominate at this call count.

use leptos::prelude::*;
use spanscope_core::format::format_duration_ns;
use spanscope_core::model::{SpanFlags, NO_SPAN};
use spanscope_core::view::axis;
use spanscope_core::view::palette::css;
use spanscope_core::view::rows::RowModel;
use spanscope_core::view::skew::Adjusted;
use spanscope_core::view::viewport::{TimeScale, Window};

use super::ViewState;
use crate::canvas::{fill_text_clipped, CanvasFrame};
use crate::theme::Palette;

pub const ROW_H: f64 = 22.0;
pub const AXIS_H: f64 = 26.0;
pub const LABEL_W: f64 = 360.0;
const INDENT: f64 = 14.0;
const TOGGLE_W: f64 = 14.0;

/// Where a point on the canvas falls.
enum Hit {
    Toggle(u32),
    Span(u32),
    Nothing,
}

fn indent_of(depth: u32) -> f64 {
    (depth.saturating_sub(1) as f64 * INDENT).min(LABEL_W - 140.0)
}

fn hit(state: &ViewState, rows: &RowModel, x: f64, y: f64, scroll_top: f64) -> Hit {
    if y < AXIS_H {
        return Hit::Nothing;
    }
    let row = ((y - AXIS_H + scroll_top) / ROW_H).floor() as usize;
    let Some(&span) = rows.visible().get(row) else { return Hit::Nothing };
    let depth = state.trace.with_value(|t| t.spans[span as usize].depth);
    let toggle_x = 4.0 + indent_of(depth);
    if x >= toggle_x - 2.0 && x < toggle_x + TOGGLE_W && rows.descendants(span) > 0 {
        Hit::Toggle(span)
    } else {
        Hit::Span(span)
    }
}

#[component]
pub fn Waterfall(state: ViewState) -> impl IntoView {
    let scroller = NodeRef::<leptos::html::Div>::new();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_h = RwSignal::new(0.0f64);
    // Hover tooltip (client x, y, text) and a drag on the time axis (start x) that zooms.
    let tip = RwSignal::new(None::<(f64, f64, String)>);
    let axis_drag = RwSignal::new(None::<f64>);
    let arrows = RwSignal::new(String::from("[]"));

    let row_count = move || state.viewport.rows.with(|r| r.visible().len());
    let spacer = move || {
        let total = AXIS_H + row_count() as f64 * ROW_H;
        format!("{}px", (total - viewport_h.get()).max(0.0))
    };

    crate::canvas::host(canvas, move |f| {
        let top = scroll_top.get();
        let window = state.viewport.window.get();
        let selected = state.selection.selected.get();
        let hovered = state.selection.hovered.get();
        state.find.found.track();
        let skew = state.display.skew.get();
        let critical_path = state.display.critical_path.get();
        if viewport_h.get_untracked() != f.height {
            viewport_h.set(f.height);
        }
        state.viewport.rows.with(|rows| {
            state.find.found.with_untracked(|found| {
                let scene = Scene {
                    rows,
                    matches: &found.flags,
                    skew: skew.as_deref(),
                    scroll_top: top,
                    window,
                    selected,
                    hovered,
                    critical_path,
                };
                let drawn = draw(f, &state, &scene);
                if arrows.get_untracked() != drawn {
                    arrows.set(drawn);
                }
            })
        });
        crate::perf::mark_first_paint_once();
    });

    // Bring a requested span into view (search steps, keyboard, links).
    Effect::new(move |_| {
        let Some(span) = state.selection.scroll_to.get() else { return };
        let Some(row) = state.viewport.rows.with_untracked(|r| r.row_of(span)) else { return };
        let Some(el) = scroller.get() else { return };
        let view_h = el.client_height() as f64 - AXIS_H;
        let top = el.scroll_top() as f64;
        let y = row as f64 * ROW_H;
        if y < top || y + ROW_H > top + view_h {
            el.set_scroll_top((y - view_h / 3.0).max(0.0) as i32);
        }
    });

    let on_scroll = move |_| {
        if let Some(el) = scroller.get() {
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    let on_down = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
        if y < AXIS_H && x > LABEL_W {
            axis_drag.set(Some(x));
        }
    };
    let on_up = move |ev: leptos::ev::MouseEvent| {
        let Some(from) = axis_drag.get_untracked() else { return };
        axis_drag.set(None);
        let to = ev.offset_x() as f64;
        let Some(el) = canvas.get() else { return };
        let width = el.client_width() as f64 - LABEL_W - 16.0;
        if (to - from).abs() < 4.0 || width <= 0.0 {
            return;
        }
        let frac = |x: f64| ((x - LABEL_W - 8.0) / width).clamp(0.0, 1.0);
        state.viewport.window.update(|w| {
            let (a, b) = (frac(from), frac(to));
            *w = Window::new(w.start + a * w.width(), w.start + b * w.width());
        });
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
        let target =
            state.viewport.rows.with(|rows| hit(&state, rows, x, y, scroll_top.get_untracked()));
        match target {
            // Shift+click opens or closes the whole subtree.
            Hit::Toggle(span) if ev.shift_key() => state.trace.with_value(|t| {
                let collapse = !state.viewport.rows.with_untracked(|r| r.is_collapsed(span));
                state.viewport.rows.update(|r| r.set_subtree(t, span, collapse))
            }),
            Hit::Toggle(span) => {
                state.trace.with_value(|t| state.viewport.rows.update(|r| r.toggle(t, span)))
            }
            Hit::Span(span) => state.selection.selected.set(Some(span)),
            Hit::Nothing => {}
        }
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let target = state.viewport.rows.with(|rows| {
            hit(
                &state,
                rows,
                ev.offset_x() as f64,
                ev.offset_y() as f64,
                scroll_top.get_untracked(),
            )
        });
        let span = match target {
            Hit::Toggle(s) | Hit::Span(s) => Some(s),
            Hit::Nothing => None,
        };
        if state.selection.hovered.get_untracked() != span {
            state.selection.hovered.set(span);
        }
        tip.set(span.map(|i| {
            let text = state.trace.with_value(|t| {
                let s = &t.spans[i as usize];
                let offset = format_duration_ns(s.start_ns - t.stats.start_ns);
                let duration = format_duration_ns(s.duration_ns);
                let error = if s.is_error() { " · error" } else { "" };
                format!(
                    "{} · {}\n{duration} starting at +{offset}{error}",
                    t.str(s.service),
                    t.str(s.name)
                )
            });
            (ev.client_x() as f64, ev.client_y() as f64, text)
        }));
    };
    // Ctrl/⌘ + wheel zooms around the pointer; Shift + wheel pans. Plain wheel scrolls rows.
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        let Some(el) = canvas.get() else { return };
        let width = el.client_width() as f64 - LABEL_W;
        let x = ev.offset_x() as f64 - LABEL_W;
        if width <= 0.0 {
            return;
        }
        if ev.ctrl_key() || ev.meta_key() {
            ev.prevent_default();
            let factor = if ev.delta_y() > 0.0 { 1.25 } else { 0.8 };
            state.viewport.window.update(|w| *w = w.zoom(factor, (x / width).clamp(0.0, 1.0)));
        } else if ev.shift_key() {
            ev.prevent_default();
            let delta = if ev.delta_x() != 0.0 { ev.delta_x() } else { ev.delta_y() };
            state.viewport.window.update(|w| *w = w.pan(delta / width));
        }
    };

    // The drawing's geometry, for tests and tools that locate rows and times in the canvas
    // (so they never copy these constants).
    let geometry = format!(
        r#"{{"axisH":{AXIS_H},"rowH":{ROW_H},"labelW":{LABEL_W},"timelineX":{},"timelineRight":8,"indent":{INDENT},"barTop":{BAR_TOP},"criticalH":{CRITICAL_H},"arrowGap":{ARROW_GAP}}}"#,
        LABEL_W + 8.0
    );
    view! {
        <div class="waterfall" data-testid="waterfall" data-rows=row_count data-geometry=geometry data-arrows=move || arrows.get() node_ref=scroller on:scroll=on_scroll>
            <canvas class="waterfall-canvas" node_ref=canvas
                on:click=on_click on:mousemove=on_move on:mousedown=on_down on:mouseup=on_up
                on:mouseleave=move |_| { state.selection.hovered.set(None); tip.set(None); axis_drag.set(None); } on:wheel=on_wheel>
            </canvas>
            {move || tip.get().map(|(x, y, text)| view! {
                <div class="tooltip" data-testid="tooltip" style:left=format!("{}px", x + 14.0) style:top=format!("{}px", y + 14.0)>{text}</div>
            })}
            <div class="waterfall-spacer" style:height=spacer></div>
        </div>
    }
}

/// What one frame of the waterfall shows, besides the trace.
struct Scene<'a> {
    rows: &'a RowModel,
    /// A flag per span: matched by find or a pill.
    matches: &'a [bool],
    skew: Option<&'a Adjusted>,
    scroll_top: f64,
    window: Window,
    selected: Option<u32>,
    hovered: Option<u32>,
    critical_path: bool,
}

/// A bar's distance from its row's top (and bottom).
pub const BAR_TOP: f64 = 4.0;
/// Height of the critical-path band across the middle of a bar.
pub const CRITICAL_H: f64 = 4.0;

/// Draws one frame; returns the link arrows drawn, as JSON for tests and tools: each
/// arrow's vertical segment (`x`, from `y1` to `y2`, CSS pixels).
fn draw(f: &CanvasFrame, state: &ViewState, scene: &Scene) -> String {
    let Scene { rows, matches, skew, scroll_top, window, selected, hovered, critical_path } =
        *scene;
    let (ctx, width, height) = (&f.ctx, f.width, f.height);
    let Palette { fg, muted, line, sel, hover, error, highlight, .. } = f.palette;
    let analysis = state.analysis.get_value();
    let mut arrows: Vec<String> = Vec::new();
    state.trace.with_value(|t| {
        // With skew adjustment on, bars use adjusted starts (and the adjusted trace bounds).
        let start_of =
            |i: u32| skew.map(|a| a.start_ns[i as usize]).unwrap_or(t.spans[i as usize].start_ns);
        let (trace_start, trace_end) = skew
            .map(|a| (a.trace_start_ns, a.trace_end_ns))
            .unwrap_or((t.stats.start_ns, t.stats.end_ns));
        let scale = TimeScale {
            trace_start,
            trace_duration: trace_end - trace_start,
            window,
            x0: LABEL_W + 8.0,
            width: (width - LABEL_W - 16.0).max(10.0),
        };
        ctx.set_font("12px system-ui, -apple-system, 'Segoe UI', sans-serif");
        ctx.set_text_baseline("middle");

        // Grid and axis.
        let (a, b) = scale.visible_ns();
        let ticks = axis::ticks(a, b, ((scale.width / 110.0) as usize).max(2));
        ctx.set_fill_style_str(line);
        for tick in &ticks {
            let x = scale.x0 + (tick.at_ns - a) / (b - a) * scale.width;
            ctx.fill_rect(x.floor(), 0.0, 1.0, height);
        }
        ctx.fill_rect(0.0, AXIS_H - 1.0, width, 1.0);
        ctx.fill_rect(LABEL_W, 0.0, 1.0, height);
        ctx.set_fill_style_str(muted);
        for tick in &ticks {
            let x = scale.x0 + (tick.at_ns - a) / (b - a) * scale.width;
            let label_w = ctx.measure_text(&tick.label).map(|m| m.width()).unwrap_or(40.0);
            let lx = if x + 3.0 + label_w > width { x - 3.0 - label_w } else { x + 3.0 };
            let _ = ctx.fill_text(&tick.label, lx, AXIS_H / 2.0);
        }
        let _ = ctx.fill_text("Service  ·  Operation", 8.0, AXIS_H / 2.0);

        // Rows on screen only.
        let first = (scroll_top / ROW_H).floor().max(0.0) as usize;
        let count = ((height - AXIS_H) / ROW_H).ceil() as usize + 1;
        let visible = rows.visible();
        ctx.save();
        ctx.begin_path();
        ctx.rect(0.0, AXIS_H, width, height - AXIS_H);
        ctx.clip();
        for (row, &i) in visible.iter().enumerate().skip(first).take(count) {
            let y = AXIS_H + row as f64 * ROW_H - scroll_top;
            let s = &t.spans[i as usize];
            if selected == Some(i) || hovered == Some(i) {
                ctx.set_fill_style_str(if selected == Some(i) { sel } else { hover });
                ctx.fill_rect(0.0, y, width, ROW_H);
            }
            if matches.get(i as usize).copied().unwrap_or(false) {
                ctx.set_fill_style_str(highlight);
                ctx.fill_rect(0.0, y + 1.0, LABEL_W, ROW_H - 2.0);
            }
            // Links: this span links to another of the trace, or another links to it.
            if analysis.has_link[i as usize] {
                ctx.set_fill_style_str(&f.palette.accent);
                ctx.fill_rect(LABEL_W - 9.0, y + ROW_H / 2.0 - 2.5, 5.0, 5.0);
            }
            // The error path: from the root down to each failed span.
            if analysis.on_error_path[i as usize] {
                ctx.set_fill_style_str(error);
                ctx.fill_rect(0.0, y + 1.0, 3.0, ROW_H - 2.0);
            }
            let colour = css(state.colour_of(s.service));
            let indent = indent_of(s.depth);
            let mid = y + ROW_H / 2.0;
            // Connector to the parent's column.
            if s.parent != NO_SPAN {
                ctx.set_fill_style_str(line);
                ctx.fill_rect(indent - INDENT / 2.0 + 4.0, y, 1.0, ROW_H / 2.0);
                ctx.fill_rect(indent - INDENT / 2.0 + 4.0, mid, INDENT / 2.0, 1.0);
            }
            let tx = 4.0 + indent;
            if rows.descendants(i) > 0 {
                ctx.set_fill_style_str(muted);
                let _ = ctx.fill_text(if rows.is_collapsed(i) { "▸" } else { "▾" }, tx, mid);
            }
            ctx.set_fill_style_str(&colour);
            ctx.fill_rect(tx + TOGGLE_W, y + 5.0, 4.0, ROW_H - 10.0);
            let label_x = tx + TOGGLE_W + 9.0;
            let service = t.str(s.service);
            ctx.set_fill_style_str(muted);
            let service_w = ctx.measure_text(service).map(|m| m.width()).unwrap_or(60.0).min(120.0);
            fill_text_clipped(ctx, service, label_x, mid, service_w);
            ctx.set_fill_style_str(if s.is_error() { error } else { fg });
            let op_x = label_x + service_w + 6.0;
            fill_text_clipped(ctx, t.str(s.name), op_x, mid, LABEL_W - op_x - 6.0);

            // The bar, its events, and its duration, clipped to the timeline.
            if !s.flags.has(SpanFlags::MISSING_TIME) {
                ctx.save();
                ctx.begin_path();
                ctx.rect(LABEL_W + 1.0, y, width - LABEL_W - 1.0, ROW_H);
                ctx.clip();
                let shift = start_of(i) - s.start_ns;
                let (x, w) = scale.bar(s.start_ns + shift, s.duration_ns);
                ctx.set_fill_style_str(&colour);
                ctx.fill_rect(x, y + BAR_TOP, w, ROW_H - 2.0 * BAR_TOP);
                if s.is_error() {
                    ctx.set_fill_style_str(error);
                    ctx.fill_rect(x, y + ROW_H - 6.0, w, 2.0);
                }
                if critical_path {
                    // A collapsed row holds its subtree's part of the path, which tiles
                    // the extent the walk entered it for.
                    ctx.set_fill_style_str(fg);
                    let band = |a: i64, b: i64| {
                        let (cx, cw) = scale.bar(a + shift, b - a);
                        ctx.fill_rect(cx, mid - CRITICAL_H / 2.0, cw, CRITICAL_H);
                    };
                    if rows.is_collapsed(i) && rows.descendants(i) > 0 {
                        let (a, b) = analysis.critical_extent[i as usize];
                        if b > a {
                            band(a, b);
                        }
                    } else {
                        for sec in analysis.sections_of(i) {
                            band(sec.start_ns, sec.end_ns);
                        }
                    }
                }
                ctx.set_fill_style_str(fg);
                for e in t.span_events(s) {
                    ctx.fill_rect(scale.x_of(e.time_ns + shift).floor(), y + 3.0, 1.5, ROW_H - 6.0);
                }
                // Duration after the bar; inside it when the bar reaches the edge; else before.
                let label = format_duration_ns(s.duration_ns);
                let label_w = ctx.measure_text(&label).map(|m| m.width()).unwrap_or(50.0);
                if x + w + label_w + 8.0 < width {
                    ctx.set_fill_style_str(muted);
                    let _ = ctx.fill_text(&label, x + w + 4.0, mid);
                } else if x + w - scale.x0.max(x) > label_w + 12.0 {
                    ctx.set_fill_style_str("#ffffff");
                    let _ = ctx.fill_text(&label, x + w - label_w - 6.0, mid);
                } else if x - label_w - 6.0 > LABEL_W {
                    ctx.set_fill_style_str(muted);
                    let _ = ctx.fill_text(&label, x - label_w - 4.0, mid);
                }
                ctx.restore();
            }
        }
        // The selected span's links, as arrows from the linked span's bar end to the
        // linking span's bar start (Perfetto's flow arrows), when both rows are shown.
        if let Some(sel) = selected {
            ctx.set_stroke_style_str(&f.palette.accent);
            ctx.set_fill_style_str(&f.palette.accent);
            ctx.set_line_width(2.0);
            for &(from, to) in analysis.links.iter().filter(|(a, b)| *a == sel || *b == sel) {
                let (Some(rf), Some(rt)) = (rows.row_of(from), rows.row_of(to)) else { continue };
                let row_mid = |r: usize| AXIS_H + r as f64 * ROW_H - scroll_top + ROW_H / 2.0;
                let bar = |i: u32| {
                    let s = &t.spans[i as usize];
                    scale.bar(start_of(i), s.duration_ns)
                };
                let (fx, fw) = bar(from);
                let (tx, _) = bar(to);
                let (y1, y2) = (row_mid(rf), row_mid(rt));
                // An elbow: out of the source, down (or up) just left of the target, in.
                let vx = (tx - ARROW_GAP).max(LABEL_W + 2.0).floor() + 1.0;
                ctx.begin_path();
                ctx.move_to(fx + fw, y1);
                ctx.line_to(vx, y1);
                ctx.line_to(vx, y2);
                ctx.line_to(tx, y2);
                ctx.stroke();
                ctx.begin_path();
                ctx.move_to(tx, y2);
                ctx.line_to(tx - 6.0, y2 - 4.0);
                ctx.line_to(tx - 6.0, y2 + 4.0);
                ctx.close_path();
                ctx.fill();
                arrows.push(format!(r#"{{"x":{vx},"y1":{y1},"y2":{y2}}}"#));
            }
        }
        ctx.restore();
    });
    format!("[{}]", arrows.join(","))
}

/// How far left of the linking span's bar a link arrow turns toward it.
pub const ARROW_GAP: f64 = 8.0;
