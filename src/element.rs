//! The web component's side in wasm. `spanscope-element.js` defines `<spanscope-trace>`;
//! each element calls [`mount_element`] with a node in its shadow root and gets its own app
//! (own state, own theme) from the one module the page loaded. The element's attributes and
//! its `trace` property become the same requests an iframe's parent page posts
//! (`src/host.rs`), handed over through [`MountedApp::send`].

use std::any::Any;

use wasm_bindgen::prelude::*;

use crate::boot::{BootOptions, ElementLink};
use crate::host::Inbox;

/// One element's app: dropping it (or `unmount`) removes the app and ends its effects.
#[wasm_bindgen]
pub struct MountedApp {
    inbox: Inbox,
    mounted: Option<Box<dyn Any>>,
    /// Owns the app's reactive tree. Cleaned up explicitly on unmount: a task or effect may
    /// still hold the tree, and its cleanups (listeners on the page) must run now.
    owner: leptos::prelude::Owner,
}

impl Drop for MountedApp {
    fn drop(&mut self) {
        self.mounted.take();
        self.owner.cleanup();
    }
}

#[wasm_bindgen]
impl MountedApp {
    /// Hands the app a request: `{type: "open" | "open-url" | "select" | "set-theme" |
    /// "set-view", ...}` as documented for `postMessage` (the `spanscope: 1` tag is not
    /// needed). A request that cannot be done fires `spanscope-error` on the element.
    pub fn send(&self, message: JsValue) {
        self.inbox.deliver(&message);
    }

    /// Removes the app from its element.
    pub fn unmount(self) {}
}

/// Mounts an app in `target` (a node inside the element's shadow root). `params` are
/// `[key, value]` pairs read like the app's URL parameters (`url`, `span`, `tab`, `hide`,
/// `theme`); `config_url` is where `config.json` is (beside the element's script).
#[wasm_bindgen]
pub fn mount_element(
    target: web_sys::HtmlElement,
    host: web_sys::Element,
    params: js_sys::Array,
    config_url: String,
) -> MountedApp {
    let mut params: Vec<(String, String)> = params
        .iter()
        .filter_map(|pair| {
            let pair = js_sys::Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    params.push(("embed".into(), "1".into()));
    let embed = crate::embed::from_params(&mut params);
    let inbox = Inbox::default();
    let boot = BootOptions {
        params,
        config_url,
        write_url: false,
        samples: false,
        take_focus: false,
        embed,
        element: Some(ElementLink { host, inbox: inbox.clone() }),
    };
    let owner = leptos::prelude::Owner::new();
    let mounted = owner.with(|| {
        leptos::mount::mount_to(
            target,
            move || leptos::view! { <crate::app::App boot=boot.clone()/> },
        )
    });
    MountedApp { inbox, mounted: Some(Box::new(mounted)), owner }
}
