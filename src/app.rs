//! The page shell: open traces (picker, drag-and-drop, paste, URL, samples, a generated large
//! trace), list every loaded trace, and show the selected one in the trace view.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::load::{self, LoadOutcome, LoadedGraph, LoadedTrace, TraceSource};
use crate::perf;
use crate::reader::{self, Progress};
use crate::route::{Nav, Page, Route, TraceTab};
use crate::trace_view::graph_view::GraphView;
use crate::trace_view::TraceView;
use crate::workspace::Workspace;
use spanscope_core::format::format_duration_us;

/// Samples bundled in `public/samples`, fetched relative to the page so any base path works:
/// (button, what it holds, path). Labels are short so the top bar stays one line at 1440 px.
const SAMPLES: [(&str, &str, &str); 3] = [
    ("Checkout", "E-commerce checkout: Jaeger, 5 spans", "samples/checkout.jaeger.json"),
    ("Shop backend", "Shop backend: OTLP, 400 spans, errors", "samples/shop.otlp.json"),
    (
        "N+1 queries",
        "Order history with N+1 queries: Zipkin, 29 spans, repeated calls",
        "samples/orders-n-plus-one.zipkin.json",
    ),
];

/// The N+1 sample after its queries were batched: compared with it from the welcome text.
const COMPARE_SAMPLE: &str = "samples/orders-batched.zipkin.json";

/// Keys pressed inside the app's root element go to the view that registered here (the
/// open trace's keyboard navigation). Nothing listens on `window`.
#[derive(Clone, Copy)]
pub struct KeyTarget(RwSignal<Option<(u64, Callback<leptos::ev::KeyboardEvent>)>>);

impl KeyTarget {
    /// Registers `handler`; returns the id that [`KeyTarget::clear`] takes.
    pub fn set(&self, handler: Callback<leptos::ev::KeyboardEvent>) -> u64 {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.set(Some((id, handler)));
        id
    }

    /// Removes the handler `id`, unless another view has registered since.
    pub fn clear(&self, id: u64) {
        if self.0.with_untracked(|h| h.as_ref().is_some_and(|(current, _)| *current == id)) {
            self.0.set(None);
        }
    }

    fn dispatch(&self, ev: leptos::ev::KeyboardEvent) {
        if let Some((_, handler)) = self.0.get_untracked() {
            handler.run(ev);
        }
    }
}

