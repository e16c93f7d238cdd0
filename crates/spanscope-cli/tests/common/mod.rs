//! Helpers for the `spanscope serve` tests: a small built app, the server as a child process,
//! a stub upstream that records what reaches it, and a plain HTTP/1.1 client.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A reference file in the repository's `tests/data/refdata/`.
pub fn refdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/refdata").join(rel)
}

/// A running `spanscope serve`; killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT/base/`
    pub base: String,
    /// Everything it printed on stdout before and including the first line.
    pub banner: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small built app, one directory per server: tests run in parallel, and rewriting a file
/// another server is serving would truncate its answer.
pub fn dist() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("spanscope-serve-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Spanscope</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    dir
}

pub fn start_serve(extra: &[&str]) -> Server {
    start_serve_in(&dist(), extra)
}

/// Starts the server on a free port over `dist`, reading its address (and the backend lines
/// that follow) from what it prints.
pub fn start_serve_in(dist: &std::path::Path, extra: &[&str]) -> Server {
    let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--dist", dist.to_str().unwrap()];
    args.extend_from_slice(extra);
    let mut child = Command::new(env!("CARGO_BIN_EXE_spanscope"))
        .args(&args)
        .env("JAEGER_TOKEN", "Bearer s3cret")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let base = first
        .trim()
        .strip_prefix("spanscope serve: listening on http://")
        .unwrap_or_else(|| panic!("first line: {first}"))
        .to_string();
    let mut banner = first.clone();
    for _ in extra.iter().filter(|a| **a == "--backend") {
        out.read_line(&mut banner).unwrap();
    }
    Server { child, base, banner }
}

/// What the stub upstream answers: raw bytes written in steps, with pauses between them.
pub enum Reply {
    /// Status line text, content type, body.
    Whole(&'static str, &'static str, Vec<u8>),
    /// Headers as given, then each chunk after its pause; the connection closes at the end.
    Steps(String, Vec<(Duration, Vec<u8>)>),
}

/// A stub upstream on 127.0.0.1: `route` chooses the reply from the request target. Returns
/// its address and every request head it received.
pub fn start_upstream(route: fn(&str, &str) -> Reply) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || answer(stream, log, route));
        }
    });
    (addr, seen)
}

fn answer(mut stream: TcpStream, log: Arc<Mutex<Vec<String>>>, route: fn(&str, &str) -> Reply) {
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
    match route(&target, &head) {
        Reply::Whole(status, content_type, body) => {
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(&body);
        }
        Reply::Steps(head, steps) => {
            let _ = stream.write_all(head.as_bytes());
            for (pause, bytes) in steps {
                std::thread::sleep(pause);
                let _ = stream.write_all(&bytes);
                let _ = stream.flush();
            }
        }
    }
}

/// The request targets an upstream received, in order.
pub fn targets(seen: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|h| h.split_whitespace().nth(1).unwrap_or("").to_string())
        .collect()
}

/// One answer as a client reads it.
pub struct Answer {
    pub status: u16,
    /// The head, header names lower-cased.
    pub head: String,
    pub body: Vec<u8>,
    /// Whether the body ended as its framing says (Content-Length reached, or the final
    /// chunk): false for an answer cut short.
    pub complete: bool,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::trim))
    }
}

/// Sends `METHOD /path HTTP/1.1` with `Connection: close` and reads the answer to its end,
/// decoding chunked bodies. `raw_path` is written exactly as given.
pub fn request(method: &str, host_and_path: &str) -> Answer {
    let (host, path) = host_and_path.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer head: {}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let head: String = head
        .lines()
        .map(|l| match l.split_once(':') {
            Some((k, v)) => format!("{}:{v}\n", k.to_ascii_lowercase()),
            None => format!("{l}\n"),
        })
        .collect();
    let rest = &raw[split + 4..];
    let mut answer = Answer { status, head, body: Vec::new(), complete: false };
    if answer.header("transfer-encoding") == Some("chunked") {
        let (body, complete) = dechunk(rest);
        answer.body = body;
        answer.complete = complete;
    } else {
        answer.body = rest.to_vec();
        answer.complete = match answer.header("content-length") {
            Some(n) => n.parse::<usize>().ok() == Some(rest.len()),
            None => method == "HEAD" || status == 304 || status == 204,
        };
    }
    answer
}

fn dechunk(mut raw: &[u8]) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    loop {
        let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") else { return (body, false) };
        let Ok(size) = usize::from_str_radix(String::from_utf8_lossy(&raw[..eol]).trim(), 16)
        else {
            return (body, false);
        };
        raw = &raw[eol + 2..];
        if size == 0 {
            return (body, raw.starts_with(b"\r\n"));
        }
        if raw.len() < size + 2 {
            body.extend_from_slice(&raw[..raw.len().min(size)]);
            return (body, false);
        }
        body.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

pub fn get(url: &str) -> Answer {
    request("GET", url)
}

pub fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}
