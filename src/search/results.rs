//! Search results: the scatter plot, sorting, and the list with service badges, duration
//! bars and error marks. Open one trace, or tick several and open them together.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_backend::responses::SortOrder;
use spanscope_core::format::format_duration_ns;
use spanscope_core::format::format_utc;
use spanscope_core::view::palette::css;

use super::{Found, SearchState};

/// Badges shown per row before "+N".
const BADGES: usize = 8;
/// Rows built at first, and added per step as the page scrolls.
const FIRST_PAGE: usize = 100;
const PAGE: usize = 200;

#[component]
pub fn Results(state: SearchState, found: Arc<Found>) -> impl IntoView {
    let count = found.hits.len();
    let took = found.took_ms;
    let backend = found.backend.name.clone();
    let max_duration = found.hits.iter().map(|h| h.duration_ns).max().unwrap_or(1).max(1);
    let now = super::now_ns();
    let warnings = found.warnings.clone();
    let checked_count = move || state.checked.with(|c| c.len());
    let graph_disabled = found.traces.is_empty();
    let results_graph = {
        let found = found.clone();
        move || {
            let graph =
                spanscope_graph::ServiceGraph::from_traces(found.traces.iter().map(|t| &**t));
            state.open_graph(crate::load::LoadedGraph {
                source: format!("{} search results from {}", found.hits.len(), found.backend.name),
                graph: Arc::new(graph),
            });
        }
    };
    let open_checked = move |_| {
        // In id order, whatever order they were ticked in.
        let mut ids = state.checked.get_untracked();
        spanscope_core::sort::sort(&mut ids);
        state.open(ids)
    };
    // Marks when the list and plot have been built and painted (the benchmark reads it).
    request_animation_frame(|| crate::perf::mark(crate::perf::SEARCH_RENDERED));
    // Rows are built in pages as the list scrolls: 1,500 results would otherwise cost
    // hundreds of milliseconds of DOM work before anything shows.
    let shown = RwSignal::new(FIRST_PAGE.min(count));
    let more = window_event_listener(leptos::ev::scroll, move |_| {
        let near_bottom = web_sys::window().is_some_and(|w| {
            let scrolled = w.scroll_y().unwrap_or(0.0)
                + w.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
            let height = w
                .document()
                .and_then(|d| d.document_element())
                .map_or(0.0, |e| e.scroll_height() as f64);
            height - scrolled < 800.0
        });
        if near_bottom && shown.get_untracked() < count {
            shown.update(|n| *n = (*n + PAGE).min(count));
        }
    });
    on_cleanup(move || more.remove());
    let row_found = found.clone();
    let rows = move || {
        (0..shown.get()).map(|i| result_row(state, &row_found, i, max_duration, now)).collect_view()
    };
    view! {
        <div class="results" data-testid="results">
            <p class="results-head" data-testid="results-count">
                {format!("{count} trace{} from {backend} in {} ms", if count == 1 { "" } else { "s" }, spanscope_core::format::fixed(took, 0))}
            </p>
            {warnings.into_iter().map(|w| view! { <p class="notice">{w}</p> }).collect_view()}
            <super::scatter::Scatter found=found.clone() on_open=move |id: String| state.open(vec![id])/>
            <div class="toolbar">
                <label>"Sort "
                    <select data-testid="sort-select" prop:value=move || state.sort.get().key()
                        on:change=move |ev| state.resort(SortOrder::from_key(&event_target_value(&ev)))>
                        {SortOrder::ALL.iter().map(|o| view! { <option value=o.key()>{o.label()}</option> }).collect_view()}
                    </select>
                </label>
                <button class="button secondary" data-testid="results-graph" prop:disabled=graph_disabled
                    title=if graph_disabled { "This backend answered with summaries only; open traces to see their graph" } else { "The service graph of every trace in these results, aggregated" }
                    on:click=move |_| results_graph()>"Service graph of these results"</button>
                <button class="button secondary" data-testid="open-selected" prop:disabled=move || checked_count() == 0 on:click=open_checked>
                    {move || format!("Open selected ({})", checked_count())}
                </button>
                <button class="button secondary" data-testid="compare-selected" prop:disabled=move || checked_count() != 2 on:click=move |_| state.compare_checked()
                    title="Compare two ticked traces by call path: the earlier request is A">"Compare the two selected"</button>
            </div>
            {(count == 0).then(|| view! { <p class="notice" data-testid="no-results">"No traces match. Widen the time range, clear tags or durations, or pick another service."</p> })}
            <table class="result-list">
                <thead><tr><th></th><th>"Trace"</th><th>"Duration"</th><th class="num">"Spans"</th><th class="num">"Errors"</th><th>"Started"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <button class="button secondary" data-testid="show-more" class:hidden={move || shown.get() >= count} on:click=move |_| shown.update(|n| *n = (*n + PAGE).min(count))>
                    {move || format!("Show more ({} of {count} shown)", shown.get())}
                </button>
        </div>
    }
}

