//! Find in trace and quick filters: a search box (operation, service, `key=value`, events,
//! span id) with a match count and next/previous, "show only matches", errors only, one
//! service, and a minimum duration.

use leptos::prelude::*;

use super::ViewState;

/// Recomputes matches whenever the filter changes, and applies "show only matches".
pub fn track_matches(state: ViewState) {
    // What the matches change elsewhere: "only matches" rows, and the stepped-to match.
    Effect::new(move |_| {
        let found = state.find.found.get();
        let only = state.find.only_matches.get() && state.find.filter.with(|f| f.is_active());
        state.trace.with_value(|t| {
            state.viewport.rows.update(|r| r.show_only(t, only.then_some(&found.spans[..])));
        });
        state.find.current.set(None);
    });
}

/// Moves to the next (or previous) match: selects it, expands its ancestors, scrolls to it.
pub fn step(state: ViewState, forward: bool) {
    let n = state.find.found.with_untracked(|f| f.spans.len());
    if n == 0 {
        return;
    }
    let next = match state.find.current.get_untracked() {
        None => {
            if forward {
                0
            } else {
                n - 1
            }
        }
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
    };
    state.find.current.set(Some(next));
    let span = state.find.found.with_untracked(|f| f.spans[next]);
    state.select_and_show(span);
}

/// Services offered in the quick filter's menu at most.
const MENU_SERVICES: usize = 1000;

#[component]
pub fn FindBar(state: ViewState, input_ref: NodeRef<leptos::html::Input>) -> impl IntoView {
    // A menu of every service stops being usable long before 300,000: the busiest are
    // offered (the find box matches any service by name).
    let services = state.trace.with_value(|t| {
        let counts = t.service_counts();
        let n: Vec<usize> = counts.iter().map(|c| c.1).collect();
        let (shown, _) = spanscope_core::view::legend::busiest(&n, MENU_SERVICES);
        shown.into_iter().map(|i| t.str(counts[i].0).to_string()).collect::<Vec<_>>()
    });
    let count = move || {
        let active = state.find.filter.with(|f| f.is_active());
        let n = state.find.found.with(|f| f.spans.len());
        match (active, state.find.current.get()) {
            (false, _) => String::new(),
            (true, _) if n == 0 => "no matches".into(),
            (true, Some(i)) => format!("{} of {n}", i + 1),
            (true, None) => format!("{n} match{}", if n == 1 { "" } else { "es" }),
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            step(state, !ev.shift_key());
        }
        "Escape" => {
            state.find.filter.update(|f| f.query.clear());
            if let Some(input) = input_ref.get() {
                input.set_value("");
                let _ = input.blur();
            }
        }
        _ => {}
    };
    view! {
        <div class="find-bar">
            <input type="search" placeholder="Find: operation, service, key=value, span id  ( / )" data-testid="find-input"
                node_ref=input_ref prop:value=move || state.find.filter.with(|f| f.query.clone())
                on:input=move |ev| state.find.filter.update(|f| f.query = event_target_value(&ev)) on:keydown=on_key/>
            <span class="find-count" data-testid="find-count">{count}</span>
            <button class="small" title="Previous match (Shift+Enter)" on:click=move |_| step(state, false)>"↑"</button>
            <button class="small" title="Next match (Enter)" on:click=move |_| step(state, true)>"↓"</button>
            <label><input type="checkbox" data-testid="only-matches" prop:checked=move || state.find.only_matches.get()
                on:change=move |ev| state.find.only_matches.set(event_target_checked(&ev))/>" only matches"</label>
            {move || state.find.filter.with(|f| f.only_spans.as_ref().map(|(label, spans)| (label.clone(), spans.len()))).map(|(label, n)| view! {
                <span class="chip" data-testid="group-chip" title="Spans of a statistics row">{format!("{label} ({n})")}
                    <button class="link" aria-label="Show all spans again" on:click=move |_| state.find.filter.update(|f| f.only_spans = None)>"✕"</button></span>
            })}
            <span class="pills" role="group" aria-label="Quick filters">
                <label class="pill" title="Spans the critical path runs through"><input type="checkbox" data-testid="pill-critical"
                    prop:checked=move || state.find.filter.with(|f| f.critical_only)
                    on:change=move |ev| state.find.filter.update(|f| f.critical_only = event_target_checked(&ev))/>" critical path"</label>
                <label class="pill" title="Failed spans"><input type="checkbox" data-testid="errors-only"
                    prop:checked=move || state.find.filter.with(|f| f.errors_only)
                    on:change=move |ev| state.find.filter.update(|f| f.errors_only = event_target_checked(&ev))/>" errors"</label>
                <label class="pill" title=move || state.analysis.with_value(|a| format!("Spans of at least {} (the trace's 80th percentile)", spanscope_core::format::format_duration_ns(a.high_latency_ns)))>
                    <input type="checkbox" data-testid="pill-latency"
                    prop:checked=move || state.find.filter.with(|f| f.high_latency)
                    on:change=move |ev| state.find.filter.update(|f| f.high_latency = event_target_checked(&ev))/>" high latency"</label>
            </span>
            <select data-testid="service-filter" on:change=move |ev| {
                let v = event_target_value(&ev);
                state.find.filter.update(|f| f.services = if v.is_empty() { vec![] } else { vec![v] });
            }>
                <option value="">"all services"</option>
                {services.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
            </select>
            <label>"≥ "<input type="number" min="0" step="any" class="min-duration" data-testid="min-duration" placeholder="0"
                on:input=move |ev| {
                    let ms = spanscope_core::number::parse_f64(&event_target_value(&ev)).unwrap_or(0.0);
                    state.find.filter.update(|f| f.min_duration_ns = (ms * 1e6) as i64);
                }/>" ms"</label>
        </div>
    }
}
