//! The trace header's "Download…" menu: the trace, or every loaded trace in one file, as
//! Jaeger, OTLP or Zipkin JSON, written by the core from the models shown (redacted when
//! "redact in view" is on), or the open view's canvas (waterfall, flame graph, service graph)
//! as PNG.

use std::sync::Arc;

use leptos::prelude::*;
use spanscope_core::write::{self, OutputFormat};
use spanscope_core::Trace;
use wasm_bindgen::JsCast;

use crate::route::{Nav, TraceTab};

/// The canvas that draws `tab`, if it has one.
fn canvas_selector(tab: TraceTab) -> Option<&'static str> {
    match tab {
        TraceTab::Timeline => Some(".waterfall-canvas"),
        TraceTab::Flame => Some("canvas.flame"),
        TraceTab::Graph => Some("canvas.service-graph"),
        TraceTab::Stats | TraceTab::Spans => None,
    }
}

#[component]
pub fn ExportMenu(trace: Arc<Trace>) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let ws = expect_context::<crate::workspace::Workspace>();
    let tab = move || nav.route().tab();
    let loaded = move || ws.traces.with(Vec::len);
    let on_change = move |ev: leptos::ev::Event| {
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        let choice = select.value();
        select.set_value("");
        let name = format!("trace-{}", trace.trace_id_string());
        if choice == "png" {
            let canvas = canvas_selector(tab())
                .and_then(|css| select.closest("main").ok()??.query_selector(css).ok()?)
                .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
            if let Some(canvas) = canvas {
                let view = tab().key().unwrap_or("timeline");
                crate::download::save_png(&canvas, &format!("{name}-{view}.png"));
            }
        } else if let Some(all) = choice.strip_prefix("all-") {
            let Some(format) = OutputFormat::parse(all) else { return };
            let count = ws.traces.with_untracked(Vec::len);
            let shown: Vec<_> = (0..count).filter_map(|i| ws.shown(i)).collect();
            let traces: Vec<&Trace> = shown.iter().map(|t| &*t.trace).collect();
            let json = write::to_string(&traces, format);
            let file = format!("traces-{}.{all}.json", shown.len());
            crate::download::save_text(&json, &file, "application/json");
        } else if let Some(format) = OutputFormat::parse(&choice) {
            let json = write::to_string(&[&*trace], format);
            crate::download::save_text(&json, &format!("{name}.{choice}.json"), "application/json");
        }
    };
    view! {
        <select class="small download" data-testid="download" on:change=on_change
            title="Download this trace as it is shown (redacted when redaction is on), or the open view as a picture">
            <option value="">"Download…"</option>
            <option value="jaeger">"Jaeger JSON"</option>
            <option value="otlp">"OTLP JSON"</option>
            <option value="zipkin">"Zipkin JSON"</option>
            <option value="png" disabled=move || canvas_selector(tab()).is_none()>"PNG of this view"</option>
            <optgroup label=move || format!("All {} loaded traces, one file", loaded())>
                <option value="all-jaeger">"Jaeger JSON"</option>
                <option value="all-otlp">"OTLP JSON"</option>
                <option value="all-zipkin">"Zipkin JSON"</option>
            </optgroup>
        </select>
    }
}
