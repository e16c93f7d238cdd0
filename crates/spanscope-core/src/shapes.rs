//! Inputs of a normal size whose *shape* once made a reader super-linear: one span id shared
//! by thousands of Zipkin parts or services, a service or scope per span, children naming a
//! shared id. The property tests read them for correctness; `spanscope bench --shapes`
//! reads them for speed and memory, beside the generator's ordinary traces.

use std::fmt::Write;

/// One hostile input: its name, what it holds, and the span count a reader must report.
pub struct Shape {
    pub name: &'static str,
    pub json: Vec<u8>,
    pub spans: usize,
}

/// Every shape with about `n` spans (or parts).
pub fn all(n: usize) -> Vec<Shape> {
    vec![
        zipkin_parts_of_one_span(n),
        zipkin_one_id_many_services(n),
        zipkin_shared_id_children(n),
        jaeger_service_per_span(n),
        otlp_scope_per_span(n),
        otlp_scope_and_trace_per_span(n),
    ]
}

/// `n` Zipkin parts of one span, each with its own tag: they merge into one span of up to
/// [`crate::MAX_PARTS_PER_SPAN`] parts; the rest stay separate, with a warning.
pub fn zipkin_parts_of_one_span(n: usize) -> Shape {
    let mut s = String::from("[");
    for i in 0..n {
        sep(&mut s, i);
        let _ = write!(
            s,
            r#"{{"traceId":"1","id":"a","name":"op","timestamp":{},"duration":5,"localEndpoint":{{"serviceName":"svc"}},"tags":{{"k{i}":"v{i}"}}}}"#,
            1000 + i
        );
    }
    s.push(']');
    let kept = n.min(crate::MAX_PARTS_PER_SPAN);
    Shape { name: "zipkin: parts of one span", json: s.into_bytes(), spans: 1 + (n - kept) }
}

/// `n` Zipkin spans under one id, each on its own service: none merge.
pub fn zipkin_one_id_many_services(n: usize) -> Shape {
    let mut s = String::from("[");
    for i in 0..n {
        sep(&mut s, i);
        let _ = write!(
            s,
            r#"{{"traceId":"1","id":"a","name":"op","timestamp":{},"duration":5,"localEndpoint":{{"serviceName":"svc{i}"}}}}"#,
            1000 + i
        );
    }
    s.push(']');
    Shape { name: "zipkin: one id, a service each", json: s.into_bytes(), spans: n }
}

/// One client span, `n/2` shared server spans with its id on distinct services, and `n/2`
/// children naming that id, each on one server's service.
pub fn zipkin_shared_id_children(n: usize) -> Shape {
    let half = (n / 2).max(1);
    let mut s = String::from(
        r#"[{"traceId":"1","id":"a","name":"client","kind":"CLIENT","timestamp":1000,"duration":900000,"localEndpoint":{"serviceName":"front"}}"#,
    );
    for i in 0..half {
        let _ = write!(
            s,
            r#",{{"traceId":"1","id":"a","name":"server","kind":"SERVER","shared":true,"timestamp":{},"duration":5,"localEndpoint":{{"serviceName":"svc{i}"}}}}"#,
            1000 + i
        );
    }
    for i in 0..half {
        let _ = write!(
            s,
            r#",{{"traceId":"1","parentId":"a","id":"{:x}","name":"child","timestamp":{},"duration":5,"localEndpoint":{{"serviceName":"svc{i}"}}}}"#,
            i + 16,
            1000 + i
        );
    }
    s.push(']');
    Shape { name: "zipkin: children of a shared id", json: s.into_bytes(), spans: 1 + 2 * half }
}