#[component]
pub fn App(boot: crate::boot::BootOptions) -> impl IntoView {
    crate::url_state::init(&boot);
    if let Some(root) = boot.theme_root() {
        crate::theme::provide(root);
    }
    let settings = crate::remote::settings::provide(boot.config_url.clone());
    let root = NodeRef::<leptos::html::Main>::new();
    let keys = KeyTarget(RwSignal::new(None));
    provide_context(keys);
    if boot.take_focus {
        Effect::new(move |_| {
            if let Some(el) = root.get() {
                let _ = el.focus();
            }
        });
    }
    let nav = Nav::new(Route::from_view_param(crate::url_state::param("view").as_deref()));
    provide_context(nav);
    let page = Memo::new(move |_| nav.route().page());
    let ws = Workspace::new(nav);
    provide_context(ws);
    let (traces, graphs, messages, busy) = (ws.traces, ws.graphs, ws.messages, ws.busy);
    // Traces ticked in the list for comparing, in the order ticked (A first).
    let picks = RwSignal::new(Vec::<usize>::new());
    // A service chosen in a graph: the trace list shows only traces through it.
    let through = RwSignal::new(None::<String>);
    // A service to search for on the search page (from a graph).
    let search_request = RwSignal::new(None::<String>);
    let accept = move |outcome: LoadOutcome| {
        ws.accept(outcome);
    };

    let open_files = move |files: web_sys::FileList| {
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        if files.is_empty() {
            return;
        }
        spawn_local(async move {
            for file in files {
                perf::mark(perf::LOAD_START);
                let from = TraceSource::File(file.name());
                accept(reader::read(from, file.into(), busy).await);
            }
            busy.set(None);
        });
    };

    // A trace fetched from a URL: `?url=` (read in a worker, with progress), or a bundled
    // sample (small: read on the page while any other load goes on).
    let open_url = move |source: TraceSource| {
        spawn_local(async move {
            perf::mark(perf::LOAD_START);
            let outcome = match &source {
                TraceSource::Url(url) => {
                    let url = url.clone().into();
                    let outcome = reader::read(source, url, busy).await;
                    busy.set(None);
                    outcome
                }
                _ => load::fetched(source).await,
            };
            accept(outcome);
        });
    };

    // The page that embeds the app: events out, `postMessage` requests in.
    let host_requests = crate::host::HostRequests::new(boot.element.is_none());
    provide_context(host_requests);
    crate::host::install(
        ws,
        settings,
        crate::host::Openers {
            url: Callback::new(open_url),
            input: Callback::new(move |(from, input): (TraceSource, wasm_bindgen::JsValue)| {
                spawn_local(async move {
                    perf::mark(perf::LOAD_START);
                    let outcome = reader::read(from, input, busy).await;
                    busy.set(None);
                    accept(outcome);
                });
            }),
        },
        host_requests,
        nav,
        boot.element.as_ref().map(|e| e.inbox.clone()),
    );
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            host_requests.set_root(el.into());
        }
    });

    // Two traces fetched and compared: `?compare=URL_A|URL_B`, or the welcome line's link
    // (the N+1 sample and its batched rewrite).
    let open_compare = move |sources: [TraceSource; 2]| {
        busy.set(Some(Progress::new("Comparing".into())));
        spawn_local(async move {
            let mut indexes = Vec::new();
            for source in sources {
                indexes.extend(ws.accept(load::fetched(source).await));
            }
            busy.set(None);
            if let [a, b] = indexes[..] {
                nav.go(Route::Compare { a, b });
            }
        });
    };
    let compare_samples = move || {
        open_compare([
            TraceSource::Sample(SAMPLES[2].2.to_string()),
            TraceSource::Sample(COMPARE_SAMPLE.to_string()),
        ])
    };

    let open_text = move |text: String| {
        perf::mark(perf::LOAD_START);
        accept(load::parse(TraceSource::Pasted, text.as_bytes()));
    };
    // Pasting JSON anywhere in the app (outside a text field) opens it.
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        if crate::canvas::from_text_field(ev.target()) {
            return;
        }
        if let Some(text) = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text").ok())
            .filter(|t| !t.trim().is_empty())
        {
            ev.prevent_default();
            // JSON opens as a trace; other text (a traceparent, a log line, a trace URL)
            // opens the trace ids it holds.
            let json = text.trim_start().starts_with(['{', '[']);
            if json {
                open_text(text);
            } else if let Err(e) = crate::search::lookup::open_ids_in(&text, ws, settings, None) {
                accept(LoadOutcome::failed(format!("The pasted text is not trace JSON. {e}")));
            }
        }
    };
    let paste_dialog = RwSignal::new(false);
    let generate = move |spans: usize| {
        busy.set(Some(Progress::new(TraceSource::Generated(spans).label())));
        // Let the "Reading…" text paint before the (synchronous) generation starts.
        spawn_local(async move {
            load::yield_to_browser(30).await;
            perf::mark(perf::LOAD_START);
            accept(load::generated(spans));
            busy.set(None);
        });
    };

    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            open_files(files);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            open_files(files);
        }
    };

    // A deep link opens what it names: a trace URL, a generated trace, or a trace of a
    // configured backend. Otherwise the first visit shows a real trace (or, if the site's
    // config.json says so, the search page).
    let start = crate::url_state::read();
    let boot_samples = boot.samples;
    let compare =
        crate::url_state::param("compare").and_then(|c| crate::url_state::compare_sources(&c));
    // With `backend=`, the two are trace ids looked up there.
    let backend_compare = compare.clone().filter(|_| start.backend.is_some());
    match (start.url, start.generate) {
        _ if compare.is_some() && backend_compare.is_none() => {
            let [a, b] = compare.unwrap_or_default();
            open_compare([TraceSource::Url(a), TraceSource::Url(b)]);
        }
        (Some(url), _) => open_url(TraceSource::Url(url)),
        (None, Some(spans)) => generate(spans),
        (None, None) => {
            let (backend, view) = (start.backend, start.view);
            let ids: Option<Vec<String>> = backend_compare
                .map(Vec::from)
                .or_else(|| start.trace.map(|t| vec![hex_lowercase(t)]));
            Effect::new(move |done: Option<bool>| {
                if done == Some(true) || !settings.with(|s| s.loaded) {
                    return done.unwrap_or(false);
                }
                let s = settings.get_untracked();
                // Without `backend=` (Jaeger's `/trace/ID` redirected by `spanscope serve`),
                // every backend is asked, as the Trace ID box does.
                if let Some(ids) = ids.clone() {
                    let chosen: Vec<_> = s
                        .backends()
                        .into_iter()
                        .filter(|b| backend.as_ref().is_none_or(|name| &b.name == name))
                        .collect();
                    if chosen.is_empty() {
                        accept(LoadOutcome::failed(match &backend {
                            Some(backend) => format!("This link names backend `{backend}`, which is not configured here; add it in Settings."),
                            None => format!("This link opens trace {}, but no backend is configured here; add one in Settings.", ids[0]),
                        }));
                    } else {
                        let label = backend.clone().unwrap_or_else(|| ids[0].clone());
                        busy.set(Some(Progress::new(label)));
                        spawn_local(async move {
                            let a = ids[0].clone();
                            let outcome = crate::search::lookup::look_up(ids, chosen).await;
                            busy.set(None);
                            ws.accept_and_compare(outcome, &a);
                        });
                    }
                } else if view.is_none()
                    && s.site.ui.start_page.as_deref() == Some("search")
                    && !s.backends().is_empty()
                {
                    nav.go(Route::Search);
                } else if view.is_none() && boot_samples && s.site.ui.samples != Some(false) {
                    open_url(TraceSource::Sample(SAMPLES[0].2.to_string()));
                }
                true
            });
        }
    }
    provide_context(crate::trace_view::graph_view::ServiceActions {
        traces_through: Callback::new(move |service: String| {
            through.set(Some(service));
            nav.go_to_page(Page::Traces);
        }),
        search: Callback::new(move |service: String| {
            search_request.set(Some(service));
            nav.go(Route::Search);
        }),
    });
    let search_visited = RwSignal::new(false);
    // Set once: setting it again would rebuild the search page (and drop its state).
    Effect::new(move |_| {
        if page.get() == Page::Search && !search_visited.get_untracked() {
            search_visited.set(true);
        }
    });
    let shown = Memo::new(move |_| nav.route().view());
    let embedded = boot.embed.is_some();
    let samples_on = move || boot_samples && settings.with(|s| s.site.ui.samples != Some(false));
    let nav = move |target: Page, label: &'static str, testid: &'static str| {
        view! {
            <button class="tab" class:active=move || page.get() == target data-testid=testid
                on:click=move |_| {
                    nav.go_to_page(target);
                    if target == Page::Settings { crate::url_state::replace_params(&[("view", "settings".into())]); }
                }>{label}</button>
        }
    };

    view! {
        <main class="page" class:embed=embedded data-hide=boot.embed.clone() tabindex="-1" node_ref=root on:paste=on_paste on:keydown=move |ev| keys.dispatch(ev)
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
            {embedded.then(|| view! {
                <a class="open-full" data-testid="open-full" target="_blank" rel="noopener noreferrer" href=crate::embed::full_app_href
                    on:pointerdown=|ev| set_href(ev.current_target()) on:focus=|ev| set_href(ev.current_target())>"Open in Spanscope ↗"</a>
            })}
            <header class="top">
                <h1>"Spanscope"</h1>
                <label class="button">
                    "Open trace files…"
                    <input type="file" multiple accept=".json,.jsonl,.gz,.pb,.bin,application/json,application/gzip,application/x-protobuf" data-testid="file-input" on:change=on_pick/>
                </label>
                <span class="group" class:hidden=move || !samples_on()>
                    <span class="hint">"Samples:"</span>
                    {SAMPLES.iter().map(|(label, title, path)| {
                        let path = path.to_string();
                        view! { <button class="button secondary" title=*title on:click=move |_| open_url(TraceSource::Sample(path.clone()))>{*label}</button> }
                    }).collect_view()}
                    <button class="button secondary" data-testid="generate-large" on:click=move |_| generate(100_000)
                        title="Builds a realistic 100,000-span trace in your browser">"Generated 100k"</button>
                </span>
                <button class="button secondary" on:click=move |_| paste_dialog.set(true)>"Paste JSON…"</button>
                <span class="spacer"></span>
                <crate::theme::ThemeToggle initial=crate::url_state::param("theme")/>
            </header>
            <LoadProgress busy=busy/>
            {move || paste_dialog.get().then(|| view! {
                <PasteDialog on_open=move |text| { paste_dialog.set(false); open_text(text); }
                    on_close=move || paste_dialog.set(false)/>
            })}
            {move || messages.with(|m| m.error.clone()).map(|error| view! { <p class="error" role="alert" data-testid="load-error">{error}</p> })}
            <For each=move || messages.with(|m| m.notices.clone()) key=|n| n.clone() let:notice>
                <p class="notice">{notice}</p>
            </For>
            <nav class="tabs pages">
                {nav(Page::Traces, "Traces", "page-traces")}
                {nav(Page::Search, "Search", "page-search")}
                {nav(Page::Settings, "Settings", "page-settings")}
                <span class="spacer"></span>
                <crate::search::lookup::TraceIdLookup settings=settings/>
            </nav>
            // Mounted on first visit (no backend requests before), then kept with its results.
            {move || search_visited.get().then(|| view! {
                <div class:hidden=move || page.get() != Page::Search>
                    <crate::search::SearchPage settings=settings requested_service=search_request/>
                </div>
            })}
            {move || (page.get() == Page::Settings).then(|| view! { <crate::search::settings_page::SettingsPage settings=settings/> })}
            <div class:hidden=move || page.get() != Page::Traces>
            <div class:hidden=move || !traces.with(|t| t.iter().all(|t| t.source.is_sample()))>
                <GettingStarted compare_samples=compare_samples/>
            </div>
            // With a trace open, the list is a compact switcher (one row, scrolls) so the
            // timeline gets the screen.
            <div class="lists" class:compact=move || matches!(shown.get(), Route::Trace { .. } | Route::Compare { .. })>
                <div class="trace-list-box" class:hidden=move || traces.with(|t| t.is_empty())>
                    <TraceList traces=traces through=through picks=picks/>
                </div>
                <CompareButton picks=picks shown=Signal::derive(move || traces.with(|t| t.len() >= 2))/>
                <GraphList graphs=graphs has_traces=Signal::derive(move || traces.with(|t| !t.is_empty()))/>
            </div>
            // Rebuilt when the view changes, not when a trace's tab does.
            {move || match shown.get() {
                Route::Trace { index, .. } => ws.shown(index).map(|loaded| view! { <TraceView loaded=loaded/> }.into_any()),
                Route::Compare { a, b } => traces.with(|list| Some((list.get(a)?.clone(), list.get(b)?.clone())))
                    .map(|(loaded_a, loaded_b)| view! { <crate::compare::CompareView a=a b=b loaded_a=loaded_a loaded_b=loaded_b/> }.into_any()),
                Route::LinkGraph(i) => graphs.with(|g| g.get(i).cloned()).map(|g| {
                    view! { <h2>{format!("Service graph: {}", g.source)}</h2><GraphView graph=g.graph/> }.into_any()
                }),
                Route::Aggregate => {
                    let graph = traces.with(|list| spanscope_graph::ServiceGraph::from_traces(list.iter().map(|t| &*t.trace)));
                    let n = traces.with(|t| t.len());
                    Some(view! { <h2>{format!("Service graph of {n} loaded trace(s)")}</h2><GraphView graph=std::sync::Arc::new(graph)/> }.into_any())
                }
                Route::Search | Route::Settings => None,
            }}
            </div>
        </main>
    }
}

