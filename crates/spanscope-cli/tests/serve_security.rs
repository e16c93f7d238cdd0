//! What `spanscope serve` guarantees against hostile requests and upstreams, over real HTTP on
//! 127.0.0.1, asserting what reaches a stub upstream that logs every request:
//! - only `api/...` paths below the backend's own URL prefix are forwarded, however the path
//!   is encoded (twice, half, with whitespace or control characters, `?`, `#`, slashes);
//! - an upstream's HTML is never served as something a browser would run on the app's origin;
//! - credentials in a backend URL never appear in messages or the startup lines;
//! - symbolic links in `dist/` that lead outside it are not followed;
//! - the timeout bounds waiting and idle gaps, not a body that keeps arriving, and a body cut
//!   short never looks like a whole answer.

mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::{dist, get, json, start_serve, start_serve_in, start_upstream, targets, Reply};

fn upstream_route(target: &str, _head: &str) -> Reply {
    let json = "application/json";
    match target {
        "/base/api/html" => Reply::Whole("200 OK", "text/html; charset=utf-8", b"<script>alert(localStorage.length)</script>".to_vec()),
        "/base/api/svg" => Reply::Whole("200 OK", "image/svg+xml", b"<svg onload=alert(1)></svg>".to_vec()),
        "/base/api/untyped" => Reply::Whole("200 OK", "", b"<html><script>1</script>".to_vec()),
        // 8 bytes announced, 3 sent, then silence longer than the proxy's timeout.
        "/base/api/stalls" => Reply::Steps(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\nConnection: close\r\n\r\n".into(),
            vec![(Duration::ZERO, b"[1,".to_vec()), (Duration::from_millis(2500), Vec::new())],
        ),
        // 8 bytes announced, 3 sent, then the connection closes.
        "/base/api/breaks" => Reply::Steps(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\nConnection: close\r\n\r\n".into(),
            vec![(Duration::ZERO, b"[1,".to_vec())],
        ),
        // Arrives over 2.4 s, longer than the 1 s timeout, but never idle for 1 s.
        "/base/api/trickles" => Reply::Steps(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\nConnection: close\r\n\r\n".into(),
            (0..6).map(|i| (Duration::from_millis(400), if i == 0 { &b"[0"[..] } else { &b",0"[..] }.to_vec())).chain([(Duration::ZERO, b"]".to_vec())]).collect(),
        ),
        _ => Reply::Whole("200 OK", json, format!("{{\"path\":{target:?}}}").into_bytes()),
    }
}

/// Each of these was once forwarded outside `api/` (or outside the backend's prefix).
const ESCAPES: [&str; 27] = [
    "/backends/prod/admin",
    "/backends/prod/api/../admin",
    "/backends/prod/api/../../other-service/secret",
    "/backends/prod/api/%2e%2e/admin",
    "/backends/prod/api/%2E%2E/%2E%2E/admin",
    "/backends/prod/api/.%2e/admin",
    "/backends/prod/api/%2e./admin",
    "/backends/prod/api/%252e%252e/admin",
    "/backends/prod/api/%252e%252e/%252e%252e/other-service/secret",
    "/backends/prod/api/%25252e%25252e/admin",
    "/backends/prod/api/.%09./admin",
    "/backends/prod/api/.%0a./admin",
    "/backends/prod/api/.%0d./admin",
    "/backends/prod/api/.%00./admin",
    "/backends/prod/api/..?/admin",
    "/backends/prod/api/..%3f/admin",
    "/backends/prod/api/%3f/../../admin",
    "/backends/prod/api/x/..%23/../admin",
    "/backends/prod/api/..%2fadmin",
    "/backends/prod/api%2f..%2fadmin",
    "/backends/prod/api/x%252f..%252f..%252fadmin",
    "/backends/prod/api/..%5cadmin",
    "/backends/prod/api\\..\\admin",
    "/backends/prod/api//admin",
    "/backends/prod/http://127.0.0.1:1/api/x",
    "/backends/prod/api/http:%2f%2f127.0.0.1:1%2f",
    "/backends/prod/api/%c0%ae%c0%ae/admin",
];

