//! A layered (Sugiyama-style) layout, deterministic and cycle-safe: cycles are broken by
//! reversing DFS back edges, nodes are layered by longest path, edges that skip layers get
//! a waypoint in every layer they cross (so they are ordered with the nodes and never run
//! under a box), layers are ordered by barycenter sweeps to reduce crossings (the order with
//! the fewest crossings seen is kept), and coordinates place layers left to right.

use spanscope_core::sort;
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Centre of each node, in layout units (one unit ≈ one CSS pixel at zoom 1).
    pub positions: Vec<(f64, f64)>,
    pub layer: Vec<usize>,
    /// For each input edge, the points it passes between its ends (one per layer it
    /// skips), in order from its `from` node to its `to` node; empty for edges between
    /// neighbouring layers, and for the longest edges of dense graphs (drawn directly).
    pub routes: Vec<Vec<(f64, f64)>>,
    pub width: f64,
    pub height: f64,
}

/// Waypoints allowed per node, and at least: every long edge of a small or sparse graph
/// is routed.
pub const WAYPOINT_BUDGET_PER_NODE: usize = 2;
pub const MIN_WAYPOINT_BUDGET: usize = 1000;
pub const LAYER_GAP: f64 = 220.0;
pub const ROW_GAP: f64 = 64.0;

/// Lays out `n` nodes with directed `edges` (from, to).
pub fn layered(n: usize, edges: &[(usize, usize)]) -> Layout {
    let valid = |&(a, b): &(usize, usize)| drawable(n, (a, b));
    let kept: Vec<(usize, usize)> = edges.iter().copied().filter(valid).collect();
    let acyclic = break_cycles(n, &kept);
    let layer = longest_path_layers(n, &acyclic);
    // Edges that skip layers become chains through waypoint nodes (ids n, n + 1, ...), one
    // per layer in between; `chains` maps an acyclic edge to its waypoints. Shorter edges
    // first, within a budget: in a dense graph (large.json: 157k waypoints for 1,238
    // services) routing every long edge would make the layers hundreds of rows taller.
    let mut by_span: Vec<(usize, usize, usize)> =
        acyclic.iter().map(|&(a, b)| (layer[b] - layer[a], a, b)).collect();
    sort::sort(&mut by_span);
    let mut budget = (WAYPOINT_BUDGET_PER_NODE * n).max(MIN_WAYPOINT_BUDGET);
    let mut node_layer = layer.clone();
    let mut chains: std::collections::HashMap<(usize, usize), Vec<usize>> = Default::default();
    let mut short: Vec<(usize, usize)> = Vec::new();
    for (span, a, b) in by_span {
        let routed = span > 1 && span - 1 <= budget;
        if !routed {
            short.push((a, b));
            continue;
        }
        budget -= span - 1;
        let mut prev = a;
        let mut waypoints = Vec::new();
        for l in layer[a] + 1..layer[b] {
            let w = node_layer.len();
            node_layer.push(l);
            short.push((prev, w));
            waypoints.push(w);
            prev = w;
        }
        short.push((prev, b));
        if !waypoints.is_empty() {
            chains.insert((a, b), waypoints);
        }
    }
    let total = node_layer.len();
    let layers = layer.iter().copied().max().map(|m| m + 1).unwrap_or(0);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for v in 0..total {
        order[node_layer[v]].push(v);
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); total];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); total];
    for &(a, b) in &short {
        succs[a].push(b);
        preds[b].push(a);
    }
    let mut pos = vec![0usize; total];
    let refresh = |order: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
        for l in order {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    refresh(&order, &mut pos);
    let mut best = (adjacent_crossings(&pos, &node_layer, &short), order.clone());
    for sweep in 0..8 {
        if best.0 == 0 {
            break;
        }
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for l in range {
            let neighbours = if down { &preds } else { &succs };
            let mut keyed: Vec<(f64, usize, usize)> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    let bary = if ns.is_empty() {
                        pos[v] as f64
                    } else {
                        ns.iter().map(|&u| pos[u] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (bary, pos[v], v)
                })
                .collect();
            sort::sort_by(&mut keyed, |a, b| {
                a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
            });
            order[l] = keyed.into_iter().map(|k| k.2).collect();
            refresh(&order, &mut pos);
        }
        let crossings = adjacent_crossings(&pos, &node_layer, &short);
        if crossings < best.0 {
            best = (crossings, order.clone());
        }
    }
    let order = best.1;
    let tallest = order.iter().map(Vec::len).max().unwrap_or(0);
    let mut all = vec![(0.0, 0.0); total];
    for (l, nodes) in order.iter().enumerate() {
        let offset = (tallest - nodes.len()) as f64 * ROW_GAP / 2.0;
        for (i, &v) in nodes.iter().enumerate() {
            all[v] = (l as f64 * LAYER_GAP, offset + i as f64 * ROW_GAP);
        }
    }
    // Each input edge's waypoints, in its own direction (a reversed back edge walks its
    // chain backwards).
    let routes = edges
        .iter()
        .map(|&(a, b)| {
            if !valid(&(a, b)) {
                return Vec::new();
            }
            if let Some(w) = chains.get(&(a, b)) {
                w.iter().map(|&v| all[v]).collect()
            } else if let Some(w) = chains.get(&(b, a)) {
                w.iter().rev().map(|&v| all[v]).collect()
            } else {
                Vec::new()
            }
        })
        .collect();
    all.truncate(n);
    Layout {
        positions: all,
        layer,
        routes,
        width: layers.saturating_sub(1) as f64 * LAYER_GAP,
        height: tallest.saturating_sub(1) as f64 * ROW_GAP,
    }
}

