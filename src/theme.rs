//! Light and dark themes: follow the system by default; a toggle overrides it and is
//! remembered in localStorage. Canvases draw with a [`Palette`] read from the CSS once per
//! theme change (not per frame), and redraw when it changes. The theme lives on the page's
//! `<html>`, or on a web component's element (each element has its own, and a portal's CSS
//! custom properties on it win over the theme's).

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
    fn read(root: Option<&web_sys::Element>) -> Palette {
        let style = web_sys::window().and_then(|w| w.get_computed_style(root?).ok()?);
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

/// The app's theme: the palette its canvases draw with, and the element it is set on.
#[derive(Clone, Copy)]
pub struct Theme {
    pub palette: RwSignal<Palette>,
    root: StoredValue<SendWrapper<web_sys::Element>>,
}

impl Theme {
    /// Reads the palette again (the theme changed). Nothing once the app is unmounted.
    fn refresh(self) {
        if let Some(p) = self.root.try_with_value(|r| Palette::read(Some(r))) {
            self.palette.set(p);
        }
    }
}

/// Provides the theme to the app and keeps the palette current when the system theme changes.
pub fn provide(root: web_sys::Element) {
    let palette = RwSignal::new(Palette::read(Some(&root)));
    let theme = Theme { palette, root: StoredValue::new(SendWrapper::new(root)) };
    provide_context(theme);
    let media = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    if let Some(media) = media {
        let on_change = Closure::<dyn Fn()>::new(move || theme.refresh());
        let _ =
            media.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        // A web component mounted and removed many times leaves no listener behind.
        let listening = SendWrapper::new((media, on_change));
        on_cleanup(move || {
            let (media, on_change) = listening.take();
            let _ = media
                .remove_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        });
    }
}

/// The current palette; inside an effect, the effect runs again when the theme changes.
pub fn palette() -> Palette {
    use_context::<Theme>().map(|t| t.palette.get()).unwrap_or_else(|| {
        Palette::read(web_sys::window().and_then(|w| w.document()?.document_element()).as_ref())
    })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Switches the theme for this visit (a host page's `set-theme`) and redraws the canvases
/// in it; `false` for an unknown one.
pub fn set(choice: &str, theme: Option<Theme>) -> bool {
    if !CHOICES.contains(&choice) {
        return false;
    }
    if let Some(theme) = theme {
        theme.root.with_value(|root| {
            let _ = if choice == "system" {
                root.remove_attribute("data-theme")
            } else {
                root.set_attribute("data-theme", choice)
            };
        });
        theme.refresh();
    }
    true
}

/// The theme switch. `initial` (`theme=light|dark` in the address) wins over the saved
/// choice for this visit; only a click saves a choice.
#[component]
pub fn ThemeToggle(initial: Option<String>) -> impl IntoView {
    let saved = initial
        .or_else(|| storage().and_then(|s| s.get_item(KEY).ok().flatten()))
        .filter(|c| CHOICES.contains(&c.as_str()));
    let choice = RwSignal::new(saved.unwrap_or_else(|| "system".into()));
    let theme = use_context::<Theme>();
    Effect::new(move |_| {
        set(&choice.get(), theme);
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
