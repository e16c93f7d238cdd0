//! The span detail panel: everything known about the selected span, as plain text (Leptos
//! escapes every string; nothing from a trace is ever parsed as HTML).

use leptos::prelude::*;
use spanscope_core::analysis::self_time_ns;
use spanscope_core::case;
use spanscope_core::format::format_duration_ns;
use spanscope_core::format::format_utc;
use spanscope_core::ids::SpanId;
use spanscope_core::model::{Attribute, Span, StatusCode, Trace};

use super::ViewState;

fn attr_rows(t: &Trace, attrs: &[Attribute]) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> =
        attrs.iter().map(|a| (t.str(a.key).to_string(), t.value_text(&a.value))).collect();
    spanscope_core::sort::sort(&mut rows);
    rows
}

/// Key–value pairs as shown.
type Pairs = Vec<(String, String)>;

struct Facts {
    title: String,
    fields: Vec<(&'static str, String)>,
    attributes: Pairs,
    resource: Pairs,
    /// (offset, name, attributes)
    events: Vec<(String, String, Pairs)>,
    /// (text, the span when in this trace, the target's trace and span id)
    links: Vec<(String, Option<u32>, u128, SpanId)>,
    warnings: Vec<String>,
}

fn facts(t: &Trace, index: u32) -> Facts {
    let s: &Span = &t.spans[index as usize];
    let parent = if s.parent_id.is_none() {
        "none (root)".to_string()
    } else {
        t.span_id_string(s.parent_id)
    };
    let status = match s.status {
        StatusCode::Error => format!("error {}", t.text(s.status_message)),
        StatusCode::Ok => "ok".into(),
        StatusCode::Unset => "unset".into(),
    };
    let scope = t
        .scopes
        .get(s.scope as usize)
        .map(|sc| format!("{} {}", t.str(sc.name), t.str(sc.version)))
        .unwrap_or_default();
    let mut fields = vec![
        ("Service", t.str(s.service).to_string()),
        (
            "Kind",
            if s.kind.name().is_empty() { "unspecified".into() } else { s.kind.name().to_string() },
        ),
        ("Span ID", t.span_id_string(s.span_id)),
        ("Parent ID", parent),
        (
            "Start",
            format!(
                "{} (+{})",
                format_utc(s.start_ns),
                format_duration_ns(s.start_ns - t.stats.start_ns)
            ),
        ),
        ("Duration", format_duration_ns(s.duration_ns)),
        ("Self time", format_duration_ns(self_time_ns(t, s))),
        ("Status", status.trim().to_string()),
    ];
    if !scope.trim().is_empty() {
        fields.push(("Scope", scope.trim().to_string()));
    }
    let events = t
        .span_events(s)
        .iter()
        .map(|e| {
            (
                format!("+{}", format_duration_ns(e.time_ns - s.start_ns)),
                t.str(e.name).to_string(),
                attr_rows(t, &t.attrs[e.attrs.as_range()]),
            )
        })
        .collect();
    let links = t
        .span_links(s)
        .iter()
        .map(|l| {
            let target =
                if l.trace_id.value == t.trace_id.value { t.find_span(l.span_id) } else { None };
            let text =
                format!("{} {} / {}", l.kind.name(), l.trace_id, t.span_id_string(l.span_id));
            (text, target, l.trace_id.value, l.span_id)
        })
        .collect();
    let mut warnings: Vec<String> = t.span_warnings(s).map(str::to_string).collect();
    for (bit, text) in [
        (spanscope_core::model::SpanFlags::ORPHAN, "parent is not in this trace"),
        (spanscope_core::model::SpanFlags::DUPLICATE_ID, "another span has the same id"),
        (
            spanscope_core::model::SpanFlags::STARTS_BEFORE_PARENT,
            "starts before its parent (clock skew?)",
        ),
        (spanscope_core::model::SpanFlags::CYCLE_CUT, "its parent link formed a cycle and was cut"),
        (spanscope_core::model::SpanFlags::MISSING_TIME, "no start time in the input"),
    ] {
        if s.flags.has(bit) {
            warnings.push(text.to_string());
        }
    }
    Facts {
        title: t.str(s.name).to_string(),
        fields,
        attributes: attr_rows(t, t.span_attrs(s)),
        resource: attr_rows(t, t.resource_attrs(s.resource)),
        events,
        links,
        warnings,
    }
}

fn table(rows: Vec<(String, String)>) -> impl IntoView {
    view! {
        <table class="kv">
            {rows.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}
        </table>
    }
}

fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The span's attributes, filtered by key or value as the user types, each copyable.
fn attribute_table(rows: Vec<(String, String)>, filter: RwSignal<String>) -> impl IntoView {
    view! {
        <table class="kv" data-testid="span-attributes">
            {move || {
                let needle = case::to_lower(&filter.get());
                rows.iter()
                    .filter(|(k, v)| case::contains_ignore_case(k, &needle) || case::contains_ignore_case(v, &needle))
                    .map(|(k, v)| {
                        let copy = format!("{k}={v}");
                        view! { <tr><th>{k.clone()}</th><td>{v.clone()}</td>
                            <td class="copy"><button class="small" title="Copy key=value" on:click=move |_| copy_text(&copy)>"copy"</button></td></tr> }
                    })
                    .collect_view()
            }}
        </table>
    }
}

/// The site's link patterns (`config.json` `linkPatterns`); tracked, as the file arrives
/// after the first trace may have.
pub fn link_patterns() -> Vec<spanscope_core::link_patterns::LinkPattern> {
    use_context::<RwSignal<crate::remote::settings::Settings>>()
        .map(|s| s.with(|s| s.site.link_patterns.clone()))
        .unwrap_or_default()
}

/// Links to the team's other tools, opened in a new tab without a referrer; the attribute a
/// link belongs to is its tooltip.
pub fn tool_links(
    links: Vec<spanscope_core::link_patterns::Link>,
    testid: &'static str,
) -> impl IntoView {
    (!links.is_empty()).then(|| view! {
        <ul class="tool-links" data-testid=testid>
            {links.into_iter().map(|l| view! {
                <li><a href=l.url target="_blank" rel="noopener noreferrer" title=l.key>{l.text}</a></li>
            }).collect_view()}
        </ul>
    })
}

/// Spans of this trace that link to (or reference) the selected one, each a jump to it.
fn back_references(state: ViewState) -> impl IntoView {
    let span = state.selection.selected.get_untracked()?;
    let from: Vec<(u32, String)> = state.analysis.with_value(|a| {
        state.trace.with_value(|t| {
            a.links
                .iter()
                .filter(|&&(linked, linking)| linked == span && linking != span)
                .map(|&(_, linking)| {
                    let s = &t.spans[linking as usize];
                    (
                        linking,
                        format!(
                            "{}: {} / {}",
                            t.str(s.service),
                            t.str(s.name),
                            t.span_id_string(s.span_id)
                        ),
                    )
                })
                .collect()
        })
    });
    (!from.is_empty()).then(|| view! {
        <h4>"Linked from"</h4>
        <ul class="links" data-testid="linked-from">
            {from.into_iter().map(|(i, text)| view! {
                <li><button class="link" on:click=move |_| state.select_and_show(i)>{text}</button></li>
            }).collect_view()}
        </ul>
    })
}

/// "Focus on this span", unless it already is the focus.
fn focus_button(state: ViewState) -> impl IntoView {
    let span = state.selection.selected.get_untracked()?;
    let is_focus = span == 0 && state.focus.root().is_some();
    (!is_focus).then(|| view! {
        <button class="small" data-testid="focus-span" title="Re-root every view on this span's subtree (f)"
            on:click=move |_| state.focus.focus_on(&state, Some(span))>"Focus on this span"</button>
    })
}

/// "Copy link": the full app showing this trace at this span, when a link can bring the
/// trace back (it came from a URL or a backend, not a local file).
fn copy_link_button() -> Option<impl IntoView> {
    let reproducible =
        crate::url_state::param("url").is_some() || crate::url_state::param("trace").is_some();
    reproducible.then(|| view! {
        <button class="small" data-testid="copy-span-link" title="Copy a link to this span"
            on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&crate::embed::full_app_href());
                }
            }>"Copy link"</button>
    })
}

