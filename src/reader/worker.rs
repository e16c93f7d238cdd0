//! The reader worker's side: reads its one job (a `File`, or a URL) with progress, parses
//! it, and posts the model to the page as one transferred buffer ([`super::pack`]).
//! Messages are arrays: `["p", bytes read, total, parsing]`, then one of `["t", buffer]`
//! (traces), `["b", bytes]` (something the page reads itself: dependency links) or
//! `["e", message]`.

use std::cell::Cell;

use js_sys::Array;
use spanscope_core::Opened;
use wasm_bindgen::prelude::*;

use crate::load;

fn post(message: &Array, transfer: Option<&JsValue>) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = match transfer {
        Some(buffer) => scope.post_message_with_transfer(message, &Array::of1(buffer)),
        None => scope.post_message(message),
    };
}

fn post_progress(done: f64, total: f64, parsing: bool) {
    post(&Array::of4(&"p".into(), &done.into(), &total.into(), &parsing.into()), None);
}

/// The worker's entry point (`worker.js` calls it once the module is instantiated).
#[wasm_bindgen]
pub async fn spanscope_read(input: JsValue, label: String) {
    // At most one progress message per 1 % (or 4 MB of a body of unknown length): a URL
    // arrives in many small pieces.
    let posted = Cell::new(0.0);
    let progress = |done: f64, total: f64| {
        let step = if total > 0.0 { total / 100.0 } else { 4e6 };
        if done - posted.get() >= step || done == total {
            posted.set(done);
            post_progress(done, total, false);
        }
    };
    let bytes = match load::input_bytes(&input, &progress).await {
        Ok(bytes) => bytes,
        Err(error) => return post(&Array::of2(&"e".into(), &error.into()), None),
    };
    post_progress(bytes.len() as f64, bytes.len() as f64, true);
    load::reserve_for_model(bytes.len());
    match spanscope_core::open(&bytes) {
        Ok(Opened::Traces(set)) => {
            drop(bytes);
            let packed = super::pack::pack(&set).buffer();
            drop(set);
            post(&Array::of2(&"t".into(), &packed), Some(&packed));
        }
        Ok(Opened::DependencyLinks(_)) => {
            post(&Array::of2(&"b".into(), &js_sys::Uint8Array::from(&bytes[..])), None)
        }
        Err(e) => post(&Array::of2(&"e".into(), &format!("{label}: {e}").into()), None),
    }
}
