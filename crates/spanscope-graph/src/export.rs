//! Graph export as Graphviz DOT and Mermaid text.

use super::model::{EdgeKind, ServiceGraph};

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn to_dot(g: &ServiceGraph) -> String {
    let mut out =
        String::from("digraph services {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let style = if n.inferred { ", style=\"rounded,dashed\"" } else { "" };
        out.push_str(&format!("  n{i} [label={}{style}];\n", quote(&n.name)));
    }
    for e in &g.edges {
        let style = match e.kind {
            EdgeKind::Call => "",
            EdgeKind::Messaging => ", style=dashed",
            EdgeKind::Link => ", style=dotted",
        };
        let errors = if e.errors > 0 { format!(" ({} errors)", e.errors) } else { String::new() };
        out.push_str(&format!(
            "  n{} -> n{} [label=\"{}{errors}\"{style}];\n",
            e.from, e.to, e.calls
        ));
    }
    out.push_str("}\n");
    out
}

pub fn to_mermaid(g: &ServiceGraph) -> String {
    // Mermaid labels cannot contain quotes or brackets; replace them.
    let label = |s: &str| s.replace(['"', '[', ']', '(', ')', '{', '}', '|'], "_");
    let mut out = String::from("graph LR\n");
    for (i, n) in g.nodes.iter().enumerate() {
        if n.inferred {
            out.push_str(&format!("  n{i}([\"{}\"])\n", label(&n.name)));
        } else {
            out.push_str(&format!("  n{i}[\"{}\"]\n", label(&n.name)));
        }
    }
    for e in &g.edges {
        let arrow = match e.kind {
            EdgeKind::Call => "-->",
            EdgeKind::Messaging | EdgeKind::Link => "-.->",
        };
        out.push_str(&format!("  n{} {arrow}|{}| n{}\n", e.from, e.calls, e.to));
    }
    out
}
