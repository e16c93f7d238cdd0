//! The core compiled to wasm32 and run in headless Chromium: the same readers the app uses,
//! on real reference files, and a 100,000-deep chain within the browser's wasm stack.
#![cfg(target_arch = "wasm32")]

use spanscope_core::{read_bytes, TraceSummary};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn reads_a_jaeger_reference_trace_in_the_browser() {
    let set = read_bytes(include_bytes!("data/refdata/jaeger/genaiTestTrace.json")).unwrap();
    let s = TraceSummary::of(&set.traces[0]);
    assert_eq!((s.span_count, s.services.len(), s.max_depth, s.error_span_count), (57, 10, 8, 1));
    assert_eq!(s.duration_micros, 44_000_000);
    assert_eq!(s.root_span_name, "POST /api/graphql");
}

#[wasm_bindgen_test]
fn reads_zipkin_and_otlp_in_the_browser() {
    let set =
        read_bytes(include_bytes!("data/refdata/zipkin/smartthings-oauth-authorization.json"))
            .unwrap();
    let s = TraceSummary::of(&set.traces[0]);
    assert_eq!(
        (s.span_count, s.services.len(), s.root_span_name.as_str()),
        (171, 8, "get /oauth/authorize")
    );
    let set = read_bytes(include_bytes!("data/refdata/otlp/tempo/trace.json")).unwrap();
    assert_eq!(set.traces[0].trace_id_string(), "5b8efff798038103d269b633813fc60c");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_in_the_browser_too() {
    let e = read_bytes(b"{\"data\": [\n  {\"traceID\": 12,, }]}").unwrap_err();
    assert_eq!(e.to_string(), "not valid JSON at line 2, column 18: key must be a string");
}

#[wasm_bindgen_test]
fn a_100k_deep_chain_does_not_overflow_the_wasm_stack() {
    let mut json = String::from("[");
    for i in 1..=100_000u64 {
        if i > 1 {
            json.push(',');
        }
        let parent = if i == 1 { String::new() } else { format!(r#""parentId":"{:x}","#, i - 1) };
        json.push_str(&format!(r#"{{"traceId":"abc",{parent}"id":"{i:x}","name":"step","timestamp":{},"duration":1,"localEndpoint":{{"serviceName":"chain"}}}}"#, 1_700_000_000_000_000u64 + i));
    }
    json.push(']');
    let set = read_bytes(json.as_bytes()).unwrap();
    let s = TraceSummary::of(&set.traces[0]);
    assert_eq!((s.span_count, s.max_depth), (100_000, 100_000));
}
