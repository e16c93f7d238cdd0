//! Where readers put spans: groups them by trace id into [`TraceDraft`]s and finishes each,
//! through `tree`, into a checked [`Trace`].

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::draft::TraceDraft;
use crate::ids::TraceId;
use crate::intern::Interner;
use crate::model::*;

/// Collects spans from one input and groups them by trace.
#[derive(Debug, Default)]
pub struct TraceSetBuilder {
    pub strings: Interner,
    drafts: Vec<TraceDraft>,
    by_key: FxHashMap<u128, usize>,
    last: Option<(u128, usize)>,
    pub warnings: Vec<String>,
    /// Items a reader met that are not of its format (a Jaeger trace in a Zipkin array, a
    /// Zipkin span among OTLP lines) and skipped: the caller reads them another way or says so.
    pub foreign_items: usize,
}

impl TraceSetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The draft for `trace_id`, created on first use. Zipkin groups by the lower 64 bits, so a
    /// 64-bit and a 128-bit id with the same lower half are one trace (as Zipkin does); the
    /// 128-bit form is kept for display.
    pub fn trace(&mut self, trace_id: TraceId, format: Format) -> (&mut Interner, &mut TraceDraft) {
        let key = match format {
            Format::ZipkinV1 | Format::ZipkinV2 => trace_id.low64() as u128,
            _ => trace_id.value,
        };
        let index = match self.last {
            Some((k, i)) if k == key => i,
            _ => {
                let next = self.drafts.len();
                let i = *self.by_key.entry(key).or_insert(next);
                if i == next {
                    self.drafts.push(TraceDraft::new(trace_id, format));
                }
                self.last = Some((key, i));
                i
            }
        };
        let draft = &mut self.drafts[index];
        if trace_id.wide && !draft.trace_id.wide {
            draft.trace_id = trace_id;
        }
        if draft.format == Format::ZipkinV2 && format == Format::ZipkinV1 {
            draft.format = Format::ZipkinV1;
        }
        (&mut self.strings, draft)
    }

    /// Drafts in order of first appearance (readers use this to fill in deferred resources).
    pub fn drafts_mut(&mut self) -> (&mut Interner, &mut [TraceDraft]) {
        (&mut self.strings, &mut self.drafts)
    }

    pub fn span_count(&self) -> usize {
        self.drafts.iter().map(|d| d.spans.len()).sum()
    }

    pub fn finish(mut self) -> TraceSet {
        let drafts = std::mem::take(&mut self.drafts);
        let mut finished: Vec<_> = drafts
            .into_iter()
            .filter(|d| !d.spans.is_empty())
            .map(|d| crate::tree::resolve(d, &mut self.strings))
            .collect();
        let strings = Arc::new(self.strings);
        let traces = finished
            .drain(..)
            .map(|(draft, tree)| tree.into_trace(draft, strings.clone()))
            .collect();
        TraceSet { traces, warnings: self.warnings }
    }
}
