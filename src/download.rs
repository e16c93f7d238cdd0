//! Files the user saves: a trace as JSON, a view's canvas as PNG. They are made in the page
//! (a `Blob` or the canvas's pixels, then an `<a download>`), never by opening a backend's
//! URL, so they work behind any authentication (Jaeger UI's JSON download does not:
//! jaeger-ui #680) and hold exactly what is shown (redacted when that is on).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `href` to the browser as a download called `file_name`.
fn offer(href: &str, file_name: &str) {
    let document = web_sys::window().and_then(|w| w.document());
    let Some(a) = document.and_then(|d| d.create_element("a").ok()) else { return };
    let _ = a.set_attribute("href", href);
    let _ = a.set_attribute("download", file_name);
    if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
        a.click();
    }
}

/// Saves `canvas` as a PNG file.
pub fn save_png(canvas: &web_sys::HtmlCanvasElement, file_name: &str) {
    if let Ok(url) = canvas.to_data_url() {
        offer(&url, file_name);
    }
}

/// Saves `text` as a file of type `mime`.
pub fn save_text(text: &str, file_name: &str, mime: &str) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    offer(&url, file_name);
    // The browser has started reading the blob by then; a minute later it is let go.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
}

/// Saves the canvas matching `canvas` inside the nearest `container` around the clicked
/// element, as PNG (for a toolbar button beside a view it does not own).
pub fn save_png_near(ev: &web_sys::Event, container: &str, canvas: &str, file_name: &str) {
    let found = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(container).ok()?)
        .and_then(|c| c.query_selector(canvas).ok()?)
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
    if let Some(canvas) = found {
        save_png(&canvas, file_name);
    }
}
