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
