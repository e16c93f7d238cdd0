//! The search form: backend, service and operation (filled from the API), tags in the
//! backend's syntax, time range, durations, limit.

use leptos::prelude::*;
use spanscope_backend::query::{tag_value_prefix, LOOKBACK_PRESETS};
use spanscope_backend::units::{format_lookback, parse_duration_ns};
use spanscope_backend::{BackendKind, SearchQuery, TimeRange};

use super::SearchState;
use crate::remote::settings::Settings;

fn tags_placeholder(kind: Option<BackendKind>) -> &'static str {
    match kind {
        Some(BackendKind::Zipkin) => "error and http.method=GET",
        Some(BackendKind::Tempo) => "{ span.http.status_code >= 500 }  or  error=true",
        _ => "error=true http.status_code=500",
    }
}

#[component]
pub fn SearchForm(state: SearchState, settings: RwSignal<Settings>) -> impl IntoView {
    let kind = move || state.backend.with(|b| b.as_ref().map(|b| b.kind));
    let edit = move |f: &dyn Fn(&mut SearchQuery)| state.query.update(|q| f(q));
    let on_backend = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(b) =
            settings.with_untracked(|s| s.backends().into_iter().find(|b| b.name == name))
        {
            state.choose_backend(b, false);
        }
    };
    let on_service = move |ev: leptos::ev::Event| {
        let service = event_target_value(&ev).trim().to_string();
        edit(&|q| {
            q.service = service.clone();
            q.operation.clear();
        });
        state.load_operations(service);
    };
    let custom = move || matches!(state.query.with(|q| q.range), TimeRange::Between { .. });
    let lookback_value = move || match state.query.with(|q| q.range) {
        TimeRange::Lookback(ns) => format_lookback(ns),
        TimeRange::Between { .. } => "custom".into(),
    };
    let on_lookback = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let now = super::now_ns();
        edit(&|q| {
            q.range = match parse_duration_ns(&v) {
                Ok(ns) => TimeRange::Lookback(ns),
                Err(_) => {
                    let (start_ns, end_ns) = q.bounds(now);
                    TimeRange::Between { start_ns, end_ns }
                }
            }
        });
    };
    let range_field = move |which: usize| {
        move |ev: leptos::ev::Event| {
            let Some(ns) = parse_local_datetime(&event_target_value(&ev)) else { return };
            edit(&|q| {
                if let TimeRange::Between { start_ns, end_ns } = &mut q.range {
                    if which == 0 {
                        *start_ns = ns;
                    } else {
                        *end_ns = ns;
                    }
                }
            });
        }
    };
    let range_value = move |which: usize| match state.query.with(|q| q.range) {
        TimeRange::Between { start_ns, end_ns } => {
            format_local_datetime(if which == 0 { start_ns } else { end_ns })
        }
        TimeRange::Lookback(_) => String::new(),
    };
    let text = move |get: fn(&SearchQuery) -> &String| move || state.query.with(|q| get(q).clone());
    let set_text = move |set: fn(&mut SearchQuery, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            state.query.update(|q| set(q, v));
        }
    };
    // Suggestions: `key=` for every known tag, then `…key=value` for the tag being typed.
    let tags_typed = RwSignal::new(String::new());
    let tag_suggestions = move || {
        let typed = tags_typed.get();
        let mut options: Vec<String> = match tag_value_prefix(&typed) {
            Some((prefix, key)) => state.tag_values.with(|(k, values)| {
                if k == key {
                    values.iter().map(|v| format!("{prefix}{v}")).collect()
                } else {
                    Vec::new()
                }
            }),
            None => Vec::new(),
        };
        options.extend(state.tag_names.get().into_iter().map(|t| format!("{t}=")));
        options.into_iter().map(|o| view! { <option value=o/> }).collect_view()
    };
    view! {
        <form class="search-form" on:submit=move |ev| { ev.prevent_default(); state.run(); }>
            <label>"Backend"
                <select data-testid="backend-select" on:change=on_backend prop:value=move || state.backend.with(|b| b.as_ref().map(|b| b.name.clone()).unwrap_or_default())>
                    {move || settings.with(|s| s.backends()).into_iter().map(|b| {
                        let label = format!("{} ({})", b.name, b.kind.label());
                        let selected = state.backend.with_untracked(|cur| cur.as_ref().is_some_and(|c| c.name == b.name));
                        view! { <option value=b.name.clone() selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Service"
                <input list="services-list" data-testid="service-input" placeholder=move || if kind() == Some(BackendKind::Jaeger) { "required" } else { "all services" }
                    prop:value=text(|q| &q.service) on:change=on_service/>
                {suggestions("services-list", state.services)}
            </label>
            <label>"Operation"
                <input list="operations-list" data-testid="operation-input" placeholder="all operations" prop:value=text(|q| &q.operation)
                    on:change=set_text(|q, v| q.operation = v.trim().to_string())/>
                {suggestions("operations-list", state.operations)}
            </label>
            <span class="group" class:hidden=move || kind() != Some(BackendKind::Zipkin)>
                <label>"Remote service"
                    <input list="remote-services-list" data-testid="remote-service-input" placeholder="any" prop:value=text(|q| &q.remote_service)
                        on:change=set_text(|q, v| q.remote_service = v.trim().to_string())/>
                    {suggestions("remote-services-list", state.remote_services)}
                </label>
            </span>
            <label class="wide">"Tags"
                <input data-testid="tags-input" list="tags-list" placeholder=move || tags_placeholder(kind()) prop:value=text(|q| &q.tags)
                    on:change=set_text(|q, v| q.tags = v)
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        if let Some((_, key)) = tag_value_prefix(&typed) { state.load_tag_values(key.to_string()); }
                        tags_typed.set(typed);
                    }/>
                <datalist id="tags-list">{tag_suggestions}</datalist>
            </label>
            <label>"Lookback"
                <select data-testid="lookback-select" on:change=on_lookback prop:value=lookback_value>
                    {LOOKBACK_PRESETS.iter().map(|p| view! { <option value=*p>{format!("Last {p}")}</option> }).collect_view()}
                    {move || {
                        // A lookback from the URL or config that is not a preset still shows.
                        let v = lookback_value();
                        (v != "custom" && !LOOKBACK_PRESETS.contains(&v.as_str())).then(|| view! { <option value=v.clone()>{format!("Last {v}")}</option> })
                    }}
                    <option value="custom">"Custom range"</option>
                </select>
            </label>
            <span class="group" class:hidden=move || !custom()>
                <label>"From" <input type="datetime-local" step="1" data-testid="range-start" prop:value=move || range_value(0) on:change=range_field(0)/></label>
                <label>"To" <input type="datetime-local" step="1" data-testid="range-end" prop:value=move || range_value(1) on:change=range_field(1)/></label>
            </span>
            <label>"Min duration"
                <input class="short" data-testid="min-duration" placeholder="e.g. 100ms" prop:value=text(|q| &q.min_duration) on:change=set_text(|q, v| q.min_duration = v.trim().to_string())/>
            </label>
            <label>"Max duration"
                <input class="short" data-testid="max-duration" placeholder="e.g. 1.5s" prop:value=text(|q| &q.max_duration) on:change=set_text(|q, v| q.max_duration = v.trim().to_string())/>
            </label>
            <label>"Limit"
                <input class="short" type="number" min="1" max="10000" data-testid="limit-input" prop:value=move || state.query.with(|q| q.limit.to_string())
                    on:change=move |ev| { if let Ok(n) = event_target_value(&ev).parse::<u32>() { state.query.update(|q| q.limit = n.clamp(1, 10_000)); } }/>
            </label>
            <div class="actions">
                <button class="button" type="submit" data-testid="search-button">"Find traces"</button>
                <button class="button secondary" type="button" data-testid="dependencies-button" on:click=move |_| state.dependencies()
                    title="The backend's own service dependency graph over this time range">"Dependencies"</button>
            </div>
        </form>
    }
}

/// `datetime-local` values are the user's local time; Date does the time zone.
fn parse_local_datetime(v: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(v);
    (!ms.is_nan()).then_some((ms * 1e6) as i64)
}

fn format_local_datetime(ns: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((ns / 1_000_000) as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// A `<datalist>` of the names in `items`, for an input's `list` attribute.
fn suggestions(id: &'static str, items: RwSignal<Vec<String>>) -> impl IntoView {
    view! { <datalist id=id>{move || items.get().into_iter().map(|s| view! { <option value=s/> }).collect_view()}</datalist> }
}
