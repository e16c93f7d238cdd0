//! The workspace: every loaded trace and graph, the messages of the last load, and the one
//! rule for adding what an input produced. One store, provided by context (as Leptos'
//! todomvc provides its `Todos`), so every view reads and changes it the same way.

use leptos::prelude::*;

use crate::load::{LoadOutcome, LoadedGraph, LoadedTrace};
use crate::perf;
use crate::reader::Progress;
use crate::route::{Nav, Route, TraceTab};
use spanscope_core::ids::SpanId;
use spanscope_core::view::palette::ServiceColours;

/// What the last load said: its error, and its notices.
#[derive(Clone, Default)]
pub struct Messages {
    pub error: Option<String>,
    pub notices: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct Workspace {
    pub traces: RwSignal<Vec<LoadedTrace>>,
    pub graphs: RwSignal<Vec<LoadedGraph>>,
    pub messages: RwSignal<Messages>,
    /// A load under way, and how far it has come.
    pub busy: RwSignal<Option<Progress>>,
    /// Every service's colour, the same in every view of every trace.
    pub colours: StoredValue<ServiceColours>,
    /// A span to select when its trace's page opens next: a link to another loaded trace.
    jump_to: StoredValue<Option<(u128, SpanId)>>,
    nav: Nav,
    /// "Redact in view": traces are shown and downloaded redacted (`crate::privacy`).
    pub redact: RwSignal<bool>,
    /// Whether the *Sensitive data* panel is open (it outlives the trace page that a toggle
    /// of `redact` rebuilds).
    pub privacy_open: RwSignal<bool>,
}

impl Workspace {
    pub fn new(nav: Nav) -> Workspace {
        Workspace {
            traces: RwSignal::new(Vec::new()),
            graphs: RwSignal::new(Vec::new()),
            messages: RwSignal::new(Messages::default()),
            busy: RwSignal::new(None),
            colours: StoredValue::new(ServiceColours::default()),
            jump_to: StoredValue::new(None),
            nav,
            redact: RwSignal::new(false),
            privacy_open: RwSignal::new(false),
        }
    }

    /// Loaded trace `index` as it is shown: redacted when "redact in view" is on. Rules that
    /// cannot be used turn it off, with a message (nothing is shown unredacted as redacted).
    pub fn shown(&self, index: usize) -> Option<LoadedTrace> {
        let loaded = self.traces.with(|list| list.get(index).cloned())?;
        match crate::privacy::as_shown(loaded.clone(), self.redact.get()) {
            Ok(shown) => Some(shown),
            Err(problem) => {
                self.redact.set(false);
                self.messages.update(|m| {
                    m.error = Some(format!("Redaction is off: config.json `redact`: {problem}"))
                });
                Some(loaded)
            }
        }
    }

    /// The loaded trace with this id, by its place in the list.
    pub fn trace_with_id(&self, trace_id: u128) -> Option<usize> {
        self.traces.with(|ts| ts.iter().position(|t| t.trace.trace_id.value == trace_id))
    }

    /// Shows the loaded trace `trace_id` with `span` selected (a link between two loaded
    /// traces).
    pub fn open_span(&self, trace_id: u128, span: SpanId) {
        if let Some(index) = self.trace_with_id(trace_id) {
            self.open_span_at(index, span);
        }
    }

    /// Shows the loaded trace at `index`.
    pub fn show(&self, index: usize) {
        self.messages.set(Messages::default());
        self.nav.go(Route::Trace { index, tab: TraceTab::Timeline });
    }

    /// Shows the loaded trace at `index` with `span` selected.
    pub fn open_span_at(&self, index: usize, span: SpanId) {
        let Some(trace_id) = self.traces.with(|ts| ts.get(index).map(|t| t.trace.trace_id.value))
        else {
            return;
        };
        self.jump_to.set_value(Some((trace_id, span)));
        self.nav.go(Route::Trace { index, tab: TraceTab::Timeline });
    }

    /// The span a link asked to select in this trace, once.
    pub fn take_jump(&self, trace_id: u128) -> Option<SpanId> {
        let wanted = self.jump_to.with_value(|j| j.filter(|(id, _)| *id == trace_id));
        wanted.map(|(_, span)| {
            self.jump_to.set_value(None);
            span
        })
    }

    /// Adds two traces and compares them: A is the one with trace id `a`, else the first.
    /// With fewer than two traces, what loaded is shown as `accept` shows it.
    pub fn accept_and_compare(&self, outcome: LoadOutcome, a: &str) {
        let mut indexes = self.accept(outcome);
        if indexes.len() == 2 {
            let second = self.traces.with_untracked(|ts| ts[indexes[1]].trace.trace_id_string());
            if spanscope_backend::query::same_trace_id(a, &second) {
                indexes.swap(0, 1);
            }
            self.nav.go(Route::Compare { a: indexes[0], b: indexes[1] });
        }
    }

    /// Adds what one input produced and shows it; a failure never removes what is loaded.
    /// Returns where its traces are in the list.
    pub fn accept(&self, outcome: LoadOutcome) -> Vec<usize> {
        let added = outcome.traces.len();
        self.colours.update_value(|c| {
            for t in &outcome.traces {
                c.register(t.summary.services.iter().map(String::as_str));
            }
            if let Some(g) = &outcome.graph {
                let mut names: Vec<&str> =
                    g.graph.nodes.iter().map(|n| n.service.as_str()).collect();
                spanscope_core::sort::sort(&mut names);
                c.register(names);
            }
        });
        if let Some(graph) = outcome.graph {
            self.graphs.update(|g| {
                self.nav.go(Route::LinkGraph(g.len()));
                g.push(graph);
            });
        }
        self.messages.set(Messages { error: outcome.error, notices: outcome.notices });
        if added == 0 {
            return Vec::new();
        }
        let mut indexes = Vec::with_capacity(added);
        self.traces.update(|list| {
            // A trace of a backend that is already loaded is selected, not added again
            // (opening the same search result twice). Files may be opened again on purpose.
            for t in outcome.traces {
                let loaded = t.source.backend().and_then(|b| {
                    list.iter().position(|o| {
                        o.source.backend() == Some(b) && o.summary.trace_id == t.summary.trace_id
                    })
                });
                let index = loaded.unwrap_or_else(|| {
                    list.push(t);
                    list.len() - 1
                });
                indexes.push(index);
            }
            self.nav.go(Route::Trace { index: indexes[0], tab: TraceTab::Timeline });
        });
        perf::expect_first_paint();
        indexes
    }
}
