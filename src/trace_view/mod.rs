//! The trace page: header, find bar, minimap, waterfall and span detail for one loaded trace.

mod detail;
mod export;
mod find;
mod flame_view;
mod focus;
mod graph_canvas;
pub mod graph_view;
mod header;
mod keys;
mod minimap;
mod privacy_panel;
mod spans_view;
mod stats_view;
mod typical;
mod typical_fetch;
mod waterfall;

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::analysis::TraceAnalysis;
use spanscope_core::view::find::Filter;
use spanscope_core::view::rows::{Row, RowModel};
use spanscope_core::view::skew::{adjust, Adjusted};
use spanscope_core::view::viewport::Window;
use spanscope_core::Trace;

use crate::load::{LoadedTrace, TraceSource};
use crate::route::TraceTab;
use crate::url_state::{self, UrlState};
use spanscope_core::view::palette::ServiceColours;

/// What the trace page's parts share, by concern. Signals are `Copy`, so this is too.
#[derive(Clone, Copy)]
pub struct ViewState {
    pub trace: StoredValue<Arc<Trace>>,
    /// Critical path, self times, error paths: computed once, when the trace opens.
    pub analysis: StoredValue<Arc<TraceAnalysis>>,
    pub viewport: Viewport,
    pub selection: Selection,
    pub find: FindState,
    pub display: Display,
    /// The span the page is re-rooted on; `trace` is then that span's subtree.
    pub focus: focus::FocusCtl,
}

/// Which part of the trace is on screen: the zoom window, and the rows (what is collapsed).
#[derive(Clone, Copy)]
pub struct Viewport {
    pub window: RwSignal<Window>,
    pub rows: RwSignal<RowModel>,
}

/// The span the user chose, the one under the pointer, and one to bring into view.
#[derive(Clone, Copy)]
pub struct Selection {
    pub selected: RwSignal<Option<u32>>,
    pub hovered: RwSignal<Option<u32>>,
    /// A span the waterfall should scroll into view.
    pub scroll_to: RwSignal<Option<u32>>,
}

/// Find in trace: the query and quick filters, what they match (derived, never written),
/// and the match the user stepped to.
#[derive(Clone, Copy)]
pub struct FindState {
    pub filter: RwSignal<Filter>,
    pub only_matches: RwSignal<bool>,
    pub found: Memo<Arc<Found>>,
    pub current: RwSignal<Option<usize>>,
}

/// The spans a filter matches: in pre-order, and a flag per span for drawing.
#[derive(Default, PartialEq)]
pub struct Found {
    pub spans: Vec<u32>,
    pub flags: Vec<bool>,
}

/// How spans are drawn: service colours, and clock-skew-adjusted starts when turned on.
#[derive(Clone, Copy)]
pub struct Display {
    /// Colour per interned service symbol, from the workspace's `ServiceColours` (so a
    /// service looks the same in every trace).
    service_colour: StoredValue<Vec<(u8, u8, u8)>>,
    pub skew: RwSignal<Option<Arc<Adjusted>>>,
    /// Draw the critical path on the bars (on by default, as in Jaeger UI).
    pub critical_path: RwSignal<bool>,
    /// Link arrows for every span, not only the selected one.
    pub all_links: RwSignal<bool>,
    /// The statistics' grouping, as the pickers' values (`then_by` empty for none).
    pub group_by: RwSignal<String>,
    pub then_by: RwSignal<String>,
    /// This trace rated against the other loaded traces of its endpoint (*vs typical*).
    pub typical: RwSignal<Option<Arc<typical::Typical>>>,
}

