//! The hostile shapes (`spanscope_core::shapes`) read correctly. Their speed and memory are
//! measured by `spanscope bench --shapes`, not here.

use spanscope_core::model::SpanFlags;
use spanscope_core::write::{write_traces, OutputFormat};
use spanscope_core::{read_bytes, shapes, MAX_PARTS_PER_SPAN};

#[test]
fn every_shape_reads_with_its_span_count() {
    for n in [1, 2, 1000, 5000] {
        for shape in shapes::all(n) {
            let set =
                read_bytes(&shape.json).unwrap_or_else(|e| panic!("{} ×{n}: {e}", shape.name));
            let spans: usize = set.traces.iter().map(|t| t.spans.len()).sum();
            assert_eq!(spans, shape.spans, "{} ×{n}", shape.name);
        }
    }
}

#[test]
fn parts_of_one_span_merge_up_to_the_cap_and_say_so() {
    let shape = shapes::zipkin_parts_of_one_span(3000);
    let set = read_bytes(&shape.json).unwrap();
    let t = &set.traces[0];
    let merged = t.spans.iter().find(|s| t.span_attrs(s).len() > 1).expect("the merged span");
    // Every part's tag, in the parts' order, and the first part's start.
    let keys: Vec<&str> = t.span_attrs(merged).iter().map(|a| t.str(a.key)).collect();
    assert_eq!(keys.len(), MAX_PARTS_PER_SPAN);
    assert_eq!((keys[0], keys[MAX_PARTS_PER_SPAN - 1]), ("k0", "k1023"));
    assert_eq!(merged.start_ns, 1000 * 1000);
    assert_eq!(t.spans.len(), 1 + 3000 - MAX_PARTS_PER_SPAN);
    assert!(
        t.warnings.iter().any(|w| w.contains("1976 Zipkin span parts were not merged")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn children_of_a_shared_id_find_the_server_on_their_own_service() {
    let shape = shapes::zipkin_shared_id_children(4000);
    let set = read_bytes(&shape.json).unwrap();
    let t = &set.traces[0];
    let mut checked = 0;
    for s in t.spans.iter().filter(|s| t.str(s.name) == "child") {
        let parent = &t.spans[s.parent as usize];
        assert_eq!(t.str(parent.name), "server");
        assert!(parent.flags.has(SpanFlags::SHARED));
        assert_eq!(parent.service, s.service, "on the child's own service");
        checked += 1;
    }
    assert_eq!(checked, 2000);
}

#[test]
fn each_trace_gets_its_own_scope_among_many() {
    let shape = shapes::otlp_scope_and_trace_per_span(3000);
    let set = read_bytes(&shape.json).unwrap();
    assert_eq!(set.traces.len(), 3000);
    for t in &set.traces {
        let scope = &t.scopes[t.spans[0].scope as usize];
        let n = u64::from_str_radix(&t.trace_id_string(), 16).unwrap();
        assert_eq!(t.str(scope.name), format!("scope-{}", n - 1));
    }
}

#[test]
fn the_production_like_trace_reads_whole_in_every_format() {
    let shape = shapes::realistic_jaeger(3000);
    let set = read_bytes(&shape.json).unwrap();
    let t = &set.traces[0];
    assert_eq!((set.traces.len(), t.spans.len()), (1, 3000));
    assert_eq!(t.trace_id_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
    // One root; every other span found its parent; deep chains and wide fan-outs.
    assert_eq!((t.roots.len(), t.stats.orphans), (1, 0));
    assert!(t.stats.max_depth > 30, "depth {}", t.stats.max_depth);
    let widest = t.spans.iter().map(|s| s.children.len).max().unwrap();
    assert!(widest > 50, "widest fan-out {widest}");
    assert!(t.service_counts().len() > 150);
    // Escapes and multi-byte text come out decoded.
    let values: Vec<String> = t
        .attrs
        .iter()
        .map(|a| t.value_text(&a.value))
        .filter(|v| v.starts_with("SELECT"))
        .collect();
    assert!(values.iter().all(|v| v.contains(r#"o.status = "open""#) && v.contains("'José%'")));
    let stack = t
        .events
        .iter()
        .flat_map(|e| &t.attrs[e.attrs.as_range()])
        .find(|a| t.str(a.key) == "stack");
    assert!(t
        .value_text(&stack.expect("a stack trace").value)
        .contains("timed out\n\tat java.base"));
    assert!(t.spans.iter().any(|s| t.str(s.name) == "kafka.produce «orders»"));
    // The same model through the other formats' writers and readers. OTLP names each
    // resource's service in an attribute, which Jaeger keeps in `serviceName`.
    let mut otlp = Vec::new();
    write_traces(&set.traces, OutputFormat::Otlp, &mut otlp).unwrap();
    let again = read_bytes(&otlp).unwrap();
    let u = &again.traces[0];
    assert_eq!((u.spans.len(), u.events.len()), (3000, t.events.len()));
    assert_eq!(u.attrs.len(), t.attrs.len() + t.resources.len());
    let mut zipkin = Vec::new();
    write_traces(&set.traces, OutputFormat::Zipkin, &mut zipkin).unwrap();
    let again = read_bytes(&zipkin).unwrap();
    let named = |t: &spanscope_core::Trace| -> Vec<(String, usize)> {
        t.service_counts().into_iter().map(|(s, n)| (t.str(s).to_string(), n)).collect()
    };
    assert_eq!(again.traces[0].spans.len(), 3000);
    assert_eq!(named(&again.traces[0]), named(t));
}
