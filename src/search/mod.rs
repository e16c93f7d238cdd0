//! The search page: pick a backend, search it, see the results as a scatter plot and a list,
//! and open traces. The search lives in the URL, so it can be bookmarked and shared.

mod form;
pub mod lookup;
mod results;
mod scatter;
pub mod settings_page;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use spanscope_backend::responses::{sort_hits, Lookup, SortOrder};
use spanscope_backend::{Backend, SearchHit, SearchQuery};
use spanscope_core::Trace;
use spanscope_graph::ServiceGraph;

use crate::load::{LoadOutcome, LoadedGraph, LoadedTrace};
use crate::remote::client::Client;
use crate::remote::http::Canceller;
use crate::remote::settings::Settings;
use crate::workspace::Workspace;

/// One search's results, ready to draw.
#[derive(Clone)]
pub struct Found {
    pub backend: Backend,
    /// In the chosen order.
    pub hits: Vec<SearchHit>,
    /// Whole traces that came with the results (`SearchHit::full` indexes them).
    pub traces: Vec<Arc<Trace>>,
    pub warnings: Vec<String>,
    /// Every service in the results, sorted (registered in this order with the workspace's
    /// service colours, as a trace's services are).
    pub services: Vec<String>,
    pub took_ms: f64,
}

#[derive(Clone, PartialEq)]
pub enum Status {
    Idle,
    Busy(String),
    Error(String),
}

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
pub struct SearchState {
    pub backend: RwSignal<Option<Backend>>,
    pub query: RwSignal<SearchQuery>,
    pub services: RwSignal<Vec<String>>,
    pub operations: RwSignal<Vec<String>>,
    /// Tag names to suggest in the tags field.
    pub tag_names: RwSignal<Vec<String>>,
    /// Values of the tag being typed (its key, and the values).
    pub tag_values: RwSignal<(String, Vec<String>)>,
    /// Zipkin: services the chosen service calls.
    pub remote_services: RwSignal<Vec<String>>,
    pub status: RwSignal<Status>,
    pub found: RwSignal<Option<Arc<Found>>>,
    pub sort: RwSignal<SortOrder>,
    pub checked: RwSignal<Vec<String>>,
    /// Cancels the running search when a new one starts.
    search_requests: StoredValue<SendWrapper<Canceller>>,
    /// Cancels stale service/operation list requests.
    list_requests: StoredValue<SendWrapper<Canceller>>,
    /// Where opened traces and graphs go.
    workspace: Workspace,
}

pub fn now_ns() -> i64 {
    (js_sys::Date::now() * 1e6) as i64
}

impl SearchState {
    fn new(workspace: Workspace) -> SearchState {
        SearchState {
            backend: RwSignal::new(None),
            query: RwSignal::new(SearchQuery::for_backend(&Backend::new(
                "",
                spanscope_backend::BackendKind::Jaeger,
                "",
            ))),
            services: RwSignal::new(Vec::new()),
            operations: RwSignal::new(Vec::new()),
            tag_names: RwSignal::new(Vec::new()),
            tag_values: RwSignal::new((String::new(), Vec::new())),
            remote_services: RwSignal::new(Vec::new()),
            status: RwSignal::new(Status::Idle),
            found: RwSignal::new(None),
            sort: RwSignal::new(
                crate::url_state::param("sort")
                    .map(|s| SortOrder::from_key(&s))
                    .unwrap_or_default(),
            ),
            checked: RwSignal::new(Default::default()),
            search_requests: StoredValue::new(SendWrapper::new(Canceller::default())),
            list_requests: StoredValue::new(SendWrapper::new(Canceller::default())),
            workspace,
        }
    }

    /// Switches to `backend`: its defaults (or the URL's query, on first load) and services.
    pub fn choose_backend(self, backend: Backend, from_url: bool) {
        self.search_requests.with_value(|c| c.cancel_all());
        let query = if from_url {
            SearchQuery::from_params(crate::url_state::param, &backend)
        } else {
            SearchQuery::for_backend(&backend)
        };
        self.query.set(query);
        self.found.set(None);
        self.status.set(Status::Idle);
        self.operations.set(Vec::new());
        self.backend.set(Some(backend));
        self.load_services();
    }