/// The embedded view's link to the full app, brought up to date just before it is followed.
fn set_href(link: Option<web_sys::EventTarget>) {
    use wasm_bindgen::JsCast;
    if let Some(a) = link {
        let _ = a
            .unchecked_into::<web_sys::Element>()
            .set_attribute("href", &crate::embed::full_app_href());
    }
}

/// The load under way: what it reads, a bar (bytes read; indeterminate while parsing) and,
/// when a worker reads, *Cancel*.
#[component]
fn LoadProgress(busy: RwSignal<Option<Progress>>) -> impl IntoView {
    move || {
        busy.get().map(|p| {
            let percent = p.percent().map(|v| v.round());
            view! {
                <p class="busy" data-testid="load-status">
                    <progress data-testid="load-progress" max="100" value=percent aria-valuenow=percent></progress>
                    " "{p.text()}" "
                    {p.cancellable.then(|| view! {
                        <button class="small" data-testid="load-cancel" on:click=move |_| reader::cancel(busy)>"Cancel"</button>
                    })}
                </p>
            }
        })
    }
}

#[component]
fn PasteDialog(
    on_open: impl Fn(String) + 'static + Copy + Send + Sync,
    on_close: impl Fn() + 'static + Copy + Send + Sync,
) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    view! {
        <div class="overlay" on:click=move |_| on_close()>
            <div class="help paste" on:click=|ev| ev.stop_propagation()>
                <h3>"Paste trace JSON"</h3>
                <textarea node_ref=area data-testid="paste-input" rows="14" placeholder="Jaeger, Zipkin or OTLP JSON"></textarea>
                <p>
                    <button class="button" data-testid="paste-open" on:click=move |_| {
                        if let Some(a) = area.get() { on_open(a.value()); }
                    }>"Open"</button>" "
                    <button class="small" on:click=move |_| on_close()>"Cancel"</button>
                </p>
            </div>
        </div>
    }
}

