//! Files the user saves, made in the page (the canvas's pixels, then an `<a download>`),
//! never by opening a backend's URL, so they work behind any authentication.

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