    /// Shows a failure's message; a cancelled request says nothing.
    fn report(self, e: crate::remote::client::CallError) {
        if let Some(m) = e.message() {
            self.status.set(Status::Error(m));
        }
    }

    pub fn load_services(self) {
        let Some(backend) = self.backend.get_untracked() else { return };
        self.services.set(Vec::new());
        self.tag_names.set(Vec::new());
        let canceller = self.list_requests.with_value(|c| {
            c.cancel_all();
            (**c).clone()
        });
        spawn_local(async move {
            let client = Client { backend: &backend, canceller: &canceller };
            match client.services().await {
                Ok(list) => self.services.set(list),
                Err(e) => return self.report(e),
            }
            // Suggestions only: a backend without them is fine.
            self.tag_names.set(client.tag_names().await.unwrap_or_default());
        });
    }

    pub fn load_operations(self, service: String) {
        let Some(backend) = self.backend.get_untracked() else { return };
        self.operations.set(Vec::new());
        self.remote_services.set(Vec::new());
        if service.is_empty() {
            return;
        }
        let canceller = self.list_requests.with_value(|c| (**c).clone());
        spawn_local(async move {
            let client = Client { backend: &backend, canceller: &canceller };
            match client.operations(&service).await {
                Ok(list) => self.operations.set(list),
                Err(e) => return self.report(e),
            }
            self.remote_services.set(client.remote_services(&service).await.unwrap_or_default());
        });
    }

    /// Suggests values for the tag being typed, once per key.
    pub fn load_tag_values(self, key: String) {
        if self.tag_values.with_untracked(|(k, _)| *k == key)
            || !self.tag_names.with_untracked(|n| n.contains(&key))
        {
            return;
        }
        let Some(backend) = self.backend.get_untracked() else { return };
        self.tag_values.set((key.clone(), Vec::new()));
        let canceller = self.list_requests.with_value(|c| (**c).clone());
        spawn_local(async move {
            let client = Client { backend: &backend, canceller: &canceller };
            if let Ok(values) = client.tag_values(&key).await {
                self.tag_values.set((key, values));
            }
        });
    }

    fn write_url(self) {
        let Some(backend) = self.backend.get_untracked() else { return };
        let mut params: Vec<(&str, String)> =
            vec![("view", "search".into()), ("backend", backend.name.clone())];
        params.extend(self.query.get_untracked().to_params());
        let sort = self.sort.get_untracked();
        if sort != SortOrder::default() {
            params.push(("sort", sort.key().into()));
        }
        crate::url_state::replace_params(&params);
    }

    /// Runs the form's search; a newer search cancels this one.
    pub fn run(self) {
        let Some(backend) = self.backend.get_untracked() else {
            self.status.set(Status::Error("Add a backend in Settings first.".into()));
            return;
        };
        let query = self.query.get_untracked();
        let canceller = self.search_requests.with_value(|c| {
            c.cancel_all();
            (**c).clone()
        });
        self.write_url();
        self.status.set(Status::Busy(format!("Searching {}…", backend.name)));
        spawn_local(async move {
            let started = js_sys::Date::now();
            let client = Client { backend: &backend, canceller: &canceller };
            match client.search(&query, now_ns()).await {
                Ok(results) => {
                    let traces: Vec<Arc<Trace>> =
                        results.traces.into_iter().map(Arc::new).collect();
                    let mut services: Vec<String> = results
                        .hits
                        .iter()
                        .flat_map(|h| h.services.iter().map(|s| s.name.clone()))
                        .collect();
                    spanscope_core::sort::sort(&mut services);
                    services.dedup();
                    let mut hits = results.hits;
                    sort_hits(&mut hits, self.sort.get_untracked());
                    let found = Found {
                        backend,
                        hits,
                        traces,
                        warnings: results.warnings,
                        services,
                        took_ms: js_sys::Date::now() - started,
                    };
                    self.checked.set(Default::default());
                    self.found.set(Some(Arc::new(found)));
                    self.status.set(Status::Idle);
                }
                Err(e) => self.report(e),
            }
        });
    }

    pub fn resort(self, order: SortOrder) {
        self.sort.set(order);
        self.found.update(|f| {
            if let Some(found) = f {
                let mut sorted = Found::clone(found);
                sort_hits(&mut sorted.hits, order);
                *f = Some(Arc::new(sorted));
            }
        });
        self.write_url();
    }

