//! Browser entry point: mounts the app in its own page.

fn main() {
    // A panic (a bug: bad input gets messages) is reported on the console, with its place.
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
    // The reader worker instantiates this module too; it has no page to mount. A page with
    // the web component loads it as well, and mounts each element itself (`src/element.rs`):
    // only the app's own page (index.html's `<body data-spanscope-app>`) is mounted here.
    let body = web_sys::window().and_then(|w| w.document()?.body());
    if !body.is_some_and(|b| b.has_attribute("data-spanscope-app")) {
        return;
    }
    let boot = spanscope::boot::BootOptions::standalone();
    leptos::mount::mount_to_body(
        move || leptos::view! { <spanscope::app::App boot=boot.clone()/> },
    );
}
