//! The waterfall's rows: spans in depth-first order, minus the subtrees of collapsed spans.
//!
//! Built for a million spans: collapse state is one bit per span, each span knows where its
//! subtree ends in pre-order, so the visible list is rebuilt by jumping over collapsed
//! subtrees in one linear pass with no recursion.

use crate::model::{Trace, NO_SPAN};

#[derive(Debug, Clone)]
pub struct RowModel {
    /// Position of each span in `Trace::preorder`.
    position: Vec<u32>,
    /// For each pre-order position, the position just past its subtree.
    subtree_end: Vec<u32>,
    collapsed: Vec<bool>,
    /// "Show only matches": spans kept (matches and their ancestors), ignoring collapse.
    only: Option<Vec<bool>>,
    /// Span indices of the visible rows, top to bottom.
    visible: Vec<u32>,
}

impl RowModel {
    pub fn new(trace: &Trace) -> RowModel {
        let n = trace.preorder.len();
        let mut position = vec![0u32; trace.spans.len()];
        for (pos, &span) in trace.preorder.iter().enumerate() {
            position[span as usize] = pos as u32;
        }
        // A subtree ends where the next span of the same or a shallower depth starts; walking
        // backwards with a stack of open positions finds every end in one pass.
        let mut subtree_end = vec![n as u32; n];
        let mut open: Vec<u32> = Vec::new();
        for (pos, &span) in trace.preorder.iter().enumerate() {
            let depth = trace.spans[span as usize].depth;
            while let Some(&top) = open.last() {
                let top_depth = trace.spans[trace.preorder[top as usize] as usize].depth;
                if top_depth >= depth {
                    subtree_end[top as usize] = pos as u32;
                    open.pop();
                } else {
                    break;
                }
            }
            open.push(pos as u32);
        }
        let mut model = RowModel {
            position,
            subtree_end,
            collapsed: vec![false; trace.spans.len()],
            only: None,
            visible: Vec::new(),
        };
        model.rebuild(trace);
        model
    }

    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    pub fn is_collapsed(&self, span: u32) -> bool {
        self.collapsed.get(span as usize).copied().unwrap_or(false)
    }

    /// Number of spans in the subtree below `span` (not counting it).
    pub fn descendants(&self, span: u32) -> u32 {
        let pos = self.position[span as usize];
        self.subtree_end[pos as usize] - pos - 1
    }

    /// Row index of a span, if it is visible.
    pub fn row_of(&self, span: u32) -> Option<usize> {
        self.visible.iter().position(|&s| s == span)
    }

    pub fn set_collapsed(&mut self, trace: &Trace, span: u32, collapsed: bool) {
        if let Some(c) = self.collapsed.get_mut(span as usize) {
            *c = collapsed
                && self.subtree_end[self.position[span as usize] as usize]
                    > self.position[span as usize] + 1;
        }
        self.rebuild(trace);
    }

    pub fn toggle(&mut self, trace: &Trace, span: u32) {
        let now = self.is_collapsed(span);
        self.set_collapsed(trace, span, !now);
    }

    /// Collapses or expands a span and everything below it.
    pub fn set_subtree(&mut self, trace: &Trace, span: u32, collapsed: bool) {
        let pos = self.position[span as usize] as usize;
        for &s in &trace.preorder[pos..self.subtree_end[pos] as usize] {
            let has_children = trace.spans[s as usize].children.len > 0;
            self.collapsed[s as usize] = collapsed && has_children;
        }
        self.rebuild(trace);
    }

    pub fn expand_all(&mut self, trace: &Trace) {
        self.collapsed.iter_mut().for_each(|c| *c = false);
        self.rebuild(trace);
    }

    /// Shows spans down to `depth` (1 = roots only) and collapses the rest.
    pub fn expand_to_depth(&mut self, trace: &Trace, depth: u32) {
        for (i, s) in trace.spans.iter().enumerate() {
            self.collapsed[i] = s.depth >= depth && s.children.len > 0;
        }
        self.rebuild(trace);
    }

    /// Makes a span visible by expanding its ancestors.
    pub fn reveal(&mut self, trace: &Trace, span: u32) {
        let mut p = trace.spans[span as usize].parent;
        while p != NO_SPAN {
            self.collapsed[p as usize] = false;
            p = trace.spans[p as usize].parent;
        }
        self.rebuild(trace);
    }

    /// Shows only `spans` and their ancestors (None shows the normal tree again).
    pub fn show_only(&mut self, trace: &Trace, spans: Option<&[u32]>) {
        self.only = spans.map(|spans| {
            let mut keep = vec![false; trace.spans.len()];
            for &s in spans {
                let mut cur = s;
                // Stop at the first ancestor already kept: each span is marked once.
                while cur != NO_SPAN && !keep[cur as usize] {
                    keep[cur as usize] = true;
                    cur = trace.spans[cur as usize].parent;
                }
            }
            keep
        });
        self.rebuild(trace);
    }

    pub fn showing_only(&self) -> bool {
        self.only.is_some()
    }

    fn rebuild(&mut self, trace: &Trace) {
        self.visible.clear();
        if let Some(keep) = &self.only {
            self.visible.extend(trace.preorder.iter().copied().filter(|&s| keep[s as usize]));
            return;
        }
        let n = trace.preorder.len();
        let mut pos = 0usize;
        while pos < n {
            let span = trace.preorder[pos];
            self.visible.push(span);
            pos = if self.collapsed[span as usize] {
                self.subtree_end[pos] as usize
            } else {
                pos + 1
            };
        }
    }
}
