//! The compare view: two loaded traces on one merged tree of call paths (`core::analysis::
//! compare::TraceDiff`). Each row shows a path's counts in A and B, both as bars on one
//! relative time axis, and the change of total and self time; the rows sort by biggest
//! regression and filter to what changed. A differential flame graph shows B's time with
//! colour from the change against A.

pub mod flame;

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::analysis::compare::{Change, DiffOrder, TraceDiff};
use spanscope_core::format::{format_delta_ns, format_duration_ns};
use spanscope_core::model::NO_SPAN;
use spanscope_core::view::palette::css;

use crate::load::LoadedTrace;
use crate::route::{Nav, Route};
use crate::virtual_rows::{row_top, VirtualRows};
use crate::workspace::Workspace;

/// Row height in CSS pixels (the stylesheet's `.compare-row` matches).
const ROW_PX: f64 = 26.0;
/// Indentation per depth in the tree order, capped so deep paths keep their names.
const INDENT_PX: u32 = 12;
const MAX_INDENT_DEPTH: u32 = 24;

/// What the view shows, beside the diff itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Table,
    Flame,
}

/// The class that colours a change: slower, faster, added, removed, or nothing.
fn change_class(change: Change, delta_ns: i64) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Same => "",
        Change::Changed if delta_ns > 0 => "slower",
        Change::Changed if delta_ns < 0 => "faster",
        Change::Changed => "",
    }
}

