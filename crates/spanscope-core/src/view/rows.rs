//! The waterfall's rows: spans in depth-first order, minus the subtrees of collapsed spans,
//! with runs of repeated sibling calls optionally folded into one group row.
//!
//! Built for a million spans: collapse state is one bit per span, each span knows where its
//! subtree ends in pre-order, so the visible list is rebuilt by jumping over collapsed
//! subtrees (and folded groups) in one linear pass with no recursion. Rows stay in pre-order,
//! so finding a span's row is a binary search.

use crate::analysis::{sibling_groups, SiblingGroup};
use crate::model::{Trace, NO_SPAN};

/// Runs of at least this many repeated sibling calls fold into a group row.
pub const MIN_GROUP_RUN: usize = 5;
/// Traces with more spans than this start with sibling groups folded.
pub const GROUPS_ON_ABOVE: usize = 10_000;

/// One row of the waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A span, by index in `Trace::spans`.
    Span(u32),
    /// A run of repeated sibling calls, by index in `RowModel::groups`.
    Group(u32),
}

impl Row {
    /// The span of a span row (None for a group row).
    pub fn span(self) -> Option<u32> {
        match self {
            Row::Span(s) => Some(s),
            Row::Group(_) => None,
        }
    }
}

/// Rows are stored as `u32`s: a span index, or a group index with this bit set.
const GROUP_BIT: u32 = 1 << 31;
const NO_GROUP: u32 = u32::MAX;

