//! GET requests to a backend with its headers, a timeout, cancellation, and a diagnosis
//! when the network fails: a second, `no-cors` request tells a server that is up but does
//! not allow this origin (CORS) from one that does not answer at all.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Request;
use spanscope_backend::diagnose::{is_mixed_content, Failure};
use spanscope_backend::{AnswerError, Backend};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, RequestMode};

/// An answer with any status; the caller decides what a status means for its endpoint.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why there is no answer: superseded by a newer request (say nothing), or a failure.
#[derive(Debug)]
pub enum Fetch {
    Cancelled,
    Failed(Failure),
}

/// Requests that belong to one purpose (the current search): starting a new one cancels
/// the previous ones, so a slow stale answer never replaces a newer one.
#[derive(Clone, Default)]
pub struct Canceller {
    controllers: Rc<RefCell<Vec<AbortController>>>,
}

impl Canceller {
    pub fn cancel_all(&self) {
        for c in self.controllers.borrow_mut().drain(..) {
            c.abort();
        }
    }

    fn register(&self) -> Option<AbortController> {
        let c = AbortController::new().ok()?;
        self.controllers.borrow_mut().push(c.clone());
        Some(c)
    }
}

pub fn page_origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// GETs `path` on `backend`.
pub async fn get(backend: &Backend, path: &str, canceller: &Canceller) -> Result<Answer, Fetch> {
    let url = backend.endpoint(path);
    let origin = page_origin();
    if is_mixed_content(backend, &origin) {
        return Err(Fetch::Failed(Failure::MixedContent));
    }
    let controller = canceller.register();
    let timed_out = Rc::new(Cell::new(false));
    let timeout_ms = backend.timeout_ms();
    let timer = controller.clone().map(|c| {
        let flag = timed_out.clone();
        let cb = Closure::once_into_js(move || {
            flag.set(true);
            c.abort();
        });
        web_sys::window()
            .and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    cb.unchecked_ref(),
                    timeout_ms as i32,
                )
                .ok()
            })
            .unwrap_or(0)
    });
    let signal = controller.as_ref().map(|c| c.signal());
    let mut request = Request::get(&url).abort_signal(signal.as_ref());
    for (k, v) in &backend.headers {
        request = request.header(k, v);
    }
    let sent = request.send().await;
    let result = match sent {
        Ok(response) => {
            let status = response.status();
            match response.binary().await {
                Ok(body) => Ok(Answer { status, body }),
                Err(_) if timed_out.get() => {
                    Err(Fetch::Failed(Failure::Timeout { after_ms: timeout_ms }))
                }
                Err(_) if signal.as_ref().is_some_and(|s| s.aborted()) => Err(Fetch::Cancelled),
                Err(e) => {
                    Err(Fetch::Failed(Failure::BadBody(AnswerError::BrokeOff(e.to_string()))))
                }
            }
        }
        Err(_) if timed_out.get() => Err(Fetch::Failed(Failure::Timeout { after_ms: timeout_ms })),
        Err(_) if signal.as_ref().is_some_and(|s| s.aborted()) => Err(Fetch::Cancelled),
        Err(_) => {
            let reachable = if backend.is_cross_origin(&origin) {
                Some(answers_without_cors(&url).await)
            } else {
                None
            };
            Err(Fetch::Failed(Failure::Network { reachable }))
        }
    };
    if let (Some(id), Some(w)) = (timer, web_sys::window()) {
        w.clear_timeout_with_handle(id);
    }
    result
}

/// Whether the server answers at all when the browser need not show us the answer: an
/// opaque `no-cors` response means it is up, so the first request was blocked by CORS.
async fn answers_without_cors(url: &str) -> bool {
    Request::get(url).mode(RequestMode::NoCors).send().await.is_ok()
}
