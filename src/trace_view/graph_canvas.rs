//! Drawing a laid-out service graph on a 2D canvas: edges batched by style and routed
//! through their waypoints, then nodes in service colours, faded around the focus.

use spanscope_graph::layout::Layout;
use spanscope_graph::{EdgeKind, ServiceGraph};
use web_sys::CanvasRenderingContext2d;

use crate::theme::Palette;

pub const NODE_W: f64 = 170.0;
pub const NODE_H: f64 = 34.0;
pub const MARGIN: f64 = 40.0;

/// How a batch of edges is stroked: (error level, kind, width, faded).
type EdgeStyle = (u8, EdgeKind, u8, bool);
/// An edge on screen: its ends and the waypoints between them.
struct EdgePath {
    start: (f64, f64),
    via: Vec<(f64, f64)>,
    end: (f64, f64),
}

#[derive(Clone, Copy, PartialEq)]
pub struct View {
    pub dx: f64,
    pub dy: f64,
    pub scale: f64,
}

/// Layout coordinates (node centres) to canvas pixels.
pub fn screen(view: View, (x, y): (f64, f64)) -> (f64, f64) {
    (
        MARGIN + (x + NODE_W / 2.0 + view.dx) * view.scale,
        MARGIN + (y + NODE_H / 2.0 + view.dy) * view.scale,
    )
}

/// The view that shows the whole graph, centred, never enlarged beyond 1:1.
pub fn fit(layout: &Layout, w: f64, h: f64) -> View {
    let (gw, gh) = (layout.width + NODE_W, layout.height + NODE_H);
    let scale = ((w - 2.0 * MARGIN) / gw).min((h - 2.0 * MARGIN) / gh).clamp(0.1, 1.0);
    let dx = (((w - 2.0 * MARGIN) / scale - gw) / 2.0).max(0.0);
    let dy = (((h - 2.0 * MARGIN) / scale - gh) / 2.0).max(0.0);
    View { dx, dy, scale }
}

pub fn node_at(layout: &Layout, view: View, px: f64, py: f64) -> Option<usize> {
    layout.positions.iter().position(|&p| {
        let (x, y) = screen(view, p);
        (px - x).abs() <= NODE_W * view.scale / 2.0 && (py - y).abs() <= NODE_H * view.scale / 2.0
    })
}

/// Where and how to draw: the prepared context (CSS pixels), its size, the view and theme.
pub struct Frame<'a> {
    pub ctx: &'a CanvasRenderingContext2d,
    pub width: f64,
    pub height: f64,
    pub view: View,
    pub theme: &'a Palette,
}

/// Draws `g` as laid out by `l`. `colours` are the nodes' fills (`None`: inferred, dashed);
/// `focus` (hovered or selected) fades all but its neighbours; `selected` gets a frame.
pub fn draw(
    frame: &Frame,
    g: &ServiceGraph,
    l: &Layout,
    colours: &[Option<String>],
    focus: Option<usize>,
    selected: Option<usize>,
) {
    draw_edges(frame, g, l, focus);
    // Neighbours of the focused node, computed once per frame (not per node).
    let neighbours: Option<Vec<bool>> = focus.map(|f| {
        let mut near = vec![false; g.nodes.len()];
        near[f] = true;
        for e in g.edges.iter().filter(|e| e.from == f || e.to == f) {
            near[e.from] = true;
            near[e.to] = true;
        }
        near
    });
    draw_nodes(
        frame,
        g,
        l,
        colours,
        |i| neighbours.as_ref().map(|n| n[i]).unwrap_or(true),
        selected,
    );
}

/// Whether a point is near enough the canvas to be drawn.
fn visible(frame: &Frame, (x, y): (f64, f64)) -> bool {
    x > -NODE_W && x < frame.width + NODE_W && y > -NODE_H && y < frame.height + NODE_H
}

