//! The settings page: the site's backends (from config.json, read-only) and the user's own
//! (kept in this browser), with a form to add or edit one and a connection test.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spanscope_backend::config::ApiChoice;
use spanscope_backend::{Backend, BackendKind};

use crate::remote::client::Client;
use crate::remote::http::Canceller;
use crate::remote::settings::{save_user_backends, Settings};

/// The form's fields as typed.
#[derive(Clone, Default)]
struct Draft {
    name: String,
    kind: String,
    url: String,
    headers: String,
    lookback: String,
    limit: String,
    api: String,
    timeout: String,
}

fn api_label(kind: BackendKind, choice: ApiChoice) -> &'static str {
    match choice {
        ApiChoice::Auto if kind == BackendKind::Tempo => "TraceQL (Tempo 2+)",
        ApiChoice::Auto => "detect",
        ApiChoice::V1 => "v1 (/api)",
        ApiChoice::V3 => "api_v3",
        ApiChoice::Tags => "tags (Tempo 1.x, no TraceQL)",
    }
}

impl Draft {
    fn of(b: &Backend) -> Draft {
        Draft {
            name: b.name.clone(),
            kind: b.kind.name().into(),
            url: b.url.clone(),
            headers: b
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n"),
            lookback: b.lookback.clone().unwrap_or_default(),
            limit: b.limit.map(|l| l.to_string()).unwrap_or_default(),
            api: b.api.name().into(),
            timeout: b.timeout.clone().unwrap_or_default(),
        }
    }

    /// The backend, or every problem with the fields.
    fn backend(&self) -> Result<Backend, String> {
        let kind = BackendKind::from_name(&self.kind).ok_or("Choose a type.")?;
        let mut b = Backend::new(self.name.trim(), kind, self.url.trim());
        let mut headers = BTreeMap::new();
        for line in self.headers.lines().filter(|l| !l.trim().is_empty()) {
            let (k, v) = line
                .split_once(':')
                .ok_or_else(|| format!("Header line `{line}` needs the form Name: value"))?;
            headers.insert(k.trim().to_string(), v.trim().to_string());
        }
        b.headers = headers;
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        b.lookback = opt(&self.lookback);
        b.timeout = opt(&self.timeout);
        b.limit = match opt(&self.limit) {
            Some(l) => Some(l.parse().map_err(|_| format!("Limit `{l}` is not a number"))?),
            None => None,
        };
        // A choice left over from another type falls back to the default.
        b.api = ApiChoice::from_name(&self.api)
            .filter(|c| ApiChoice::for_kind(kind).contains(c))
            .unwrap_or_default();
        let problems = b.problems();
        if problems.is_empty() {
            Ok(b)
        } else {
            Err(problems.join(" "))
        }
    }
}

