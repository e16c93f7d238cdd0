//! Everything the app takes from its surroundings, given once when it is mounted. The
//! standalone page builds it from `location`; a host page (an embedding) builds its own. No
//! component reads `location` or listens on `window` for input: keys and paste are handled on
//! the app's root element, so inside someone else's page the app never takes their keystrokes.

/// How the app starts and how it behaves towards its page.
#[derive(Clone, Debug, PartialEq)]
pub struct BootOptions {
    /// The URL parameters the app starts from (`url`, `span`, `q`, `view`, …).
    pub params: Vec<(String, String)>,
    /// Where `config.json` is, relative to the page.
    pub config_url: String,
    /// Whether the app writes its view back into the page's URL (a link then reproduces
    /// it). A host page keeps its own URL.
    pub write_url: bool,
    /// Whether the bundled samples are offered and the first visit opens one
    /// (`config.json`'s `ui.samples: false` also turns them off).
    pub samples: bool,
    /// Whether the app takes the keyboard focus when it starts (a page of its own does).
    pub take_focus: bool,
    /// Embedded (`?embed=1`, Jaeger's `uiEmbed=v0`): only the trace, with these parts
    /// hidden (space-separated: `minimap header summary tabs details find`).
    pub embed: Option<String>,
    /// The web component's element the app is mounted in, when it is (`src/element.rs`).
    pub element: Option<ElementLink>,
}

/// How an app mounted in a web component's element is tied to it.
#[derive(Clone, Debug, PartialEq)]
pub struct ElementLink {
    /// The element (the shadow host): the theme is set on it, and its CSS wins.
    pub host: web_sys::Element,
    /// Where the element's requests (attributes, the `trace` property) come in.
    pub inbox: crate::host::Inbox,
}

impl BootOptions {
    /// The app as a page of its own: the page's URL parameters, `config.json` beside
    /// `index.html`, the URL kept in step, samples on, focus taken.
    /// Embedded in an iframe, it keeps the host's history as it is, offers no samples and
    /// leaves the focus where the host page has it.
    pub fn standalone() -> BootOptions {
        let mut params = page_params();
        let embed = crate::embed::from_params(&mut params);
        let page_of_its_own = embed.is_none();
        BootOptions {
            params,
            config_url: "config.json".into(),
            write_url: page_of_its_own,
            samples: page_of_its_own,
            take_focus: page_of_its_own,
            embed,
            element: None,
        }
    }
}

fn page_params() -> Vec<(String, String)> {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return Vec::new();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return Vec::new() };
    let mut out = Vec::new();
    let entries = js_sys::try_iter(&params).ok().flatten();
    for entry in entries.into_iter().flatten().flatten() {
        let pair = js_sys::Array::from(&entry);
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((k, v));
        }
    }
    out
}

impl BootOptions {
    /// The element the theme is set on: the web component's, else the page's `<html>`.
    pub fn theme_root(&self) -> Option<web_sys::Element> {
        match &self.element {
            Some(link) => Some(link.host.clone()),
            None => web_sys::window()?.document()?.document_element(),
        }
    }
}
