//! The trace page: header, minimap, waterfall and span detail for one loaded trace.

mod detail;
mod header;
mod minimap;
mod waterfall;

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::view::rows::RowModel;
use spanscope_core::view::viewport::Window;
use spanscope_core::Trace;

use crate::load::LoadedTrace;

/// Everything the trace page's parts share. Signals are `Copy`, so this is too.
#[derive(Clone, Copy)]
pub struct ViewState {
    pub trace: StoredValue<Arc<Trace>>,
    pub rows: RwSignal<RowModel>,
    pub window: RwSignal<Window>,
    pub selected: RwSignal<Option<u32>>,
    pub hovered: RwSignal<Option<u32>>,
    /// Service name → index in the sorted service list (stable colours).
    pub service_rank: StoredValue<Vec<usize>>,
}

impl ViewState {
    fn new(loaded: &LoadedTrace) -> ViewState {
        let trace = loaded.trace.clone();
        let rows = RowModel::new(&trace);
        // Colour index per interned service symbol, in sorted service order.
        let services = &loaded.summary.services;
        let mut rank = vec![0usize; trace.strings.len()];
        for s in &trace.spans {
            let name = trace.str(s.service);
            rank[s.service.0 as usize] = services.binary_search_by(|x| x.as_str().cmp(name)).unwrap_or(0);
        }
        ViewState {
            trace: StoredValue::new(trace),
            rows: RwSignal::new(rows),
            window: RwSignal::new(Window::default()),
            selected: RwSignal::new(None),
            hovered: RwSignal::new(None),
            service_rank: StoredValue::new(rank),
        }
    }

    pub fn colour_of(&self, service: spanscope_core::intern::Sym) -> (u8, u8, u8) {
        let rank = self.service_rank.with_value(|r| r.get(service.0 as usize).copied().unwrap_or(0));
        spanscope_core::view::palette::service_colour(rank)
    }
}

#[component]
pub fn TraceView(loaded: LoadedTrace) -> impl IntoView {
    let state = ViewState::new(&loaded);
    let summary = loaded.summary.clone();
    view! {
        <header::TraceHeader summary=summary state=state/>
        <minimap::Minimap state=state/>
        <div class="trace-body">
            <waterfall::Waterfall state=state/>
            <detail::SpanDetail state=state/>
        </div>
    }
}