#[component]
fn GettingStarted(compare_samples: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <section class="welcome">
            <p><b>"See where a request spent its time"</b>" or "
            <button class="link" data-testid="compare-samples" title="The N+1 sample before and after its queries were batched"
                on:click=move |_| compare_samples()>"what changed between two requests"</button>". "
            "Open a trace exported from Jaeger, Zipkin, Tempo or any OpenTelemetry tool with the button above, drop files anywhere on this page, or try a sample; a sample checkout request is open below. "
            "Spanscope reads Jaeger, Zipkin v1/v2 and OTLP JSON, including Tempo's and the OpenTelemetry Collector's output. Everything stays in your browser: nothing is uploaded."</p>
        </section>
    }
}

/// Opens the compare view for the two ticked traces: the first ticked is A.
#[component]
fn CompareButton(picks: RwSignal<Vec<usize>>, shown: Signal<bool>) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let compare = move |_| {
        if let [a, b] = picks.get_untracked()[..] {
            nav.go(Route::Compare { a, b });
        }
    };
    view! {
        <button class="small" data-testid="compare-button" class:hidden=move || !shown.get() disabled=move || picks.with(|p| p.len() != 2) on:click=compare
            title="Compare the two ticked traces by call path: the first ticked is A, the second B">
            {move || match picks.with(|p| p.len()) {
                2 => "Compare the ticked traces".to_string(),
                n => format!("Tick two traces to compare ({n} of 2)"),
            }}
        </button>
    }
}

