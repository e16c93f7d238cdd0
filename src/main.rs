//! Browser entry point: mounts the app.

fn main() {
    // A panic (a bug: bad input gets messages) is reported on the console, with its place.
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
    // The reader worker instantiates this module too; it has no page to mount.
    if web_sys::window().is_none() {
        return;
    }
    let boot = spanscope::boot::BootOptions::standalone();
    leptos::mount::mount_to_body(
        move || leptos::view! { <spanscope::app::App boot=boot.clone()/> },
    );
}
