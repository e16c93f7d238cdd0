//! Which services a list shows when a trace has too many to list: a trace with a service
//! per span (300,000 of them) must not become 300,000 DOM nodes. The busiest ones are shown,
//! in their usual (name) order, and the rest are counted.

/// Of `counts` (span counts, in display order), the positions of at most `limit` busiest
/// (ties: the earlier one), in display order, and how many were left out.
pub fn busiest(counts: &[usize], limit: usize) -> (Vec<usize>, usize) {
    if counts.len() <= limit {
        return ((0..counts.len()).collect(), 0);
    }
    let mut order: Vec<usize> = (0..counts.len()).collect();
    // Partial selection: O(n), not a full sort of every service.
    order.select_nth_unstable_by(limit, |&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    let mut shown = order[..limit].to_vec();
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