fn result_row(
    state: SearchState,
    found: &Found,
    i: usize,
    max_duration: i64,
    now: i64,
) -> impl IntoView {
    let h = &found.hits[i];
    let id = h.trace_id.clone();
    let (id_open, id_check) = (id.clone(), id.clone());
    let is_checked = {
        let id = id.clone();
        move || state.checked.with(|c| c.contains(&id))
    };
    let bar = format!(
        "width:{}%",
        spanscope_core::format::fixed(
            (h.duration_ns as f64 / max_duration as f64 * 100.0).max(0.5),
            1
        )
    );
    let spans =
        if h.span_count_exact { h.span_count.to_string() } else { format!("{}+", h.span_count) };
    // A search's services join the workspace's colours, so a result looks like its trace.
    let colours = expect_context::<crate::workspace::Workspace>().colours;
    colours.update_value(|c| c.register(found.services.iter().map(String::as_str)));
    let badges = h
        .services
        .iter()
        .take(BADGES)
        .map(|s| {
            let colour = css(colours.with_value(|c| c.colour(&s.name)));
            let label = if s.errors > 0 { format!("{} {} ({} err)", s.name, s.spans, s.errors) } else { format!("{} {}", s.name, s.spans) };
            view! { <span class="badge" class:has-errors={s.errors > 0} style=format!("border-left-color:{colour}")>{label}</span> }
        })
        .collect_view();
    let more = (h.services.len() > BADGES).then(|| view! { <span class="badge more">{format!("+{} more", h.services.len() - BADGES)}</span> });
    let errors = h.error_count;
    view! {
        <tr data-testid="result-row" data-trace-id=id.clone() class:has-errors={errors > 0}>
            <td><input type="checkbox" prop:checked=is_checked aria-label="select"
                on:change=move |ev| { let on = event_target_checked(&ev); state.checked.update(|c| { c.retain(|x| *x != id_check); if on { c.push(id_check.clone()); } }); }/></td>
            <td class="result-main">
                <button class="link result-title" on:click=move |_| state.open(vec![id_open.clone()])>
                    {format!("{}: {}", h.root_service, h.root_operation)}
                </button>
                <span class="mono trace-id">{h.trace_id.chars().take(16).collect::<String>()}</span>
                <div class="badges">{badges}{more}</div>
            </td>
            <td class="result-duration"><div class="duration-bar" style=bar></div>{format_duration_ns(h.duration_ns)}</td>
            <td class="num">{spans}</td>
            <td class="num">{(errors > 0).then(|| view! { <span class="error-mark" title="spans with errors">{format!("⚠ {errors}")}</span> })}</td>
            <td class="result-time" title=format_utc(h.start_ns)>{relative_time(now - h.start_ns)}</td>
        </tr>
    }
}

/// `5 s ago`, `12 min ago`, `3 h ago`, `2 d ago`.
fn relative_time(ago_ns: i64) -> String {
    let s = ago_ns / 1_000_000_000;
    match s {
        i64::MIN..=-1 => "in the future".into(),
        0..=59 => format!("{s} s ago"),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => format!("{} d ago", s / 86_400),
    }
}