/// Whether an edge joins two different nodes of `n`: self-loops and out-of-range ends are
/// left out of a layout.
fn drawable(n: usize, (a, b): (usize, usize)) -> bool {
    a != b && a < n && b < n
}

/// Crossings of a layout's edges between adjacent layers (where a crossing can be told
/// from the layer order alone); longer edges are not counted.
pub fn crossings(layout: &Layout, edges: &[(usize, usize)]) -> usize {
    let n = layout.positions.len();
    // Rank within each layer, from the vertical position.
    let mut by_y: Vec<usize> = (0..n).collect();
    sort::sort_by(&mut by_y, |&a, &b| {
        layout.positions[a].1.total_cmp(&layout.positions[b].1).then(a.cmp(&b))
    });
    let mut pos = vec![0usize; n];
    for (rank, v) in by_y.into_iter().enumerate() {
        pos[v] = rank;
    }
    let forward: Vec<(usize, usize)> = edges
        .iter()
        .map(|&(a, b)| if layout.layer[a] <= layout.layer[b] { (a, b) } else { (b, a) })
        .collect();
    adjacent_crossings(&pos, &layout.layer, &forward)
}

/// Counts crossings between consecutive layers in O(E log V): for each layer pair, edges
/// sorted by their upper end; a crossing is an inversion among their lower ends (counted
/// with a Fenwick tree).
fn adjacent_crossings(pos: &[usize], layer: &[usize], edges: &[(usize, usize)]) -> usize {
    let mut by_layer: Vec<Vec<(usize, usize)>> =
        vec![Vec::new(); layer.iter().copied().max().map_or(0, |m| m + 1)];
    for &(a, b) in edges {
        if layer[b] == layer[a] + 1 {
            by_layer[layer[a]].push((pos[a], pos[b]));
        }
    }
    let size = pos.iter().copied().max().map_or(0, |m| m + 1);
    let mut tree = vec![0usize; size + 1];
    let mut total = 0;
    for pairs in by_layer.iter_mut().filter(|p| !p.is_empty()) {
        sort::sort(pairs);
        tree.iter_mut().for_each(|t| *t = 0);
        for (seen, &(_, lower)) in pairs.iter().enumerate() {
            // Edges seen so far whose lower end is strictly below this one's cross it.
            let mut not_greater = 0;
            let mut i = lower + 1;
            while i > 0 {
                not_greater += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += seen - not_greater;
            let mut i = lower + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Reverses the back edges of an iterative DFS (in node order), giving a DAG.
fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        succ[a].push(b);
    }
    for s in succ.iter_mut() {
        sort::sort(s);
        s.dedup();
    }
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut back = std::collections::HashSet::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((v, i)) = stack.pop() {
            if i < succ[v].len() {
                stack.push((v, i + 1));
                let w = succ[v][i];
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
            }
        }
    }
    let mut out: Vec<(usize, usize)> =
        edges.iter().map(|&(a, b)| if back.contains(&(a, b)) { (b, a) } else { (a, b) }).collect();
    sort::sort(&mut out);
    out.dedup();
    out
}

/// Layer = length of the longest path from a source (Kahn's order).
fn longest_path_layers(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        succ[a].push(b);
        indegree[b] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut ready: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop_front() {
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push_back(w);
            }
        }
    }
    layer
}

/// Distance between rings of the radial layout, and the least distance between neighbours
/// on a ring: both exceed a node box's diagonal, so boxes never overlap.
pub const RING_GAP: f64 = 240.0;
pub const MIN_CHORD: f64 = 190.0;

