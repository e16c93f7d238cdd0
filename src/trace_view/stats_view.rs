//! The *Statistics* tab: spans grouped by service, operation, both or an attribute's value
//! (optionally grouped again), with count, durations, percentiles, self time, time on the
//! critical path and errors. Every column sorts; a row click shows its spans in the timeline.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::analysis::{statistics, Group, GroupBaseline, GroupBy, GroupRating};
use spanscope_core::format::{format_delta_ns, format_duration_ns};

use super::ViewState;
use crate::route::TraceTab;

/// Rows drawn at most; the rest are a sort away (grouping by a unique attribute can make
/// one group per span).
const MAX_ROWS: usize = 500;
/// Rows built when the table opens (or re-sorts), and added per step as it scrolls: the
/// top rows are what a user reads first, and building 500 rows of 14 cells costs more than
/// computing the statistics.
const FIRST_ROWS: usize = 60;
const MORE_ROWS: usize = 120;

/// A group and, with *vs typical*, its rating against the same group of the baseline.
type Rated = (Group, Option<GroupRating>);

/// A column: its title, and the value it sorts by.
struct Column {
    title: &'static str,
    key: fn(&Rated) -> f64,
}

/// What a baseline column sorts by when the baseline lacks the group: last, longest first.
fn rating_key(r: &Rated, key: fn(&GroupRating) -> f64) -> f64 {
    r.1.as_ref().map_or(f64::NEG_INFINITY, key)
}

const COLUMNS: [Column; 16] = [
    Column { title: "Count", key: |(g, _)| g.count() as f64 },
    Column { title: "Total", key: |(g, _)| g.total_ns as f64 },
    Column { title: "Avg", key: |(g, _)| g.avg_ns as f64 },
    Column { title: "Min", key: |(g, _)| g.min_ns as f64 },
    Column { title: "Max", key: |(g, _)| g.max_ns as f64 },
    Column { title: "p50", key: |(g, _)| g.p50_ns as f64 },
    Column { title: "p95", key: |(g, _)| g.p95_ns as f64 },
    Column { title: "p99", key: |(g, _)| g.p99_ns as f64 },
    Column { title: "Self total", key: |(g, _)| g.self_total_ns as f64 },
    Column { title: "Self avg", key: |(g, _)| g.self_avg_ns as f64 },
    Column { title: "Self % of trace", key: |(g, _)| g.self_percent },
    Column { title: "Critical path", key: |(g, _)| g.critical_ns as f64 },
    Column { title: "Errors", key: |(g, _)| g.errors as f64 },
    // With *vs typical*: the baseline's median total of the group per trace, this trace's
    // total over it, and its percentile among the baseline's.
    Column { title: "Typical total", key: |r| rating_key(r, |x| x.typical_total_ns as f64) },
    Column { title: "vs typical", key: |r| rating_key(r, |x| x.excess_ns as f64) },
    Column { title: "Percentile", key: |r| rating_key(r, |x| x.percentile) },
];
/// The columns shown without a baseline.
const PLAIN_COLUMNS: usize = 13;

/// How the table is sorted: `None` is by name; else a column, longest first unless `up`.
#[derive(Clone, Copy, PartialEq)]
struct Sort {
    column: Option<usize>,
    up: bool,
}

fn parse_group(value: &str) -> Option<GroupBy> {
    match value {
        "" => None,
        "service" => Some(GroupBy::Service),
        "operation" => Some(GroupBy::Operation),
        "service-operation" => Some(GroupBy::ServiceOperation),
        key => Some(GroupBy::Attribute(key.strip_prefix("attr:").unwrap_or(key).to_string())),
    }
}

