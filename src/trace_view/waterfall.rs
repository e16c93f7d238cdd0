//! The waterfall: one row per visible span, drawn on one canvas. Only the rows on screen are
//! drawn, so scrolling a million-span trace costs the same as a small one. The hot path calls
//! the 2D context directly (a few calls per row): plotters' per-element overhead would
//! dominate at this call count.

use leptos::prelude::*;
use spanscope_core::analysis::{SiblingGroup, TraceAnalysis};
use spanscope_core::format::format_duration_ns;
use spanscope_core::model::{SpanFlags, NO_SPAN};
use spanscope_core::view::axis;
use spanscope_core::view::palette::css;
use spanscope_core::view::rows::{Row, RowModel};
use spanscope_core::view::skew::Adjusted;
use spanscope_core::view::viewport::{TimeScale, Window};
use spanscope_core::Trace;

use super::ViewState;
use web_sys::CanvasRenderingContext2d;

use crate::canvas::{fill_text_clipped, CanvasFrame};
use crate::theme::Palette;

pub const ROW_H: f64 = 22.0;
pub const AXIS_H: f64 = 26.0;
pub const LABEL_W: f64 = 360.0;
/// Room at the end of the label column for a *vs typical* percentile.
const PERCENTILE_W: f64 = 44.0;
const INDENT: f64 = 14.0;
const TOGGLE_W: f64 = 14.0;

/// Where a point on the canvas falls.
enum Hit {
    Toggle(u32),
    Span(u32),
    /// A folded (or open) run of repeated calls: a click opens or folds it.
    Group(u32),
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
    let span = match rows.get(row) {
        Some(Row::Span(span)) => span,
        Some(Row::Group(g)) => return Hit::Group(g),
        None => return Hit::Nothing,
    };
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

    let row_count = move || state.viewport.rows.with(|r| r.len());
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
        let all_links = state.display.all_links.get();
        let typical = state.display.typical.get();
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
                    all_links,
                    typical: typical.as_deref(),
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
            Hit::Group(g) => {
                state.trace.with_value(|t| state.viewport.rows.update(|r| r.toggle_group(t, g)))
            }
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
            Hit::Group(_) | Hit::Nothing => None,
        };
        if state.selection.hovered.get_untracked() != span {
            state.selection.hovered.set(span);
        }
        let text = state.trace.with_value(|t| match target {
            Hit::Toggle(i) | Hit::Span(i) => {
                let s = &t.spans[i as usize];
                let offset = format_duration_ns(s.start_ns - t.stats.start_ns);
                let duration = format_duration_ns(s.duration_ns);
                let error = if s.is_error() { " · error" } else { "" };
                Some(format!(
                    "{} · {}\n{duration} starting at +{offset}{error}",
                    t.str(s.service),
                    t.str(s.name)
                ))
            }
            Hit::Group(g) => {
                state.viewport.rows.with_untracked(|r| r.group(g).map(|g| group_tip(t, g)))
            }
            Hit::Nothing => None,
        });
        tip.set(text.map(|text| (ev.client_x() as f64, ev.client_y() as f64, text)));
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
    /// Arrows for every link on screen, not only the selected span's.
    all_links: bool,
    /// Each span's call-path percentile against the typical traces (*vs typical*).
    typical: Option<&'a super::typical::Typical>,
}

/// A bar's distance from its row's top (and bottom).
pub const BAR_TOP: f64 = 4.0;
/// Height of the critical-path band across the middle of a bar.
pub const CRITICAL_H: f64 = 4.0;

