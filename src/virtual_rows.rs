//! A scrolling list of fixed-height rows where only the rows on screen exist in the DOM: a
//! fixed set of slots, recycled as the list scrolls. Slot k shows the row on screen whose
//! number is k modulo the slot count, so scrolling by a few rows rebuilds only the slots
//! that scrolled in; each row is placed by its `top`. The spans table and the compare view
//! use it.

use leptos::prelude::*;

/// Where a slot's row goes: `top` in CSS pixels for row `row`.
pub fn row_top(row: usize, row_px: f64) -> String {
    format!("top: {}px", row as f64 * row_px)
}

/// Builds one slot's view from the row it shows (`None` once the list is shorter than the
/// slots). A trait object, so the list's code exists once in the wasm, not once per table.
pub type RowView = std::sync::Arc<dyn Fn(Memo<Option<usize>>) -> AnyView + Send + Sync>;

/// `count` rows of `row_px` pixels, each slot built by `row`. The scroller gets
/// `scroll_class` and `data-testid=testid`, and says how many rows it has in `data-rows`.
#[component]
pub fn VirtualRows(
    count: Signal<usize>,
    row_px: f64,
    scroll_class: &'static str,
    testid: &'static str,
    row: RowView,
) -> impl IntoView {
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let view_h = RwSignal::new(600.0f64);
    let window = Memo::new(move |_| {
        let first = (scroll_top.get() / row_px).floor().max(0.0) as usize;
        let slots = (view_h.get() / row_px).ceil() as usize + 2;
        (first, slots)
    });
    // Never more slots than rows.
    let slots = Memo::new(move |_| (0..window.get().1.min(count.get())).collect::<Vec<usize>>());
    let on_scroll = move |_| {
        if let Some(el) = scroller.get() {
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    // The height comes from a resize observer, so a scroll reads no layout but its offset.
    Effect::new(move |_| {
        if let Some(el) = scroller.get() {
            view_h.set(el.client_height() as f64);
            let target: web_sys::Element = (*el).clone().into();
            let observed = target.clone();
            crate::canvas::observe_resize(&target, move || {
                let h = observed.client_height() as f64;
                if view_h.get_untracked() != h {
                    view_h.set(h);
                }
            });
        }
    });
    let slot_view = move |k: usize| {
        let at = Memo::new(move |_| {
            let ((first, slots), count) = (window.get(), count.get());
            let n = slots.min(count).max(1);
            let row = first + (k + n - first % n) % n;
            (row < count).then_some(row)
        });
        row(at)
    };
    view! {
        <div class=scroll_class data-testid=testid data-rows=move || count.get() node_ref=scroller on:scroll=on_scroll>
            <div class="virtual-rows" style=move || format!("height: {}px", count.get() as f64 * row_px)>
                <For each=move || slots.get() key=|k| *k children=slot_view/>
            </div>
        </div>
    }
}
