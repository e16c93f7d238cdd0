//! The `spanscope` binary end to end: real files in, JSON and exit codes out.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A reference file in the repository's `tests/data/refdata/`.
fn refdata(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/refdata")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn spanscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanscope")).args(args).output().expect("run spanscope")
}

fn inspect_json(files: &[&str]) -> serde_json::Value {
    let mut args = vec!["inspect", "--json"];
    args.extend_from_slice(files);
    let out = spanscope(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("inspect --json prints JSON")
}

#[test]
fn inspect_json_has_the_specified_fields() {
    let v = inspect_json(&[&refdata("jaeger/ui_01.json"), &refdata("zipkin/skew.json")]);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let t = &list[0];
    assert_eq!(t["traceId"], "0000000000000001");
    assert_eq!(t["spanCount"], 5);
    assert_eq!(t["services"], serde_json::json!(["service-x", "service-y"]));
    assert_eq!(t["rootSpanName"], "test-general-conversion");
    assert_eq!(t["durationMicros"], 5);
    assert_eq!(t["errorSpanCount"], 1);
    assert_eq!(t["maxDepth"], 3);
    assert_eq!(t["serviceEdges"], serde_json::json!([["service-x", "service-y", 2]]));
    assert_eq!(t["orphanCount"], 0);
    assert!(t["warnings"].as_array().unwrap().iter().any(|w| w == "some trace warning"));
    let z = &list[1];
    assert_eq!(
        (z["traceId"].as_str(), z["spanCount"].as_u64(), z["maxDepth"].as_u64()),
        (Some("1e223ff1f80f1c69"), Some(4), Some(4))
    );
    assert_eq!(z["durationMicros"], 161_718);
}

#[test]
fn inspect_128_bit_ids_are_32_lowercase_hex_chars() {
    let v = inspect_json(&[&refdata("otlp/opentelemetry-proto/trace.json")]);
    assert_eq!(v[0]["traceId"], "5b8efff798038103d269b633813fc60c");
    assert_eq!(v[0]["orphanCount"], 1);
    assert_eq!(v[0]["durationMicros"], 1_000_000);
}

#[test]
fn inspect_table_is_readable() {
    let out = spanscope(&["inspect", &refdata("jaeger/genaiTestTrace.json")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("4a1b2c3d4e5f60718293a4b5c6d7e8f9"), "{text}");
    assert!(text.contains("api-edge: POST /api/graphql"), "{text}");
    assert!(text.contains("44.00 s"), "{text}");
    assert!(text.contains("mcp-gateway -> auth-service ×7"), "{text}");
}

#[test]
fn unreadable_input_fails_with_a_clear_message() {
    let dir = std::env::temp_dir().join(format!("spanscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"data\": [\n  {\"traceID\": 12,, }]}").unwrap();
    let out = spanscope(&["inspect", "--json", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json: not valid JSON at line 2, column 18"), "{err}");
    let out = spanscope(&["inspect", "/no/such/file.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /no/such/file.json"));
    let out = spanscope(&["convert", "--to", "otlp", &refdata("jaeger/large.json")]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds service dependency links, not spans")
    );
    let out = spanscope(&["convert", "--to", "xml", &refdata("jaeger/ui_01.json")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown output format 'xml'"));
}

#[test]
fn convert_writes_each_format_and_inspect_agrees() {
    let dir = std::env::temp_dir().join(format!("spanscope-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original = inspect_json(&[&refdata("jaeger/genaiTestTrace.json")]);
    for to in ["otlp", "zipkin", "jaeger"] {
        let out = spanscope(&["convert", "--to", to, &refdata("jaeger/genaiTestTrace.json")]);
        assert!(out.status.success(), "{to}: {}", String::from_utf8_lossy(&out.stderr));
        let file = dir.join(format!("converted.{to}.json"));
        std::fs::write(&file, &out.stdout).unwrap();
        let back = inspect_json(&[file.to_str().unwrap()]);
        for field in [
            "traceId",
            "spanCount",
            "services",
            "rootSpanName",
            "durationMicros",
            "errorSpanCount",
            "maxDepth",
            "serviceEdges",
        ] {
            assert_eq!(back[0][field], original[0][field], "{to}: {field}");
        }
    }
}

#[test]
fn generate_then_inspect() {
    let out = spanscope(&["generate", "--spans", "2500", "--format", "zipkin", "--seed", "9"]);
    assert!(out.status.success());
    let dir = std::env::temp_dir().join(format!("spanscope-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gen.json");
    std::fs::write(&file, &out.stdout).unwrap();
    let v = inspect_json(&[file.to_str().unwrap()]);
    assert_eq!(v[0]["spanCount"], 2500);
    assert!(v[0]["services"].as_array().unwrap().len() > 3);
    assert!(v[0]["maxDepth"].as_u64().unwrap() > 5, "deep chains");
    assert!(v[0]["errorSpanCount"].as_u64().unwrap() > 0, "some errors");
}

/// Bytes that must never reach a terminal raw: ESC (ANSI/OSC), BEL, DEL, C1 controls (as
/// UTF-8) and bidi overrides/isolates.
fn raw_terminal_controls(out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

#[test]
fn nothing_printed_from_a_trace_carries_raw_control_characters() {
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mred\u{7f}\u{9b}6n\u{202e}gpj.exe\u{2066}";
    let trace = serde_json::json!({"data": [{
        "traceID": format!("id{hostile}"),
        "spans": [{"traceID": "1", "spanID": "a", "operationName": format!("op{hostile}"), "startTime": 1, "duration": 5,
                   "processID": "p1", "references": [], "tags": [{"key": "k", "type": "string", "value": hostile}],
                   "warnings": [format!("warn{hostile}")]}],
        "processes": {"p1": {"serviceName": format!("svc{hostile}"), "tags": []}}
    }], "errors": [{"code": 500, "msg": format!("upstream said {hostile}")}]});
    let dir = std::env::temp_dir().join(format!("spanscope-cli-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("trace{}.json", "\u{1b}[1m"));
    std::fs::write(&file, serde_json::to_vec(&trace).unwrap()).unwrap();
    let f = file.to_str().unwrap();
    for args in [
        vec!["inspect", f],
        vec!["inspect", "--json", f],
        vec!["convert", "--to", "otlp", f],
        vec!["convert", "--to", "zipkin", f],
    ] {
        let out = spanscope(&args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(raw_terminal_controls(&out.stdout), Vec::<String>::new(), "{args:?} stdout");
        assert_eq!(raw_terminal_controls(&out.stderr), Vec::<String>::new(), "{args:?} stderr");
    }
    // The text is still there, escaped visibly in tables and as JSON escapes in JSON.
    let table = String::from_utf8(spanscope(&["inspect", f]).stdout).unwrap();
    assert!(table.contains("svc\\u{1b}]0;owned\\u{7}"), "{table}");
    assert!(table.contains("\\u{202e}gpj.exe"), "{table}");
    let json: serde_json::Value =
        serde_json::from_slice(&spanscope(&["inspect", "--json", f]).stdout).unwrap();
    assert_eq!(json[0]["rootServiceName"], format!("svc{hostile}"), "JSON keeps the exact text");
    let converted: serde_json::Value =
        serde_json::from_slice(&spanscope(&["convert", "--to", "jaeger", f]).stdout).unwrap();
    assert_eq!(converted["data"][0]["processes"]["p1"]["serviceName"], format!("svc{hostile}"));
    // An error message quoting the input is escaped as well.
    std::fs::write(
        &file,
        format!("{{\"data\": [], \"errors\": [{{\"msg\": \"{}\"}}]}}", "boom\\u001b[31m"),
    )
    .unwrap();
    let out = spanscope(&["inspect", f]);
    assert_eq!(
        raw_terminal_controls(&out.stderr),
        Vec::<String>::new(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dependency_links_open_as_a_graph_bare_or_in_jaegers_envelope() {
    let out = spanscope(&["inspect", &refdata("jaeger/large.json")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("service dependency links: 4271 links between 1238 services, 2985281 calls"),
        "{text}"
    );
    assert!(text.contains("calls: Service1650 -> Service783 ×214774"), "{text}");
    // Jaeger's GET /api/dependencies answer wraps the links in its query envelope.
    let dir = std::env::temp_dir().join(format!("spanscope-deps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let answer = dir.join("dependencies.json");
    std::fs::write(
        &answer,
        r#"{"data":[{"parent":"frontend","child":"driver","callCount":12},{"parent":"frontend","child":"redis","callCount":30}],"total":2,"limit":0,"offset":0,"errors":null}"#,
    )
    .unwrap();
    let out = spanscope(&["inspect", answer.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("service dependency links: 2 links between 3 services, 42 calls"),
        "{text}"
    );
    assert!(
        text.contains("calls: frontend -> redis ×30\n    calls: frontend -> driver ×12"),
        "{text}"
    );
    let out = spanscope(&["inspect", "--json", answer.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 links between 3 services"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pipes_standard_input_and_gzip_are_read() {
    let file = refdata("jaeger/genaiTestTrace.json");
    let want = inspect_json(&[&file]);
    assert_eq!(want[0]["spanCount"], 57);
    let bin = env!("CARGO_BIN_EXE_spanscope");
    // A pipe as a path (bash process substitution: /dev/fd/N), and standard input as `-`.
    let out = Command::new("bash")
        .args(["-c", &format!("'{bin}' inspect --json <(cat '{file}')")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), want);
    let out = Command::new("bash")
        .args(["-c", &format!("cat '{file}' | '{bin}' inspect --json -")])
        .output()
        .unwrap();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), want);
    // gzip, as `.json.gz` and under a name that does not say so, from a file and a pipe.
    let dir = std::env::temp_dir().join(format!("spanscope-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gz = dir.join("trace.json.gz");
    let status = Command::new("bash")
        .args(["-c", &format!("gzip -c '{file}' > '{}'", gz.display())])
        .status()
        .unwrap();
    assert!(status.success());
    let plain_name = dir.join("trace.json");
    std::fs::copy(&gz, &plain_name).unwrap();
    assert_eq!(inspect_json(&[gz.to_str().unwrap()]), want);
    assert_eq!(inspect_json(&[plain_name.to_str().unwrap()]), want);
    let out = Command::new("bash")
        .args(["-c", &format!("'{bin}' convert --to zipkin - < '{}'", gz.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().len(),
        57
    );
    // Damaged gzip says so.
    let bytes = std::fs::read(&gz).unwrap();
    std::fs::write(&plain_name, &bytes[..bytes.len() / 2]).unwrap();
    let out = spanscope(&["inspect", plain_name.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("gzip data is damaged"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn binary_otlp_from_a_real_sdk_and_the_collector_file_export() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/otlp-protobuf");
    for file in ["export.pb", "collector-file.pb", "export.json"] {
        let v = inspect_json(&[dir.join(file).to_str().unwrap()]);
        assert_eq!(v[0]["spanCount"], 4, "{file}");
        assert_eq!(v[0]["services"], serde_json::json!(["cart", "frontend"]), "{file}");
        assert_eq!(v[0]["errorSpanCount"], 1, "{file}");
    }
}

fn analyze_json(files: &[&str]) -> (serde_json::Value, String) {
    let mut args = vec!["analyze", "--json"];
    args.extend_from_slice(files);
    let out = spanscope(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    (serde_json::from_str(&text).expect("analyze --json prints JSON"), text)
}

/// Values checked by hand against the files: ui_01 has two spans with id 2 (the second is a
/// root of its own) and two children of the first that end together (the smaller id, 3,
/// takes the path); the SDK's checkout trace runs 20 ms, all of it on the path.
#[test]
fn analyze_json_on_reference_traces() {
    let (v, _) = analyze_json(&[
        &refdata("jaeger/ui_01.json"),
        &format!("{}/../../tests/data/otlp-protobuf/export.json", env!("CARGO_MANIFEST_DIR")),
    ]);
    let ui = &v[0];
    assert_eq!(ui["traceId"], "0000000000000001");
    assert_eq!(ui["spanCount"], 5);
    assert_eq!(
        ui["criticalPath"],
        serde_json::json!([
            {"spanId": "0000000000000002", "startMicros": 1485467191639875u64, "endMicros": 1485467191639880u64},
            {"spanId": "0000000000000003", "startMicros": 1485467191639875u64, "endMicros": 1485467191639880u64},
        ])
    );
    assert_eq!(ui["criticalPathMicros"], 10);
    assert_eq!(
        ui["services"],
        serde_json::json!([
            {"service": "service-x", "spans": 2, "totalMicros": 10, "selfMicros": 5, "criticalMicros": 5, "errors": 1},
            {"service": "service-y", "spans": 3, "totalMicros": 14, "selfMicros": 10, "criticalMicros": 5, "errors": 0},
        ])
    );
    let ops: Vec<(String, String, u64, u64)> = ui["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap().to_string();
            (
                s("service"),
                s("operation"),
                o["count"].as_u64().unwrap(),
                o["selfMicros"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = |s: &str, o: &str, c, m| (s.to_string(), o.to_string(), c, m);
    assert_eq!(
        ops,
        [
            expect("service-x", "some-operation", 1, 5),
            expect("service-x", "test-general-conversion", 1, 0),
            expect("service-y", "preserveParentID-test", 1, 4),
            expect("service-y", "reference-test", 1, 1),
            expect("service-y", "some-operation", 1, 5),
        ]
    );
    let sdk = &v[1];
    assert_eq!(
        (sdk["spanCount"].as_u64(), sdk["criticalPathMicros"].as_u64()),
        (Some(4), Some(20_000))
    );
    assert_eq!(sdk["criticalPath"].as_array().unwrap().len(), 7);
    assert_eq!(
        sdk["services"],
        serde_json::json!([
            {"service": "cart", "spans": 2, "totalMicros": 11000, "selfMicros": 11000, "criticalMicros": 11000, "errors": 1},
            {"service": "frontend", "spans": 2, "totalMicros": 29000, "selfMicros": 9000, "criticalMicros": 9000, "errors": 0},
        ])
    );
}

#[test]
fn analyze_keeps_nanoseconds_and_prints_readable_tables() {
    let dir = std::env::temp_dir().join(format!("spanscope-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ns.json");
    std::fs::write(
        &file,
        r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
        "scopeSpans":[{"spans":[
          {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"GET /",
           "startTimeUnixNano":"1700000000000000123","endTimeUnixNano":"1700000000000123456"}]}]}]}"#,
    )
    .unwrap();
    let path = file.to_string_lossy().into_owned();
    let (_, text) = analyze_json(&[&path]);
    // Written exactly, not through a float (which would round the nanoseconds away).
    assert!(text.contains("\"startMicros\": 1700000000000000.123"), "{text}");
    assert!(text.contains("\"endMicros\": 1700000000000123.456"), "{text}");
    assert!(text.contains("\"criticalPathMicros\": 123.333"), "{text}");
    let out = spanscope(&["analyze", &path]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("trace 0102030405060708090a0b0c0d0e0f10: 1 spans"), "{table}");
    assert!(table.contains("SERVICE") && table.contains("TOP OPERATIONS BY SELF TIME"), "{table}");
    assert!(
        table.lines().any(|l| l.trim_start().starts_with("api") && l.contains("100.0%")),
        "{table}"
    );
    let bad = spanscope(&["analyze", &refdata("jaeger/FindTraceSummaries.json")]);
    assert!(!bad.status.success());
    std::fs::remove_dir_all(&dir).ok();
}
