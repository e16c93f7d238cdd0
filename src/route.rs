//! Where the app is, as one value: the page, and on the traces page which view and which
//! tab of a trace. Replaces a page enum, a main-view enum and per-view tab flags, so a link,
//! a button or a load moves the app in one place (and comparing traces gets its variant).

/// A trace's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TraceTab {
    #[default]
    Timeline,
    Graph,
    Stats,
    Flame,
    Spans,
}

impl TraceTab {
    /// The tab's name in a link (`tab=`); the timeline has none.
    pub fn key(self) -> Option<&'static str> {
        match self {
            TraceTab::Timeline => None,
            TraceTab::Graph => Some("graph"),
            TraceTab::Stats => Some("stats"),
            TraceTab::Flame => Some("flame"),
            TraceTab::Spans => Some("spans"),
        }
    }

    pub fn from_key(key: &str) -> TraceTab {
        match key {
            "graph" => TraceTab::Graph,
            "stats" => TraceTab::Stats,
            "flame" => TraceTab::Flame,
            "spans" => TraceTab::Spans,
            _ => TraceTab::Timeline,
        }
    }
}

/// What the app shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// A loaded trace (its place in the list) on one of its tabs.
    Trace { index: usize, tab: TraceTab },
    /// Two loaded traces side by side by call path: what changed from `a` to `b`.
    Compare { a: usize, b: usize },
    /// A loaded dependency-links file, as a graph.
    LinkGraph(usize),
    /// The service graph of every loaded trace.
    Aggregate,
    /// The backend search page.
    Search,
    /// The settings page.
    Settings,
}

/// The top-level pages the navigation offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Traces,
    Search,
    Settings,
}

impl Route {
    /// The first route, from a link's `view` parameter.
    pub fn from_view_param(view: Option<&str>) -> Route {
        match view {
            Some("search") => Route::Search,
            Some("settings") => Route::Settings,
            _ => Route::first_trace(),
        }
    }

    pub fn first_trace() -> Route {
        Route::Trace { index: 0, tab: TraceTab::Timeline }
    }

    pub fn page(self) -> Page {
        match self {
            Route::Search => Page::Search,
            Route::Settings => Page::Settings,
            _ => Page::Traces,
        }
    }

    /// The same view without its tab: what decides whether the main area is rebuilt.
    pub fn view(self) -> Route {
        match self {
            Route::Trace { index, .. } => Route::Trace { index, tab: TraceTab::Timeline },
            other => other,
        }
    }

    pub fn tab(self) -> TraceTab {
        match self {
            Route::Trace { tab, .. } => tab,
            _ => TraceTab::Timeline,
        }
    }

    pub fn with_tab(self, tab: TraceTab) -> Route {
        match self {
            Route::Trace { index, .. } => Route::Trace { index, tab },
            other => other,
        }
    }

    /// The selected trace, when a trace is shown.
    pub fn trace_index(self) -> Option<usize> {
        match self {
            Route::Trace { index, .. } => Some(index),
            _ => None,
        }
    }
}

/// The app's route, with the traces-page route to come back to from the other pages.
#[derive(Clone, Copy)]
pub struct Nav {
    route: leptos::prelude::RwSignal<Route>,
    last_traces: leptos::prelude::RwSignal<Route>,
}

impl Nav {
    pub fn new(start: Route) -> Nav {
        use leptos::prelude::RwSignal;
        let last = if start.page() == Page::Traces { start } else { Route::first_trace() };
        Nav { route: RwSignal::new(start), last_traces: RwSignal::new(last) }
    }

    pub fn route(&self) -> Route {
        use leptos::prelude::Get;
        self.route.get()
    }

    /// The traces page's route (the one shown there, or shown last).
    pub fn traces_route(&self) -> Route {
        use leptos::prelude::Get;
        self.last_traces.get()
    }

    pub fn go(&self, route: Route) {
        use leptos::prelude::Set;
        if route.page() == Page::Traces {
            self.last_traces.set(route);
        }
        self.route.set(route);
    }

    pub fn go_to_page(&self, page: Page) {
        use leptos::prelude::GetUntracked;
        self.go(match page {
            Page::Traces => self.last_traces.get_untracked(),
            Page::Search => Route::Search,
            Page::Settings => Route::Settings,
        });
    }

    pub fn set_tab(&self, tab: TraceTab) {
        use leptos::prelude::GetUntracked;
        self.go(self.route.get_untracked().with_tab(tab));
    }
}
