//! Light and dark themes: follow the system by default; a toggle overrides it and is
//! remembered in localStorage. Canvases draw with a [`Palette`] read from the page's CSS
//! once per theme change (not per frame), and redraw when it changes.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

const KEY: &str = "spanscope.theme";
const CHOICES: [&str; 3] = ["system", "light", "dark"];

/// The theme's colours as CSS colour strings, for canvas drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    pub fg: String,
    pub muted: String,
    pub line: String,
    pub bg: String,
    pub sel: String,
    pub hover: String,
    pub accent: String,
    pub error: String,
    pub highlight: String,
    pub highlight_strong: String,
}

impl Palette {
    /// Reads the CSS custom properties of the current theme (one style computation).
    fn read() -> Palette {
        let style = web_sys::window()
            .and_then(|w| w.get_computed_style(&w.document()?.document_element()?).ok()?);
        let colour = |name: &str, fallback: &str| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| fallback.to_string())
        };
        Palette {
            fg: colour("--fg", "#1d2430"),
            muted: colour("--muted", "#5c6776"),
            line: colour("--line", "#d9dee5"),
            bg: colour("--bg", "#ffffff"),
            sel: colour("--sel", "#e8f0fe"),
            hover: colour("--hover", "#f3f5f8"),
            accent: colour("--accent", "#2f6fde"),
            error: colour("--error", "#c62828"),
            highlight: colour("--match", "#ffe08a"),
            highlight_strong: colour("--match-strong", "#f5a300"),
        }
    }
}

/// Provides the palette to the app and keeps it current when the system theme changes.
pub fn provide_palette() {
    let palette = RwSignal::new(Palette::read());
    provide_context(palette);
    let media = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    if let Some(media) = media {
        let on_change = Closure::<dyn Fn()>::new(move || palette.set(Palette::read()));
        let _ =
            media.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        // Lives as long as the page: the app is never unmounted.
        on_change.forget();
    }
}

/// The current palette; inside an effect, the effect runs again when the theme changes.
pub fn palette() -> Palette {
    use_context::<RwSignal<Palette>>().map(|p| p.get()).unwrap_or_else(Palette::read)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Switches the theme for this visit (a host page's `set-theme`) and redraws the canvases
/// in it; `false` for an unknown one.
pub fn set(choice: &str, palette: Option<RwSignal<Palette>>) -> bool {
    if !CHOICES.contains(&choice) {
        return false;
    }
    apply(choice);
    if let Some(p) = palette {
        p.set(Palette::read());
    }
    true
}

fn apply(choice: &str) {
    if let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
    {
        let _ = if choice == "system" {
            root.remove_attribute("data-theme")
        } else {
            root.set_attribute("data-theme", choice)
        };
    }
}

/// The theme switch. `initial` (`theme=light|dark` in the address) wins over the saved
/// choice for this visit; only a click saves a choice.
#[component]
pub fn ThemeToggle(initial: Option<String>) -> impl IntoView {
    let saved = initial
        .or_else(|| storage().and_then(|s| s.get_item(KEY).ok().flatten()))
        .filter(|c| CHOICES.contains(&c.as_str()));
    let choice = RwSignal::new(saved.unwrap_or_else(|| "system".into()));
    let palette = use_context::<RwSignal<Palette>>();
    Effect::new(move |_| {
        set(&choice.get(), palette);
    });
    let next = move |_| {
        choice.update(|c| {
            let i = CHOICES.iter().position(|x| x == c).unwrap_or(0);
            *c = CHOICES[(i + 1) % CHOICES.len()].to_string();
            if let Some(s) = storage() {
                let _ = s.set_item(KEY, c);
            }
        })
    };
    view! {
        <button class="small" data-testid="theme-toggle" title="Theme: system, light or dark" on:click=next>
            {move || format!("Theme: {}", choice.get())}
        </button>
    }
}