/// A Jaeger trace whose every span has its own process and service.
pub fn jaeger_service_per_span(n: usize) -> Shape {
    let mut s = String::from(r#"{"data":[{"traceID":"1","spans":["#);
    for i in 0..n {
        sep(&mut s, i);
        let refs = if i == 0 {
            String::new()
        } else {
            r#"{"refType":"CHILD_OF","traceID":"1","spanID":"1"}"#.to_string()
        };
        let _ = write!(
            s,
            r#"{{"traceID":"1","spanID":"{:x}","operationName":"op","startTime":{},"duration":5,"processID":"p{i}","references":[{refs}],"tags":[]}}"#,
            i + 1,
            1000 + i
        );
    }
    s.push_str(r#"],"processes":{"#);
    for i in 0..n {
        sep(&mut s, i);
        let _ = write!(s, r#""p{i}":{{"serviceName":"service-{i}","tags":[]}}"#);
    }
    s.push_str("}}]}");
    Shape { name: "jaeger: a service per span", json: s.into_bytes(), spans: n }
}

/// OTLP with one instrumentation scope per span, all in one trace.
pub fn otlp_scope_per_span(n: usize) -> Shape {
    otlp_scopes(n, "otlp: a scope per span", |_| 1)
}

/// OTLP with one scope per span and each span its own trace: every trace touches one scope
/// of a resource that has `n` of them.
pub fn otlp_scope_and_trace_per_span(n: usize) -> Shape {
    otlp_scopes(n, "otlp: a scope and a trace per span", |i| i as u128 + 1)
}

/// One resource with `n` scopes of one span each; span `i` goes to trace `trace_of(i)`.
fn otlp_scopes(n: usize, name: &'static str, trace_of: impl Fn(usize) -> u128) -> Shape {
    let mut s = String::from(
        r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"s"}}]},"scopeSpans":["#,
    );
    for i in 0..n {
        sep(&mut s, i);
        let _ = write!(
            s,
            r#"{{"scope":{{"name":"scope-{i}","version":"1"}},"spans":[{{"traceId":"{:032x}","spanId":"{:016x}","name":"op","startTimeUnixNano":"{}","endTimeUnixNano":"{}"}}]}}"#,
            trace_of(i),
            i + 1,
            1000 + i,
            2000 + i
        );
    }
    s.push_str("]}]}");
    Shape { name, json: s.into_bytes(), spans: n }
}

fn sep(s: &mut String, i: usize) {
    if i > 0 {
        s.push(',');
    }
}

