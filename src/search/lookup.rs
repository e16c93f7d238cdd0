//! The trace-id box: looks ids up in every configured backend and opens what it finds.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanscope_backend::query::{parse_trace_ids, same_trace_id};
use spanscope_backend::responses::Lookup;
use spanscope_backend::Backend;

use crate::load::{LoadOutcome, LoadedTrace};
use crate::remote::client::Client;
use crate::remote::http::Canceller;
use crate::remote::settings::Settings;
use crate::workspace::Workspace;

/// Looks the ids up in `backends` in order: each backend gets the ids not found yet, all
/// in one request where its API allows (Zipkin, Jaeger v1), else one by one. What was found
/// opens; what was not is said in the same outcome, so one does not hide the other.
pub async fn look_up(ids: Vec<String>, backends: Vec<Backend>) -> LoadOutcome {
    if backends.is_empty() {
        return LoadOutcome::failed("No backend is configured: add one in Settings (or in config.json) to look up trace ids.".into());
    }
    let mut traces = Vec::new();
    let canceller = Canceller::default();
    let mut remaining = ids;
    let mut failures = Vec::new();
    for backend in &backends {
        if remaining.is_empty() {
            break;
        }
        let client = Client { backend, canceller: &canceller };
        let mut found: Vec<spanscope_core::Trace> = Vec::new();
        match client.traces(&remaining).await {
            Ok(Some(traces)) => found = traces,
            Ok(None) => {
                for id in &remaining {
                    match client.trace(id).await {
                        Ok(Lookup::Found(traces, _)) => found.extend(traces),
                        Ok(Lookup::NotFound) => {}
                        Err(e) => failures.extend(e.message()),
                    }
                }
            }
            Err(e) => failures.extend(e.message()),
        }
        for trace in found {
            let id = trace.trace_id_string();
            remaining.retain(|wanted| !same_trace_id(wanted, &id));
            traces.push(LoadedTrace::from_backend(&backend.name, Arc::new(trace)));
        }
    }
    let names: Vec<&str> = backends.iter().map(|b| b.name.as_str()).collect();
    let mut problems: Vec<String> = remaining
        .iter()
        .map(|id| format!("Trace {id} was not found in {}.", names.join(", ")))
        .collect();
    if !remaining.is_empty() {
        problems.extend(failures);
    }
    LoadOutcome { traces, ..LoadOutcome::failed(problems.join("\n")) }
}

/// Opens the trace ids found in `text` (ids, headers, log lines, trace URLs): a trace that
/// is already loaded is shown at once, the others are looked up in the backends (`busy`
/// while that runs). Fails when `text` holds no trace id.
pub fn open_ids_in(
    text: &str,
    workspace: Workspace,
    settings: RwSignal<Settings>,
    busy: Option<RwSignal<bool>>,
) -> Result<(), String> {
    let ids = parse_trace_ids(text).map_err(|e| e.to_string())?;
    let mut loaded = Vec::new();
    let mut missing = Vec::new();
    workspace.traces.with_untracked(|ts| {
        for id in ids {
            match ts.iter().position(|t| same_trace_id(&id, &t.summary.trace_id)) {
                Some(index) => loaded.push(index),
                None => missing.push(id),
            }
        }
    });
    if let Some(&index) = loaded.first() {
        workspace.show(index);
    }
    if missing.is_empty() {
        return Ok(());
    }
    let backends = settings.with_untracked(|s| s.backends());
    busy.inspect(|b| b.set(true));
    spawn_local(async move {
        let outcome = look_up(missing, backends).await;
        busy.inspect(|b| b.set(false));
        workspace.accept(outcome);
    });
    Ok(())
}

#[component]
pub fn TraceIdLookup(settings: RwSignal<Settings>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(e) = open_ids_in(&text.get_untracked(), workspace, settings, Some(busy)) {
            workspace.accept(LoadOutcome::failed(e));
        }
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
