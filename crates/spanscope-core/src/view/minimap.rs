//! The minimap's level of detail: the whole trace drawn in `bands × columns` cells no matter
//! how many spans it has. Each band covers a run of rows (in expanded pre-order); a cell is
//! set when any span of the band covers that pixel column, and marks an error when an error
//! span does. Drawing is then one rectangle per run of set cells, never one call per span.

use crate::model::Trace;

#[derive(Debug, Clone, PartialEq)]
pub struct MinimapCells {
    pub bands: usize,
    pub columns: usize,
    /// `bands × columns`, row-major: 0 empty, 1 span, 2 error span.
    pub cells: Vec<u8>,
}

impl MinimapCells {
    pub fn get(&self, band: usize, column: usize) -> u8 {
        self.cells[band * self.columns + column]
    }

    /// Runs `(band, first column, length, kind)` of equal non-empty cells: what gets drawn.
    pub fn runs(&self) -> Vec<(usize, usize, usize, u8)> {
        let mut out = Vec::new();
        for band in 0..self.bands {
            let row = &self.cells[band * self.columns..(band + 1) * self.columns];
            let mut c = 0;
            while c < row.len() {
                let kind = row[c];
                let start = c;
                while c < row.len() && row[c] == kind {
                    c += 1;
                }
                if kind != 0 {
                    out.push((band, start, c - start, kind));
                }
            }
        }
        out
    }
}

pub fn cells(trace: &Trace, bands: usize, columns: usize) -> MinimapCells {
    cells_where(trace, bands, columns, |_| true)
}

/// Like [`cells`], counting only spans for which `keep` is true (search matches), so they can
/// be drawn over the whole-trace picture.
pub fn cells_where(
    trace: &Trace,
    bands: usize,
    columns: usize,
    keep: impl Fn(u32) -> bool,
) -> MinimapCells {
    let bands = bands.max(1);
    let columns = columns.max(1);
    let mut cells = vec![0u8; bands * columns];
    let n = trace.preorder.len().max(1);
    let start = trace.stats.start_ns;
    let duration = trace.duration_ns().max(1) as f64;
    for (row, &i) in trace.preorder.iter().enumerate() {
        if !keep(i) {
            continue;
        }
        let s = &trace.spans[i as usize];
        let band = row * bands / n;
        let a = (((s.start_ns - start) as f64 / duration) * columns as f64)
            .floor()
            .clamp(0.0, (columns - 1) as f64) as usize;
        let b = (((s.end_ns() - start) as f64 / duration) * columns as f64)
            .ceil()
            .clamp(a as f64 + 1.0, columns as f64) as usize;
        let kind = if s.is_error() { 2 } else { 1 };
        for cell in &mut cells[band * columns + a..band * columns + b] {
            *cell = (*cell).max(kind);
        }
    }
    MinimapCells { bands, columns, cells }
}

/// The cells the critical path's sections cover, each in its span's band: drawn over the
/// picture as Jaeger UI draws it over its minimap.
pub fn critical_cells(
    trace: &Trace,
    sections: &[crate::analysis::Section],
    bands: usize,
    columns: usize,
) -> MinimapCells {
    let bands = bands.max(1);
    let columns = columns.max(1);
    let mut cells = vec![0u8; bands * columns];
    let n = trace.preorder.len().max(1);
    let mut row_of = vec![0u32; trace.spans.len()];
    for (row, &i) in trace.preorder.iter().enumerate() {
        row_of[i as usize] = row as u32;
    }
    let start = trace.stats.start_ns;
    let duration = trace.duration_ns().max(1) as f64;
    let column = |ns: i64| ((ns - start) as f64 / duration) * columns as f64;
    for s in sections {
        let band = row_of[s.span as usize] as usize * bands / n;
        let a = column(s.start_ns).floor().clamp(0.0, (columns - 1) as f64) as usize;
        let b = column(s.end_ns).ceil().clamp(a as f64 + 1.0, columns as f64) as usize;
        cells[band * columns + a..band * columns + b].fill(1);
    }
    MinimapCells { bands, columns, cells }
}