#[component]
pub fn CompareView(
    a: usize,
    b: usize,
    loaded_a: LoadedTrace,
    loaded_b: LoadedTrace,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let nav = expect_context::<Nav>();
    let diff = StoredValue::new(Arc::new(TraceDiff::of(&loaded_a.trace, &loaded_b.trace)));
    let (trace_a, trace_b) = (loaded_a.trace.clone(), loaded_b.trace.clone());
    let order = RwSignal::new(DiffOrder::Tree);
    let changed_only = RwSignal::new(false);
    let mode = RwSignal::new(Mode::Table);
    // The shown view is rebuilt when the mode changes, so the same mode again is no change.
    let switch = move |m: Mode| {
        if mode.get_untracked() != m {
            mode.set(m);
        }
    };
    let listed = Memo::new(move |_| {
        let (o, only) = (order.get(), changed_only.get());
        Arc::new(diff.with_value(|d| d.listed(o, only)))
    });
    // One time axis for both: each trace from its own start, up to the longer one.
    let axis_ns = loaded_a.trace.duration_ns().max(loaded_b.trace.duration_ns()).max(1) as f64;
    let counts = diff.with_value(|d| {
        let mut c = [0usize; 4];
        for &k in &d.order {
            c[d.change(k) as usize] += 1;
        }
        c
    });
    Effect::new(move |_| {
        listed.track();
        crate::perf::mark_view_rendered("compare");
    });
    // A link reproduces the comparison when both traces came from URLs or from one backend;
    // otherwise the link keeps nothing of the trace shown before.
    let link = crate::url_state::compare_params(&loaded_a.source, &loaded_b.source);
    crate::url_state::replace_params(&link.unwrap_or_default());
    let open = move |side_b: bool, node: u32| {
        let (index, trace) = if side_b { (b, &trace_b) } else { (a, &trace_a) };
        let first = diff.with_value(|d| {
            let stats = if side_b { &d.b } else { &d.a };
            stats[node as usize].first_span
        });
        if first != NO_SPAN {
            ws.open_span_at(index, trace.spans[first as usize].span_id);
        }
    };
    let open = StoredValue::new(open);
    // A row's tooltip: both sides' numbers, built when the pointer enters (not per scroll).
    // One listener for every row (a listener per row made each scroll's new rows dearer).
    let describe = move |ev: leptos::ev::MouseEvent| {
        let target =
            ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
        let Some(row) = target.and_then(|e| e.closest(".compare-row").ok().flatten()) else {
            return;
        };
        let Some(k) = row.get_attribute("data-node").and_then(|n| n.parse::<u32>().ok()) else {
            return;
        };
        if row.has_attribute("title") {
            return;
        }
        let text = diff.with_value(|d| {
            let side = |s: &spanscope_core::analysis::compare::PathStats| {
                format!(
                    "{} span(s), total {}, self {}, {} error(s)",
                    s.count,
                    format_duration_ns(s.total_ns),
                    format_duration_ns(s.self_ns),
                    s.errors
                )
            };
            format!("A: {}\nB: {}", side(&d.a[k as usize]), side(&d.b[k as usize]))
        });
        let _ = row.set_attribute("title", &text);
    };
    // A slot's row is rebuilt whole when the slot shows another path: one reactive closure
    // per slot instead of one per cell keeps the wasm small and a scroll's work flat.
    let row_view = move |row: usize, k: u32| {
        let cells = diff.with_value(|d| {
            let (sa, sb) = (&d.a[k as usize], &d.b[k as usize]);
            let change = d.change(k);
            let depth = d.paths.nodes[k as usize].depth;
            let bar = |s: &spanscope_core::analysis::compare::PathStats| {
                if s.count == 0 {
                    return "display: none".to_string();
                }
                let left = s.start_ns as f64 / axis_ns * 100.0;
                let width = ((s.end_ns - s.start_ns) as f64 / axis_ns * 100.0).max(0.2);
                format!(
                    "left: {}%; width: {}%",
                    spanscope_core::format::fixed(left, 3),
                    spanscope_core::format::fixed(width, 3)
                )
            };
            let indent = if order.get_untracked() == DiffOrder::Tree {
                depth.min(MAX_INDENT_DEPTH) * INDENT_PX
            } else {
                0
            };
            RowCells {
                path_style: format!("padding-left: {indent}px"),
                swatch: format!(
                    "background: {}",
                    css(ws.colours.with_value(|c| c.colour(d.paths.service(k))))
                ),
                name: format!("{}: {}", d.paths.service(k), d.paths.operation(k)),
                counts: format!("{} / {}", sa.count, sb.count),
                bar_a: bar(sa),
                bar_b: bar(sb),
                delta_total: format_delta_ns(d.delta_total_ns(k)),
                delta_self: format_delta_ns(d.delta_self_ns(k)),
                total_class: format!("delta {}", change_class(change, d.delta_total_ns(k))),
                self_class: format!("delta {}", change_class(change, d.delta_self_ns(k))),
                change: change.name(),
                has_a: sa.count > 0,
                has_b: sb.count > 0,
            }
        });
        view! {
            <div class="compare-row" data-testid="compare-row" style=row_top(row, ROW_PX) data-node=k data-change=cells.change>
                <span class="path" style=cells.path_style><i class="swatch" style=cells.swatch></i>{cells.name}</span>
                <span class="counts">{cells.counts}</span>
                <span class="bars"><i class="bar a" style=cells.bar_a></i><i class="bar b" style=cells.bar_b></i></span>
                <span class=cells.total_class data-testid="compare-delta-total">{cells.delta_total}</span>
                <span class=cells.self_class data-testid="compare-delta-self">{cells.delta_self}</span>
                <span class="open">
                    <button class="small" data-testid="compare-open-a" title="Open this call's first span in trace A"
                        disabled=!cells.has_a on:click=move |_| open.with_value(|o| o(false, k))>"A"</button>
                    <button class="small" data-testid="compare-open-b" title="Open this call's first span in trace B"
                        disabled=!cells.has_b on:click=move |_| open.with_value(|o| o(true, k))>"B"</button>
                </span>
            </div>
        }
    };
    let row = move |at: Memo<Option<usize>>| {
        (move || {
            let row = at.get()?;
            let k = listed.with(|l| l.get(row).copied())?;
            Some(row_view(row, k))
        })
        .into_any()
    };
    let side = |label: &'static str, t: &LoadedTrace| {
        let s = &t.summary;
        format!(
            "{label}: {}: {} · {} · {} spans · {}",
            s.root_service_name,
            s.root_span_name,
            s.trace_id,
            s.span_count,
            spanscope_core::format::format_duration_us(s.duration_micros)
        )
    };
    let (label_a, label_b) = (side("A", &loaded_a), side("B", &loaded_b));
    let count = Signal::derive(move || listed.with(|l| l.len()));
    let summary = format!(
        "{} changed · {} added · {} removed · {} the same",
        counts[Change::Changed as usize],
        counts[Change::Added as usize],
        counts[Change::Removed as usize],
        counts[Change::Same as usize]
    );
    view! {
        <section class="compare-view" data-testid="compare-view" data-rows=count on:mouseover=describe>
            <h2>"Compare traces"</h2>
            <p class="compare-sides"><span class="side a">{label_a}</span><br/><span class="side b">{label_b}</span></p>
            <div class="toolbar">
                <button class="small" data-testid="compare-swap" title="Make B the baseline side"
                    on:click=move |_| nav.go(Route::Compare { a: b, b: a })>"Swap A and B"</button>
                <label>"Order "
                    <select data-testid="compare-order" on:change=move |ev| order.set(if event_target_value(&ev) == "regression" { DiffOrder::Regression } else { DiffOrder::Tree })>
                        <option value="tree">"Call tree"</option>
                        <option value="regression">"Biggest regression first"</option>
                    </select>
                </label>
                <label><input type="checkbox" data-testid="compare-changed-only" on:change=move |ev| changed_only.set(event_target_checked(&ev))/>" Changed only"</label>
                <span class="tabs">
                    <button class="tab" class:active=move || mode.get() == Mode::Table on:click=move |_| switch(Mode::Table)>"Call paths"</button>
                    <button class="tab" data-testid="compare-flame-tab" class:active=move || mode.get() == Mode::Flame on:click=move |_| switch(Mode::Flame)>"Differential flame graph"</button>
                </span>
                <span class="muted" data-testid="compare-summary">{summary}</span>
            </div>
            // One view at a time, rebuilt when the mode changes.
            {move || match mode.get() {
                Mode::Table => view! {
                    <div class="compare-head compare-cols">
                        <span>"Call path"</span><span>"Spans A / B"</span>
                        <span>"A (upper) and B on one time axis"</span><span>"Δ total"</span><span>"Δ self"</span><span>"Open"</span>
                    </div>
                    <VirtualRows count=count row_px=ROW_PX scroll_class="compare-scroll" testid="compare-rows" row=Arc::new(row)/>
                }.into_any(),
                Mode::Flame => view! {
                    <flame::DiffFlame diff=diff sides=flame::TWO_TRACES on_open=Callback::new(move |node| open.with_value(|o| o(true, node)))/>
                }.into_any(),
            }}
        </section>
    }
}

/// The text and styles of one row.
struct RowCells {
    path_style: String,
    swatch: String,
    name: String,
    counts: String,
    bar_a: String,
    bar_b: String,
    delta_total: String,
    delta_self: String,
    total_class: String,
    self_class: String,
    change: &'static str,
    has_a: bool,
    has_b: bool,
}
