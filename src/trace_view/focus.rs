//! Focus on a span: the trace page re-rooted on one span's subtree (the core's
//! `view::focus::subtree`), with a breadcrumb back. Every view is rebuilt on the sub-trace;
//! what the user set up (find, pills, grouping, critical path) is carried over.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::view::find::Filter;
use spanscope_core::view::focus::{path_to, subtree};
use spanscope_core::Trace;

use super::ViewState;

/// The trace the page shows when focused, and each of its spans' index in the whole trace.
#[derive(Clone)]
pub struct Focused {
    pub trace: Arc<Trace>,
    pub origin: Arc<Vec<u32>>,
}

/// What a re-rooted view keeps from the one it replaces.
#[derive(Clone, Default)]
pub struct Carry {
    pub filter: Filter,
    pub only_matches: bool,
    pub critical_path: bool,
    /// Runs of repeated calls folded into group rows.
    pub sibling_groups: bool,
    pub group_by: String,
    pub then_by: String,
    /// A span to select, as an index in the whole trace.
    pub select: Option<u32>,
}

/// The focus of one trace page: which span (if any) it is re-rooted on.
#[derive(Clone, Copy)]
pub struct FocusCtl {
    pub whole: StoredValue<Arc<Trace>>,
    pub current: RwSignal<Option<Focused>>,
    /// Set just before `current` changes; the new view takes it.
    carry: StoredValue<Option<Carry>>,
}

impl FocusCtl {
    pub fn new(whole: Arc<Trace>) -> FocusCtl {
        FocusCtl {
            whole: StoredValue::new(whole),
            current: RwSignal::new(None),
            carry: StoredValue::new(None),
        }
    }

    /// A span of the shown trace, as an index in the whole trace.
    pub fn whole_index(&self, span: u32) -> u32 {
        self.current
            .with_untracked(|f| f.as_ref().and_then(|f| f.origin.get(span as usize).copied()))
            .unwrap_or(span)
    }

    /// A span of the whole trace, as an index in the shown trace (None: not in the focus).
    pub fn shown_index(&self, span: u32) -> Option<u32> {
        self.current.with_untracked(|f| match f {
            None => Some(span),
            Some(f) => f.origin.iter().position(|&o| o == span).map(|i| i as u32),
        })
    }

    /// The span the page is re-rooted on, as an index in the whole trace.
    pub fn root(&self) -> Option<u32> {
        self.current.with(|f| f.as_ref().map(|f| f.origin[0]))
    }

    /// Re-roots the page on a span of the whole trace (None: the whole trace again).
    fn set(&self, span: Option<u32>, carry: Carry) {
        self.carry.set_value(Some(carry));
        self.re_root(span);
    }

    /// Re-roots on a span of the whole trace, carrying nothing over (a link's focus).
    pub fn re_root(&self, span: Option<u32>) {
        let focused = span.and_then(|s| {
            self.whole
                .with_value(|t| subtree(t, s))
                .map(|f| Focused { trace: Arc::new(f.trace), origin: Arc::new(f.origin) })
        });
        self.current.set(focused);
    }

    /// Re-roots on a span of the view `state` shows, keeping what the user set up.
    pub fn focus_on(&self, state: &ViewState, span: Option<u32>) {
        let selected = state.selection.selected.get_untracked().map(|s| self.whole_index(s));
        let carry =
            Carry { select: span.map(|s| self.whole_index(s)).or(selected), ..state.carry() };
        self.set(span.map(|s| self.whole_index(s)), carry);
    }

    /// Re-roots on a span of the whole trace, keeping the view's set-up.
    fn focus_whole(&self, state: &ViewState, span: Option<u32>) {
        let carry = Carry { select: self.root(), ..state.carry() };
        self.set(span, carry);
    }

    /// Re-roots one level up (the focused span's parent, or the whole trace).
    pub fn up(&self, state: &ViewState) -> bool {
        let Some(root) = self.root() else { return false };
        let parent = self.whole.with_value(|t| t.spans[root as usize].parent);
        let parent = (parent != spanscope_core::model::NO_SPAN).then_some(parent);
        self.focus_whole(state, parent);
        true
    }

    pub fn take_carry(&self) -> Option<Carry> {
        self.carry.try_update_value(Option::take).flatten()
    }
}

/// "Whole trace › checkout: POST /checkout › … › payment: charge" while focused: each step
/// re-roots there.
#[component]
pub fn Breadcrumb(focus: FocusCtl, state: ViewState) -> impl IntoView {
    move || {
        let root = focus.root()?;
        let steps: Vec<(u32, String)> = focus.whole.with_value(|t| {
            path_to(t, root)
                .into_iter()
                .map(|i| {
                    let s = &t.spans[i as usize];
                    (i, format!("{}: {}", t.str(s.service), t.str(s.name)))
                })
                .collect()
        });
        let last = steps.len().saturating_sub(1);
        let items = steps
            .into_iter()
            .enumerate()
            .map(|(k, (span, label))| {
                let step = if k == last {
                    view! { <span class="crumb current" data-testid="focus-current">{label}</span> }.into_any()
                } else {
                    view! { <button class="link crumb" on:click=move |_| focus.focus_whole(&state, Some(span))>{label}</button> }.into_any()
                };
                view! { <span class="crumb-sep">" › "</span>{step} }
            })
            .collect_view();
        Some(view! {
            <nav class="focus-breadcrumb" data-testid="focus-breadcrumb" aria-label="Focus">
                <button class="link crumb" data-testid="focus-whole" on:click=move |_| focus.focus_whole(&state, None)>"Whole trace"</button>
                {items}
            </nav>
        })
    }
}