    /// Opens the hits with these trace ids: whole traces at once, summaries fetched by id.
    pub fn open(self, ids: Vec<String>) {
        self.open_then(ids, None);
    }

    /// Opens the two ticked hits and compares them, the earlier request as A.
    pub fn compare_checked(self) {
        let Some(found) = self.found.get_untracked() else { return };
        let mut hits: Vec<_> = self
            .checked
            .with_untracked(|c| found.hits.iter().filter(|h| c.contains(&h.trace_id)).collect());
        spanscope_core::sort::sort_by_key(&mut hits, |h| h.start_ns);
        if let [a, b] = hits[..] {
            self.open_then(vec![a.trace_id.clone(), b.trace_id.clone()], Some(a.trace_id.clone()));
        }
    }

    /// Opens hits, then compares them when `compare_a` names the one to show as A.
    fn open_then(self, ids: Vec<String>, compare_a: Option<String>) {
        let deliver = move |traces: Vec<LoadedTrace>| {
            let outcome = LoadOutcome::opened_traces(traces);
            match &compare_a {
                Some(a) => self.workspace.accept_and_compare(outcome, a),
                None => {
                    self.workspace.accept(outcome);
                }
            }
        };
        let Some(found) = self.found.get_untracked() else { return };
        let name = found.backend.name.clone();
        let mut ready = Vec::new();
        let mut fetch = Vec::new();
        for id in ids {
            match found.hits.iter().find(|h| h.trace_id == id).and_then(|h| h.full) {
                Some(i) => ready.push(LoadedTrace::from_backend(&name, found.traces[i].clone())),
                None => fetch.push(id),
            }
        }
        if fetch.is_empty() {
            deliver(ready);
            return;
        }
        self.status.set(Status::Busy(format!("Loading {} trace(s) from {name}…", fetch.len())));
        let canceller = Canceller::default();
        spawn_local(async move {
            let client = Client { backend: &found.backend, canceller: &canceller };
            let mut problems = Vec::new();
            for id in fetch {
                match client.trace(&id).await {
                    Ok(Lookup::Found(traces, _)) => ready.extend(
                        traces.into_iter().map(|t| LoadedTrace::from_backend(&name, Arc::new(t))),
                    ),
                    Ok(Lookup::NotFound) => problems
                        .push(format!("Trace {id} was not found in {name} (it may have expired)")),
                    Err(e) => problems.extend(e.message()),
                }
            }
            self.status.set(if problems.is_empty() {
                Status::Idle
            } else {
                Status::Error(problems.join("\n"))
            });
            if !ready.is_empty() {
                deliver(ready);
            }
        });
    }

    pub fn open_graph(self, graph: LoadedGraph) {
        self.workspace.accept(LoadOutcome::opened_graph(graph));
    }

    /// The backend's own dependency graph over the form's time range.
    pub fn dependencies(self) {
        let Some(backend) = self.backend.get_untracked() else { return };
        let (start, end) = self.query.get_untracked().bounds(now_ns());
        self.status.set(Status::Busy(format!("Loading dependencies from {}…", backend.name)));
        let canceller = self.search_requests.with_value(|c| (**c).clone());
        spawn_local(async move {
            let client = Client { backend: &backend, canceller: &canceller };
            match client.dependencies(end, end - start).await {
                Ok(Some(links)) => {
                    self.status.set(Status::Idle);
                    let lookback = spanscope_backend::units::format_lookback(end - start);
                    self.open_graph(LoadedGraph {
                        source: format!("dependencies of {} (last {lookback})", backend.name),
                        graph: Arc::new(ServiceGraph::from_links(&links)),
                    });
                }
                Ok(None) => self.status.set(Status::Error(format!(
                    "{} is a Tempo backend: Tempo keeps service graphs in Prometheus (metrics-generator), not behind its own API. Search traces and use the service graph of the results instead.",
                    backend.name
                ))),
                Err(e) => self.report(e),
            }
        });
    }
}