/// A radial layout for dense graphs, where layers grow too tall: each connected part around
/// its best-connected node, the others on rings by hop distance (edges taken either way),
/// each ring ordered by the angle of the node's parent so neighbours stay near. Several
/// parts share one centre ring. Deterministic: ties break by node index.
pub fn radial(n: usize, edges: &[(usize, usize)]) -> Layout {
    let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges.iter().filter(|&&e| drawable(n, e)) {
        adjacent[a].push(b);
        adjacent[b].push(a);
    }
    for list in &mut adjacent {
        sort::sort(list);
        list.dedup();
    }
    // Component centres: the highest-degree unvisited node, repeatedly.
    let mut by_degree: Vec<usize> = (0..n).collect();
    sort::sort_by_key(&mut by_degree, |&v| (std::cmp::Reverse(adjacent[v].len()), v));
    let mut ring = vec![usize::MAX; n];
    let mut parent = vec![usize::MAX; n];
    for &c in &by_degree {
        if ring[c] != usize::MAX {
            continue;
        }
        ring[c] = 0;
        let mut queue = std::collections::VecDeque::from([c]);
        while let Some(v) = queue.pop_front() {
            for &w in &adjacent[v] {
                if ring[w] == usize::MAX {
                    ring[w] = ring[v] + 1;
                    parent[w] = v;
                    queue.push_back(w);
                }
            }
        }
    }
    // With several parts, their centres share ring 0 (a circle instead of a point).
    let rings = ring.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); rings];
    for v in 0..n {
        members[ring[v]].push(v);
    }
    let mut angle = vec![0.0f64; n];
    let mut positions = vec![(0.0, 0.0); n];
    let mut previous = 0.0f64;
    for (k, ring_members) in members.iter_mut().enumerate() {
        // Order by the parent's angle, so a node sits near the one it hangs off.
        sort::sort_by(ring_members, |&a, &b| {
            let pa = if parent[a] == usize::MAX { -1.0 } else { angle[parent[a]] };
            let pb = if parent[b] == usize::MAX { -1.0 } else { angle[parent[b]] };
            pa.total_cmp(&pb).then(a.cmp(&b))
        });
        let count = ring_members.len();
        let r = if count == 1 && k == 0 {
            0.0
        } else {
            // Neighbours at least MIN_CHORD apart, rings at least RING_GAP apart.
            let for_spacing = if count > 1 {
                MIN_CHORD / (2.0 * sin_cos(std::f64::consts::PI / count as f64).0)
            } else {
                0.0
            };
            for_spacing.max(if k == 0 { 0.0 } else { previous + RING_GAP })
        };
        previous = r;
        for (i, &v) in ring_members.iter().enumerate() {
            let a = std::f64::consts::TAU * i as f64 / count.max(1) as f64;
            angle[v] = a;
            let (sin, cos) = sin_cos(a);
            positions[v] = (r * cos, r * sin);
        }
    }
    let min_x = positions.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let min_y = positions.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let (min_x, min_y) = if n == 0 { (0.0, 0.0) } else { (min_x, min_y) };
    for p in &mut positions {
        *p = (p.0 - min_x, p.1 - min_y);
    }
    let width = positions.iter().map(|p| p.0).fold(0.0, f64::max);
    let height = positions.iter().map(|p| p.1).fold(0.0, f64::max);
    Layout { positions, layer: ring, routes: vec![Vec::new(); edges.len()], width, height }
}

/// Sine and cosine of `a` (radians, within [-2π, 2π]) by series, good to 1e-11: `f64::sin`
/// and `cos` would link the standard library's argument reduction into the app (6 KB of
/// wasm) for a layout that needs neither huge angles nor the last bits.
fn sin_cos(a: f64) -> (f64, f64) {
    use std::f64::consts::{FRAC_PI_2, PI, TAU};
    let mut x = if a > PI {
        a - TAU
    } else if a < -PI {
        a + TAU
    } else {
        a
    };
    let mut cos_sign = 1.0;
    if x > FRAC_PI_2 {
        x = PI - x;
        cos_sign = -1.0;
    } else if x < -FRAC_PI_2 {
        x = -PI - x;
        cos_sign = -1.0;
    }
    let (mut sin, mut cos, mut term_s, mut term_c) = (x, 1.0, x, 1.0);
    for k in 1..=8 {
        let k = k as f64;
        term_s *= -x * x / ((2.0 * k) * (2.0 * k + 1.0));
        term_c *= -x * x / ((2.0 * k - 1.0) * (2.0 * k));
        sin += term_s;
        cos += term_c;
    }
    (sin, cos_sign * cos)
}

#[cfg(test)]
mod tests {
    #[test]
    fn series_sine_and_cosine_match_std() {
        for i in -4000..=4000 {
            let a = i as f64 * std::f64::consts::TAU / 4000.0;
            let (sin, cos) = super::sin_cos(a);
            assert!((sin - a.sin()).abs() < 1e-11 && (cos - a.cos()).abs() < 1e-11, "{a}");
        }
    }
}
