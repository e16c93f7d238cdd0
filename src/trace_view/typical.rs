//! *vs typical*: this trace against other traces of the same endpoint (same root service
//! and operation), by call path (`core::analysis::compare::Baseline`). The baseline is the
//! other loaded traces of the endpoint, or its latest traces on a backend
//! (`typical_fetch`). Each span gets its call path's percentile; the waterfall writes it at
//! the end of the row's label and marks the rows above the baseline's 90th percentile, the
//! flame graph colours the trace against the baseline's medians, and the statistics table
//! rates each group.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use spanscope_backend::Backend;
use spanscope_core::analysis::compare::{Baseline, TraceDiff};
use spanscope_core::Trace;

use super::typical_fetch::{endpoint_traces, DEFAULT_LIMIT};
use super::ViewState;
use crate::remote::http::Canceller;
use crate::remote::settings::Settings;

/// One trace rated against a baseline: per span, its call path's total-time percentile and
/// whether it is above the baseline's p90 (`None` for a path no baseline trace has).
pub struct Typical {
    /// The trace the ratings index: the view's trace when they were made.
    pub of: Arc<Trace>,
    pub traces: u32,
    pub by_span: Vec<Option<(f32, bool)>>,
    pub above: usize,
    pub new_paths: usize,
    /// The trace against the baseline's medians, for the flame graph.
    pub diff: Arc<TraceDiff>,
    /// The baseline's traces, for the statistics table.
    pub baseline: Arc<Vec<Arc<Trace>>>,
}

impl Typical {
    pub fn of(trace: Arc<Trace>, others: Vec<Arc<Trace>>) -> Typical {
        let baseline = Baseline::of(others.iter().map(|t| &**t));
        let rated = baseline.assess(&trace);
        let by_span = rated
            .node_of_span
            .iter()
            .map(|&node| {
                rated.rated[node as usize].map(|r| (r.total_percentile as f32, r.above_p90))
            })
            .collect();
        Typical {
            traces: baseline.traces,
            above: rated.rated.iter().flatten().filter(|r| r.above_p90).count(),
            new_paths: rated.rated.iter().filter(|r| r.is_none()).count(),
            by_span,
            diff: Arc::new(rated.versus_median(&baseline)),
            baseline: Arc::new(others),
            of: trace,
        }
    }

    /// The rating of span `i` of `trace`, if `trace` is the one rated.
    pub fn rating(&self, trace: &Trace, i: u32) -> Option<(f32, bool)> {
        std::ptr::eq(&*self.of, trace)
            .then(|| self.by_span.get(i as usize).copied().flatten())
            .flatten()
    }
}

