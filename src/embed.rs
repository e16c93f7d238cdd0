//! Embed mode, for an `<iframe>` in a developer portal: `?embed=1` shows only the trace (no
//! top bar, pages, trace list or intro), `hide=` hides parts of it (`minimap`, `header`,
//! `tabs`, `details`, `find`), `theme=light|dark` picks the colours. Jaeger UI's embedding
//! flags mean the same here (`uiEmbed=v0`, `uiTimelineHideMinimap`, `uiTimelineHideSummary`,
//! `uiTimelineCollapseTitle`, `uiTheme`, `uiFind`), so a portal that embeds Jaeger's trace
//! page switches by changing the address. Hiding is by CSS (`main.embed`, `data-hide`): the
//! views stay mounted, so a host can show a part again without losing state.

/// The parts `hide=` may name.
const PARTS: [&str; 6] = ["minimap", "header", "summary", "tabs", "details", "find"];

/// Parameters that configure embedding, not the view: left out of the full app's link.
const EMBED_PARAMS: [&str; 3] = ["embed", "hide", "theme"];

/// Reads the embedding flags out of the page's parameters. Jaeger's are translated into
/// Spanscope's (`uiFind` becomes the find query `q`, and selects the span it names).
/// Returns the parts to hide (space-separated, for `data-hide`) when embedded.
pub fn from_params(params: &mut Vec<(String, String)>) -> Option<String> {
    let mut embedded = false;
    let mut hide: Vec<&str> = Vec::new();
    let mut extra = Vec::new();
    let on = |v: &str| !matches!(v, "" | "0" | "false");
    for (key, value) in params.iter() {
        match key.as_str() {
            "embed" => embedded = on(value),
            "uiEmbed" => embedded = value == "v0",
            "hide" => hide.extend(
                value.split(',').filter_map(|p| PARTS.iter().find(|k| **k == p.trim()).copied()),
            ),
            "uiTimelineHideMinimap" if on(value) => hide.push("minimap"),
            "uiTimelineHideSummary" | "uiTimelineCollapseTitle" if on(value) => {
                hide.push("summary")
            }
            "uiTheme" => extra.push(("theme", value.clone())),
            "uiFind" => {
                extra.push(("q", value.clone()));
                if value.len() <= 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
                    extra.push(("span", value.clone()));
                }
            }
            _ => {}
        }
    }
    for (key, value) in extra {
        if !params.iter().any(|(k, _)| k == key) {
            params.push((key.to_string(), value));
        }
    }
    embedded.then(|| hide.join(" "))
}

/// The full app, showing what this view shows now (the embedded view's "Open in Spanscope",
/// a span's "Copy link").
pub fn full_app_href() -> String {
    use spanscope_backend::query::encode_component as enc;
    let query: Vec<String> = crate::url_state::params()
        .into_iter()
        .filter(|(k, _)| !EMBED_PARAMS.contains(&k.as_str()) && !k.starts_with("ui"))
        .map(|(k, v)| format!("{}={}", enc(&k), enc(&v)))
        .collect();
    format!("{}?{}", crate::url_state::app_address(), query.join("&"))
}
