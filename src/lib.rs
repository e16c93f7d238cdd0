//! Spanscope's web app (Leptos, client-side rendered). Everything that needs no browser lives
//! in `spanscope-core`; this crate only gets bytes in, calls the core, and shows results.

pub mod app;
pub mod boot;
pub mod canvas;
pub mod compare;
pub mod download;
pub mod element;
pub mod embed;
pub mod host;
pub mod load;
pub mod perf;
pub mod reader;
pub mod remote;
pub mod route;
pub mod search;
pub mod theme;
pub mod trace_view;
pub mod url_state;
pub mod virtual_rows;
pub mod workspace;

/// Size of this app's wasm linear memory, for the browser benchmark (`bench-ui.mjs`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory =
        wasm_bindgen::JsCast::unchecked_into(wasm_bindgen::memory());
    let buffer: js_sys::ArrayBuffer = wasm_bindgen::JsCast::unchecked_into(memory.buffer());
    buffer.byte_length() as f64
}
