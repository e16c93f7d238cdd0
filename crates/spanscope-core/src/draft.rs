//! A trace being read: the model's flat arrays, filled by a reader, before `tree` resolves
//! parents and order into a checked [`Trace`](crate::model::Trace).

use rustc_hash::FxHashMap;

use crate::ids::TraceId;
use crate::intern::Sym;
use crate::model::*;

/// A trace being read: the model's arrays, before the tree is resolved.
#[derive(Debug)]
pub struct TraceDraft {
    pub trace_id: TraceId,
    pub format: Format,
    pub spans: Vec<Span>,
    pub attrs: Vec<Attribute>,
    pub events: Vec<Event>,
    pub links: Vec<Link>,
    pub resources: Vec<Resource>,
    pub scopes: Vec<Scope>,
    pub span_warnings: Vec<TextRef>,
    pub text: String,
    pub warnings: Vec<String>,
    /// Resources by a reader-chosen key (Jaeger process id, Zipkin endpoint), so spans that
    /// name the same one share it.
    pub resource_keys: FxHashMap<String, u32>,
    /// Jaeger resources by (trace object, interned process id): no string building per span.
    pub process_keys: FxHashMap<(u32, Sym), u32>,
    /// Scopes by a reader-chosen key (OTLP scopeSpans position).
    pub scope_keys: FxHashMap<String, u32>,
    /// Original text of ids that were not hex (kept for display and Jaeger output).
    pub id_text: FxHashMap<u64, Box<str>>,
    pub trace_id_text: Option<Box<str>>,
    /// Resources whose definition has not been seen yet (Jaeger `processes` may follow `spans`).
    pub unresolved_resources: usize,
}

impl TraceDraft {
    pub(crate) fn new(trace_id: TraceId, format: Format) -> Self {
        TraceDraft {
            trace_id,
            format,
            spans: Vec::new(),
            attrs: Vec::new(),
            events: Vec::new(),
            links: Vec::new(),
            resources: Vec::new(),
            scopes: vec![Scope::default()],
            span_warnings: Vec::new(),
            text: String::new(),
            warnings: Vec::new(),
            resource_keys: FxHashMap::default(),
            scope_keys: FxHashMap::default(),
            process_keys: FxHashMap::default(),
            id_text: FxHashMap::default(),
            trace_id_text: None,
            unresolved_resources: 0,
        }
    }

    /// Copies a string into the trace's text arena.
    pub fn push_text(&mut self, s: &str) -> TextRef {
        let offset = self.text.len();
        if offset + s.len() > u32::MAX as usize {
            return TextRef::default();
        }
        self.text.push_str(s);
        TextRef { offset: offset as u32, len: s.len() as u32 }
    }

    pub fn text(&self, r: TextRef) -> &str {
        let start = r.offset as usize;
        self.text.get(start..start + r.len as usize).unwrap_or("")
    }

    pub fn push_attr(&mut self, key: Sym, value: AttrValue) {
        self.attrs.push(Attribute { key, value });
    }

    pub fn push_str_attr(&mut self, key: Sym, value: &str) {
        let text = self.push_text(value);
        self.attrs.push(Attribute { key, value: AttrValue::Str(text) });
    }

    pub fn push_span_warning(&mut self, warning: &str) {
        let text = self.push_text(warning);
        self.span_warnings.push(text);
    }

    /// Resource for `key`, created empty (service to be filled in) when first seen.
    pub fn resource_for_key(&mut self, key: &str) -> (u32, bool) {
        if let Some(&index) = self.resource_keys.get(key) {
            return (index, false);
        }
        let index = self.resources.len() as u32;
        self.resources.push(Resource::default());
        self.resource_keys.insert(key.to_string(), index);
        (index, true)
    }

    /// Resource for a Jaeger process id within one trace object, created empty when first seen.
    pub fn resource_for_process(&mut self, object: u32, pid: Sym) -> (u32, bool) {
        if let Some(&index) = self.process_keys.get(&(object, pid)) {
            return (index, false);
        }
        let index = self.resources.len() as u32;
        self.resources.push(Resource::default());
        self.process_keys.insert((object, pid), index);
        (index, true)
    }

    /// Scope for `key`, created empty when first seen.
    pub fn scope_for_key(&mut self, key: &str) -> u32 {
        if let Some(&index) = self.scope_keys.get(key) {
            return index;
        }
        let index = self.scopes.len() as u32;
        self.scopes.push(Scope::default());
        self.scope_keys.insert(key.to_string(), index);
        index
    }

    pub fn attr_range_since(&self, start: usize) -> Range32 {
        Range32::new(start, self.attrs.len())
    }
}
