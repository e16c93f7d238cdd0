//! The app's conversation with a page that embeds it.
//!
//! Out: `ready` (once), `loaded`, `span-selected` and `error`, each as a DOM event on the
//! app's root element (`spanscope-loaded`, …, with the details as `detail`) and, inside an
//! iframe, as a message `{spanscope: 1, type, ...details}` to the parent page.
//! In (iframe): messages `{spanscope: 1, type, ...}` from the parent: `open` (`trace`: JSON
//! text, a parsed object, or an `ArrayBuffer`/`Uint8Array`, read in the worker like a file;
//! optional `name`), `open-url` (`url`), `select` (`spanId`), `set-theme` (`theme`),
//! `set-view` (`tab`). Only origins listed in `config.json` `embed.allowedOrigins` (default:
//! the app's own) are heard and answered; others are ignored, with a note on the console.
//! A message that cannot be done gets an `error` answer, never a crash.
//! A web component's element (`src/element.rs`) hands the same objects to its own app
//! through an [`Inbox`]; its app's events stay DOM events on the element.

use std::cell::RefCell;
use std::rc::Rc;

use send_wrapper::SendWrapper;

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::load::{LoadedTrace, TraceSource};
use crate::remote::http::page_origin;
use crate::remote::settings::Settings;
use crate::route::{Nav, TraceTab};
use crate::workspace::Workspace;

thread_local! {
    /// The origins the parent page may have (one per page: only an iframe's app talks to it).
    static ORIGINS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// One app's side of the bridge (provided as context: a page may hold several apps, each
/// in its own web-component element).
#[derive(Clone, Copy)]
pub struct HostRequests {
    /// What the host asked to select in the trace on screen (the trace view carries it out).
    pub select: RwSignal<Option<String>>,
    /// The element the app is mounted in: DOM events are dispatched on it.
    root: StoredValue<Option<SendWrapper<web_sys::Element>>>,
    /// Whether events also go to a parent page as messages (an iframe's app; an element's
    /// app talks through its element only).
    to_parent: bool,
}

impl HostRequests {
    pub fn new(to_parent: bool) -> Self {
        HostRequests { select: RwSignal::new(None), root: StoredValue::new(None), to_parent }
    }

    /// Sets the element the app is mounted in.
    pub fn set_root(self, root: web_sys::Element) {
        self.root.set_value(Some(SendWrapper::new(root)));
    }
}

/// How the bridge opens what the host sends.
pub struct Openers {
    pub url: Callback<TraceSource>,
    pub input: Callback<(TraceSource, JsValue)>,
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The parent page's window, when the app runs in an iframe.
fn parent() -> Option<web_sys::Window> {
    let w = window()?;
    let parent = w.parent().ok().flatten()?;
    (!Object::is(&parent, &w)).then_some(parent)
}

fn allowed(origin: &str) -> bool {
    ORIGINS.with(|o| {
        let o = o.borrow();
        if o.is_empty() {
            origin == page_origin()
        } else {
            o.iter().any(|a| a == "*" || a == origin)
        }
    })
}

/// Sends `kind` with `detail` to the root element's listeners and the parent page.
pub fn notify(kind: &str, detail: Value) {
    if let Some(bridge) = use_context::<HostRequests>() {
        notify_from(bridge, kind, detail);
    }
}

fn notify_from(bridge: HostRequests, kind: &str, detail: Value) {
    let Ok(js_detail) = js_sys::JSON::parse(&detail.to_string()) else { return };
    bridge.root.with_value(|root| {
        if let Some(root) = root {
            let init = web_sys::CustomEventInit::new();
            init.set_detail(&js_detail);
            init.set_bubbles(true);
            init.set_composed(true);
            if let Ok(ev) =
                web_sys::CustomEvent::new_with_event_init_dict(&format!("spanscope-{kind}"), &init)
            {
                let _ = root.dispatch_event(&ev);
            }
        }
    });
    let Some(parent) = parent().filter(|_| bridge.to_parent) else { return };
    let targets = ORIGINS.with(|o| o.borrow().clone());
    let targets = if targets.is_empty() { vec![page_origin()] } else { targets };
    let message = message(kind, detail);
    for origin in targets {
        let _ = parent.post_message(&message, &origin);
    }
}

fn message(kind: &str, detail: Value) -> JsValue {
    let mut body = json!({ "spanscope": 1, "type": kind });
    if let (Some(body), Value::Object(detail)) = (body.as_object_mut(), detail) {
        body.extend(detail);
    }
    js_sys::JSON::parse(&body.to_string()).unwrap_or(JsValue::NULL)
}

/// `loaded`'s details.
pub fn loaded_detail(t: &LoadedTrace) -> Value {
    let s = &t.summary;
    json!({ "traceId": s.trace_id, "spanCount": s.span_count, "services": s.services, "durationMicros": s.duration_micros })
}

/// Tells the host that a span was selected.
pub fn span_selected(trace: &spanscope_core::Trace, span: u32) {
    if let Some(s) = trace.spans.get(span as usize) {
        notify(
            "span-selected",
            json!({
                "traceId": trace.trace_id_string(),
                "spanId": trace.span_id_string(s.span_id),
                "service": trace.str(s.service),
                "operation": trace.str(s.name),
            }),
        );
    }
}

/// Connects the app to its host: events out, and messages in from the parent page.
pub fn install(
    ws: Workspace,
    settings: RwSignal<Settings>,
    open: Openers,
    requests: HostRequests,
    nav: Nav,
    inbox: Option<Inbox>,
) {
    // `ready` once the site's configuration (and so the allowed origins) is known.
    Effect::new(move |sent: Option<bool>| {
        if sent == Some(true) || !settings.with(|s| s.loaded) {
            return sent.unwrap_or(false);
        }
        ORIGINS.with(|o| o.replace(settings.with_untracked(|s| s.site.allowed_origins.clone())));
        notify("ready", json!({}));
        true
    });
    // `loaded` for each trace added; `error` for each failure shown.
    Effect::new(move |known: Option<usize>| {
        let now = ws.traces.with(Vec::len);
        if let Some(known) = known {
            ws.traces.with_untracked(|ts| {
                ts.iter().skip(known).for_each(|t| notify("loaded", loaded_detail(t)))
            });
        }
        now
    });
    Effect::new(move |_| {
        if let Some(error) = ws.messages.with(|m| m.error.clone()) {
            notify("error", json!({ "message": error }));
        }
    });
    let cx = Context { ws, requests, open, nav, theme: use_context::<crate::theme::Theme>() };
    match inbox {
        Some(inbox) => {
            inbox.0.replace(Some(Box::new(move |data: &JsValue| {
                if let Err(problem) = handle(data, &cx) {
                    notify_from(requests, "error", json!({ "message": problem }));
                }
            })));
        }
        None if parent().is_some() => listen(cx),
        None => {}
    }
}

/// Where a web component's element hands its app requests: the same objects an iframe's
/// parent page posts (`src/element.rs`).
#[derive(Clone, Default)]
pub struct Inbox(Rc<RefCell<Option<Handler>>>);

/// Carries out one request.
type Handler = Box<dyn Fn(&JsValue)>;

impl Inbox {
    /// Carries out `message` (a failure comes back as a `spanscope-error` event).
    pub fn deliver(&self, message: &JsValue) {
        if let Some(handle) = &*self.0.borrow() {
            handle(message);
        }
    }
}

impl PartialEq for Inbox {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Inbox")
    }
}

/// What message handlers work on (they run outside any component, so nothing comes from
/// context there).
struct Context {
    ws: Workspace,
    requests: HostRequests,
    open: Openers,
    nav: Nav,
    theme: Option<crate::theme::Theme>,
}

fn listen(cx: Context) {
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
        move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            if Reflect::get(&data, &"spanscope".into()).ok().and_then(|v| v.as_f64()) != Some(1.0) {
                return; // Not for us: other scripts post messages too.
            }
            let origin = ev.origin();
            if !allowed(&origin) {
                web_sys::console::warn_1(
                &format!("Spanscope: a message from {origin} was ignored; list the origin in config.json embed.allowedOrigins to allow it.").into(),
            );
                return;
            }
            if let Err(problem) = handle(&data, &cx) {
                // The sender's window is another page's (another realm): `instanceof Window` is
                // false there, so it is taken as it is.
                if let Some(source) = ev.source().map(|s| s.unchecked_into::<web_sys::Window>()) {
                    let _ = source
                        .post_message(&message("error", json!({ "message": problem })), &origin);
                }
            }
        },
    );
    if let Some(w) = window() {
        let _ = w.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    }
    // Listens as long as the page lives.
    on_message.forget();
}

