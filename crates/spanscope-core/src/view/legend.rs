//! Which services a list shows when a trace has too many to list: a trace with a service
//! per span (300,000 of them) must not become 300,000 DOM nodes. The busiest ones are shown,
//! in their usual (name) order, and the rest are counted.

/// Of `counts` (span counts, in display order), the positions of at most `limit` busiest
/// (ties: the earlier one), in display order, and how many were left out.
pub fn busiest(counts: &[usize], limit: usize) -> (Vec<usize>, usize) {
    if counts.len() <= limit {
        return ((0..counts.len()).collect(), 0);
    }
    // Busiest first, ties by position: plain integer pairs, so this shares the app's one
    // sort of `(u64, u32)` instead of adding a selection of its own to the wasm.
    let mut keyed: Vec<(u64, u32)> =
        counts.iter().enumerate().map(|(i, &n)| (!(n as u64), i as u32)).collect();
    keyed.sort_unstable();
    let mut shown: Vec<usize> = keyed[..limit].iter().map(|&(_, i)| i as usize).collect();
    crate::sort::sort(&mut shown);
    (shown, counts.len() - limit)
}

#[cfg(test)]
mod tests {
    use super::busiest;

    #[test]
    fn keeps_the_busiest_in_display_order() {
        assert_eq!(busiest(&[3, 1, 2], 5), (vec![0, 1, 2], 0));
        assert_eq!(busiest(&[1, 9, 1, 7, 1, 8], 3), (vec![1, 3, 5], 3));
        // Ties go to the earlier service.
        assert_eq!(busiest(&[1, 1, 1, 1], 2), (vec![0, 1], 2));
        let many: Vec<usize> = (0..300_000).map(|i| i % 7).collect();
        let (shown, hidden) = busiest(&many, 40);
        assert_eq!((shown.len(), hidden), (40, 299_960));
        assert!(shown.iter().all(|&i| many[i] == 6));
    }
}
