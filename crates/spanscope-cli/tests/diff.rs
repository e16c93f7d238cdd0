//! `spanscope diff`: two traces by call path, and a trace against a baseline, on the bundled
//! N+1 sample, its batched rewrite and five requests of the rewrite (`tests/data/compare/`).

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel).to_string_lossy().into_owned()
}

fn spanscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanscope")).args(args).output().expect("run spanscope")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = spanscope(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn before() -> String {
    repo("public/samples/orders-n-plus-one.zipkin.json")
}

fn after() -> String {
    repo("public/samples/orders-batched.zipkin.json")
}

/// (last step of the path, depth, change, A count, A total µs, B count, B total µs).
fn nodes(v: &serde_json::Value) -> Vec<(String, usize, String, u64, u64, u64, u64)> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let path = n["path"].as_array().unwrap();
            let last = path.last().unwrap();
            (
                format!("{} {}", last[0].as_str().unwrap(), last[1].as_str().unwrap()),
                path.len() - 1,
                n["change"].as_str().unwrap().to_string(),
                n["a"]["count"].as_u64().unwrap(),
                n["a"]["totalMicros"].as_u64().unwrap(),
                n["b"]["count"].as_u64().unwrap(),
                n["b"]["totalMicros"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Checked by hand against the two files: batching removed the six price lookups and
/// eleven of the twelve item queries, and added one batch call.
#[test]
fn diff_json_of_the_n_plus_one_fix() {
    let v = json(&["diff", "--json", &before(), &after()]);
    assert_eq!(v["aTraceId"], "5b8efff798038103d269b633813fc60c");
    assert_eq!(v["bTraceId"], "a3c1e5f0b8d24c7e9f6a1b2c3d4e5f60");
    let n = |s: &str, d, c: &str, ac, at, bc, bt| (s.to_string(), d, c.to_string(), ac, at, bc, bt);
    assert_eq!(
        nodes(&v),
        vec![
            n("web-frontend get /orders/history", 0, "changed", 1, 182_000, 1, 62_000),
            n("web-frontend get /api/orders", 1, "changed", 1, 150_000, 1, 36_000),
            n("order-service get /api/orders", 2, "changed", 1, 147_000, 1, 34_000),
            n("order-service get /api/prices/{sku}", 3, "removed", 6, 50_000, 0, 0),
            n("pricing get /api/prices/{sku}", 4, "removed", 6, 44_000, 0, 0),
            n("order-service post /api/prices/batch", 3, "added", 0, 0, 1, 14_000),
            n("pricing post /api/prices/batch", 4, "added", 0, 0, 1, 13_000),
            n("order-service select order_items", 3, "changed", 12, 63_000, 1, 9_000),
            n("order-service select orders", 3, "same", 1, 6_000, 1, 6_000),
            n("web-frontend render orders.html", 1, "changed", 1, 25_000, 1, 22_000),
        ]
    );
    let root = &v["nodes"][0];
    assert_eq!(root["path"], serde_json::json!([["web-frontend", "get /orders/history"]]));
    // Self time: 182 ms minus the API call (150 ms) and the render (25 ms).
    assert_eq!(root["a"]["selfMicros"], 7_000);
    assert_eq!(root["a"]["spanId"], "6a1f0c0000000001");
    assert_eq!(root["b"]["spanId"], "7b2e1d0000000001");
    // A side without the path has no span to jump to.
    assert!(v["nodes"][3]["b"].get("spanId").is_none());
    assert_eq!(v["nodes"][3]["a"]["spanId"], "6a1f0c0000000011");
}

#[test]
fn diff_table_is_readable() {
    let out = spanscope(&["diff", &before(), &after()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("CHANGE"), "{text}");
    assert_eq!(lines.len(), 12);
    let items = lines.iter().find(|l| l.contains("select order_items")).unwrap();
    assert!(items.starts_with("changed       12/1     63.0 ms      9.0 ms    -54.0 ms"), "{items}");
    assert!(items.ends_with("      order-service: select order_items"), "{items}");
}

#[test]
fn diff_against_a_baseline_gives_percentiles() {
    let baseline = repo("tests/data/compare/orders-batched-x5.zipkin.json");
    let v = json(&["diff", "--json", "--baseline", &baseline, &before()]);
    assert_eq!(v["baselineTraces"], 5);
    let nodes = v["nodes"].as_array().unwrap();
    let find = |op: &str| {
        nodes.iter().find(|n| n["path"].as_array().unwrap().last().unwrap()[1] == op).unwrap()
    };
    // The five baseline queries took 7..11 ms; the N+1 trace's twelve took 63 ms in all.
    let items = &find("select order_items")["baseline"];
    assert_eq!(items["traces"], 5);
    assert_eq!(
        items["total"],
        serde_json::json!({"p50Micros": 9000, "p90Micros": 11000, "p99Micros": 11000})
    );
    assert_eq!(items["totalPercentile"], 100.0);
    assert_eq!(items["excessMicros"], 54_000);
    assert_eq!(items["aboveP90"], true);
    // The same 6 ms as every baseline trace: a tie sits at the 50th percentile.
    let orders = &find("select orders")["baseline"];
    assert_eq!(
        (orders["totalPercentile"].as_f64(), orders["aboveP90"].as_bool()),
        (Some(50.0), Some(false))
    );
    // The per-item price lookups are not in the batched baseline at all.
    assert!(find("get /api/prices/{sku}").get("baseline").is_none());
    assert_eq!(find("get /api/prices/{sku}")["count"], 6);

    // The batched trace itself against the baseline: its query (9 ms) is the median.
    let v = json(&["diff", "--json", "--baseline", &baseline, &after()]);
    let items = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["count"] == 1
                && n["path"].as_array().unwrap().last().unwrap()[1] == "select order_items"
        })
        .unwrap();
    assert_eq!(items["baseline"]["totalPercentile"], 50.0);
    assert_eq!(items["baseline"]["excessMicros"], 0);
}

#[test]
fn a_file_with_several_traces_needs_a_trace_id() {
    let baseline = repo("tests/data/compare/orders-batched-x5.zipkin.json");
    let out = spanscope(&["diff", &baseline, &after()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds 5 traces; pick one as"), "{err}");
    assert!(err.contains("#TRACE_ID (for example a3c1e5f0b8d24c7e9f6a1b2c3d4e5f61"), "{err}");
    // The third request has the rewrite's timings: the same everywhere, other span ids.
    let picked = format!("{baseline}#A3C1E5F0B8D24C7E9F6A1B2C3D4E5F63");
    let v = json(&["diff", "--json", &picked, &after()]);
    assert!(v["nodes"].as_array().unwrap().iter().all(|n| n["change"] == "same"), "{v}");
    assert_eq!(v["nodes"][0]["a"]["spanId"], "7b2e1d0000000301");
    // The fifth took 66 ms: 4 ms more at the root, all of it the root's own time.
    let picked = format!("{baseline}#a3c1e5f0b8d24c7e9f6a1b2c3d4e5f65");
    let v = json(&["diff", "--json", &picked, &after()]);
    assert_eq!(v["nodes"][0]["a"]["selfMicros"], 8_000);
    assert_eq!(v["nodes"][0]["change"], "changed");
    assert_eq!(v["nodes"][1]["change"], "same");
    let missing = spanscope(&["diff", &format!("{baseline}#00ff"), &after()]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no trace 00ff among its 5"));
}

#[test]
fn diff_usage_errors_are_clear() {
    for (args, message) in [
        (vec!["diff"], "diff needs two trace files"),
        (vec!["diff", "--baseline", "x.json"], "needs at least one baseline FILE before TRACE"),
        (vec!["diff", "nope.json", "nope2.json"], "nope.json"),
    ] {
        let out = spanscope(&args);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
}