fn draw_edges(frame: &Frame, g: &ServiceGraph, l: &Layout, focus: Option<usize>) {
    let Frame { ctx, view: v, theme, .. } = *frame;
    let Palette { fg, muted, error, .. } = theme;
    // Under the nodes. Off-screen edges are skipped, and edges are
    // batched into one path per (error level, kind, width, faded) so a 4,000-edge
    // graph costs a handful of strokes per frame; arrowheads and labels only when
    // zoomed in enough. Red deepens with the error rate; messaging is dashed, span
    // links dotted.
    let detailed = v.scale >= 0.45;
    let half = NODE_W * v.scale / 2.0;
    // An edge on screen: from the caller's right side, through its waypoints (a
    // level stretch across each skipped layer), into the callee's left side.
    // Built once per frame, for the strokes and the labels.
    let paths: Vec<Option<EdgePath>> = g
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (a, b) = (screen(v, l.positions[e.from]), screen(v, l.positions[e.to]));
            let via: Vec<(f64, f64)> = l
                .routes
                .get(i)
                .map(|r| r.iter().map(|&p| screen(v, p)).collect())
                .unwrap_or_default();
            let shown =
                visible(frame, a) || visible(frame, b) || via.iter().any(|&p| visible(frame, p));
            shown.then_some(EdgePath { start: (a.0 + half, a.1), via, end: (b.0 - half, b.1) })
        })
        .collect();
    // Edges batched by style, one stroke per style (sorted through the shared sort).
    let mut styled: Vec<(EdgeStyle, &EdgePath)> = Vec::new();
    for (e, path) in g.edges.iter().zip(&paths) {
        let Some(path) = path else { continue };
        let lit = focus.map(|f| e.from == f || e.to == f).unwrap_or(true);
        // Thinner when zoomed out: thick strokes cost most of a frame there and blur into
        // each other anyway.
        let width = ((1.0 + (e.calls as f64).ln()).clamp(1.0, 6.0) * v.scale.clamp(0.3, 1.0))
            .round()
            .max(1.0) as u8;
        styled.push(((e.error_level(), e.kind, width, !lit), path));
    }
    spanscope_core::sort::sort_by_key(&mut styled, |s| s.0);
    for batch in styled.chunk_by(|a, b| a.0 == b.0) {
        let (level, kind, width, faded) = &batch[0].0;
        let lines: Vec<&EdgePath> = batch.iter().map(|s| s.1).collect();
        let strength = [1.0, 0.45, 0.7, 1.0][*level as usize];
        ctx.set_global_alpha(strength * if *faded { 0.2 } else { 1.0 });
        let colour = if *level > 0 { error } else { muted };
        ctx.set_stroke_style_str(colour);
        ctx.set_fill_style_str(colour);
        ctx.set_line_width(*width as f64);
        let dash: &[f64] = match kind {
            EdgeKind::Call => &[],
            EdgeKind::Messaging => &[8.0, 4.0],
            EdgeKind::Link => &[2.0, 4.0],
        };
        let _ = ctx.set_line_dash(
            &dash.iter().map(|&d| wasm_bindgen::JsValue::from(d)).collect::<js_sys::Array>(),
        );
        ctx.begin_path();
        for path in &lines {
            let curve = |(x1, y1): (f64, f64), (x2, y2): (f64, f64)| {
                let mid = (x1 + x2) / 2.0;
                ctx.bezier_curve_to(mid, y1, mid, y2, x2, y2);
            };
            ctx.move_to(path.start.0, path.start.1);
            let mut at = path.start;
            for &(x, y) in &path.via {
                curve(at, (x - half, y));
                ctx.line_to(x + half, y);
                at = (x + half, y);
            }
            curve(at, path.end);
        }
        ctx.stroke();
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        if detailed {
            ctx.begin_path();
            for &&EdgePath { end: (x2, y2), .. } in &lines {
                ctx.move_to(x2, y2);
                ctx.line_to(x2 - 8.0, y2 - 4.0);
                ctx.line_to(x2 - 8.0, y2 + 4.0);
                ctx.close_path();
            }
            ctx.fill();
        }
    }
    if detailed {
        ctx.set_global_alpha(1.0);
        ctx.set_fill_style_str(fg);
        ctx.set_font("11px system-ui, sans-serif");
        // Above the curve, never on it.
        ctx.set_text_baseline("bottom");
        for (e, path) in g.edges.iter().zip(&paths) {
            let Some(path) = path else { continue };
            // Mid-way along the edge: its middle waypoint, or between its ends.
            let (x, y) = match path.via.get(path.via.len() / 2) {
                Some(&p) => p,
                None => ((path.start.0 + path.end.0) / 2.0, (path.start.1 + path.end.1) / 2.0),
            };
            let label = if e.errors > 0 {
                format!("{} ({} err)", e.calls, e.errors)
            } else {
                e.calls.to_string()
            };
            let _ = ctx.fill_text(&label, x - 6.0, y - 4.0);
        }
    }
    ctx.set_global_alpha(1.0);
}

/// Nodes over the edges; `lit(i)` is false for the nodes faded around the focus.
fn draw_nodes(
    frame: &Frame,
    g: &ServiceGraph,
    l: &Layout,
    colours: &[Option<String>],
    lit: impl Fn(usize) -> bool,
    selected: Option<usize>,
) {
    let Frame { ctx, view: v, theme, .. } = *frame;
    let Palette { fg, muted, bg, .. } = theme;
    ctx.set_line_width(1.0);
    ctx.set_text_baseline("middle");
    ctx.set_font("12px system-ui, sans-serif");
    for (i, n) in g.nodes.iter().enumerate() {
        let (x, y) = screen(v, l.positions[i]);
        if !visible(frame, (x, y)) {
            continue;
        }
        let (nw, nh) = (NODE_W * v.scale, NODE_H * v.scale);
        let lit = lit(i);
        ctx.set_global_alpha(if lit { 1.0 } else { 0.3 });
        // Opaque coloured boxes need no background; faded and inferred ones do.
        if !lit || colours[i].is_none() {
            ctx.set_fill_style_str(bg);
            ctx.fill_rect(x - nw / 2.0, y - nh / 2.0, nw, nh);
        }
        match &colours[i] {
            Some(c) => {
                ctx.set_fill_style_str(c);
                ctx.fill_rect(x - nw / 2.0, y - nh / 2.0, nw, nh);
            }
            None => {
                ctx.set_stroke_style_str(muted);
                let _ = ctx.set_line_dash(&js_sys::Array::of2(&4.0.into(), &3.0.into()));
                ctx.stroke_rect(x - nw / 2.0, y - nh / 2.0, nw, nh);
                let _ = ctx.set_line_dash(&js_sys::Array::new());
            }
        }
        if selected == Some(i) {
            ctx.set_stroke_style_str(fg);
            ctx.set_line_width(2.0);
            ctx.stroke_rect(x - nw / 2.0 - 2.0, y - nh / 2.0 - 2.0, nw + 4.0, nh + 4.0);
            ctx.set_line_width(1.0);
        }
        ctx.set_fill_style_str(if colours[i].is_some() { "#ffffff" } else { fg });
        if v.scale >= 0.3 {
            let errors = if n.errors > 0 { format!(" · {} err", n.errors) } else { String::new() };
            crate::canvas::fill_text_clipped(
                ctx,
                &format!("{}{errors}", n.name),
                x - nw / 2.0 + 6.0,
                y,
                nw - 12.0,
            );
        }
    }
    ctx.set_global_alpha(1.0);
}
