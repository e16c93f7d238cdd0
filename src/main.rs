//! Browser entry point: mounts the app.

fn main() {
    console_error_panic_hook::set_once();
    let boot = spanscope::boot::BootOptions::standalone();
    leptos::mount::mount_to_body(
        move || leptos::view! { <spanscope::app::App boot=boot.clone()/> },
    );
}
