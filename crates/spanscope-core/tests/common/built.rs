//! Traces built by hand from a compact list of spans (written as Jaeger JSON and read back).

use spanscope_core::model::Trace;
use spanscope_core::read_bytes;

/// One span of a hand-built trace: name (its id), operation, parent and reference type,
/// start and duration in microseconds, `span.kind`, service, whether it failed, and a tag.
pub struct S {
    pub name: &'static str,
    pub op: &'static str,
    pub parent: Option<(&'static str, &'static str)>,
    pub start: i64,
    pub duration: i64,
    pub kind: &'static str,
    pub service: &'static str,
    pub error: bool,
    pub tag: Option<(&'static str, &'static str)>,
}

pub fn s(name: &'static str, parent: Option<&'static str>, start: i64, duration: i64) -> S {
    S {
        name,
        op: name,
        parent: parent.map(|p| (p, "CHILD_OF")),
        start,
        duration,
        kind: "",
        service: "svc",
        error: false,
        tag: None,
    }
}

/// Span ids are the names' bytes in hex, so ids sort like the names.
pub fn id(name: &str) -> String {
    let mut hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
    hex.truncate(16);
    format!("{hex:0>16}")
}

pub fn build(spans: &[S]) -> Trace {
    let json: Vec<String> = spans
        .iter()
        .map(|x| {
            let refs = match x.parent {
                Some((p, kind)) => format!(r#"[{{"refType":"{kind}","traceID":"t1","spanID":"{}"}}]"#, id(p)),
                None => "[]".into(),
            };
            let mut tags = Vec::new();
            if !x.kind.is_empty() {
                tags.push(format!(r#"{{"key":"span.kind","type":"string","value":"{}"}}"#, x.kind));
            }
            if x.error {
                tags.push(r#"{"key":"error","type":"bool","value":true}"#.to_string());
            }
            if let Some((k, v)) = x.tag {
                tags.push(format!(r#"{{"key":"{k}","type":"string","value":"{v}"}}"#));
            }
            format!(
                r#"{{"traceID":"t1","spanID":"{}","operationName":"{}","references":{refs},"startTime":{},"duration":{},"tags":[{}],"processID":"{}"}}"#,
                id(x.name),
                x.op,
                x.start,
                x.duration,
                tags.join(","),
                x.service
            )
        })
        .collect();
    let mut services: Vec<&str> = spans.iter().map(|x| x.service).collect();
    services.sort_unstable();
    services.dedup();
    let processes: Vec<String> =
        services.iter().map(|p| format!(r#""{p}":{{"serviceName":"{p}"}}"#)).collect();
    let doc = format!(
        r#"{{"data":[{{"traceID":"t1","spans":[{}],"processes":{{{}}}}}]}}"#,
        json.join(","),
        processes.join(",")
    );
    let set = read_bytes(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{doc}"));
    set.traces.into_iter().next().unwrap()
}
