//! *vs typical*: this trace against the other loaded traces of the same endpoint (same root
//! service and operation), by call path (`core::analysis::compare::Baseline`). Each span
//! gets its call path's percentile among those traces; the waterfall writes it at the end
//! of the row's label and marks the rows above the baseline's 90th percentile.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::analysis::compare::Baseline;
use spanscope_core::Trace;

use super::ViewState;

/// One trace rated against a baseline: per span, its call path's total-time percentile and
/// whether it is above the baseline's p90 (`None` for a path no baseline trace has).
pub struct Typical {
    /// The trace the ratings index: the view's trace when they were made.
    pub of: Arc<Trace>,
    pub traces: u32,
    pub by_span: Vec<Option<(f32, bool)>>,
    pub above: usize,
    pub new_paths: usize,
}

impl Typical {
    pub fn of(trace: Arc<Trace>, others: &[Arc<Trace>]) -> Typical {
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

/// The button and what it found.
#[component]
pub fn TypicalButton(state: ViewState, root: (String, String)) -> impl IntoView {
    let ws = expect_context::<crate::workspace::Workspace>();
    let status = RwSignal::new(String::new());
    let rate = move |_| {
        let trace = state.trace.get_value();
        // The other loaded traces of the same endpoint.
        let others: Vec<Arc<Trace>> = ws.traces.with(|list| {
            list.iter()
                .filter(|l| {
                    (&l.summary.root_service_name, &l.summary.root_span_name) == (&root.0, &root.1)
                })
                .filter(|l| !Arc::ptr_eq(&l.trace, &state.focus.whole.get_value()))
                .map(|l| l.trace.clone())
                .collect()
        });
        if others.is_empty() {
            state.display.typical.set(None);
            status.set(format!("No other loaded trace of {}: {} to compare with", root.0, root.1));
            return;
        }
        let typical = Typical::of(trace, &others);
        status.set(format!(
            "vs {} traces of this endpoint: {} call path(s) above their p90, {} new",
            typical.traces, typical.above, typical.new_paths
        ));
        state.display.typical.set(Some(Arc::new(typical)));
    };
    view! {
        <button class="small" data-testid="baseline-button" on:click=rate
            title="Rate every call path of this trace against the other loaded traces of the same endpoint: its percentile at the end of each row, rows above the 90th percentile marked">"vs typical"</button>
        <span class="muted" data-testid="baseline-status">{move || status.get()}</span>
    }
}
