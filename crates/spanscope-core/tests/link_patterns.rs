//! Link patterns on a real file: which links each span and the trace get, with values from
//! the span, its ancestors, its resource and the trace, encoded and formatted.

use std::path::PathBuf;

use serde_json::json;
use spanscope_core::link_patterns::{self, PatternType};
use spanscope_core::read_bytes;

fn planted() -> spanscope_core::Trace {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/secrets.otlp.json");
    read_bytes(&std::fs::read(path).unwrap()).unwrap().traces.remove(0)
}

#[test]
fn links_for_spans_and_the_trace() {
    let t = planted();
    let (patterns, problems) = link_patterns::parse(&json!([
        // Grafana Explore (Loki) around each span: no key, so every span has it.
        {"type": "attributes", "text": "Logs of #{serviceName}",
         "url": "https://grafana.example.com/explore?left=#{serviceName}&from=#{startTime | add -60000000 | epoch_micros_to_date_iso}&to=#{startTime | add 60000000 | epoch_micros_to_date_iso}&q=#{traceID}"},
        // Jaeger's own name for span attributes, on one key; the e-mail comes from the parent.
        {"type": "tags", "key": "payment.card", "url": "/support/customer?email=#{enduser.email}", "text": "Customer #{enduser.email}"},
        {"type": "process", "key": "deployment.environment", "url": "https://kibana.example.com/app/discover#/?env=#{deployment.environment}&span=#{spanID | pad_start 20 0}", "text": "Kibana (#{deployment.environment})"},
        {"type": "logs", "key": "message", "url": "https://logs.example.com/?line=#{message}", "text": "Find this log line"},
        {"type": "traces", "url": "https://prometheus.example.com/graph?g0.expr=#{traceName}&from=#{startTime | epoch_micros_to_date_iso}&to=#{endTime | epoch_micros_to_date_iso}", "text": "Metrics (#{duration} µs)"},
        // Placeholders with no value leave the link out.
        {"type": "attributes", "key": "db.statement", "url": "https://x.example.com/#{no.such.key}", "text": "never"},
        // Refused.
        {"type": "attributes", "url": "javascript:alert(#{traceID})", "text": "bad"},
        {"type": "attributes", "url": "#{url.full}", "text": "bad"},
        {"type": "metrics", "url": "https://x", "text": "bad"},
        {"type": "traces", "url": "https://x/#{traceID | shout}", "text": "bad"},
    ]));
    assert_eq!(patterns.len(), 6);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(
        problems[0]
            .starts_with("config.json linkPatterns[6] left out: url scheme `javascript:` refused"),
        "{}",
        problems[0]
    );
    assert!(problems[1].contains("not a placeholder"), "{}", problems[1]);
    assert!(problems[2].contains("\"metrics\""), "{}", problems[2]);
    assert!(problems[3].contains("unknown formatter `shout`"), "{}", problems[3]);

    let by_name = |name: &str| t.spans.iter().position(|s| t.str(s.name) == name).unwrap() as u32;
    let root = link_patterns::span_links(&t, by_name("POST /checkout"), &patterns);
    let texts: Vec<(&str, Option<&str>)> =
        root.iter().map(|l| (l.text.as_str(), l.key.as_deref())).collect();
    assert_eq!(
        texts,
        [
            ("Logs of checkout", None),
            ("Kibana (prod)", Some("deployment.environment")),
            ("Find this log line", Some("message"))
        ]
    );
    assert_eq!(
        root[0].url,
        "https://grafana.example.com/explore?left=checkout&from=2025-12-31T23%3A59%3A00.000Z&to=2026-01-01T00%3A01%3A00.000Z&q=5b8efff798038103d269b633813fc60c"
    );
    assert_eq!(
        root[1].url,
        "https://kibana.example.com/app/discover#/?env=prod&span=0000eee19b7ec3c1b174"
    );
    assert_eq!(
        root[2].url,
        "https://logs.example.com/?line=using%20key%20AKIAIOSFODNN7EXAMPLE%20for%20s3"
    );
    assert_eq!(root[2].kind, PatternType::Events);

    let child = link_patterns::span_links(&t, by_name("charge card"), &patterns);
    let customer = child.iter().find(|l| l.key.as_deref() == Some("payment.card")).unwrap();
    assert_eq!(customer.text, "Customer jane.doe@example.com", "from the parent span");
    assert_eq!(customer.url, "/support/customer?email=jane.doe%40example.com");

    let db = link_patterns::span_links(&t, by_name("INSERT orders"), &patterns);
    assert_eq!(
        db.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        ["Logs of orders-db"],
        "no env on its resource, no value for the statement's link"
    );

    let trace = link_patterns::trace_links(&t, &patterns);
    assert_eq!(trace.len(), 1);
    assert_eq!(trace[0].text, "Metrics (250000 µs)");
    assert_eq!(
        trace[0].url,
        "https://prometheus.example.com/graph?g0.expr=checkout%3A%20POST%20%2Fcheckout&from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-01T00%3A00%3A00.250Z"
    );
}

#[test]
fn the_readme_patterns_parse_and_render() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let start = readme.find("\"linkPatterns\": [").expect("README has ready patterns");
    let block = &readme[start..];
    let end = block.find("\n]\n").unwrap() + 2;
    let doc: serde_json::Value = serde_json::from_str(&format!("{{{}}}", &block[..end])).unwrap();
    let (patterns, problems) = link_patterns::parse(&doc["linkPatterns"]);
    assert_eq!((patterns.len(), problems.len()), (3, 0), "{problems:#?}");
    let t = planted();
    let root = link_patterns::span_links(&t, 0, &patterns);
    assert!(
        root[0].url.contains("service_name%3D%5C%22checkout%5C%22")
            && root[0].url.contains("%22from%22:%222025-12-31T23%3A59%3A00.000Z%22"),
        "{}",
        root[0].url
    );
    let trace = link_patterns::trace_links(&t, &patterns);
    assert!(
        trace[0].url.contains("query:'trace.id:5b8efff798038103d269b633813fc60c'"),
        "{}",
        trace[0].url
    );
}
