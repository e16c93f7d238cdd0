//! The trace header: what the trace is, when it ran, how big it is, which services took part
//! (with their colours), and what looked wrong.

use leptos::prelude::*;
use spanscope_core::format::format_duration_us;
use spanscope_core::format::format_utc;
use spanscope_core::summary::TraceSummary;
use spanscope_core::view::legend::busiest;
use spanscope_core::view::palette::css;

fn local_time(micros: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(micros as f64 / 1000.0));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// Services listed in the header at most.
const LEGEND_SERVICES: usize = 40;

#[component]
pub fn TraceHeader(
    summary: TraceSummary,
    whole: std::sync::Arc<spanscope_core::Trace>,
) -> impl IntoView {
    let s = summary;
    // Same order as `s.services`: both are sorted by name.
    let counts: Vec<usize> = whole.service_counts().into_iter().map(|(_, n)| n).collect();
    // A trace can have a service per span: the busiest are listed, the rest counted.
    let (shown, hidden) = busiest(&counts, LEGEND_SERVICES);
    let ws = expect_context::<crate::workspace::Workspace>();
    let more = (hidden > 0).then(|| {
        view! { <li class="service more" data-testid="legend-more">{format!("+{hidden} more services")}</li> }
    });
    let legend = shown
        .into_iter()
        .map(|i| (i, &s.services[i], counts[i]))
        .map(|(_, name, count)| {
            let colour = css(ws.colours.with_value(|c| c.colour(name)));
            let swatch = colour.clone();
            view! {
                <li class="service" data-service=name.clone() data-colour=colour>
                    <span class="swatch" style:background=swatch></span>{format!("{name} ({count})")}
                </li>
            }
        })
        .collect_view();
    let trace_id = s.trace_id.clone();
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&trace_id);
        }
    };
    let export_trace = whole.clone();
    view! {
        <section class="trace-header" data-testid="trace-header">
            <h2>{format!("{}: {}", s.root_service_name, s.root_span_name)}</h2>
            <dl>
                <dt>"Trace ID"</dt>
                <dd><span class="mono" data-testid="trace-id">{s.trace_id.clone()}</span>" "<button class="small" title="Copy trace ID" on:click=copy>"Copy"</button></dd>
                <dt>"Started"</dt><dd title=local_time(s.start_time_micros)>{format_utc(s.start_time_micros * 1000)}</dd>
                <dt>"Duration"</dt><dd data-testid="trace-duration" data-micros=s.duration_micros>{format_duration_us(s.duration_micros)}</dd>
                <dt>"Spans"</dt><dd data-testid="span-count">{s.span_count}</dd>
                <dt>"Services"</dt><dd data-testid="service-count">{s.services.len()}</dd>
                <dt>"Depth"</dt><dd data-testid="trace-depth">{s.max_depth}</dd>
                <dt>"Errors"</dt><dd data-testid="error-count">{s.error_span_count}</dd>
            </dl>
            {move || super::detail::tool_links(spanscope_core::link_patterns::trace_links(&whole, &super::detail::link_patterns()), "trace-tool-links")}
            // The actions share the legend's line: the timeline keeps its rows.
            <div class="header-row">
                <super::export::ExportMenu trace=export_trace/>
                <super::privacy_panel::SensitiveDataButton/>
                <ul class="legend">{legend}{more}</ul>
            </div>
            <super::privacy_panel::SensitiveDataPanel/>
            <ul class="warnings">
                {s.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
            </ul>
        </section>
    }
}