impl ViewState {
    fn new(trace: Arc<Trace>, colours: &ServiceColours, focus: focus::FocusCtl) -> ViewState {
        let rows = RowModel::for_trace(&trace);
        let mut colour = vec![(128, 128, 128); trace.strings.len()];
        for (service, _) in trace.service_counts() {
            colour[service.0 as usize] = colours.colour(trace.str(service));
        }
        let analysis = StoredValue::new(Arc::new(TraceAnalysis::of(&trace)));
        let trace = StoredValue::new(trace);
        let filter = RwSignal::new(Filter::default());
        let found = Memo::new(move |_| {
            let spans = filter.with(|f| {
                trace.with_value(|t| {
                    analysis.with_value(|a| spanscope_core::view::find::find_with(t, f, Some(a)))
                })
            });
            let mut flags = vec![false; trace.with_value(|t| t.spans.len())];
            for &m in &spans {
                flags[m as usize] = true;
            }
            Arc::new(Found { spans, flags })
        });
        ViewState {
            trace,
            analysis,
            viewport: Viewport {
                window: RwSignal::new(Window::default()),
                rows: RwSignal::new(rows),
            },
            selection: Selection {
                selected: RwSignal::new(None),
                hovered: RwSignal::new(None),
                scroll_to: RwSignal::new(None),
            },
            find: FindState {
                filter,
                only_matches: RwSignal::new(false),
                found,
                current: RwSignal::new(None),
            },
            display: Display {
                service_colour: StoredValue::new(colour),
                skew: RwSignal::new(None),
                critical_path: RwSignal::new(true),
                all_links: RwSignal::new(false),
                group_by: RwSignal::new("service-operation".to_string()),
                then_by: RwSignal::new(String::new()),
                typical: RwSignal::new(None),
            },
            focus,
        }
    }

    /// What a re-rooted view keeps (span indices change, so a span list is left behind).
    fn carry(&self) -> focus::Carry {
        focus::Carry {
            filter: Filter { only_spans: None, ..self.find.filter.get_untracked() },
            only_matches: self.find.only_matches.get_untracked(),
            critical_path: self.display.critical_path.get_untracked(),
            sibling_groups: self.viewport.rows.with_untracked(|r| r.grouping()),
            group_by: self.display.group_by.get_untracked(),
            then_by: self.display.then_by.get_untracked(),
            select: None,
        }
    }

    fn apply(&self, carry: focus::Carry) {
        self.find.filter.set(carry.filter);
        self.find.only_matches.set(carry.only_matches);
        self.display.critical_path.set(carry.critical_path);
        self.set_sibling_groups(carry.sibling_groups);
        self.display.group_by.set(carry.group_by);
        self.display.then_by.set(carry.then_by);
        if let Some(span) = carry.select.and_then(|s| self.focus.shown_index(s)) {
            self.select_and_show(span);
        }
    }

    /// Folds runs of repeated sibling calls into group rows, or shows every span.
    fn set_sibling_groups(&self, on: bool) {
        self.trace.with_value(|t| self.viewport.rows.update(|r| r.set_grouping(t, on)));
    }

    pub fn colour_of(&self, service: spanscope_core::intern::Sym) -> (u8, u8, u8) {
        self.display
            .service_colour
            .with_value(|c| c.get(service.0 as usize).copied().unwrap_or((128, 128, 128)))
    }

    /// Selects a span, expanding its ancestors and scrolling it into view.
    pub fn select_and_show(&self, span: u32) {
        let rows = self.viewport.rows;
        self.trace.with_value(|t| {
            if !rows.with_untracked(|r| r.showing_only()) {
                rows.update(|r| r.reveal(t, span));
            }
        });
        self.selection.selected.set(Some(span));
        self.selection.scroll_to.set(Some(span));
    }

