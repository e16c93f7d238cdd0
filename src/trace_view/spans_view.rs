//! The *Spans* tab: every span as a table row (service, operation, start, duration, self
//! time, status, span id), sorted by any column and narrowed by the find box. Only the rows
//! on screen exist in the DOM (`VirtualRows`), so a million spans scroll like ten; sorting works on an index
//! array with precomputed keys (names by their rank in alphabetical order).

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::format::format_duration_ns;
use spanscope_core::model::{StatusCode, Trace};

use super::ViewState;
use crate::route::TraceTab;
use crate::virtual_rows::{row_top, VirtualRows};

/// Row height in CSS pixels (the stylesheet's `.spans-row` matches).
const ROW_PX: f64 = 24.0;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Service,
    Operation,
    Start,
    Duration,
    SelfTime,
    Status,
    SpanId,
}

const COLUMNS: [(Column, &str, &str); 7] = [
    (Column::Service, "Service", "service"),
    (Column::Operation, "Operation", "operation"),
    (Column::Start, "Start", "start"),
    (Column::Duration, "Duration", "duration"),
    (Column::SelfTime, "Self time", "self"),
    (Column::Status, "Status", "status"),
    (Column::SpanId, "Span ID", "id"),
];

/// The rank of every interned string in alphabetical order, so names sort as integers.
fn name_ranks(t: &Trace) -> Vec<u32> {
    let mut syms: Vec<u32> = (0..t.strings.len() as u32).collect();
    spanscope_core::sort::sort_by(&mut syms, |&a, &b| {
        t.str(spanscope_core::intern::Sym(a)).cmp(t.str(spanscope_core::intern::Sym(b)))
    });
    let mut rank = vec![0u32; syms.len()];
    for (r, &s) in syms.iter().enumerate() {
        rank[s as usize] = r as u32;
    }
    rank
}

/// `rows` in the order of `column` (ties in trace order), reversed when `down`.
fn sorted(t: &Trace, self_ns: &[i64], ranks: &[u32], rows: &mut [u32], column: Column, down: bool) {
    // Signed times map onto u64 in order (flip the sign bit), so every key is a u64.
    let time = |ns: i64| (ns as u64) ^ (1 << 63);
    let key = |i: u32| -> u64 {
        let s = &t.spans[i as usize];
        match column {
            Column::Service => ranks[s.service.0 as usize] as u64,
            Column::Operation => ranks[s.name.0 as usize] as u64,
            Column::Start => time(s.start_ns),
            Column::Duration => time(s.duration_ns),
            Column::SelfTime => time(self_ns[i as usize]),
            Column::Status => match s.status {
                StatusCode::Error => 2,
                StatusCode::Ok => 1,
                StatusCode::Unset => 0,
            },
            Column::SpanId => s.span_id.0,
        }
    };
    // Keys first, so the sort compares plain integers; `!key` reverses the order, and equal
    // keys keep trace order either way.
    let mut keyed: Vec<(u64, u32)> =
        rows.iter().map(|&i| (if down { !key(i) } else { key(i) }, i)).collect();
    keyed.sort_unstable();
    for (slot, (_, i)) in rows.iter_mut().zip(keyed) {
        *slot = i;
    }
}

#[component]
pub fn SpansView(state: ViewState) -> impl IntoView {
    let nav = expect_context::<crate::route::Nav>();
    let sort = RwSignal::new((Column::Start, false));
    let ranks = StoredValue::new(state.trace.with_value(|t| name_ranks(t)));
    let order = Memo::new(move |_| {
        let (column, down) = sort.get();
        let found = state.find.found.get();
        let filtering = state.find.filter.with(|f| f.is_active());
        let rows = state.trace.with_value(|t| {
            let mut rows: Vec<u32> =
                if filtering { found.spans.clone() } else { (0..t.spans.len() as u32).collect() };
            state.analysis.with_value(|a| {
                ranks.with_value(|r| sorted(t, &a.self_ns, r, &mut rows, column, down))
            });
            rows
        });
        Arc::new(rows)
    });
    Effect::new(move |_| {
        order.track();
        crate::perf::mark_view_rendered("spans");
    });
    let cell = move |i: u32, column: usize| -> String {
        state.trace.with_value(|t| {
            let s = &t.spans[i as usize];
            match column {
                0 => t.str(s.service).to_string(),
                1 => t.str(s.name).to_string(),
                2 => format!("+{}", format_duration_ns(s.start_ns - t.stats.start_ns)),
                3 => format_duration_ns(s.duration_ns),
                4 => state.analysis.with_value(|a| format_duration_ns(a.self_ns[i as usize])),
                5 => match s.status {
                    StatusCode::Error => "error",
                    StatusCode::Ok => "ok",
                    StatusCode::Unset => "",
                }
                .to_string(),
                _ => t.span_id_string(s.span_id),
            }
        })
    };
    let slot_view = move |at: Memo<Option<usize>>| -> AnyView {
        // The span this slot shows, if the table reaches that far.
        let span = move || at.get().and_then(|row| order.with(|o| o.get(row).copied()));
        let error = move || {
            span().is_some_and(|i| state.trace.with_value(|t| t.spans[i as usize].is_error()))
        };
        view! {
            <div class="spans-row" class:error=error
                class:selected=move || span().is_some() && state.selection.selected.get() == span()
                style=move || row_top(at.get().unwrap_or(0), ROW_PX) data-span=span
                on:click=move |_| if let Some(i) = span() { state.select_and_show(i); nav.set_tab(TraceTab::Timeline); }>
                {(0..7).map(|c| view! { <span>{move || span().map(|i| cell(i, c)).unwrap_or_default()}</span> }).collect_view()}
            </div>
        }
        .into_any()
    };
    let header = move |(column, title, id): (Column, &'static str, &'static str)| {
        let arrow = move || match sort.get() {
            (c, down) if c == column => {
                if down {
                    " ▼"
                } else {
                    " ▲"
                }
            }
            _ => "",
        };
        view! {
            <button class="link" data-testid=format!("spans-sort-{id}") on:click=move |_| sort.update(|(c, down)| {
                if *c == column { *down = !*down } else { *c = column; *down = matches!(column, Column::Duration | Column::SelfTime) }
            })>{title}{arrow}</button>
        }
    };
    let row_count = Signal::derive(move || order.with(|o| o.len()));
    view! {
        <div class="spans-view">
            <div class="toolbar"><span class="muted" data-testid="spans-count">{move || {
                let n = order.with(|o| o.len());
                let filtering = state.find.filter.with(|f| f.is_active());
                if filtering { format!("{n} spans match the find box") } else { format!("{n} spans") }
            }}</span></div>
            <div class="spans-head">{COLUMNS.into_iter().map(header).collect_view()}</div>
            <VirtualRows count=row_count row_px=ROW_PX scroll_class="spans-scroll" testid="spans-table" row=Arc::new(slot_view)/>
        </div>
    }
}
