//! Light and dark themes: follow the system by default; a toggle overrides it and is
//! remembered in localStorage.

use leptos::prelude::*;

const KEY: &str = "spanscope.theme";
const CHOICES: [&str; 3] = ["system", "light", "dark"];

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn apply(choice: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if choice == "system" { root.remove_attribute("data-theme") } else { root.set_attribute("data-theme", choice) };
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let saved = storage().and_then(|s| s.get_item(KEY).ok().flatten()).filter(|c| CHOICES.contains(&c.as_str()));
    let choice = RwSignal::new(saved.unwrap_or_else(|| "system".into()));
    Effect::new(move |_| {
        let c = choice.get();
        apply(&c);
        if let Some(s) = storage() {
            let _ = s.set_item(KEY, &c);
        }
    });
    let next = move |_| {
        choice.update(|c| {
            let i = CHOICES.iter().position(|x| x == c).unwrap_or(0);
            *c = CHOICES[(i + 1) % CHOICES.len()].to_string();
        })
    };
    view! {
        <button class="small" data-testid="theme-toggle" title="Theme: system, light or dark" on:click=next>
            {move || format!("Theme: {}", choice.get())}
        </button>
    }
}
