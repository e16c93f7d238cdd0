//! One sort for the many short, cold lists (graph layout, search hits, names, attribute
//! rows). Every `sort_unstable_by` call site adds its own copy of the sort to the app's wasm
//! (3–4 KB each); these sort a permutation through one shared copy instead and then move the
//! items into place. Hot sorts (children of a million spans) stay direct.

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, unstable.
pub fn sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = permutation(items.len(), &|a, b| cmp(&items[a], &items[b]));
    apply(items, order);
}

/// Sorts `items` by `key`, unstable.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order, unstable.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The indices `0..n` in sorted order: `order[k]` is the item that belongs at `k`. Not
/// generic, so the sort exists once.
fn permutation(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

/// Moves each item to its place by following the permutation's cycles; `order` is used up.
fn apply<T>(items: &mut [T], mut order: Vec<u32>) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] as usize != start {
            let from = order[at] as usize;
            items.swap(at, from);
            order[at] = at as u32;
            at = from;
        }
        order[at] = at as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort() {
        let mut seed = 7u64;
        for n in [0usize, 1, 2, 3, 10, 100, 1000] {
            let mut items: Vec<(u8, String)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, format!("s{i}"))
                })
                .collect();
            let mut expected = items.clone();
            expected.sort();
            sort(&mut items);
            assert_eq!(items, expected);
            sort_by(&mut items, |a, b| b.cmp(a));
            expected.reverse();
            assert_eq!(items, expected);
            sort_by_key(&mut items, |x| x.1.clone());
            expected.sort_by(|a, b| a.1.cmp(&b.1));
            assert_eq!(items, expected);
        }
    }
}