#[component]
fn GraphList(graphs: RwSignal<Vec<LoadedGraph>>, has_traces: Signal<bool>) -> impl IntoView {
    let nav = expect_context::<Nav>();
    view! {
        <div class="graph-list">
            <button class="small" data-testid="aggregate-graph" class:hidden=move || !has_traces.get()
                on:click=move |_| nav.go(Route::Aggregate)>"Service graph of all loaded traces"</button>
            {move || graphs.with(|g| g.iter().enumerate().map(|(i, g)| {
                let label = format!("Graph: {} ({} services, {} links)", g.source, g.graph.nodes.len(), g.graph.edges.len());
                view! { <button class="small" data-testid="link-graph" on:click=move |_| nav.go(Route::LinkGraph(i))>{label}</button> }
            }).collect_view())}
        </div>
    }
}

#[component]
fn TraceList(
    traces: RwSignal<Vec<LoadedTrace>>,
    through: RwSignal<Option<String>>,
    picks: RwSignal<Vec<usize>>,
) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let toggle_pick = move |i: usize, on: bool| {
        picks.update(|p| {
            p.retain(|&x| x != i);
            if on {
                p.push(i);
                if p.len() > 2 {
                    p.remove(0);
                }
            }
        })
    };
    let shown = move |t: &LoadedTrace| {
        through.with(|s| s.as_ref().is_none_or(|s| t.summary.services.contains(s)))
    };
    view! {
        {move || through.get().map(|service| {
            let count = traces.with(|list| list.iter().filter(|t| t.summary.services.contains(&service)).count());
            view! {
                <p class="notice" data-testid="through-filter">
                    {format!("Showing the {count} loaded trace(s) through {service}. ")}
                    <button class="small" on:click=move |_| through.set(None)>"Show all"</button>
                </p>
            }
        })}
        <table class="trace-list" data-testid="trace-list">
            <thead><tr><th title="Tick two traces to compare them">"Cmp"</th><th>"Root"</th><th>"Trace ID"</th><th>"Start (UTC)"</th><th>"Spans"</th><th>"Errors"</th><th>"Duration"</th><th>"Source"</th></tr></thead>
            <tbody>
                {move || traces.with(|list| list.iter().enumerate().filter(|(_, t)| shown(t)).map(|(i, t)| {
                    let s = &t.summary;
                    let class = move || if nav.traces_route().trace_index() == Some(i) { "selected" } else { "" };
                    view! {
                        <tr class=class on:click=move |_| nav.go(Route::Trace { index: i, tab: TraceTab::Timeline })>
                            <td on:click=|ev| ev.stop_propagation()>
                                <input type="checkbox" data-testid="compare-pick" title="Tick two traces to compare them"
                                    prop:checked=move || picks.with(|p| p.contains(&i))
                                    on:change=move |ev| toggle_pick(i, event_target_checked(&ev))/>
                            </td>
                            <td>{format!("{}: {}", s.root_service_name, s.root_span_name)}</td>
                            <td class="mono">{s.trace_id.clone()}</td>
                            <td>{spanscope_core::format::format_utc(s.start_time_micros * 1000)}</td>
                            <td>{s.span_count}</td>
                            <td>{s.error_span_count}</td>
                            <td>{format_duration_us(s.duration_micros)}</td>
                            <td>{t.source.label()}</td>
                        </tr>
                    }
                }).collect_view())}
            </tbody>
        </table>
    }
}

/// A hex trace id as backends store it (Jaeger UI's links may carry upper case); any other
/// id as it is.
fn hex_lowercase(id: String) -> String {
    if id.bytes().all(|b| b.is_ascii_hexdigit()) {
        id.to_ascii_lowercase()
    } else {
        id
    }
}