/// A production-like Jaeger trace of `n` spans, unlike the generator's tidy ones: 200
/// services whose processes carry pod, host and version tags; 128-bit trace ids; chains
/// 30 deep beside fan-outs of 200 calls (N+1 queries); tags of every type, among them SQL
/// statements and URLs of hundreds of characters; logs on a third of the spans, some with
/// multi-line stack traces; escapes (`\"`, `\\`, `\n`, `\t`, `\u00e9`) and multi-byte UTF-8
/// in names and values. About 1.2 KB per span, like traces users export.
pub fn realistic_jaeger(n: usize) -> Shape {
    let mut rng = 0x5EED_u64;
    let mut next = move |below: u64| {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (rng >> 33) % below.max(1)
    };
    const SERVICES: usize = 200;
    let mut s = String::with_capacity(n * 1300);
    s.push_str(r#"{"data":[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spans":["#);
    // Parent of span i: mostly a recent span (deep chains), sometimes a hub (wide), and now
    // and then a burst of 50–250 calls under one span (N+1 queries).
    let mut hub = 0usize;
    let mut burst = (0usize, 0u64);
    let start = 1_767_225_600_000_000u64;
    for i in 0..n {
        sep(&mut s, i);
        let parent = match i {
            0 => None,
            _ if burst.1 > 0 => {
                burst.1 -= 1;
                Some(burst.0)
            }
            _ if next(400) == 0 => {
                burst = (i - 1, 49 + next(200));
                Some(i - 1)
            }
            _ if next(10) == 0 => {
                hub = i - 1 - next(i.min(30) as u64) as usize;
                Some(hub)
            }
            _ if next(3) == 0 => Some(hub),
            _ => Some(i - 1 - next(i.min(3) as u64) as usize),
        };
        let service = if i == 0 { 0 } else { next(SERVICES as u64) as usize };
        let op = match next(6) {
            0 => format!("SELECT orders_{}", next(40)),
            1 => format!("GET /api/v{}/items/{{id}}", 1 + next(3)),
            2 => format!("grpc.Service{}/Method{}", next(30), next(12)),
            3 => "kafka.produce «orders»".to_string(),
            4 => format!("cache.get user:{}", next(1000)),
            _ => format!("HTTP POST /checkout/{}", next(20)),
        };
        let _ = write!(
            s,
            r#"{{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"{:016x}","operationName":"{op}","references":"#,
            0x1000_0000_0000_0000u64 + i as u64
        );
        match parent {
            Some(p) => {
                let _ = write!(
                    s,
                    r#"[{{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"{:016x}"}}]"#,
                    0x1000_0000_0000_0000u64 + p as u64
                );
            }
            None => s.push_str("[]"),
        }
        let _ = write!(
            s,
            r#","flags":1,"startTime":{},"duration":{},"processID":"p{service}","warnings":null,"tags":["#,
            start + i as u64 * 37,
            50 + next(2_000_000)
        );
        let tags = 6 + next(10) as usize;
        for t in 0..tags {
            sep(&mut s, t);
            match (t, next(8)) {
                (0, _) => s.push_str(r#"{"key":"span.kind","type":"string","value":"client"}"#),
                (1, _) => {
                    let _ = write!(s, r#"{{"key":"http.status_code","type":"int64","value":{}}}"#, [200, 200, 201, 404, 500][next(5) as usize]);
                }
                (_, 0) => {
                    let cols: Vec<String> = (0..5 + next(40)).map(|c| format!("o.col_{c}")).collect();
                    let _ = write!(s, r#"{{"key":"db.statement","type":"string","value":"SELECT {} FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = \"open\" AND u.name LIKE 'Jos\u00e9%' LIMIT {}"}}"#, cols.join(", "), next(500));
                }
                (_, 1) => {
                    let _ = write!(s, r#"{{"key":"http.url","type":"string","value":"https://shop.example.com/api/v2/search?q=caf%C3%A9+cr%C3%A8me&page={}&session={:032x}&utm_source=newsletter&utm_campaign=winter-sale"}}"#, next(50), next(u64::MAX) as u128 * 7919);
                }
                (_, 2) => {
                    let _ = write!(s, r#"{{"key":"retry.count","type":"int64","value":{}}}"#, next(5));
                }
                (_, 3) => {
                    let _ = write!(s, r#"{{"key":"cache.hit","type":"bool","value":{}}}"#, next(2) == 0);
                }
                (_, 4) => {
                    let _ = write!(s, r#"{{"key":"sample.ratio","type":"float64","value":0.{}}}"#, next(1000));
                }
                (_, 5) => s.push_str(r#"{"key":"user_agent","type":"string","value":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36"}"#),
                (_, 6) => {
                    let _ = write!(s, r#"{{"key":"messaging.destination","type":"string","value":"orders.{}.\u00fcbersicht \\ queue"}}"#, next(12));
                }
                _ => {
                    let _ = write!(s, r#"{{"key":"peer.service","type":"string","value":"service-{}"}}"#, next(SERVICES as u64));
                }
            }
        }
        s.push_str(r#"],"logs":["#);
        if next(3) == 0 {
            for l in 0..1 + next(6) as usize {
                sep(&mut s, l);
                let _ = write!(
                    s,
                    r#"{{"timestamp":{},"fields":[{{"key":"event","type":"string","value":"retry"}},{{"key":"message","type":"string","value":"attempt {} of 5 \u2014 backing off"}}"#,
                    start + i as u64 * 37 + l as u64,
                    l + 1
                );
                if next(4) == 0 {
                    s.push_str(r#",{"key":"stack","type":"string","value":"java.net.SocketTimeoutException: Read timed out\n\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)\n\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)\n\tat okhttp3.internal.http1.Http1ExchangeCodec.readResponseHeaders(Http1ExchangeCodec.kt:180)\n\tat com.example.orders.Client.fetch(Client.java:42)\n\tat com.example.orders.Handler.handle(Handler.java:117)\n\t... 23 more"}"#);
                }
                s.push_str("]}");
            }
        }
        s.push_str("]}");
    }
    s.push_str(r#"],"processes":{"#);
    for p in 0..SERVICES {
        sep(&mut s, p);
        let _ = write!(
            s,
            r#""p{p}":{{"serviceName":"service-{p}","tags":[{{"key":"hostname","type":"string","value":"service-{p}-7d9f8b6c5-x{p:03}qz"}},{{"key":"ip","type":"string","value":"10.{}.{}.{}"}},{{"key":"client-uuid","type":"string","value":"{:016x}"}},{{"key":"service.version","type":"string","value":"2026.11.{p}"}},{{"key":"k8s.namespace.name","type":"string","value":"prod-eu-west-1"}},{{"key":"telemetry.sdk.language","type":"string","value":"java"}}]}}"#,
            p % 256,
            (p * 7) % 256,
            (p * 13) % 256,
            p as u64 * 0x9E37_79B9
        );
    }
    s.push_str(r#"},"warnings":null}],"total":0,"limit":0,"offset":0,"errors":null}"#);
    Shape { name: "jaeger: production-like", json: s.into_bytes(), spans: n }
}
