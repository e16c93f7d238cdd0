//! "Redact in view": the traces shown (and downloaded) with the site's redaction rules
//! (`config.json` `redact`) and the detector's findings masked. The loaded trace is kept as
//! it is, so turning it off shows the original again; ids, timing and tree never change.
//! Rules' regexes are the browser's `RegExp` (case-insensitive, matched anywhere), so the
//! app ships no regex engine.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::redact::{self, Action, Pattern, Redaction, RuleSpec};
use wasm_bindgen::prelude::*;

use crate::load::LoadedTrace;
use crate::remote::settings::Settings;

#[wasm_bindgen]
extern "C" {
    /// `RegExp(pattern, flags)`, throwing (here: `Err`) on a bad pattern.
    #[wasm_bindgen(catch, js_name = RegExp)]
    fn regexp(pattern: &str, flags: &str) -> Result<js_sys::RegExp, JsValue>;
}

struct BrowserRegex(js_sys::RegExp);

impl Pattern for BrowserRegex {
    fn is_match(&self, text: &str) -> bool {
        self.0.test(text)
    }
}

/// The site's rules compiled, or what is wrong with one.
fn compiled(specs: &[RuleSpec]) -> Result<Vec<redact::Rule<BrowserRegex>>, String> {
    redact::compile(specs, |source| {
        regexp(source, "i").map(BrowserRegex).map_err(|e| {
            let why = js_sys::Error::from(e).message();
            format!("`{source}` is not a regular expression ({why})")
        })
    })
}

/// `loaded` as shown: redacted when `on` (site rules, then detected values masked).
/// `Err` says why the rules cannot be used; nothing is shown redacted then.
pub fn as_shown(loaded: LoadedTrace, on: bool) -> Result<LoadedTrace, String> {
    if !on {
        return Ok(loaded);
    }
    let specs = use_context::<RwSignal<Settings>>()
        .map(|s| s.with_untracked(|s| s.site.redact.clone()))
        .unwrap_or_default();
    let rules = compiled(&specs)?;
    let how = Redaction { rules: &rules, detected: Some(Action::Mask) };
    let (trace, _) = redact::redact(&loaded.trace, &how);
    Ok(LoadedTrace { trace: Arc::new(trace), ..loaded })
}