/// Sibling groups with what the rows need of them: where each group's members (and their
/// subtrees) lie in pre-order, and which span belongs to which group.
#[derive(Debug, Clone)]
struct Grouping {
    groups: Vec<SiblingGroup>,
    /// Per group: its first member, and the pre-order position just past its last member's
    /// subtree.
    first: Vec<u32>,
    end: Vec<u32>,
    /// Per span: the group it is a member of, or `NO_GROUP`.
    group_of: Vec<u32>,
    /// Per group: whether it is shown as one row (true) or as its members.
    folded: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct RowModel {
    /// Position of each span in `Trace::preorder`.
    position: Vec<u32>,
    /// For each pre-order position, the position just past its subtree.
    subtree_end: Vec<u32>,
    collapsed: Vec<bool>,
    /// "Show only matches": spans kept (matches and their ancestors), ignoring collapse.
    only: Option<Vec<bool>>,
    /// Computed the first time grouping is turned on; `grouping_on` says whether it is used.
    grouping: Option<Grouping>,
    grouping_on: bool,
    /// The visible rows, top to bottom, encoded (see `GROUP_BIT`).
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
            grouping: None,
            grouping_on: false,
            visible: Vec::new(),
        };
        model.rebuild(trace);
        model
    }

    /// The model a trace opens with: sibling groups folded when the trace is big.
    pub fn for_trace(trace: &Trace) -> RowModel {
        let mut model = RowModel::new(trace);
        if trace.spans.len() > GROUPS_ON_ABOVE {
            model.set_grouping(trace, true);
        }
        model
    }

    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// The row at a position from the top.
    pub fn get(&self, row: usize) -> Option<Row> {
        self.visible.get(row).map(|&v| decode(v))
    }

    pub fn iter(&self) -> impl Iterator<Item = Row> + '_ {
        self.visible.iter().map(|&v| decode(v))
    }

    pub fn is_collapsed(&self, span: u32) -> bool {
        self.collapsed.get(span as usize).copied().unwrap_or(false)
    }

    /// Number of spans in the subtree below `span` (not counting it).
    pub fn descendants(&self, span: u32) -> u32 {
        let pos = self.position[span as usize];
        self.subtree_end[pos as usize] - pos - 1
    }

    /// The row of a span, if the span has a row of its own.
    pub fn row_of(&self, span: u32) -> Option<usize> {
        let row = self.row_showing(span)?;
        (self.visible[row] == span).then_some(row)
    }

    /// The pre-order positions (`Trace::preorder`) a row stands for: a span's own, its whole
    /// subtree when collapsed, a folded group's members and their subtrees.
    pub fn positions(&self, row: usize) -> std::ops::Range<u32> {
        match self.visible.get(row) {
            Some(&v) => self.start_of(v)..self.end_of(v),
            None => 0..0,
        }
    }

    /// The row that shows a span: its own, or the collapsed ancestor or folded group that
    /// holds it. None when "only matches" leaves it out. Rows are in pre-order: the last row
    /// starting at or before the span's position is the only one that can hold it.
    pub fn row_showing(&self, span: u32) -> Option<usize> {
        let pos = *self.position.get(span as usize)?;
        let after = self.visible.partition_point(|&v| self.start_of(v) <= pos);
        let row = after.checked_sub(1)?;
        (pos < self.end_of(self.visible[row])).then_some(row)
    }

    /// The pre-order position a row starts at.
    fn start_of(&self, v: u32) -> u32 {
        match (decode(v), &self.grouping) {
            (Row::Group(g), Some(gr)) => self.position[gr.first[g as usize] as usize],
            (Row::Span(s), _) | (Row::Group(s), None) => self.position[s as usize],
        }
    }

    /// The pre-order position just past what a row holds.
    fn end_of(&self, v: u32) -> u32 {
        match (decode(v), &self.grouping) {
            // An open group row holds nothing: its members have rows of their own.
            (Row::Group(g), Some(gr)) if gr.folded[g as usize] => gr.end[g as usize],
            (Row::Group(g), Some(gr)) => self.position[gr.first[g as usize] as usize],
            (Row::Span(s), _) if self.is_collapsed(s) && self.only.is_none() => {
                self.subtree_end[self.position[s as usize] as usize]
            }
            (Row::Span(s), _) | (Row::Group(s), None) => self.position[s as usize] + 1,
        }
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

    /// Makes a span visible by expanding its ancestors and opening the groups that hold it.
    pub fn reveal(&mut self, trace: &Trace, span: u32) {
        if let Some(g) = self.grouping.as_mut() {
            let mut at = span;
            while at != NO_SPAN {
                if let Some(&k) = g.group_of.get(at as usize).filter(|&&k| k != NO_GROUP) {
                    g.folded[k as usize] = false;
                }
                at = trace.spans[at as usize].parent;
            }
        }
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

    /// Turns sibling groups on or off. Groups are found the first time (linear), and each
    /// starts folded.
    pub fn set_grouping(&mut self, trace: &Trace, on: bool) {
        if on && self.grouping.is_none() {
            self.grouping = Some(self.find_groups(trace));
        }
        self.grouping_on = on;
        self.rebuild(trace);
    }

    pub fn grouping(&self) -> bool {
        self.grouping_on
    }

    /// The sibling group behind a `Row::Group`.
    pub fn group(&self, group: u32) -> Option<&SiblingGroup> {
        self.grouping.as_ref()?.groups.get(group as usize)
    }

    /// The members of a group: the spans it folds, in start order.
    pub fn group_members<'t>(&self, trace: &'t Trace, group: u32) -> &'t [u32] {
        self.group(group).map(|g| g.members(trace)).unwrap_or(&[])
    }

    pub fn is_folded(&self, group: u32) -> bool {
        self.grouping.as_ref().and_then(|g| g.folded.get(group as usize).copied()).unwrap_or(false)
    }

    /// Folds a group into one row, or shows its members.
    pub fn toggle_group(&mut self, trace: &Trace, group: u32) {
        if let Some(f) = self.grouping.as_mut().and_then(|g| g.folded.get_mut(group as usize)) {
            *f = !*f;
        }
        self.rebuild(trace);
    }

    fn find_groups(&self, trace: &Trace) -> Grouping {
        let groups = sibling_groups(trace, MIN_GROUP_RUN);
        let mut group_of = vec![NO_GROUP; trace.spans.len()];
        let (mut first, mut end) = (Vec::with_capacity(groups.len()), Vec::new());
        for (k, g) in groups.iter().enumerate() {
            let members = g.members(trace);
            for &m in members {
                group_of[m as usize] = k as u32;
            }
            first.push(members[0]);
            let last = self.position[members[members.len() - 1] as usize];
            end.push(self.subtree_end[last as usize]);
        }
        let folded = vec![true; groups.len()];
        Grouping { groups, first, end, group_of, folded }
    }

    fn rebuild(&mut self, trace: &Trace) {
        self.visible.clear();
        if let Some(keep) = &self.only {
            self.visible.extend(trace.preorder.iter().copied().filter(|&s| keep[s as usize]));
            return;
        }
        let grouping = self.grouping.as_ref().filter(|_| self.grouping_on);
        let n = trace.preorder.len();
        let mut pos = 0usize;
        while pos < n {
            let span = trace.preorder[pos];
            if let Some(g) = grouping {
                let k = g.group_of[span as usize];
                // A group's row comes before its first member; folded, it stands for all.
                if k != NO_GROUP && g.first[k as usize] == span {
                    self.visible.push(k | GROUP_BIT);
                    if g.folded[k as usize] {
                        pos = g.end[k as usize] as usize;
                        continue;
                    }
                }
            }
            self.visible.push(span);
            pos = if self.collapsed[span as usize] {
                self.subtree_end[pos] as usize
            } else {
                pos + 1
            };
        }
    }
}

fn decode(v: u32) -> Row {
    if v & GROUP_BIT != 0 {
        Row::Group(v & !GROUP_BIT)
    } else {
        Row::Span(v)
    }
}
