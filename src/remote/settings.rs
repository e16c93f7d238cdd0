//! Where the backends come from: `config.json` next to `index.html` (the site's), and the
//! user's own list in localStorage, edited on the settings page. Read at runtime, so one
//! build serves every deployment.

use leptos::prelude::*;
use spanscope_backend::config::{parse_backends, ParsedConfig};
use spanscope_backend::{AppConfig, Backend};

const USER_BACKENDS_KEY: &str = "spanscope.backends";

/// The configuration as the page sees it.
#[derive(Clone, Default)]
pub struct Settings {
    pub site: AppConfig,
    pub user: Vec<Backend>,
    /// Problems found in either, shown on the settings page.
    pub warnings: Vec<String>,
    pub loaded: bool,
}

impl Settings {
    pub fn backends(&self) -> Vec<Backend> {
        self.site.merged_backends(&self.user)
    }

    /// The backend a search starts with: `?backend=`, the site's default, else the first.
    pub fn initial_backend(&self, wanted: Option<&str>) -> Option<Backend> {
        let all = self.backends();
        wanted
            .and_then(|w| all.iter().find(|b| b.name == w))
            .or_else(|| {
                self.site.default_backend.as_deref().and_then(|d| all.iter().find(|b| b.name == d))
            })
            .or(all.first())
            .cloned()
    }

    pub fn is_user_backend(&self, name: &str) -> bool {
        self.user.iter().any(|b| b.name == name)
    }
}

/// Fetches `config.json` (relative to the page, so any base path works); a missing file
/// just means no site backends.
pub async fn load(config_url: &str) -> Settings {
    let mut settings = Settings { user: Vec::new(), ..Default::default() };
    match gloo_net::http::Request::get(config_url).send().await {
        Ok(r) if r.ok() => {
            match r
                .text()
                .await
                .map_err(|e| e.to_string())
                .and_then(|t| AppConfig::parse(&t).map_err(|e| e.to_string()))
            {
                Ok(ParsedConfig { config, warnings }) => {
                    settings.site = config;
                    settings.warnings = warnings;
                }
                Err(e) => settings.warnings.push(e),
            }
        }
        Ok(r) if r.status() == 404 => {}
        Ok(r) => {
            settings.warnings.push(format!("config.json could not be loaded: HTTP {}", r.status()))
        }
        Err(e) => settings.warnings.push(format!("config.json could not be loaded: {e}")),
    }
    let (user, warnings) = read_user_backends();
    settings.user = user;
    settings.warnings.extend(warnings);
    settings.loaded = true;
    settings
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read_user_backends() -> (Vec<Backend>, Vec<String>) {
    let Some(text) = storage().and_then(|s| s.get_item(USER_BACKENDS_KEY).ok().flatten()) else {
        return (Vec::new(), Vec::new());
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => parse_backends(&v, "your saved backends"),
        Err(e) => (
            Vec::new(),
            vec![format!("your saved backends could not be read ({e}); they were left out")],
        ),
    }
}

/// Saves the user's backends; returns a message if the browser refused.
pub fn save_user_backends(list: &[Backend]) -> Result<(), String> {
    let text = serde_json::to_string(list).map_err(|e| e.to_string())?;
    storage()
        .ok_or_else(|| {
            "this browser does not allow saving settings (localStorage is off)".to_string()
        })?
        .set_item(USER_BACKENDS_KEY, &text)
        .map_err(|_| {
            "the browser refused to save the settings (storage full or disabled)".to_string()
        })
}

/// The settings, shared by the search and settings pages.
pub fn provide(config_url: String) -> RwSignal<Settings> {
    let settings = RwSignal::new(Settings::default());
    leptos::task::spawn_local(async move {
        settings.set(load(&config_url).await);
    });
    provide_context(settings);
    settings
}
