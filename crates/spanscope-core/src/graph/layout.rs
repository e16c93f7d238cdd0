//! A layered (Sugiyama-style) layout, deterministic and cycle-safe: cycles are broken by
//! reversing DFS back edges, nodes are layered by longest path, layers are ordered by
//! barycenter sweeps to reduce crossings, and coordinates place layers left to right.

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Centre of each node, in layout units (one unit ≈ one CSS pixel at zoom 1).
    pub positions: Vec<(f64, f64)>,
    pub layer: Vec<usize>,
    pub width: f64,
    pub height: f64,
}

pub const LAYER_GAP: f64 = 220.0;
pub const ROW_GAP: f64 = 64.0;

/// Lays out `n` nodes with directed `edges` (from, to).
pub fn layered(n: usize, edges: &[(usize, usize)]) -> Layout {
    let edges: Vec<(usize, usize)> = edges.iter().copied().filter(|(a, b)| a != b && *a < n && *b < n).collect();
    let acyclic = break_cycles(n, &edges);
    let layer = longest_path_layers(n, &acyclic);
    let layers = layer.iter().copied().max().map(|m| m + 1).unwrap_or(0);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for v in 0..n {
        order[layer[v]].push(v);
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &acyclic {
        succs[a].push(b);
        preds[b].push(a);
    }
    let mut pos = vec![0usize; n];
    let refresh = |order: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
        for l in order {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    refresh(&order, &mut pos);
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down { (1..layers).collect() } else { (0..layers.saturating_sub(1)).rev().collect() };
        for l in range {
            let neighbours = if down { &preds } else { &succs };
            let mut keyed: Vec<(f64, usize, usize)> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    let bary = if ns.is_empty() { pos[v] as f64 } else { ns.iter().map(|&u| pos[u] as f64).sum::<f64>() / ns.len() as f64 };
                    (bary, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            order[l] = keyed.into_iter().map(|k| k.2).collect();
            refresh(&order, &mut pos);
        }
    }
    let tallest = order.iter().map(Vec::len).max().unwrap_or(0);
    let mut positions = vec![(0.0, 0.0); n];
    for (l, nodes) in order.iter().enumerate() {
        let offset = (tallest - nodes.len()) as f64 * ROW_GAP / 2.0;
        for (i, &v) in nodes.iter().enumerate() {
            positions[v] = (l as f64 * LAYER_GAP, offset + i as f64 * ROW_GAP);
        }
    }
    Layout { positions, layer, width: layers.saturating_sub(1) as f64 * LAYER_GAP, height: tallest.saturating_sub(1) as f64 * ROW_GAP }
}

/// Reverses the back edges of an iterative DFS (in node order), giving a DAG.
fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        succ[a].push(b);
    }
    for s in succ.iter_mut() {
        s.sort_unstable();
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
    let mut out: Vec<(usize, usize)> = edges.iter().map(|&(a, b)| if back.contains(&(a, b)) { (b, a) } else { (a, b) }).collect();
    out.sort_unstable();
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
    let mut ready: std::collections::VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
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