#[component]
pub fn SettingsPage(settings: RwSignal<Settings>) -> impl IntoView {
    let draft =
        RwSignal::new(Draft { kind: "jaeger".into(), api: "auto".into(), ..Default::default() });
    let message = RwSignal::new(None::<(bool, String)>);
    let field = move |get: fn(&Draft) -> &String, set: fn(&mut Draft, String)| {
        (
            move || draft.with(|d| get(d).clone()),
            move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                draft.update(|d| set(d, v));
            },
        )
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.with_untracked(|d| d.backend()) {
            Ok(b) => {
                let mut user = settings.with_untracked(|s| s.user.clone());
                user.retain(|u| u.name != b.name);
                user.push(b.clone());
                match save_user_backends(&user) {
                    Ok(()) => {
                        settings.update(|s| s.user = user);
                        message.set(Some((true, format!("Saved `{}`.", b.name))));
                    }
                    Err(e) => message.set(Some((false, e))),
                }
            }
            Err(e) => message.set(Some((false, e))),
        }
    };
    let test = move |_| {
        let b = match draft.with_untracked(|d| d.backend()) {
            Ok(b) => b,
            Err(e) => return message.set(Some((false, e))),
        };
        message.set(Some((true, format!("Connecting to {}…", b.url))));
        spawn_local(async move {
            let canceller = Canceller::default();
            let client = Client { backend: &b, canceller: &canceller };
            let result = match client.api().await {
                Ok(api) => client.services().await.map(|s| {
                    format!(
                        "Connected: {} answers ({}) with {} service(s).",
                        b.name,
                        api.label(),
                        s.len()
                    )
                }),
                Err(e) => Err(e),
            };
            match result {
                Ok(m) => message.set(Some((true, m))),
                Err(e) => message.set(e.message().map(|m| (false, m))),
            }
        });
    };
    let remove = move |name: String| {
        let mut user = settings.with_untracked(|s| s.user.clone());
        user.retain(|u| u.name != name);
        match save_user_backends(&user) {
            Ok(()) => settings.update(|s| s.user = user),
            Err(e) => message.set(Some((false, e))),
        }
    };
    let (name, set_name) = field(|d| &d.name, |d, v| d.name = v);
    let (url, set_url) = field(|d| &d.url, |d, v| d.url = v);
    let (headers, set_headers) = field(|d| &d.headers, |d, v| d.headers = v);
    let (lookback, set_lookback) = field(|d| &d.lookback, |d, v| d.lookback = v);
    let (limit, set_limit) = field(|d| &d.limit, |d, v| d.limit = v);
    let (timeout, set_timeout) = field(|d| &d.timeout, |d, v| d.timeout = v);
    let (kind, set_kind) = field(|d| &d.kind, |d, v| d.kind = v);
    let (api, set_api) = field(|d| &d.api, |d, v| d.api = v);
    view! {
        <section class="settings-page" data-testid="settings-page">
            <h2>"Backends"</h2>
            <table class="trace-list">
                <thead><tr><th>"Name"</th><th>"Type"</th><th>"URL"</th><th>"From"</th><th></th></tr></thead>
                <tbody>
                    {move || settings.with(|s| s.backends().into_iter().map(|b| {
                        let mine = s.is_user_backend(&b.name);
                        let (edit_b, name) = (b.clone(), b.name.clone());
                        view! {
                            <tr data-testid="backend-row">
                                <td>{b.name.clone()}</td><td>{b.kind.label()}</td><td class="mono">{b.url.clone()}</td>
                                <td>{if mine { "this browser" } else { "config.json" }}</td>
                                <td>
                                    <button class="small" on:click=move |_| draft.set(Draft::of(&edit_b))>{if mine { "Edit" } else { "Copy to edit" }}</button>
                                    {mine.then(|| view! { <button class="small" on:click=move |_| remove(name.clone())>"Remove"</button> })}
                                </td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            {move || settings.with(|s| s.loaded && s.backends().is_empty()).then(|| view! {
                <p class="notice">"No backends yet. Add one below, or list them in config.json next to index.html (see the README)."</p>
            })}
            {move || settings.with(|s| s.warnings.clone()).into_iter().map(|w| view! { <p class="error" data-testid="config-warning">{w}</p> }).collect_view()}
            <h3>"Add or edit a backend"</h3>
            <form class="search-form" on:submit=save>
                <label>"Name" <input data-testid="settings-name" required prop:value=name on:input=set_name/></label>
                <label>"Type"
                    <select data-testid="settings-type" prop:value=kind on:change=set_kind>
                        {BackendKind::ALL.iter().map(|k| view! { <option value=k.name()>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="wide">"URL" <input data-testid="settings-url" required placeholder="http://127.0.0.1:16686 or /jaeger" prop:value=url on:input=set_url/></label>
                {move || {
                    let kind = BackendKind::from_name(&kind()).unwrap_or(BackendKind::Jaeger);
                    let choices = ApiChoice::for_kind(kind);
                    (choices.len() > 1).then(|| view! {
                        <label>"API"
                            <select data-testid="settings-api" prop:value=api on:change=set_api>
                                {choices.iter().map(|c| view! { <option value=c.name()>{api_label(kind, *c)}</option> }).collect_view()}
                            </select>
                        </label>
                    })
                }}
                <label>"Lookback" <input class="short" placeholder="1h" prop:value=lookback on:input=set_lookback/></label>
                <label>"Limit" <input class="short" placeholder="20" prop:value=limit on:input=set_limit/></label>
                <label>"Timeout" <input class="short" placeholder="30s" prop:value=timeout on:input=set_timeout/></label>
                <label class="wide">"Headers (one per line: Name: value)"
                    <textarea rows="2" data-testid="settings-headers" prop:value=headers on:input=set_headers></textarea>
                </label>
                <div class="actions">
                    <button class="button" type="submit" data-testid="settings-save">"Save in this browser"</button>
                    <button class="button secondary" type="button" data-testid="settings-test" on:click=test>"Test connection"</button>
                </div>
            </form>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice" } else { "error" } data-testid="settings-message">{m}</p> })}
        </section>
    }
}