/// Draws one frame; returns the link arrows drawn, as JSON for tests and tools: each
/// arrow's vertical segment (`x`, from `y1` to `y2`, CSS pixels).
fn draw(f: &CanvasFrame, state: &ViewState, scene: &Scene) -> String {
    let Scene { rows, skew, scroll_top, window, selected, .. } = *scene;
    let (ctx, width, height) = (&f.ctx, f.width, f.height);
    let Palette { muted, line, .. } = f.palette;
    let analysis = state.analysis.get_value();
    let mut arrows: Vec<String> = Vec::new();
    state.trace.with_value(|t| {
        // With skew adjustment on, bars use adjusted starts (and the adjusted trace bounds).
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
        ctx.save();
        ctx.begin_path();
        ctx.rect(0.0, AXIS_H, width, height - AXIS_H);
        ctx.clip();
        let painter = RowPainter { f, state, t, analysis: &analysis, scene, scale: &scale };
        for (row, r) in rows.iter().enumerate().skip(first).take(count) {
            let y = AXIS_H + row as f64 * ROW_H - scroll_top;
            let shown = rows.positions(row);
            let hidden = match r {
                Row::Span(i) => {
                    painter.span_row(i, y);
                    if let Some(rating) = scene.typical.and_then(|typ| typ.rating(t, i)) {
                        painter.percentile(rating, y);
                    }
                    shown.start + 1..shown.end
                }
                Row::Group(g) => {
                    if let Some(group) = rows.group(g) {
                        painter.group_row(g, group, y, shown.clone());
                    }
                    shown
                }
            };
            // A span the row hides (below a collapsed span, in a folded group) has links.
            if analysis.links_within(hidden) {
                ctx.set_stroke_style_str(&f.palette.accent);
                ctx.set_line_width(1.0);
                ctx.stroke_rect(LABEL_W - 8.5, y + ROW_H / 2.0 - 2.0, 4.0, 4.0);
            }
        }
        // Links as arrows from the linked span's bar end to the linking span's bar start
        // (Perfetto's flow arrows): the selected span's, or with "all links" every one that
        // crosses the rows on screen (at most MAX_ARROWS a frame).
        if selected.is_some() || scene.all_links {
            ctx.set_stroke_style_str(&f.palette.accent);
            ctx.set_fill_style_str(&f.palette.accent);
            ctx.set_line_width(2.0);
            let wanted = |&&(a, b): &&(u32, u32)| {
                scene.all_links || selected == Some(a) || selected == Some(b)
            };
            for &(from, to) in analysis.links.iter().filter(wanted) {
                if arrows.len() >= MAX_ARROWS {
                    break;
                }
                // A span hidden in a collapsed row or a folded group: the arrow ends at that row.
                let (Some(rf), Some(rt)) = (rows.row_showing(from), rows.row_showing(to)) else {
                    continue;
                };
                if rf == rt || rf.max(rt) < first || rf.min(rt) > first + count {
                    continue;
                }
                let row_mid = |r: usize| AXIS_H + r as f64 * ROW_H - scroll_top + ROW_H / 2.0;
                let bar = |i: u32| {
                    let s = &t.spans[i as usize];
                    scale.bar(s.start_ns + painter.shift(i), s.duration_ns)
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

/// Arrows drawn in one frame at the most: beyond that they are a solid block, not a picture.
const MAX_ARROWS: usize = 500;

/// How far left of the linking span's bar a link arrow turns toward it.
pub const ARROW_GAP: f64 = 8.0;

/// Draws one row of the waterfall: a span, or a group of repeated calls.
struct RowPainter<'a> {
    f: &'a CanvasFrame<'a>,
    state: &'a ViewState,
    t: &'a Trace,
    analysis: &'a TraceAnalysis,
    scene: &'a Scene<'a>,
    scale: &'a TimeScale,
}

impl RowPainter<'_> {
    fn ctx(&self) -> &CanvasRenderingContext2d {
        &self.f.ctx
    }

    /// How far the span's bar is moved by the clock-skew adjustment.
    fn shift(&self, i: u32) -> i64 {
        self.scene
            .skew
            .map(|a| a.start_ns[i as usize] - self.t.spans[i as usize].start_ns)
            .unwrap_or(0)
    }

    /// The tree connector, the triangle, the service colour chip and the two labels.
    fn label(&self, y: f64, depth: u32, has_parent: bool, open: Option<bool>, colour: &str) -> f64 {
        let (ctx, p) = (self.ctx(), &self.f.palette);
        let indent = indent_of(depth);
        let mid = y + ROW_H / 2.0;
        if has_parent {
            ctx.set_fill_style_str(&p.line);
            ctx.fill_rect(indent - INDENT / 2.0 + 4.0, y, 1.0, ROW_H / 2.0);
            ctx.fill_rect(indent - INDENT / 2.0 + 4.0, mid, INDENT / 2.0, 1.0);
        }
        let tx = 4.0 + indent;
        if let Some(open) = open {
            ctx.set_fill_style_str(&p.muted);
            let _ = ctx.fill_text(if open { "▾" } else { "▸" }, tx, mid);
        }
        ctx.set_fill_style_str(colour);
        ctx.fill_rect(tx + TOGGLE_W, y + 5.0, 4.0, ROW_H - 10.0);
        tx + TOGGLE_W + 9.0
    }

    /// The service (muted, at most 120 px) and then the operation, up to the timeline.
    fn names(&self, x: f64, mid: f64, service: &str, operation: &str, failed: bool) {
        let (ctx, p) = (self.ctx(), &self.f.palette);
        ctx.set_fill_style_str(&p.muted);
        let service_w = ctx.measure_text(service).map(|m| m.width()).unwrap_or(60.0).min(120.0);
        fill_text_clipped(ctx, service, x, mid, service_w);
        ctx.set_fill_style_str(if failed { &p.error } else { &p.fg });
        let op_x = x + service_w + 6.0;
        fill_text_clipped(ctx, operation, op_x, mid, LABEL_W - op_x - 6.0);
    }

    /// A call path's percentile against the typical traces, at the end of the label column
    /// (over the name's end); above the baseline's p90 in the error colour with a bar.
    fn percentile(&self, (percentile, above): (f32, bool), y: f64) {
        let (ctx, p) = (self.ctx(), &self.f.palette);
        let x = LABEL_W - PERCENTILE_W;
        ctx.set_fill_style_str(&p.bg);
        ctx.fill_rect(x, y + 2.0, PERCENTILE_W - 10.0, ROW_H - 4.0);
        ctx.set_fill_style_str(if above { &p.error } else { &p.muted });
        if above {
            ctx.fill_rect(LABEL_W - 4.0, y + 2.0, 3.0, ROW_H - 4.0);
        }
        let _ = ctx.fill_text(
            &format!("p{}", spanscope_core::format::fixed(percentile.into(), 0)),
            x + 2.0,
            y + ROW_H / 2.0,
        );
    }

    /// Clips drawing to the row's part of the timeline until `restore`.
    fn clip_to_timeline(&self, y: f64) {
        let ctx = self.ctx();
        ctx.save();
        ctx.begin_path();
        ctx.rect(LABEL_W + 1.0, y, self.f.width - LABEL_W - 1.0, ROW_H);
        ctx.clip();
    }

    /// A text after the bar; inside it when the bar reaches the edge; else before it.
    fn bar_label(&self, label: &str, x: f64, w: f64, mid: f64) {
        let (ctx, p) = (self.ctx(), &self.f.palette);
        let label_w = ctx.measure_text(label).map(|m| m.width()).unwrap_or(50.0);
        if x + w + label_w + 8.0 < self.f.width {
            ctx.set_fill_style_str(&p.muted);
            let _ = ctx.fill_text(label, x + w + 4.0, mid);
        } else if x + w - self.scale.x0.max(x) > label_w + 12.0 {
            ctx.set_fill_style_str("#ffffff");
            let _ = ctx.fill_text(label, x + w - label_w - 6.0, mid);
        } else if x - label_w - 6.0 > LABEL_W {
            ctx.set_fill_style_str(&p.muted);
            let _ = ctx.fill_text(label, x - label_w - 4.0, mid);
        }
    }

    /// A critical-path band across the middle of the row.
    fn critical_band(&self, mid: f64, a: i64, b: i64) {
        let (cx, cw) = self.scale.bar(a, b - a);
        self.ctx().fill_rect(cx, mid - CRITICAL_H / 2.0, cw, CRITICAL_H);
    }

    fn span_row(&self, i: u32, y: f64) {
        let (ctx, p, t, a) = (self.ctx(), &self.f.palette, self.t, self.analysis);
        let scene = self.scene;
        let rows = scene.rows;
        let s = &t.spans[i as usize];
        if scene.selected == Some(i) || scene.hovered == Some(i) {
            ctx.set_fill_style_str(if scene.selected == Some(i) { &p.sel } else { &p.hover });
            ctx.fill_rect(0.0, y, self.f.width, ROW_H);
        }
        if scene.matches.get(i as usize).copied().unwrap_or(false) {
            ctx.set_fill_style_str(&p.highlight);
            ctx.fill_rect(0.0, y + 1.0, LABEL_W, ROW_H - 2.0);
        }
        // Links: this span links to another of the trace, or another links to it.
        if a.has_link[i as usize] {
            ctx.set_fill_style_str(&p.accent);
            ctx.fill_rect(LABEL_W - 9.0, y + ROW_H / 2.0 - 2.5, 5.0, 5.0);
        }
        // The error path: from the root down to each failed span.
        if a.on_error_path[i as usize] {
            ctx.set_fill_style_str(&p.error);
            ctx.fill_rect(0.0, y + 1.0, 3.0, ROW_H - 2.0);
        }
        let colour = css(self.state.colour_of(s.service));
        let collapsed = rows.is_collapsed(i);
        let open = (rows.descendants(i) > 0).then_some(!collapsed);
        let label_x = self.label(y, s.depth, s.parent != NO_SPAN, open, &colour);
        let mid = y + ROW_H / 2.0;
        self.names(label_x, mid, t.str(s.service), t.str(s.name), s.is_error());

        // The bar, its events, and its duration, clipped to the timeline.
        if s.flags.has(SpanFlags::MISSING_TIME) {
            return;
        }
        self.clip_to_timeline(y);
        let shift = self.shift(i);
        let (x, w) = self.scale.bar(s.start_ns + shift, s.duration_ns);
        ctx.set_fill_style_str(&colour);
        ctx.fill_rect(x, y + BAR_TOP, w, ROW_H - 2.0 * BAR_TOP);
        if s.is_error() {
            ctx.set_fill_style_str(&p.error);
            ctx.fill_rect(x, y + ROW_H - 6.0, w, 2.0);
        }
        if scene.critical_path {
            // A collapsed row holds its subtree's part of the path, which tiles the extent
            // the walk entered it for.
            ctx.set_fill_style_str(&p.fg);
            if open == Some(false) {
                let (from, to) = a.critical_extent[i as usize];
                if to > from {
                    self.critical_band(mid, from + shift, to + shift);
                }
            } else {
                for sec in a.sections_of(i) {
                    self.critical_band(mid, sec.start_ns + shift, sec.end_ns + shift);
                }
            }
        }
        ctx.set_fill_style_str(&p.fg);
        for e in t.span_events(s) {
            ctx.fill_rect(self.scale.x_of(e.time_ns + shift).floor(), y + 3.0, 1.5, ROW_H - 6.0);
        }
        self.bar_label(&format_duration_ns(s.duration_ns), x, w, mid);
        ctx.restore();
    }

    /// A run of repeated calls: "× N service operation", the members' bars (adjacent ones
    /// merged per pixel, so a run of 100,000 costs at most a row's width of rectangles), the
    /// critical path through them, and count · avg (min–max) after the bar.
    fn group_row(&self, k: u32, g: &SiblingGroup, y: f64, positions: std::ops::Range<u32>) {
        let (ctx, p, t, a) = (self.ctx(), &self.f.palette, self.t, self.analysis);
        let rows = self.scene.rows;
        let members = rows.group_members(t, k);
        let Some(&first) = members.first() else { return };
        let s = &t.spans[first as usize];
        let colour = css(self.state.colour_of(g.service));
        let mid = y + ROW_H / 2.0;
        let folded = rows.is_folded(k);
        if a.error_path_within(positions) {
            ctx.set_fill_style_str(&p.error);
            ctx.fill_rect(0.0, y + 1.0, 3.0, ROW_H - 2.0);
        }
        let label_x = self.label(y, s.depth, s.parent != NO_SPAN, Some(!folded), &colour);
        ctx.set_fill_style_str(&p.fg);
        let count = format!("× {}", g.count());
        let _ = ctx.fill_text(&count, label_x, mid);
        let count_w = ctx.measure_text(&count).map(|m| m.width()).unwrap_or(30.0) + 6.0;
        self.names(label_x + count_w, mid, t.str(g.service), t.str(g.name), g.errors > 0);

        self.clip_to_timeline(y);
        let shift = self.shift(first);
        // The time the run covers, faint; each call on it.
        let (x, w) = self.scale.bar(g.start_ns + shift, g.end_ns - g.start_ns);
        ctx.set_fill_style_str(&p.line);
        ctx.fill_rect(x, y + BAR_TOP + 2.0, w, ROW_H - 2.0 * BAR_TOP - 4.0);
        let bars = |paint: &dyn Fn(f64, f64), span_of: &dyn Fn(u32) -> (i64, i64)| {
            let mut run: Option<(f64, f64)> = None;
            for &m in members {
                let (from, to) = span_of(m);
                if to <= from {
                    continue;
                }
                let (bx, bw) = self.scale.bar(from + shift, to - from);
                run = match run {
                    Some((rx, rend)) if bx <= rend + 0.5 => Some((rx, rend.max(bx + bw))),
                    Some((rx, rend)) => {
                        paint(rx, rend - rx);
                        Some((bx, bx + bw))
                    }
                    None => Some((bx, bx + bw)),
                };
            }
            if let Some((rx, rend)) = run {
                paint(rx, rend - rx);
            }
        };
        ctx.set_fill_style_str(&colour);
        bars(&|bx, bw| ctx.fill_rect(bx, y + BAR_TOP, bw, ROW_H - 2.0 * BAR_TOP), &|m| {
            let m = &t.spans[m as usize];
            (m.start_ns, m.end_ns())
        });
        if self.scene.critical_path {
            ctx.set_fill_style_str(&p.fg);
            bars(&|bx, bw| ctx.fill_rect(bx, mid - CRITICAL_H / 2.0, bw, CRITICAL_H), &|m| {
                a.critical_extent[m as usize]
            });
        }
        let label = format!(
            "{} calls · avg {} ({}–{})",
            g.count(),
            format_duration_ns(g.avg_ns),
            format_duration_ns(g.min_ns),
            format_duration_ns(g.max_ns)
        );
        self.bar_label(&label, x, w, mid);
        ctx.restore();
    }
}

/// The tooltip of a group row.
fn group_tip(t: &Trace, g: &SiblingGroup) -> String {
    let errors = match g.errors {
        0 => String::new(),
        1 => " · 1 error".to_string(),
        n => format!(" · {n} errors"),
    };
    format!(
        "× {} {} · {}\navg {}, min {}, max {} · from +{} to +{}{errors}",
        g.count(),
        t.str(g.service),
        t.str(g.name),
        format_duration_ns(g.avg_ns),
        format_duration_ns(g.min_ns),
        format_duration_ns(g.max_ns),
        format_duration_ns(g.start_ns - t.stats.start_ns),
        format_duration_ns(g.end_ns - t.stats.start_ns),
    )
}