#[test]
fn no_encoding_of_a_path_leaves_api_or_the_backend_prefix() {
    let (upstream, seen) = start_upstream(upstream_route);
    let s = start_serve(&[
        "--backend",
        &format!("prod=jaeger:http://{upstream}/base"),
        "--header",
        "prod:Authorization=$JAEGER_TOKEN",
    ]);
    let b = s.base.trim_end_matches('/');
    for path in ESCAPES {
        let a = get(&format!("{b}{path}"));
        assert!(
            matches!(a.status, 400 | 403 | 404),
            "{path}: {} {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        );
        if a.status == 403 {
            let message = json(&a.body)["error"]["message"].as_str().unwrap().to_string();
            assert!(
                message.contains("only the backend's API paths (api/...) are proxied"),
                "{path}: {message}"
            );
            assert!(
                !message.chars().any(char::is_control),
                "{path}: the message echoes no control characters"
            );
        }
    }
    assert_eq!(targets(&seen), Vec::<String>::new(), "nothing refused reached the upstream");

    // What does pass reaches the upstream below its prefix, each segment encoded once again.
    let a = get(&format!("{b}/backends/prod/api/services/my%20svc/operations?spanKind=server"));
    assert_eq!((a.status, a.complete), (200, true));
    let a = get(&format!("{b}/backends/prod/api/services/50%25/operations"));
    assert_eq!(a.status, 200);
    assert_eq!(
        targets(&seen),
        [
            "/base/api/services/my%20svc/operations?spanKind=server",
            "/base/api/services/50%25/operations"
        ]
    );
    assert!(seen.lock().unwrap().iter().all(|h| h.contains("authorization: Bearer s3cret")));
}

#[test]
fn upstream_html_never_runs_on_the_app_origin() {
    let (upstream, _) = start_upstream(upstream_route);
    let s = start_serve(&["--backend", &format!("prod=jaeger:http://{upstream}/base")]);
    let b = s.base.trim_end_matches('/');
    for path in ["html", "svg", "untyped"] {
        let a = get(&format!("{b}/backends/prod/api/{path}"));
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.header("content-type"), Some("application/octet-stream"), "{path}");
        assert_eq!(a.header("content-disposition"), Some("attachment"), "{path}");
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(
            a.header("content-security-policy"),
            Some("sandbox; default-src 'none'"),
            "{path}"
        );
    }
    // JSON passes as JSON, still with the sandboxing headers.
    let a = get(&format!("{b}/backends/prod/api/traces"));
    assert_eq!(a.header("content-type"), Some("application/json"));
    assert_eq!(a.header("content-security-policy"), Some("sandbox; default-src 'none'"));
    assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(json(&a.body)["path"], "/base/api/traces");
}

#[test]
fn url_credentials_never_appear_in_messages_or_logs() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let s =
        start_serve(&["--backend", &format!("down=zipkin:http://alice:pa55w0rd@{closed}/zipkin")]);
    assert!(
        s.banner.contains(&format!("backend down (zipkin) -> http://{closed}/zipkin")),
        "{}",
        s.banner
    );
    assert!(!s.banner.contains("pa55w0rd") && !s.banner.contains("alice"), "{}", s.banner);
    let b = s.base.trim_end_matches('/');
    let a = get(&format!("{b}/backends/down/api/v2/services"));
    assert_eq!(a.status, 502);
    let body = String::from_utf8_lossy(&a.body);
    assert!(body.contains(&format!("(http://{closed}/zipkin) is unreachable")), "{body}");
    assert!(!body.contains("pa55w0rd") && !body.contains("alice"), "{body}");
}

#[cfg(unix)]
#[test]
fn links_out_of_dist_are_not_followed() {
    let dir = dist();
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("assets/inside.txt"), "inside").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd")).unwrap();
    std::os::unix::fs::symlink("/etc", dir.join("etc")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("assets/passwd")).unwrap();
    std::os::unix::fs::symlink(dir.join("assets/inside.txt"), dir.join("alias.txt")).unwrap();
    let s = start_serve_in(&dir, &[]);
    let b = s.base.trim_end_matches('/');
    for path in
        ["/passwd", "/etc/passwd", "/etc/", "/assets/passwd", "/%65tc/passwd", "/assets/../passwd"]
    {
        let a = get(&format!("{b}{path}"));
        assert!(!String::from_utf8_lossy(&a.body).contains("root:"), "{path} served /etc/passwd");
        // Refused, or (for `..`, which the file service never resolves) the app's own page.
        let own_page =
            a.status == 200 && String::from_utf8_lossy(&a.body).contains("<title>Spanscope");
        assert!(matches!(a.status, 400 | 404) || own_page, "{path}: {}", a.status);
    }
    // Links that stay inside are served; so are plain files, with nosniff.
    assert_eq!(get(&format!("{b}/alias.txt")).body, b"inside");
    let a = get(&format!("{b}/app.js"));
    assert_eq!(
        (a.status, a.body.as_slice(), a.header("x-content-type-options")),
        (200, &b"console.log(1)"[..], Some("nosniff"))
    );
}

#[test]
fn the_timeout_bounds_silence_and_a_cut_body_is_never_a_whole_answer() {
    let (upstream, _) = start_upstream(upstream_route);
    let s = start_serve(&[
        "--backend",
        &format!("prod=jaeger:http://{upstream}/base"),
        "--timeout",
        "1s",
    ]);
    let b = s.base.trim_end_matches('/');
    // A body that keeps arriving past the timeout arrives whole.
    let a = get(&format!("{b}/backends/prod/api/trickles"));
    assert_eq!(
        (a.status, a.complete, String::from_utf8_lossy(&a.body).as_ref()),
        (200, true, "[0,0,0,0,0,0]")
    );
    // A body that goes quiet, or breaks off, is an unfinished answer, not a short 200.
    for path in ["stalls", "breaks"] {
        let started = std::time::Instant::now();
        let a = get(&format!("{b}/backends/prod/api/{path}"));
        assert!(!a.complete, "{path}: {} bytes looked whole", a.body.len());
        assert!(a.body.len() < 8, "{path}");
        assert!(started.elapsed() < Duration::from_secs(5), "{path}");
    }
}