    /// The pills that are on, as a link says them (`critical,errors,latency`).
    fn pills_param(&self) -> Option<String> {
        self.find.filter.with(|f| {
            let on: Vec<&str> = [
                (f.critical_only, "critical"),
                (f.errors_only, "errors"),
                (f.high_latency, "latency"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
            (!on.is_empty()).then(|| on.join(","))
        })
    }

    /// Applies a link's `span`, `q`, `z`, `tab`, `pills` and `group`.
    fn apply_link(&self, initial: &UrlState) {
        if let Some(q) = &initial.query {
            self.find.filter.update(|f| f.query = q.clone());
        }
        if let Some(pills) = &initial.pills {
            let on = |name: &str| pills.split(',').any(|p| p == name);
            self.find.filter.update(|f| {
                f.critical_only = on("critical");
                f.errors_only = on("errors");
                f.high_latency = on("latency");
            });
        }
        if let Some(group) = &initial.group {
            let (by, then) = group.split_once(',').unwrap_or((group, ""));
            self.display.group_by.set(by.to_string());
            self.display.then_by.set(then.to_string());
        }
        if let Some(tab) = &initial.tab {
            expect_context::<crate::route::Nav>().set_tab(TraceTab::from_key(tab));
        }
        if let Some(w) = initial.window {
            self.viewport.window.set(w);
        }
        if let Some(id) = &initial.span {
            if let Some(i) = self.trace.with_value(|t| t.find_span_by_text(id)) {
                self.select_and_show(i);
            }
        }
    }

    /// Applies `span`, `q`, `z`, `tab`, `pills` and `group` from a link (or, for a view
    /// re-rooted by focus, what the previous view had), then keeps the URL up to date.
    fn sync_url(&self, source: &TraceSource, trace_id: String) {
        let backend = source.backend().map(str::to_string);
        match self.focus.take_carry() {
            Some(carry) => self.apply(carry),
            None => {
                if let Some(initial) = link_for(source, &trace_id) {
                    self.apply_link(&initial);
                }
            }
        }
        // Only traces fetched from a URL (or a backend) can be reproduced by a link.
        let url = source.url().map(str::to_string);
        let trace = backend.is_some().then_some(trace_id);
        let state = *self;
        let nav = expect_context::<crate::route::Nav>();
        Effect::new(move |_| {
            let (pills, tab) = (state.pills_param(), nav.route().tab().key());
            let group = {
                let (by, then) = (state.display.group_by.get(), state.display.then_by.get());
                let default = by == "service-operation" && then.is_empty();
                (!default).then(|| if then.is_empty() { by } else { format!("{by},{then}") })
            };
            let span =
                state.selection.selected.get().map(|i| {
                    state.trace.with_value(|t| t.span_id_string(t.spans[i as usize].span_id))
                });
            url_state::write(&UrlState {
                url: url.clone(),
                span,
                query: Some(state.find.filter.with(|f| f.query.clone())),
                window: Some(state.viewport.window.get()),
                generate: None,
                backend: backend.clone(),
                trace: trace.clone(),
                view: None,
                tab: tab.map(str::to_string),
                pills,
                group,
                focus: state.focus.root().map(|r| {
                    state.focus.whole.with_value(|t| t.span_id_string(t.spans[r as usize].span_id))
                }),
            });
        });
    }
}

/// The link's state, when the link is for this trace (same URL, or same backend and id).
fn link_for(source: &TraceSource, trace_id: &str) -> Option<UrlState> {
    let initial = url_state::read();
    let backend = source.backend();
    // Without `backend=` (Jaeger's `/trace/ID` link), the trace found in any backend.
    let same_backend_trace = backend.is_some()
        && initial.backend.as_deref().is_none_or(|b| Some(b) == backend)
        && initial.trace.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(trace_id));
    ((initial.url.is_some() && initial.url.as_deref() == source.url()) || same_backend_trace)
        .then_some(initial)
}

/// The embedding page's side: `select` requests carried out, selections told.
fn host_link(state: ViewState) {
    if let Some(requests) = use_context::<crate::host::HostRequests>() {
        Effect::new(move |_| {
            let Some(id) = requests.select.get() else { return };
            let found = state.trace.with_value(|t| t.find_span_by_text(&id));
            match found {
                Some(i) => state.select_and_show(i),
                None => crate::host::notify(
                    "error",
                    serde_json::json!({ "message": format!("no span {id} in this trace") }),
                ),
            }
            requests.select.set(None);
        });
    }
    Effect::new(move |_| {
        if let Some(span) = state.selection.selected.get() {
            state.trace.with_value(|t| crate::host::span_selected(t, span));
        }
    });
}

/// Shown on the clock-skew toggle: what it does, in the user's words.
const SKEW_RULE: &str = "When a span of another service (a server answering a client) starts before its parent or ends after it, \
its host's clock is off. Adjusting shifts it and everything below it: centred in the parent when it is shorter, \
aligned to the parent's start when longer (the rule Jaeger and Zipkin use). Spans of the same service are never moved. \
Raw times stay in the span details.";

/// One loaded trace's page; re-rooted (rebuilt on the sub-trace) when focus changes.
#[component]
pub fn TraceView(loaded: LoadedTrace) -> impl IntoView {
    let focus = focus::FocusCtl::new(loaded.trace.clone());
    if let Some(id) = link_for(&loaded.source, &loaded.summary.trace_id).and_then(|l| l.focus) {
        // The link's other state (no carry) applies to the focused view.
        focus.re_root(loaded.trace.find_span_by_text(&id));
    }
    move || {
        let trace = focus.current.with(|f| f.as_ref().map(|f| f.trace.clone()));
        let trace = trace.unwrap_or_else(|| loaded.trace.clone());
        view! { <TracePage loaded=loaded.clone() trace=trace focus=focus/> }
    }
}

#[component]
fn TracePage(loaded: LoadedTrace, trace: Arc<Trace>, focus: focus::FocusCtl) -> impl IntoView {
    let ws = expect_context::<crate::workspace::Workspace>();
    let state = ws.colours.with_value(|c| ViewState::new(trace, c, focus));
    find::track_matches(state);
    state.sync_url(&loaded.source, loaded.summary.trace_id.clone());
    // A link in another loaded trace opened this one at a span.
    if let Some(span) = ws.take_jump(loaded.trace.trace_id.value) {
        if let Some(i) = loaded.trace.find_span(span).and_then(|i| focus.shown_index(i)) {
            state.select_and_show(i);
        }
    }
    host_link(state);
    let find_input = NodeRef::<leptos::html::Input>::new();
    let help = RwSignal::new(false);
    keys::install(state, find_input, help);
    let summary = loaded.summary.clone();
    let expand_all =
        move |_| state.trace.with_value(|t| state.viewport.rows.update(|r| r.expand_all(t)));
    let collapse_all = move |_| {
        state.trace.with_value(|t| state.viewport.rows.update(|r| r.expand_to_depth(t, 1)))
    };
    let one_more_level = move |_| {
        state.trace.with_value(|t| {
            // Show one more level than the deepest row currently visible.
            let deepest = state.viewport.rows.with_untracked(|r| {
                r.iter().filter_map(Row::span).map(|i| t.spans[i as usize].depth).max().unwrap_or(1)
            });
            state.viewport.rows.update(|r| r.expand_to_depth(t, deepest + 1));
        })
    };
    // The tab is part of the app's route (one place that says where the app is).
    let nav = expect_context::<crate::route::Nav>();
    let tab = Memo::new(move |_| nav.route().tab());
    let set_tab = move |tab| nav.set_tab(tab);
    let tab_button = move |which: TraceTab, testid: &'static str, title: &'static str| {
        view! {
            <button class=move || if tab.get() == which { "tab active" } else { "tab" } data-testid=testid
                on:click=move |_| set_tab(which)>{title}</button>
        }
    };
    view! {
        <header::TraceHeader summary=summary whole=loaded.trace.clone()/>
        <focus::Breadcrumb focus=focus state=state/>
        <div class="tabs">
            {tab_button(TraceTab::Timeline, "tab-timeline", "Timeline")}
            {tab_button(TraceTab::Graph, "tab-graph", "Service graph")}
            {tab_button(TraceTab::Stats, "tab-stats", "Statistics")}
            {tab_button(TraceTab::Flame, "tab-flame", "Flame graph")}
            {tab_button(TraceTab::Spans, "tab-spans", "Spans")}
            <span class="spacer"></span>
            // The timeline's display options sit in the tab row, so its toolbar is one line.
            <span class="tab-options" class:hidden=move || tab.get() != TraceTab::Timeline>
            <label title="The work that held the request up: at each step, the child that finished last (Jaeger UI's rule). Drawn as a dark band on the bars and the minimap."><input type="checkbox" data-testid="critical-path-toggle"
                prop:checked=move || state.display.critical_path.get()
                on:change=move |ev| state.display.critical_path.set(event_target_checked(&ev))/>" critical path"</label>
            <label title="Runs of 5 or more calls in a row to the same service and operation (N+1 queries, batch loops) folded into one row with their count and min / avg / max. On by default above 10,000 spans."><input type="checkbox" data-testid="sibling-groups-toggle"
                prop:checked=move || state.viewport.rows.with(|r| r.grouping())
                on:change=move |ev| state.set_sibling_groups(event_target_checked(&ev))/>" group repeats"</label>
            {state.analysis.with_value(|a| !a.links.is_empty()).then(|| view! {
                <label title="Arrows for every link between spans on screen (span links, FOLLOWS_FROM), not only the selected span's"><input type="checkbox" data-testid="all-links-toggle"
                    prop:checked=move || state.display.all_links.get()
                    on:change=move |ev| state.display.all_links.set(event_target_checked(&ev))/>" all links"</label>
            })}
            <label title=SKEW_RULE><input type="checkbox" data-testid="skew-toggle" on:change=move |ev| {
                let on = event_target_checked(&ev);
                state.display.skew.set(on.then(|| Arc::new(state.trace.with_value(|t| adjust(t)))));
            }/>" clock skew"</label>
            <typical::TypicalButton state=state backend=loaded.source.backend().map(str::to_string)/>
            <button class="small" on:click=move |_| help.update(|h| *h = !*h) title="Keyboard shortcuts (?)">"?"</button>
            </span>
        </div>
        // The tab's view, built when the tab opens (one closure: each `Show` costs the wasm).
        {move || match tab.get() {
            TraceTab::Flame => Some(view! { <flame_view::FlameView state=state/> }.into_any()),
            TraceTab::Spans => Some(view! { <spans_view::SpansView state=state/> }.into_any()),
            TraceTab::Stats => Some(view! { <stats_view::StatsView state=state/> }.into_any()),
            TraceTab::Graph => Some(view! {
                <graph_view::GraphView
                    graph=state.trace.with_value(|t| Arc::new(spanscope_graph::ServiceGraph::from_traces(std::iter::once(&**t))))
                    operations=state.trace.with_value(|t| Arc::new(spanscope_graph::ServiceGraph::operations_of(std::iter::once(&**t))))
                    on_highlight=Callback::new(move |text: String| {
                        // Find highlights the service's (or operation's) spans in the waterfall and minimap.
                        state.find.filter.update(|f| f.query = text);
                        set_tab(TraceTab::Timeline);
                    })/>
            }.into_any()),
            TraceTab::Timeline => None,
        }}
        <div class="timeline" class:hidden=move || tab.get() != TraceTab::Timeline>
        <div class="toolbar">
            <find::FindBar state=state input_ref=find_input/>
            <span class="spacer"></span>
            <button class="small" on:click=collapse_all title="Show roots only" aria-label="Collapse all">"Collapse"</button>
            <button class="small" on:click=one_more_level title="Show one more level">"+1 level"</button>
            <button class="small" on:click=expand_all title="Expand every span" aria-label="Expand all">"Expand"</button>
            <button class="small" on:click=move |_| state.viewport.window.set(Window::default()) title="Show the whole trace (0)" aria-label="Reset zoom">"Reset"</button>
            <button class="small" data-testid="waterfall-png" title="Save the waterfall as shown as a PNG picture"
                on:click=move |ev| crate::download::save_png_near(&ev, ".timeline", ".waterfall-canvas", &format!("trace-{}-timeline.png", state.trace.with_value(|t| t.trace_id_string())))>"PNG"</button>

        </div>
        <minimap::Minimap state=state/>
        <div class="trace-body">
            <waterfall::Waterfall state=state/>
            <detail::SpanDetail state=state/>
        </div>
        </div>
        {move || help.get().then(|| view! { <keys::Help on_close=move || help.set(false)/> })}
    }
}
