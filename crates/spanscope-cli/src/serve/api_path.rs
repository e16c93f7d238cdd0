//! Which request paths the proxy forwards, decided on the final path the upstream would see.
//!
//! An attacker hides dot segments from a naive check by encoding them twice (`%252e%252e`),
//! half-encoding them (`.%2e`), or putting a tab or newline inside (`.%09.`, which URL
//! parsers strip). So the check runs on the path percent-decoded until it no longer changes,
//! and anything that could be read as a step up, a second path or another host is refused
//! outright rather than normalised. The upstream URL is then built by appending the checked
//! segments to the backend's base URL, so it can never leave the base's prefix.

use percent_encoding::percent_decode_str;
use reqwest::Url;

/// How many rounds of percent-decoding a path may need before it is stable. Real clients
/// encode once; anything deeper is an attempt to hide something.
const MAX_DECODE_ROUNDS: usize = 3;

/// A path below a backend that may be forwarded: `api/` and then plain segments, each
/// decoded once (the form the client meant).
#[derive(Debug, PartialEq, Eq)]
pub struct ApiPath {
    pub segments: Vec<String>,
}

/// Checks `raw` (the request path below `/backends/NAME/`, as sent, still percent-encoded).
pub fn check(raw: &str) -> Result<ApiPath, &'static str> {
    let once = decode(raw)?;
    let mut full = once.clone();
    let mut rounds = 0;
    loop {
        let next = decode(&full)?;
        if next == full {
            break;
        }
        rounds += 1;
        if rounds > MAX_DECODE_ROUNDS {
            return Err("it is percent-encoded too many times");
        }
        full = next;
    }
    if full.chars().any(|c| c.is_control()) {
        return Err("it holds control characters");
    }
    if full.contains(['\\', '?', '#']) {
        return Err("it holds a backslash, `?` or `#`");
    }
    if full.matches('/').count() != raw.matches('/').count() {
        return Err("it holds an encoded slash");
    }
    if full.contains("://") {
        return Err("it names another host");
    }
    let segments: Vec<&str> = full.split('/').collect();
    if segments.first() != Some(&"api") || segments.len() < 2 {
        return Err("only the backend's API paths (api/...) are proxied");
    }
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        if *seg == "." || *seg == ".." {
            return Err("it holds a `.` or `..` segment");
        }
        if seg.is_empty() && i != last {
            return Err("it holds an empty segment");
        }
    }
    Ok(ApiPath { segments: once.split('/').map(str::to_string).collect() })
}

fn decode(s: &str) -> Result<String, &'static str> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| "it is not UTF-8 once decoded")
}

/// The upstream URL: the backend's base URL with the checked segments appended (each encoded
/// again as one segment) and the query as the client sent it.
pub fn upstream_url(base: &str, path: &ApiPath, query: Option<&str>) -> Result<Url, String> {
    let mut url = Url::parse(base).map_err(|e| format!("the backend URL is not valid: {e}"))?;
    url.set_fragment(None);
    url.set_query(None);
    url.path_segments_mut()
        .map_err(|_| "the backend URL cannot take a path".to_string())?
        .pop_if_empty()
        .extend(&path.segments);
    url.set_query(query.filter(|q| !q.is_empty()));
    Ok(url)
}

/// A URL fit for messages and logs: without `user:password@`.
pub fn display_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => "(invalid URL)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(raw: &str) -> Vec<String> {
        check(raw).unwrap_or_else(|e| panic!("{raw}: {e}")).segments
    }

    #[test]
    fn api_paths_pass_decoded_once() {
        assert_eq!(segments("api/services"), ["api", "services"]);
        assert_eq!(segments("api/v3/traces/abc"), ["api", "v3", "traces", "abc"]);
        assert_eq!(
            segments("api/services/my%20svc/operations"),
            ["api", "services", "my svc", "operations"]
        );
        assert_eq!(segments("api/services/"), ["api", "services", ""]);
    }

    #[test]
    fn hidden_steps_up_and_other_hosts_are_refused() {
        for bad in [
            "",
            "admin",
            "apix/services",
            "api",
            "api/../admin",
            "api/./x",
            "api/%2E%2E/x",
            "api/%2e./x",
            "api/.%2e/x",
            "api/%252e%252e/admin",
            "api/%25252e%25252e/admin",
            "api/%2525252e%2525252e/admin",
            "api/.%09./admin",
            "api/.%0a./admin",
            "api/.%0d./admin",
            "api/..%3f/admin",
            "api/%3f/../admin",
            "api/x%23/../../admin",
            "api%2f..%2fadmin",
            "api/x%2f..%2f..%2fadmin",
            "api/x%252f..",
            "api\\..\\x",
            "api/x%5c..%5cadmin",
            "http://evil/api/x",
            "api/http:%2f%2fevil",
            "api//x",
            "api/%00",
            "api/%7f",
            "api/%c2%85",
            "api/%ff",
        ] {
            assert!(check(bad).is_err(), "{bad} passed");
        }
    }

    #[test]
    fn upstream_urls_stay_below_the_base() {
        let p = check("api/traces/1").unwrap();
        assert_eq!(
            upstream_url("http://up:16686", &p, None).unwrap().as_str(),
            "http://up:16686/api/traces/1"
        );
        assert_eq!(
            upstream_url("http://up/jaeger/", &p, Some("a=1")).unwrap().as_str(),
            "http://up/jaeger/api/traces/1?a=1"
        );
        assert_eq!(
            upstream_url("http://up/jaeger?x=1#f", &p, None).unwrap().as_str(),
            "http://up/jaeger/api/traces/1"
        );
        // A literal `%` or `?` in a service name stays inside its segment.
        let p = check("api/services/50%25/operations").unwrap();
        assert_eq!(
            upstream_url("http://up/p", &p, None).unwrap().as_str(),
            "http://up/p/api/services/50%25/operations"
        );
    }

    #[test]
    fn credentials_never_reach_messages() {
        assert_eq!(display_url("http://user:pa55@up:9411/zipkin"), "http://up:9411/zipkin");
        assert_eq!(display_url("http://up:9411"), "http://up:9411");
    }
}