/// Runs the trace reader once on a small generated answer while the user fills in the form.
/// Browsers first run wasm through a quick baseline compiler and optimize hot code later; a
/// warm reader reads a large search answer two to three times faster than a cold one.
pub(crate) fn warm_up_reader() {
    let Some(window) = web_sys::window() else { return };
    let warm = wasm_bindgen::closure::Closure::once_into_js(|| {
        let text = warm_up_answer(200, 20);
        for _ in 0..3 {
            let _ = spanscope_backend::responses::search_results(
                spanscope_backend::Api::JaegerV1,
                200,
                text.as_bytes(),
            );
        }
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        wasm_bindgen::JsCast::unchecked_ref(&warm),
        300,
    );
}

/// A Jaeger search answer of `traces` small traces, written directly (the core's writers
/// would add their code to the app just for this).
fn warm_up_answer(traces: usize, spans: usize) -> String {
    let mut out = String::from("{\"data\":[");
    for t in 0..traces {
        if t > 0 {
            out.push(',');
        }
        out.push_str(&format!("{{\"traceID\":\"{:032x}\",\"processes\":{{\"p1\":{{\"serviceName\":\"warm-up\",\"tags\":[]}}}},\"spans\":[", t + 1));
        for s in 0..spans {
            if s > 0 {
                out.push(',');
            }
            let refs = if s == 0 {
                String::new()
            } else {
                format!(
                    "{{\"refType\":\"CHILD_OF\",\"traceID\":\"{:032x}\",\"spanID\":\"{:016x}\"}}",
                    t + 1,
                    s
                )
            };
            out.push_str(&format!(
                "{{\"traceID\":\"{:032x}\",\"spanID\":\"{:016x}\",\"operationName\":\"GET /warm/{s}\",\"references\":[{refs}],\"startTime\":{},\"duration\":{},\"processID\":\"p1\",\"tags\":[{{\"key\":\"http.status_code\",\"type\":\"int64\",\"value\":200}},{{\"key\":\"error\",\"type\":\"bool\",\"value\":false}},{{\"key\":\"http.url\",\"type\":\"string\",\"value\":\"https://example.com/a\\u00e9\"}}],\"logs\":[{{\"timestamp\":1,\"fields\":[{{\"key\":\"event\",\"type\":\"string\",\"value\":\"x\"}}]}}]}}",
                t + 1,
                s + 1,
                1_700_000_000_000_000 + s as u64 * 10,
                1000 - s
            ));
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out
}

#[component]
pub fn SearchPage(
    settings: RwSignal<Settings>,
    requested_service: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = SearchState::new(expect_context::<Workspace>());
    warm_up_reader();
    // "Search the backend" from a graph: that service, with the current backend.
    Effect::new(move |_| {
        let Some(service) = requested_service.get() else { return };
        if state.backend.with(|b| b.is_none()) {
            return;
        }
        requested_service.set(None);
        state.query.update(|q| {
            q.service = service.clone();
            q.operation.clear();
        });
        state.load_operations(service);
        state.run();
    });
    // Choose the first backend once the configuration has loaded: the URL's, else the default.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let s = settings.get();
        if !s.loaded {
            return false;
        }
        let wanted = crate::url_state::param("backend");
        if let Some(b) = s.initial_backend(wanted.as_deref()) {
            let from_url = wanted.as_deref() == Some(b.name.as_str())
                && crate::url_state::param("view").as_deref() == Some("search");
            state.choose_backend(b, from_url);
            // A shared search link runs its search straight away.
            if from_url
                && (crate::url_state::param("service").is_some()
                    || crate::url_state::param("tags").is_some()
                    || b_is_not_jaeger(&state))
            {
                state.run();
            }
        }
        true
    });
    view! {
        <section class="search-page" data-testid="search-page">
            <form::SearchForm state=state settings=settings/>
            {move || match state.status.get() {
                Status::Idle => None,
                Status::Busy(m) => Some(view! { <p class="busy" data-testid="search-busy">{m}</p> }.into_any()),
                Status::Error(m) => Some(view! { <p class="error" role="alert" data-testid="search-error">{m}</p> }.into_any()),
            }}
            {move || state.found.get().map(|found| view! { <results::Results state=state found=found/> })}
        </section>
    }
}

fn b_is_not_jaeger(state: &SearchState) -> bool {
    state.backend.with_untracked(|b| {
        b.as_ref().is_some_and(|b| b.kind != spanscope_backend::BackendKind::Jaeger)
    })
}