fn field(data: &JsValue, name: &str) -> JsValue {
    Reflect::get(data, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text_field(data: &JsValue, name: &str, kind: &str) -> Result<String, String> {
    field(data, name).as_string().ok_or_else(|| format!("`{kind}` needs `{name}` as a string"))
}

/// Carries out one message; the error is the answer to send back.
fn handle(data: &JsValue, cx: &Context) -> Result<(), String> {
    let kind = field(data, "type").as_string().unwrap_or_default();
    match kind.as_str() {
        "open" => {
            let trace = field(data, "trace");
            let name = field(data, "name")
                .as_string()
                .unwrap_or_else(|| "trace from the host page".into());
            let input = bytes_of(&trace).ok_or(
                "`open` needs `trace`: JSON text, an object, an ArrayBuffer or a Uint8Array",
            )?;
            cx.open.input.run((TraceSource::File(name), input));
        }
        "open-url" => cx.open.url.run(TraceSource::Url(text_field(data, "url", &kind)?)),
        "select" => {
            let id = text_field(data, "spanId", &kind)?;
            if cx.ws.traces.with_untracked(Vec::is_empty) {
                return Err(format!("no trace is open to select span {id} in"));
            }
            cx.requests.select.set(Some(id));
        }
        "set-theme" => {
            let theme = text_field(data, "theme", &kind)?;
            if !crate::theme::set(&theme, cx.theme) {
                return Err(format!("theme `{theme}` is not light, dark or system"));
            }
        }
        "set-view" => {
            let tab = text_field(data, "tab", &kind)?;
            if TraceTab::from_key(&tab).key() != Some(tab.as_str()) && tab != "timeline" {
                return Err(format!("tab `{tab}` is not timeline, graph, stats, flame or spans"));
            }
            cx.nav.set_tab(TraceTab::from_key(&tab));
        }
        other => return Err(format!("unknown message type `{other}`")),
    }
    Ok(())
}

/// A trace as bytes for the reader: text and objects encoded as UTF-8 JSON, buffers as they
/// are (an `ArrayBuffer` is handed on to the worker, not copied).
fn bytes_of(trace: &JsValue) -> Option<JsValue> {
    if trace.is_instance_of::<js_sys::ArrayBuffer>() || trace.is_instance_of::<js_sys::Uint8Array>()
    {
        return Some(trace.clone());
    }
    let text = match trace.as_string() {
        Some(text) => text,
        None if trace.is_object() => js_sys::JSON::stringify(trace).ok()?.as_string()?,
        None => return None,
    };
    Some(js_sys::Uint8Array::from(text.as_bytes()).into())
}
