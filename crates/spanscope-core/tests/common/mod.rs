//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod built;

use std::path::PathBuf;

use spanscope_core::model::{AttrValue, Span, Trace};
use spanscope_core::{read_bytes, ReadError, TraceSet};

/// A reference file from real projects, copied into the repository: `tests/data/refdata/`
/// (sources and licenses in its `SOURCES.md` files).
pub fn refdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/refdata").join(rel)
}

pub fn fixture(name: &str) -> PathBuf {
    // From any crate of the workspace: the fixtures live with the core's tests.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spanscope-core/tests/fixtures").join(name)
}

pub fn read_path(path: &PathBuf) -> Result<TraceSet, ReadError> {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    read_bytes(&bytes)
}

pub fn load_ref(rel: &str) -> TraceSet {
    read_path(&refdata(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A trace of `spans` spans from the core's generator (deterministic per seed).
pub fn generated(spans: usize, seed: u64) -> TraceSet {
    spanscope_core::generate::generate(&spanscope_core::generate::GenOptions {
        spans,
        seed,
        ..Default::default()
    })
}

/// One of the app's bundled samples (`public/samples/`).
pub fn load_sample(name: &str) -> TraceSet {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/samples").join(name);
    read_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn load_fixture(name: &str) -> TraceSet {
    read_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn only_trace(set: &TraceSet) -> &Trace {
    assert_eq!(set.traces.len(), 1, "expected one trace");
    &set.traces[0]
}

pub fn span_by_name<'t>(t: &'t Trace, name: &str) -> &'t Span {
    t.spans.iter().find(|s| t.str(s.name) == name).unwrap_or_else(|| panic!("no span named {name}"))
}

pub fn span_by_id<'t>(t: &'t Trace, hex: &str) -> &'t Span {
    let i = t.find_span_by_text(hex).unwrap_or_else(|| panic!("no span {hex}"));
    &t.spans[i as usize]
}

/// A span's attribute as (type, text) for compact assertions.
pub fn attr(t: &Trace, s: &Span, key: &str) -> Option<(&'static str, String)> {
    t.span_attrs(s).iter().find(|a| t.str(a.key) == key).map(|a| {
        let kind = match a.value {
            AttrValue::Str(_) => "str",
            AttrValue::Bool(_) => "bool",
            AttrValue::Int(_) => "int",
            AttrValue::Float(_) => "float",
            AttrValue::Bytes(_) => "bytes",
            AttrValue::Json(_) => "json",
        };
        (kind, t.value_text(&a.value))
    })
}

pub fn parent_name(t: &Trace, s: &Span) -> Option<String> {
    (s.parent != u32::MAX).then(|| t.str(t.spans[s.parent as usize].name).to_string())
}
