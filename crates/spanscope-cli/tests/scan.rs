//! `spanscope scan` and `convert --redact` on a trace full of planted (fake) secrets.

use std::path::PathBuf;
use std::process::{Command, Output};

fn data(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn spanscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanscope")).args(args).output().expect("run spanscope")
}

#[test]
fn scan_lists_findings_by_service_and_key_and_fails() {
    let out = spanscope(&["scan", "--json", &data("secrets.otlp.json")]);
    assert_eq!(out.status.code(), Some(1), "findings make the exit status 1");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {}",
                f["service"].as_str().unwrap(),
                f["key"].as_str().unwrap(),
                f["kind"].as_str().unwrap(),
                f["count"],
                f["spanId"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(got.len(), 10, "{got:#?}");
    assert!(
        got.contains(&"checkout payment.card card-number 1 1f2e3d4c5b6a7988".to_string()),
        "{got:#?}"
    );
    assert!(
        got.contains(&"orders-db db.connection_string url-password 1 aa11bb22cc33dd44".to_string()),
        "{got:#?}"
    );
    // The secrets themselves are never printed.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("hunter2") && !stdout.contains("s3cret") && !stdout.contains("4111 1111")
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "spanscope: 10 attributes in 1 trace look sensitive"
    );
}

#[test]
fn scan_of_clean_files_passes() {
    let out = spanscope(&[
        "scan",
        &data("../../public/samples/checkout.jaeger.json"),
        &data("refdata/jaeger/ui_01.json"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "nothing that looks sensitive");
}

#[test]
fn convert_redacts_with_rules_and_detected_findings() {
    let dir = std::env::temp_dir().join(format!("spanscope-redact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = dir.join("rules.json");
    std::fs::write(
        &rules,
        r#"[{"key": "^enduser\\.", "action": "hash"}, {"key": "cookie", "action": "drop"}]"#,
    )
    .unwrap();
    let out = spanscope(&[
        "convert",
        "--to",
        "jaeger",
        "--redact",
        rules.to_str().unwrap(),
        "--redact-detected",
        &data("secrets.otlp.json"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = String::from_utf8(out.stdout).unwrap();
    assert!(written.contains("\"hash:"), "the e-mail is hashed");
    assert!(!written.contains("http.request.header.cookie"), "the cookie is dropped");
    assert!(written.contains("\"***\""), "what the detector finds is masked");
    for secret in ["hunter2", "jane.doe", "AKIA", "s3cret", "4111 1111", "eyJhbGci", "cs_live"] {
        assert!(!written.contains(secret), "{secret} leaked");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("10 attributes redacted"));
    // What was written scans clean and keeps the trace's spans.
    let copy = dir.join("redacted.json");
    std::fs::write(&copy, &written).unwrap();
    let out = spanscope(&["scan", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let out = spanscope(&["inspect", "--json", copy.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["traceId"], "5b8efff798038103d269b633813fc60c");
    assert_eq!(v[0]["spanCount"], 3);
    assert_eq!(v[0]["durationMicros"], 250_000);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_rules_are_named() {
    let dir = std::env::temp_dir().join(format!("spanscope-badrules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = dir.join("rules.json");
    std::fs::write(&rules, r#"[{"key": "(unclosed"}]"#).unwrap();
    let out = spanscope(&[
        "convert",
        "--to",
        "otlp",
        "--redact",
        rules.to_str().unwrap(),
        &data("secrets.otlp.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rules.json: redaction rule 1: '(unclosed' is not a valid regex"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing is written when the rules are bad");
    std::fs::remove_dir_all(&dir).ok();
}