#[component]
pub fn StatsView(state: ViewState) -> impl IntoView {
    let nav = expect_context::<crate::route::Nav>();
    let (by, then) = (state.display.group_by, state.display.then_by);
    let sort = RwSignal::new(Sort { column: Some(8), up: false });
    // Attribute keys offered for grouping: those of the trace's spans, sorted.
    let keys: Vec<String> = state.trace.with_value(|t| {
        // Distinct keys by their interned symbol first: a million spans have millions of
        // attributes but a few dozen keys.
        let mut seen = vec![false; t.strings.len()];
        for a in &t.attrs {
            seen[a.key.0 as usize] = true;
        }
        let mut keys: Vec<&str> = (0..seen.len())
            .filter(|&k| seen[k])
            .map(|k| t.str(spanscope_core::intern::Sym(k as u32)))
            .collect();
        spanscope_core::sort::sort(&mut keys);
        keys.into_iter().take(300).map(str::to_string).collect()
    });
    let typical = state.display.typical;
    let groups = Memo::new(move |_| {
        let by = parse_group(&by.get()).unwrap_or(GroupBy::ServiceOperation);
        let then = parse_group(&then.get());
        let plain = state
            .trace
            .with_value(|t| state.analysis.with_value(|a| statistics(t, a, &by, then.as_ref())));
        let baseline = typical.with(|t| {
            t.as_ref()
                .map(|t| GroupBaseline::of(t.baseline.iter().map(|x| &**x), &by, then.as_ref()))
        });
        let groups: Vec<Rated> = plain
            .into_iter()
            .map(|g| {
                let rating = baseline.as_ref().and_then(|b| b.rate(&g));
                (g, rating)
            })
            .collect();
        Arc::new(groups)
    });
    // The rows' order: its own memo, so a re-sort computes neither the statistics nor the
    // baseline's groups again.
    let order = Memo::new(move |_| {
        let mut order: Vec<usize> = (0..groups.with(|g| g.len())).collect();
        let Sort { column, up } = sort.get();
        if let Some(c) = column {
            let key = COLUMNS[c].key;
            groups.with(|g| {
                spanscope_core::sort::sort_by(&mut order, |&a, &b| {
                    let order = key(&g[a]).total_cmp(&key(&g[b]));
                    if up {
                        order
                    } else {
                        order.reverse()
                    }
                })
            });
        }
        order
    });
    let shown = RwSignal::new(FIRST_ROWS);
    Effect::new(move |_| {
        order.track();
        shown.set(FIRST_ROWS);
        crate::perf::mark_view_rendered("stats");
    });
    let scroller = NodeRef::<leptos::html::Div>::new();
    let on_scroll = move |_| {
        let Some(el) = scroller.get() else { return };
        let left = (el.scroll_height() - el.scroll_top() - el.client_height()) as f64;
        let limit = groups.with_untracked(|g| g.len()).min(MAX_ROWS);
        if left < 400.0 && shown.get_untracked() < limit {
            shown.update(|n| *n = (*n + MORE_ROWS).min(limit));
        }
    };
    let show = move |(g, _): &Rated| {
        let spans = Arc::new(g.spans.clone());
        let label = match &g.sub {
            Some(sub) => format!("{} · {sub}", g.key),
            None => g.key.clone(),
        };
        let first = state
            .trace
            .with_value(|t| t.preorder.iter().copied().find(|i| g.spans.binary_search(i).is_ok()));
        state.find.filter.update(|f| f.only_spans = Some((label, spans)));
        nav.set_tab(TraceTab::Timeline);
        if let Some(first) = first {
            state.select_and_show(first);
        }
    };
    let options = move |with_none: bool| {
        let keys = keys.clone();
        view! {
            {with_none.then(|| view! { <option value="">"—"</option> })}
            <option value="service">"service"</option>
            <option value="operation">"operation"</option>
            <option value="service-operation">"service + operation"</option>
            {keys.into_iter().map(|k| view! { <option value=format!("attr:{k}")>{format!("attribute {k}")}</option> }).collect_view()}
        }
    };
    let header = move |c: usize| {
        let title = COLUMNS[c].title;
        let arrow = move || match sort.get() {
            Sort { column: Some(x), up } if x == c => {
                if up {
                    " ▲"
                } else {
                    " ▼"
                }
            }
            _ => "",
        };
        view! {
            <th class="num"><button class="link" data-testid=format!("stats-sort-{c}") on:click=move |_| sort.update(|s| {
                *s = if s.column == Some(c) { Sort { column: Some(c), up: !s.up } } else { Sort { column: Some(c), up: false } };
            })>{title}{arrow}</button></th>
        }
    };
    let two_levels = move || !then.get().is_empty();
    view! {
        <div class="stats-view" data-testid="stats-view">
            <div class="toolbar">
                <label>"Group by "<select data-testid="stats-by" prop:value=move || by.get() on:change=move |ev| by.set(event_target_value(&ev))>{options(false)}</select></label>
                <label>" then by "<select data-testid="stats-then" prop:value=move || then.get() on:change=move |ev| then.set(event_target_value(&ev))>{options(true)}</select></label>
                <span class="muted">{move || {
                    let n = groups.with(|g| g.len());
                    if n > MAX_ROWS { format!("{n} groups; the first {MAX_ROWS} shown") } else { format!("{n} groups") }
                }}</span>
            </div>
            <div class="stats-scroll" node_ref=scroller on:scroll=on_scroll>
            <table class="stats-table" data-testid="stats-table">
                <thead><tr>
                    <th><button class="link" data-testid="stats-sort-name" on:click=move |_| sort.set(Sort { column: None, up: true })>"Group"</button></th>
                    {move || two_levels().then(|| view! { <th>"Then"</th> })}
                    {(0..PLAIN_COLUMNS).map(header).collect_view()}
                    {move || typical.with(|t| t.is_some()).then(|| (PLAIN_COLUMNS..COLUMNS.len()).map(header).collect_view())}
                </tr></thead>
                <tbody>
                    {move || {
                        let all = groups.get();
                        let order = order.get();
                        (0..all.len().min(shown.get()).min(MAX_ROWS)).map(|row| {
                        let i = order[row];
                        let (g, rating) = &all[i];
                        let vs = typical.with_untracked(|t| t.is_some()).then(|| rating_cells(rating.as_ref()));
                        let all = all.clone();
                        let d = format_duration_ns;
                        let cells = [
                            g.count().to_string(), d(g.total_ns), d(g.avg_ns), d(g.min_ns), d(g.max_ns),
                            d(g.p50_ns), d(g.p95_ns), d(g.p99_ns), d(g.self_total_ns), d(g.self_avg_ns),
                            format!("{}%", spanscope_core::format::fixed(g.self_percent, 1)), d(g.critical_ns), g.errors.to_string(),
                        ];
                        let sub = g.sub.clone();
                        view! {
                            <tr class:error={g.errors > 0} on:click=move |_| show(&all[i]) title="Show these spans in the timeline">
                                <td>{g.key.clone()}</td>
                                {sub.map(|s| view! { <td>{s}</td> })}
                                {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
                                {vs}
                            </tr>
                        }
                    }).collect_view()}}
                </tbody>
            </table>
            </div>
        </div>
    }
}

/// The baseline columns of one row: typical total, the excess over it (red when above the
/// baseline's p90) and the percentile; dashes for a group no baseline trace has.
fn rating_cells(rating: Option<&GroupRating>) -> impl IntoView {
    let (typical, excess, percentile, above) = match rating {
        Some(r) => (
            format_duration_ns(r.typical_total_ns),
            format_delta_ns(r.excess_ns),
            format!("p{}", spanscope_core::format::fixed(r.percentile, 0)),
            r.above_p90,
        ),
        None => ("—".into(), "new".into(), "—".into(), false),
    };
    view! {
        <td class="num">{typical}</td>
        <td class="num" class:slower=above data-testid="stats-vs-typical">{excess}</td>
        <td class="num">{percentile}</td>
    }
}
