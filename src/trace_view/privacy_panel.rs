//! The *Sensitive data* panel: what the built-in detector finds in the trace (secrets,
//! personal data), by service and key, so a team knows what its instrumentation should stop
//! recording; and the "redact in view" switch (`crate::privacy`). The scan runs when the
//! panel opens, on the trace as loaded.

use leptos::prelude::*;
use spanscope_core::redact;

use crate::route::{Nav, Route};
use crate::workspace::Workspace;

/// The header's button that opens and closes the panel.
#[component]
pub fn SensitiveDataButton() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let open = ws.privacy_open;
    view! {
        <button class="small" class:active=move || open.get() data-testid="privacy-button"
            title="Look for secrets and personal data in this trace, and redact them in view"
            on:click=move |_| open.update(|o| *o = !*o)>
            {move || if ws.redact.get() { "Sensitive data (redacted)" } else { "Sensitive data…" }}
        </button>
    }
}

/// The panel, under the header's line of buttons when open.
#[component]
pub fn SensitiveDataPanel() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let nav = expect_context::<Nav>();
    let open = ws.privacy_open;
    let groups = move || {
        // Not the tab: switching tabs does not scan again.
        let Route::Trace { index, .. } = untrack(|| nav.route()) else { return Vec::new() };
        ws.traces.with_untracked(|list| {
            list.get(index)
                .map(|t| redact::group(&t.trace, &redact::scan(&t.trace)))
                .unwrap_or_default()
        })
    };
    let panel = move || {
        let groups = groups();
        let total: usize = groups.iter().map(|g| g.count).sum();
        let summary = match total {
            0 => "Nothing found that looks like a secret or personal data.".to_string(),
            n => format!(
                "{n} value{} that look{} like secrets or personal data, under {} key{}:",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
                groups.len(),
                if groups.len() == 1 { "" } else { "s" }
            ),
        };
        view! {
            <div class="privacy" data-testid="privacy-panel">
                <label title="Masks the values found here and what config.json's redact rules name, in every view and in downloads. The loaded trace is kept: turn it off to see it again.">
                    <input type="checkbox" data-testid="redact-toggle" prop:checked=move || ws.redact.get()
                        on:change=move |ev| ws.redact.set(event_target_checked(&ev))/>" Redact in view and downloads"</label>
                <p data-testid="privacy-summary">{summary}</p>
                <table class="kv" data-testid="privacy-findings">
                    <tr><th>"Service"</th><th>"Key"</th><th>"In"</th><th>"Looks like"</th><th>"Values"</th></tr>
                    {groups.into_iter().map(|g| view! {
                        <tr><td>{g.service}</td><td class="mono">{g.key}</td><td>{g.place.name()}</td><td>{g.kind.label()}</td><td>{g.count}</td></tr>
                    }).collect_view()}
                </table>
            </div>
        }
    };
    move || open.get().then(panel)
}
