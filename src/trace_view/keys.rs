//! Keyboard navigation and its help overlay.

use leptos::prelude::*;
use spanscope_core::model::NO_SPAN;
use spanscope_core::view::rows::Row;

use super::ViewState;

const SHORTCUTS: [(&str, &str); 12] = [
    ("↑ / ↓ or k / j", "previous / next span"),
    ("←", "collapse the span, or go to its parent"),
    ("→", "expand the span, or go to its first child"),
    ("/", "find in trace"),
    ("Enter / Shift+Enter", "next / previous match (in the find box)"),
    ("Esc", "clear the search and selection"),
    ("+ / -", "zoom in / out"),
    ("Shift+← / Shift+→", "pan earlier / later"),
    ("0", "show the whole trace"),
    ("f", "focus on the selected span (re-root every view on its subtree)"),
    ("Backspace", "focus one level up"),
    ("?", "show or hide this help"),
];

/// Handles the keys pressed inside the app (its root element), while this view is open.
pub fn install(state: ViewState, find_input: NodeRef<leptos::html::Input>, help: RwSignal<bool>) {
    let Some(target) = use_context::<crate::app::KeyTarget>() else { return };
    let id = target.set(Callback::new(move |ev: leptos::ev::KeyboardEvent| {
        if crate::canvas::from_text_field(ev.target())
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
        {
            return;
        }
        let handled = match ev.key().as_str() {
            "/" => {
                if let Some(input) = find_input.get() {
                    let _ = input.focus();
                }
                true
            }
            "Escape" => {
                state.find.filter.update(|f| f.query.clear());
                state.selection.selected.set(None);
                help.set(false);
                true
            }
            "?" => {
                help.update(|h| *h = !*h);
                true
            }
            "ArrowDown" | "j" => move_selection(state, 1),
            "ArrowUp" | "k" => move_selection(state, -1),
            "ArrowLeft" if ev.shift_key() => pan(state, -0.2),
            "ArrowRight" if ev.shift_key() => pan(state, 0.2),
            "ArrowLeft" => collapse_or_parent(state),
            "ArrowRight" => expand_or_child(state),
            "+" | "=" => zoom(state, 0.5),
            "-" | "_" => zoom(state, 2.0),
            "0" => {
                state.viewport.window.set(Default::default());
                true
            }
            "f" => match state.selection.selected.get_untracked() {
                Some(span) => {
                    state.focus.focus_on(&state, Some(span));
                    true
                }
                None => false,
            },
            "Backspace" => state.focus.up(&state),
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    }));
    on_cleanup(move || target.clear(id));
}

fn zoom(state: ViewState, factor: f64) -> bool {
    state.viewport.window.update(|w| *w = w.zoom(factor, 0.5));
    true
}

fn pan(state: ViewState, delta: f64) -> bool {
    state.viewport.window.update(|w| *w = w.pan(delta));
    true
}

/// Selects the span `delta` rows away (group rows are stepped over).
fn move_selection(state: ViewState, delta: isize) -> bool {
    let next = state.viewport.rows.with_untracked(|r| {
        let span_at = |row: usize| r.get(row).and_then(Row::span);
        let Some(from) = state.selection.selected.get_untracked().and_then(|s| r.row_of(s)) else {
            return (0..r.len()).find_map(span_at);
        };
        let mut row = from as isize;
        loop {
            row += delta;
            if row < 0 || row >= r.len() as isize {
                return None;
            }
            if let Some(s) = span_at(row as usize) {
                return Some(s);
            }
        }
    });
    if let Some(span) = next {
        state.selection.selected.set(Some(span));
        state.selection.scroll_to.set(Some(span));
    }
    true
}

fn collapse_or_parent(state: ViewState) -> bool {
    let Some(span) = state.selection.selected.get_untracked() else { return false };
    let (open, parent) = state.viewport.rows.with_untracked(|r| {
        (
            r.descendants(span) > 0 && !r.is_collapsed(span),
            state.trace.with_value(|t| t.spans[span as usize].parent),
        )
    });
    if open {
        state.trace.with_value(|t| state.viewport.rows.update(|r| r.set_collapsed(t, span, true)));
    } else if parent != NO_SPAN {
        state.selection.selected.set(Some(parent));
        state.selection.scroll_to.set(Some(parent));
    }
    true
}

fn expand_or_child(state: ViewState) -> bool {
    let Some(span) = state.selection.selected.get_untracked() else { return false };
    if state.viewport.rows.with_untracked(|r| r.is_collapsed(span)) {
        state.trace.with_value(|t| state.viewport.rows.update(|r| r.set_collapsed(t, span, false)));
    } else if let Some(&child) = state
        .trace
        .with_value(|t| t.span_children(&t.spans[span as usize]).first().copied())
        .as_ref()
    {
        state.selection.selected.set(Some(child));
        state.selection.scroll_to.set(Some(child));
    }
    true
}

#[component]
pub fn Help(on_close: impl Fn() + 'static + Copy + Send + Sync) -> impl IntoView {
    view! {
        <div class="overlay" on:click=move |_| on_close() data-testid="help">
            <div class="help" on:click=|ev| ev.stop_propagation()>
                <h3>"Keyboard shortcuts"</h3>
                <table class="kv">
                    {SHORTCUTS.iter().map(|(k, v)| view! { <tr><th class="mono">{*k}</th><td>{*v}</td></tr> }).collect_view()}
                </table>
                <p class="hint">"Mouse: click a span for details, its triangle to collapse; Ctrl+wheel zooms, Shift+wheel pans; drag on the minimap to zoom."</p>
                <button class="small" on:click=move |_| on_close()>"Close"</button>
            </div>
        </div>
    }
}
