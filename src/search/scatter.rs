//! The results' scatter plot, drawn with plotters on a canvas: start time across, duration
//! up, dot size by span count, errors in red. Hover shows a trace, click opens it.

use std::sync::Arc;

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use spanscope_core::format::format_duration_ns;
use spanscope_core::view::scatter::{dot_radius, ScatterRange, ScatterScale};

use super::Found;
use crate::canvas::CanvasFrame;

#[component]
pub fn Scatter(
    found: Arc<Found>,
    on_open: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let scale = StoredValue::new(None::<ScatterScale>);
    let hover = RwSignal::new(None::<(usize, f64, f64)>);
    let points: Arc<Vec<(i64, i64, f64)>> = Arc::new(
        found.hits.iter().map(|h| (h.start_ns, h.duration_ns, dot_radius(h.span_count))).collect(),
    );
    {
        let found = found.clone();
        crate::canvas::host(canvas, move |f| {
            scale.set_value(draw(f, &found, hover.get().map(|h| h.0)));
        });
    }
    let hit = {
        let points = points.clone();
        move |ev: &leptos::ev::MouseEvent| -> Option<usize> {
            let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
            scale.get_value()?.hit(&points, x, y, 3.0)
        }
    };
    let hit_move = hit.clone();
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let h = hit_move(&ev).map(|i| (i, ev.client_x() as f64, ev.client_y() as f64));
        if h.map(|h| h.0) != hover.get_untracked().map(|h| h.0) || h.is_some() {
            hover.set(h);
        }
    };
    let ids: Vec<String> = found.hits.iter().map(|h| h.trace_id.clone()).collect();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(i) = hit(&ev) {
            on_open(ids[i].clone());
        }
    };
    let tip = move || {
        hover.get().map(|(i, x, y)| {
            let h = &found.hits[i];
            let text = format!(
                "{}: {}\n{} · {} span(s){}\n{}",
                h.root_service,
                h.root_operation,
                format_duration_ns(h.duration_ns),
                h.span_count,
                if h.error_count > 0 { format!(" · {} error(s)", h.error_count) } else { String::new() },
                spanscope_core::format::format_utc(h.start_ns)
            );
            view! { <div class="tooltip" data-testid="scatter-tooltip" style=format!("left:{}px;top:{}px;white-space:pre", x + 12.0, y + 12.0)>{text}</div> }
        })
    };
    view! {
        <canvas class="scatter" data-testid="scatter" node_ref=canvas on:mousemove=on_move on:mouseleave=move |_| hover.set(None) on:click=on_click
            style=move || if hover.get().is_some() { "cursor:pointer" } else { "" }></canvas>
        {tip}
    }
}

/// `#rrggbb` (what the theme variables hold) as a plotters colour.
fn rgb(css: &str, fallback: RGBColor) -> RGBColor {
    let hex = css.trim().trim_start_matches('#');
    if hex.len() != 6 {
        return fallback;
    }
    let part = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    match (part(0), part(2), part(4)) {
        (Some(r), Some(g), Some(b)) => RGBColor(r, g, b),
        _ => fallback,
    }
}

/// `HH:MM:SS` (UTC) of a Unix-nanosecond time, for the time axis.
fn clock(ns: i64) -> String {
    let s = ns.div_euclid(1_000_000_000).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

/// Draws the plot in device pixels (crisp on high-DPI screens) and returns where the plot
/// area is, in CSS pixels, for hit testing.
fn draw(f: &CanvasFrame, found: &Found, hover: Option<usize>) -> Option<ScatterScale> {
    let (canvas, colours, ratio) = (f.canvas, f.palette, f.ratio);
    // plotters works in backing-store pixels.
    f.ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).ok()?;
    let range = ScatterRange::of(found.hits.iter().map(|h| (h.start_ns, h.duration_ns)))?;
    let fg = rgb(&colours.fg, RGBColor(29, 36, 48));
    let line = rgb(&colours.line, RGBColor(217, 222, 229));
    let accent = rgb(&colours.accent, RGBColor(47, 111, 222));
    let error = rgb(&colours.error, RGBColor(198, 40, 40));
    let px = |v: f64| (v * ratio).round() as u32;
    let root = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    let font = FontDesc::new(FontFamily::SansSerif, 12.0 * ratio, FontStyle::Normal).color(&fg);
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .x_label_area_size(px(24.0))
        .y_label_area_size(px(64.0))
        .build_cartesian_2d(
            range.start_ns.0..range.start_ns.1,
            range.duration_ns.0..range.duration_ns.1,
        )
        .ok()?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|t| clock(*t))
        .y_label_formatter(&|d| format_duration_ns(*d))
        .label_style(font)
        .axis_style(line)
        .bold_line_style(line.mix(0.6))
        .light_line_style(line.mix(0.25))
        .draw()
        .ok()?;
    let dots = found.hits.iter().enumerate().map(|(i, h)| {
        let colour = if h.error_count > 0 { error } else { accent };
        let style = if hover == Some(i) { colour.filled() } else { colour.mix(0.55).filled() };
        Circle::new((h.start_ns, h.duration_ns), px(dot_radius(h.span_count)), style)
    });
    chart.draw_series(dots).ok()?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let css = |v: i32| v as f64 / ratio;
    Some(ScatterScale { range, area: (css(xs.start), css(xs.end), css(ys.start), css(ys.end)) })
}