#[component]
pub fn SpanDetail(state: ViewState) -> impl IntoView {
    let facts =
        move || state.selection.selected.get().map(|i| state.trace.with_value(|t| facts(t, i)));
    let attr_filter = RwSignal::new(String::new());
    view! {
        <aside class="span-detail" data-testid="span-detail">
            {move || match facts() {
                None => view! { <p class="hint">"Click a span to see its details."</p> }.into_any(),
                Some(f) => view! {
                    <h3>{f.title}</h3>
                    {focus_button(state)}
                    {copy_link_button()}
                    {tool_links(state.trace.with_value(|t| spanscope_core::link_patterns::span_links(t, state.selection.selected.get_untracked().unwrap_or_default(), &link_patterns())), "span-tool-links")}
                    <table class="kv fields">
                        {f.fields.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}
                    </table>
                    <h4>"Attributes "<input type="search" class="attr-filter" placeholder="filter" data-testid="attribute-filter"
                        prop:value=move || attr_filter.get() on:input=move |ev| attr_filter.set(event_target_value(&ev))/></h4>
                    {attribute_table(f.attributes, attr_filter)}
                    {(!f.events.is_empty()).then(|| view! { <h4>"Events"</h4> })}
                    {f.events.into_iter().map(|(at, name, attrs)| view! {
                        <div class="event"><span class="mono">{at}</span>" "<b>{name}</b>{table(attrs)}</div>
                    }).collect_view()}
                    {(!f.links.is_empty()).then(|| view! { <h4>"Links"</h4> })}
                    <ul class="links">
                        {f.links.into_iter().map(|(text, target, trace_id, span_id)| {
                            let ws = expect_context::<crate::workspace::Workspace>();
                            match (target, ws.trace_with_id(trace_id).is_some()) {
                                (Some(i), _) => view! { <li><button class="link" on:click=move |_| state.select_and_show(i)>{text}</button></li> }.into_any(),
                                // Another loaded trace: open it at the linked span.
                                (None, true) => view! { <li><button class="link" data-testid="link-other-trace"
                                    title="Open the linked trace at this span" on:click=move |_| ws.open_span(trace_id, span_id)>{text}" (another loaded trace)"</button></li> }.into_any(),
                                (None, false) => view! { <li>{text}" (not in this trace)"</li> }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                    {back_references(state)}
                    <h4>"Process / resource"</h4>
                    {table(f.resource)}
                    {(!f.warnings.is_empty()).then(|| view! { <h4>"Warnings"</h4> })}
                    <ul class="warnings">{f.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                }.into_any(),
            }}
        </aside>
    }
}
