//! `spanscope serve` end to end over real HTTP on 127.0.0.1: a stub upstream answering with
//! recorded Jaeger api_v3 answers (tests/data/refdata/jaeger/api-v3, as jaeger-query's own
//! snapshot tests record them), the proxy in front of it, and a plain HTTP client.

mod common;

use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use common::{dist, get, json, refdata, request, start_serve, start_upstream, Answer, Reply};

/// A stub jaeger-query: api_v3 answers from refdata, 401 without the token, a slow route,
/// and a 5 MB answer.
fn jaeger_query(target: &str, head: &str) -> Reply {
    let authorized = head.to_ascii_lowercase().contains("authorization: bearer s3cret");
    let json = "application/json";
    if !authorized {
        Reply::Whole("401 Unauthorized", json, b"missing or bad token".to_vec())
    } else if target == "/api/v3/services" {
        Reply::Whole(
            "200 OK",
            json,
            std::fs::read(refdata("jaeger/api-v3/GetServices.json")).unwrap(),
        )
    } else if target == "/api/v3/operations?service=foo" {
        Reply::Whole(
            "200 OK",
            json,
            std::fs::read(refdata("jaeger/api-v3/GetOperations.json")).unwrap(),
        )
    } else if target == "/api/v3/traces/00000000000000000000000000000001" {
        Reply::Whole("200 OK", json, std::fs::read(refdata("jaeger/api-v3/GetTrace.json")).unwrap())
    } else if target.starts_with("/api/slow") {
        std::thread::sleep(Duration::from_secs(3));
        Reply::Whole("200 OK", json, b"{}".to_vec())
    } else if target == "/api/big" {
        Reply::Whole("200 OK", json, vec![b' '; 5_000_000])
    } else {
        Reply::Whole("404 Not Found", "text/plain", b"404 page not found\n".to_vec())
    }
}

#[test]
fn proxies_configured_backends_with_server_side_headers() {
    let (upstream, seen) = start_upstream(jaeger_query);
    let s = start_serve(&[
        "--backend",
        &format!("prod=jaeger:http://{upstream}"),
        "--header",
        "prod:Authorization=$JAEGER_TOKEN",
    ]);
    let b = s.base.trim_end_matches('/');

    let Answer { status, body, .. } = get(&format!("{b}/backends/prod/api/v3/services"));
    assert_eq!(status, 200);
    assert_eq!(
        body,
        std::fs::read(refdata("jaeger/api-v3/GetServices.json")).unwrap(),
        "the body passes through unchanged"
    );
    let Answer { status, body, .. } =
        get(&format!("{b}/backends/prod/api/v3/operations?service=foo"));
    assert_eq!((status, json(&body)["operations"][0]["name"].as_str()), (200, Some("get_users")));
    let Answer { status, head, body, .. } =
        get(&format!("{b}/backends/prod/api/v3/traces/00000000000000000000000000000001"));
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    assert_eq!(
        json(&body)["result"]["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"],
        "foobar"
    );
    // The upstream's own 404 passes through.
    let Answer { status, body, .. } = get(&format!("{b}/backends/prod/api/traces/1"));
    assert_eq!((status, body.as_slice()), (404, &b"404 page not found\n"[..]));
    // Streamed, not cut.
    let Answer { status, body, .. } = get(&format!("{b}/backends/prod/api/big"));
    assert_eq!((status, body.len()), (200, 5_000_000));
    // The token went upstream on every request, and the browser's headers did not.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(|h| h.contains("authorization: Bearer s3cret")), "{seen:?}");
    assert!(
        seen.iter()
            .all(|h| !h.to_ascii_lowercase().contains("host: 127.0.0.1") || h.contains(&upstream)),
        "{seen:?}"
    );

    // The app's config names the proxied backend, relative to the page, without the token.
    let Answer { status, body, .. } = get(&format!("{b}/config.json"));
    assert_eq!(status, 200);
    let config = json(&body);
    assert_eq!(
        config["backends"],
        serde_json::json!([{"name": "prod", "type": "jaeger", "url": "backends/prod"}])
    );
    assert_eq!(config["defaultBackend"], "prod");
    assert!(!String::from_utf8_lossy(&body).contains("s3cret"));
    let Answer { status, body, .. } = get(&format!("{b}/healthz"));
    assert_eq!(
        (status, json(&body)),
        (
            200,
            serde_json::json!({"status": "ok", "backends": [{"name": "prod", "type": "jaeger"}]})
        )
    );
    // The app itself, and its single-page fallback.
    let Answer { status, body, .. } = get(&format!("{b}/"));
    assert_eq!((status, String::from_utf8_lossy(&body).contains("<title>Spanscope")), (200, true));
    assert_eq!(get(&format!("{b}/app.js")).body, b"console.log(1)");
}