/// The buttons and what they found: *vs typical* (the other loaded traces of the endpoint)
/// and, with a backend, *vs BACKEND* (its latest traces of the endpoint, up to a limit).
#[component]
pub fn TypicalButton(
    state: ViewState,
    /// The backend the trace came from, if any: its baseline comes from there.
    backend: Option<String>,
) -> impl IntoView {
    let ws = expect_context::<crate::workspace::Workspace>();
    let settings = expect_context::<RwSignal<Settings>>();
    let status = RwSignal::new(String::new());
    // While a backend baseline loads: traces read (`None` when not loading) of `expected`
    // (0 while searching). Signal types the app already has: each new one adds to the wasm.
    let done = RwSignal::new(None::<usize>);
    let expected = RwSignal::new(0usize);
    let limit = RwSignal::new(DEFAULT_LIMIT);
    let canceller = StoredValue::new(SendWrapper::new(Canceller::default()));
    // The endpoint: the whole trace's root service and operation (the view may be focused
    // on a subtree).
    let root = move || {
        let whole = state.focus.whole.get_value();
        ws.traces.with_untracked(|list| {
            let l = list.iter().find(|l| Arc::ptr_eq(&l.trace, &whole));
            l.map(|l| (l.summary.root_service_name.clone(), l.summary.root_span_name.clone()))
                .unwrap_or_default()
        })
    };
    let apply = move |others: Vec<Arc<Trace>>, from: &str| {
        if others.is_empty() {
            let (service, operation) = root();
            state.display.typical.set(None);
            status
                .set(format!("No other trace of {service}: {operation} ({from}) to compare with"));
            return;
        }
        let typical = Typical::of(state.trace.get_value(), others);
        status.set(format!(
            "vs {} traces of this endpoint ({from}): {} call path(s) above their p90, {} new",
            typical.traces, typical.above, typical.new_paths
        ));
        state.display.typical.set(Some(Arc::new(typical)));
        crate::perf::mark_view_rendered("baseline");
    };
    let from_loaded = move |_| {
        let whole = state.focus.whole.get_value();
        let (service, operation) = root();
        let others: Vec<Arc<Trace>> = ws.traces.with(|list| {
            list.iter()
                .filter(|l| l.summary.root_service_name == service)
                .filter(|l| l.summary.root_span_name == operation)
                .filter(|l| !Arc::ptr_eq(&l.trace, &whole))
                .map(|l| l.trace.clone())
                .collect()
        });
        apply(others, "loaded");
    };
    let chosen_backend = move || -> Option<Backend> {
        settings.with(|s| {
            let named =
                backend.as_ref().and_then(|n| s.backends().into_iter().find(|b| &b.name == n));
            named.or_else(|| s.initial_backend(None))
        })
    };
    let from_backend = move |b: Backend| {
        let cancel = canceller.with_value(|c| {
            c.cancel_all();
            (**c).clone()
        });
        expected.set(0);
        done.set(Some(0));
        status.set(format!(
            "Searching {} for the latest {} traces of this endpoint…",
            b.name,
            limit.get_untracked()
        ));
        let exclude = state.trace.with_value(|t| t.trace_id_string());
        let endpoint = root();
        // The reader warms up while the answer downloads: a warm reader reads it 2–3× faster.
        crate::search::warm_up_reader();
        spawn_local(async move {
            let report = |n: usize, of: usize| {
                expected.set(of);
                done.set(Some(n));
            };
            let found =
                endpoint_traces(&b, &endpoint, &exclude, limit.get_untracked(), &cancel, report)
                    .await;
            crate::perf::mark(crate::perf::PARSED);
            done.set(None);
            match found {
                Ok((traces, problems)) => {
                    apply(traces, &format!("from {}", b.name));
                    if !problems.is_empty() {
                        status.update(|s| s.push_str(&format!(" ({})", problems.join("; "))));
                    }
                }
                Err(Some(message)) => status.set(message),
                Err(None) => status.set("Cancelled.".into()),
            }
        });
    };
    view! {
        <button class="small" data-testid="baseline-button" on:click=from_loaded
            title="Rate every call path of this trace against the other loaded traces of the same endpoint: its percentile at the end of each row, rows above the 90th percentile marked">"vs typical"</button>
        {move || chosen_backend().map(|b| {
            let name = b.name.clone();
            view! {
                <button class="small" data-testid="baseline-search" on:click=move |_| from_backend(b.clone())
                    title="Rate this trace against the latest traces of the same endpoint on this backend">{format!("vs {name}")}</button>
                <input type="number" class="baseline-limit" data-testid="baseline-limit" min="2" max="1000" aria-label="traces"
                    title="How many of the endpoint's latest traces to fetch" prop:value=move || limit.get().to_string()
                    on:change=move |ev| limit.set(event_target_value(&ev).parse::<usize>().unwrap_or(DEFAULT_LIMIT).clamp(2, 1000))/>
            }
        })}
        {move || done.get().map(|n| {
            let of = expected.get();
            view! {
            <progress data-testid="baseline-progress" max=of.max(1) value=(of > 0).then_some(n) aria-valuenow=n aria-valuemax=of></progress>
            <button class="small" data-testid="baseline-cancel" on:click=move |_| canceller.with_value(|c| c.cancel_all())>"Cancel"</button>
        }})}
        <span class="muted" data-testid="baseline-status">{move || status.get()}</span>
    }
}
