//! `spanscope serve` end to end over real HTTP on 127.0.0.1: a stub upstream answering with
//! recorded Jaeger api_v3 answers (../shared/refdata/jaeger/api-v3, as jaeger-query's own
//! snapshot tests record them), the proxy in front of it, and a plain HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn refdata(rel: &str) -> PathBuf {
    let base = std::env::var("SPANSCOPE_REFDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/refdata"));
    base.join(rel)
}

/// A stub jaeger-query: api_v3 answers from refdata, 401 without the token, a slow route,
/// and a 5 MB answer. Records the request lines and headers it saw.
fn start_upstream() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || answer(stream, log));
        }
    });
    (addr, seen)
}

fn answer(mut stream: TcpStream, log: Arc<Mutex<Vec<String>>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    log.lock().unwrap().push(head.clone());
    let target = head.split_whitespace().nth(1).unwrap_or("").to_string();
    let authorized = head.to_ascii_lowercase().contains("authorization: bearer s3cret");
    let (status, body): (&str, Vec<u8>) = if !authorized {
        ("401 Unauthorized", b"missing or bad token".to_vec())
    } else if target == "/api/v3/services" {
        ("200 OK", std::fs::read(refdata("jaeger/api-v3/GetServices.json")).unwrap())
    } else if target == "/api/v3/operations?service=foo" {
        ("200 OK", std::fs::read(refdata("jaeger/api-v3/GetOperations.json")).unwrap())
    } else if target == "/api/v3/traces/00000000000000000000000000000001" {
        ("200 OK", std::fs::read(refdata("jaeger/api-v3/GetTrace.json")).unwrap())
    } else if target.starts_with("/api/slow") {
        std::thread::sleep(Duration::from_secs(3));
        ("200 OK", b"{}".to_vec())
    } else if target == "/api/big" {
        ("200 OK", vec![b' '; 5_000_000])
    } else {
        ("404 Not Found", b"404 page not found\n".to_vec())
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(&body);
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small built app, one directory per server: tests run in parallel, and rewriting a file
/// another server is serving would truncate its answer.
fn dist() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("spanscope-serve-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Spanscope</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    dir
}

fn start_serve(extra: &[&str]) -> Server {
    let dist = dist();
    let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--dist", dist.to_str().unwrap()];
    args.extend_from_slice(extra);
    let mut child = Command::new(env!("CARGO_BIN_EXE_spanscope"))
        .args(&args)
        .env("JAEGER_TOKEN", "Bearer s3cret")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let base = first.trim().strip_prefix("spanscope serve: listening on http://").unwrap_or_else(|| panic!("first line: {first}")).to_string();
    Server { child, base }
}

/// GET (or another method) over HTTP/1.0, so the answer ends when the connection closes.
fn request(method: &str, host_and_path: &str) -> (u16, String, Vec<u8>) {
    let (host, path) = host_and_path.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: {host}\r\nAccept: application/json\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete answer");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

fn get(url: &str) -> (u16, String, Vec<u8>) {
    request("GET", url)
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

#[test]
fn proxies_configured_backends_with_server_side_headers() {
    let (upstream, seen) = start_upstream();
    let s = start_serve(&["--backend", &format!("prod=jaeger:http://{upstream}"), "--header", "prod:Authorization=$JAEGER_TOKEN"]);
    let b = s.base.trim_end_matches('/');

    let (status, _, body) = get(&format!("{b}/backends/prod/api/v3/services"));
    assert_eq!(status, 200);
    assert_eq!(body, std::fs::read(refdata("jaeger/api-v3/GetServices.json")).unwrap(), "the body passes through unchanged");
    let (status, _, body) = get(&format!("{b}/backends/prod/api/v3/operations?service=foo"));
    assert_eq!((status, json(&body)["operations"][0]["name"].as_str()), (200, Some("get_users")));
    let (status, head, body) = get(&format!("{b}/backends/prod/api/v3/traces/00000000000000000000000000000001"));
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    assert_eq!(json(&body)["result"]["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"], "foobar");
    // The upstream's own 404 passes through.
    let (status, _, body) = get(&format!("{b}/backends/prod/api/traces/1"));
    assert_eq!((status, body.as_slice()), (404, &b"404 page not found\n"[..]));
    // Streamed, not cut.
    let (status, _, body) = get(&format!("{b}/backends/prod/api/big"));
    assert_eq!((status, body.len()), (200, 5_000_000));
    // The token went upstream on every request, and the browser's headers did not.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(|h| h.contains("authorization: Bearer s3cret")), "{seen:?}");
    assert!(seen.iter().all(|h| !h.to_ascii_lowercase().contains("host: 127.0.0.1") || h.contains(&upstream)), "{seen:?}");

    // The app's config names the proxied backend, relative to the page, without the token.
    let (status, _, body) = get(&format!("{b}/config.json"));
    assert_eq!(status, 200);
    let config = json(&body);
    assert_eq!(config["backends"], serde_json::json!([{"name": "prod", "type": "jaeger", "url": "backends/prod"}]));
    assert_eq!(config["defaultBackend"], "prod");
    assert!(!String::from_utf8_lossy(&body).contains("s3cret"));
    let (status, _, body) = get(&format!("{b}/healthz"));
    assert_eq!((status, json(&body)), (200, serde_json::json!({"status": "ok", "backends": [{"name": "prod", "type": "jaeger"}]})));
    // The app itself, and its single-page fallback.
    let (status, _, body) = get(&format!("{b}/"));
    assert_eq!((status, String::from_utf8_lossy(&body).contains("<title>Spanscope")), (200, true));
    assert_eq!(get(&format!("{b}/app.js")).2, b"console.log(1)");
}

#[test]
fn refuses_everything_that_is_not_a_configured_api() {
    let (upstream, seen) = start_upstream();
    let s = start_serve(&["--backend", &format!("prod=jaeger:http://{upstream}")]);
    let b = s.base.trim_end_matches('/');
    let (status, _, body) = get(&format!("{b}/backends/evil/api/services"));
    assert_eq!(status, 404);
    assert!(json(&body)["error"]["message"].as_str().unwrap().contains("no backend named `evil` is configured (configured: prod)"));
    for path in ["/backends/prod/admin", "/backends/prod/api/../admin", "/backends/prod/api/%2e%2e/admin", "/backends/prod/http://example.com/api/x"] {
        let (status, _, body) = get(&format!("{b}{path}"));
        assert_eq!(status, 403, "{path}");
        assert!(json(&body)["error"]["message"].as_str().unwrap().contains("only the backend's API paths"), "{path}");
    }
    let (status, _, _) = request("POST", &format!("{b}/backends/prod/api/services"));
    assert_eq!(status, 405);
    assert!(seen.lock().unwrap().is_empty(), "nothing refused reached the upstream");
    // Without the token the upstream's 401 and its text come back as they are.
    let (status, _, body) = get(&format!("{b}/backends/prod/api/v3/services"));
    assert_eq!((status, body.as_slice()), (401, &b"missing or bad token"[..]));
}

#[test]
fn unreachable_and_slow_upstreams_get_clear_answers() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // bound, then dropped: nothing listens
    let (upstream, _) = start_upstream();
    let s = start_serve(&[
        "--backend", &format!("down=zipkin:http://{closed}"),
        "--backend", &format!("slow=tempo:http://{upstream}"),
        "--header", "slow:Authorization=Bearer s3cret",
        "--timeout", "1s",
        "--base-path", "/spanscope/",
    ]);
    assert!(s.base.ends_with("/spanscope/"), "{}", s.base);
    let b = s.base.trim_end_matches('/');
    let (status, _, body) = get(&format!("{b}/backends/down/api/v2/services"));
    assert_eq!(status, 502);
    let message = json(&body)["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains(&format!("backend `down` (http://{closed}) is unreachable")), "{message}");
    let started = std::time::Instant::now();
    let (status, _, body) = get(&format!("{b}/backends/slow/api/slow"));
    assert_eq!(status, 504);
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert!(json(&body)["error"]["message"].as_str().unwrap().contains("did not answer within 1 s"));
    // Served under the base path only; the bare prefix redirects so relative URLs resolve.
    assert_eq!(get(&format!("{b}/healthz")).0, 200);
    let (status, _, body) = get(&format!("{b}/"));
    assert_eq!((status, String::from_utf8_lossy(&body).contains("<title>Spanscope")), (200, true));
    let (status, head, _) = get(b);
    assert_eq!(status, 308);
    assert!(head.to_ascii_lowercase().contains("location: /spanscope/"), "{head}");
    let root = b.trim_end_matches("/spanscope");
    assert_eq!(get(&format!("{root}/healthz")).0, 404);
    assert_eq!(get(&format!("{root}/spanscopex/healthz")).0, 404);
}

#[test]
fn bad_serve_options_are_named() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_spanscope")).arg("serve").args(args).output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let d = dist();
    let d = d.to_str().unwrap();
    assert!(run(&["--dist", d, "--backend", "x=elastic:http://a"]).contains("NAME=TYPE:URL"));
    assert!(run(&["--dist", d, "--backend", "x=jaeger:/relative"]).contains("must be absolute"));
    assert!(run(&["--dist", d, "--backend", "x=jaeger:http://a", "--header", "y:A=b"]).contains("no backend named `y`"));
    assert!(run(&["--dist", d, "--backend", "x=jaeger:http://a", "--header", "x:A=$NOT_SET_ANYWHERE"]).contains("NOT_SET_ANYWHERE is not set"));
    assert!(run(&["--dist", "/nonexistent"]).contains("no index.html"));
    assert!(run(&["--dist", d, "--bogus"]).contains("unknown option --bogus"));
}
