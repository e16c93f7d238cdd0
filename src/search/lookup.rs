//! The trace-id box: looks ids up in every configured backend and opens what it finds.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanscope_core::backend::query::parse_trace_ids;
use spanscope_core::backend::responses::Lookup;
use spanscope_core::backend::Backend;

use crate::load::LoadedTrace;
use crate::remote::client::Client;
use crate::remote::http::Canceller;
use crate::remote::settings::Settings;

/// What a lookup found, and messages for what it did not.
pub struct LookupOutcome {
    pub traces: Vec<LoadedTrace>,
    pub problems: Vec<String>,
}

/// Looks each id up in `backends` in order, stopping at the first that has it.
pub async fn look_up(ids: Vec<String>, backends: Vec<Backend>) -> LookupOutcome {
    let mut out = LookupOutcome { traces: Vec::new(), problems: Vec::new() };
    if backends.is_empty() {
        out.problems.push("No backend is configured: add one in Settings (or in config.json) to look up trace ids.".into());
        return out;
    }
    let canceller = Canceller::default();
    for id in ids {
        let mut failures = Vec::new();
        let mut found = false;
        for backend in &backends {
            match (Client { backend, canceller: &canceller }).trace(&id).await {
                Ok(Lookup::Found(traces, _)) => {
                    out.traces.extend(traces.into_iter().map(|t| LoadedTrace::from_backend(&backend.name, Arc::new(t))));
                    found = true;
                    break;
                }
                Ok(Lookup::NotFound) => {}
                Err(e) => failures.extend(e.message()),
            }
        }
        if !found {
            let names: Vec<&str> = backends.iter().map(|b| b.name.as_str()).collect();
            out.problems.push(format!("Trace {id} was not found in {}.", names.join(", ")));
            out.problems.extend(failures);
        }
    }
    out
}

#[component]
pub fn TraceIdLookup(settings: RwSignal<Settings>, on_found: Callback<Vec<LoadedTrace>>, on_problems: Callback<Vec<String>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ids = match parse_trace_ids(&text.get_untracked()) {
            Ok(ids) => ids,
            Err(e) => {
                on_problems.run(vec![e]);
                return;
            }
        };
        let backends = settings.with_untracked(|s| s.backends());
        busy.set(true);
        spawn_local(async move {
            let outcome = look_up(ids, backends).await;
            busy.set(false);
            on_problems.run(outcome.problems);
            if !outcome.traces.is_empty() {
                on_found.run(outcome.traces);
            }
        });
    };
    view! {
        <form class="lookup" on:submit=submit>
            <input type="search" data-testid="trace-id-input" placeholder="Trace ID…" aria-label="Trace ID to look up"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            <button class="small" type="submit" data-testid="trace-id-button" prop:disabled=move || busy.get()>
                {move || if busy.get() { "Looking up…" } else { "Look up" }}
            </button>
        </form>
    }
}
