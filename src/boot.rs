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
}

impl BootOptions {
    /// The app as a page of its own: the page's URL parameters, `config.json` beside
    /// `index.html`, the URL kept in step, samples on, focus taken.
    pub fn standalone() -> BootOptions {
        BootOptions {
            params: page_params(),
            config_url: "config.json".into(),
            write_url: true,
            samples: true,
            take_focus: true,
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