#[test]
fn refuses_everything_that_is_not_a_configured_api() {
    let (upstream, seen) = start_upstream(jaeger_query);
    let s = start_serve(&["--backend", &format!("prod=jaeger:http://{upstream}")]);
    let b = s.base.trim_end_matches('/');
    let Answer { status, body, .. } = get(&format!("{b}/backends/evil/api/services"));
    assert_eq!(status, 404);
    assert!(json(&body)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no backend named `evil` is configured (configured: prod)"));
    for path in [
        "/backends/prod/admin",
        "/backends/prod/api/../admin",
        "/backends/prod/api/%2e%2e/admin",
        "/backends/prod/http://example.com/api/x",
    ] {
        let Answer { status, body, .. } = get(&format!("{b}{path}"));
        assert_eq!(status, 403, "{path}");
        assert!(
            json(&body)["error"]["message"]
                .as_str()
                .unwrap()
                .contains("only the backend's API paths"),
            "{path}"
        );
    }
    let Answer { status, .. } = request("POST", &format!("{b}/backends/prod/api/services"));
    assert_eq!(status, 405);
    assert!(seen.lock().unwrap().is_empty(), "nothing refused reached the upstream");
    // Without the token the upstream's 401 and its text come back as they are.
    let Answer { status, body, .. } = get(&format!("{b}/backends/prod/api/v3/services"));
    assert_eq!((status, body.as_slice()), (401, &b"missing or bad token"[..]));
}

#[test]
fn unreachable_and_slow_upstreams_get_clear_answers() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // bound, then dropped: nothing listens
    let (upstream, _) = start_upstream(jaeger_query);
    let s = start_serve(&[
        "--backend",
        &format!("down=zipkin:http://{closed}"),
        "--backend",
        &format!("slow=tempo:http://{upstream}"),
        "--header",
        "slow:Authorization=Bearer s3cret",
        "--timeout",
        "1s",
        "--base-path",
        "/spanscope/",
    ]);
    assert!(s.base.ends_with("/spanscope/"), "{}", s.base);
    let b = s.base.trim_end_matches('/');
    let Answer { status, body, .. } = get(&format!("{b}/backends/down/api/v2/services"));
    assert_eq!(status, 502);
    let message = json(&body)["error"]["message"].as_str().unwrap().to_string();
    assert!(
        message.contains(&format!("backend `down` (http://{closed}) is unreachable")),
        "{message}"
    );
    let started = std::time::Instant::now();
    let Answer { status, body, .. } = get(&format!("{b}/backends/slow/api/slow"));
    assert_eq!(status, 504);
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert!(json(&body)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("did not answer within 1 s"));
    // Served under the base path only; the bare prefix redirects so relative URLs resolve.
    assert_eq!(get(&format!("{b}/healthz")).status, 200);
    let Answer { status, body, .. } = get(&format!("{b}/"));
    assert_eq!((status, String::from_utf8_lossy(&body).contains("<title>Spanscope")), (200, true));
    let Answer { status, head, .. } = get(b);
    assert_eq!(status, 308);
    assert!(head.to_ascii_lowercase().contains("location: /spanscope/"), "{head}");
    // Jaeger UI's trace path: to the app with the id, the base path and the query kept.
    let Answer { status, head, .. } = get(&format!("{b}/trace/5B8EFFF798038103?uiEmbed=v0"));
    assert_eq!(status, 303);
    assert!(
        head.to_ascii_lowercase().contains("location: ../?trace=5b8efff798038103&uiembed=v0"),
        "{head}"
    );
    for bad in ["/trace/%2F%2Fevil.example", "/trace/a%0D%0Ab", "/trace/..%2F"] {
        assert_eq!(get(&format!("{b}{bad}")).status, 404, "{bad}");
    }
    let root = b.trim_end_matches("/spanscope");
    assert_eq!(get(&format!("{root}/healthz")).status, 404);
    assert_eq!(get(&format!("{root}/spanscopex/healthz")).status, 404);
}

#[test]
fn bad_serve_options_are_named() {
    let run = |args: &[&str]| {
        let out =
            Command::new(env!("CARGO_BIN_EXE_spanscope")).arg("serve").args(args).output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let d = dist();
    let d = d.to_str().unwrap();
    assert!(run(&["--dist", d, "--backend", "x=elastic:http://a"]).contains("NAME=TYPE:URL"));
    assert!(run(&["--dist", d, "--backend", "x=jaeger:/relative"]).contains("must be absolute"));
    assert!(run(&["--dist", d, "--backend", "x=jaeger:http://a", "--header", "y:A=b"])
        .contains("no backend named `y`"));
    assert!(run(&[
        "--dist",
        d,
        "--backend",
        "x=jaeger:http://a",
        "--header",
        "x:A=$NOT_SET_ANYWHERE"
    ])
    .contains("NOT_SET_ANYWHERE is not set"));
    assert!(run(&["--dist", "/nonexistent"]).contains("no index.html"));
    assert!(run(&["--dist", d, "--bogus"]).contains("unknown option --bogus"));
}
