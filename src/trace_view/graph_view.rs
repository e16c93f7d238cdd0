//! A service graph on canvas (one trace, all loaded traces, or a backend's dependency
//! links): who calls whom, how often, with errors and latency.
//! Layered layout from the core, drawn by `graph_canvas`; drag to pan, wheel to zoom, hover
//! highlights neighbours, click shows a service's calls in and out.

use leptos::prelude::*;
use spanscope_core::format::format_duration_ns;
use spanscope_core::view::palette::css;
use spanscope_graph::export::{to_dot, to_mermaid};
use spanscope_graph::layout::{layered, radial};
use spanscope_graph::ServiceGraph;

use super::graph_canvas::{draw, fit, node_at, screen, Frame, View, MARGIN, NODE_H, NODE_W};

/// What a click on a service can lead to elsewhere in the app (provided by the shell).
#[derive(Clone, Copy)]
pub struct ServiceActions {
    /// Narrow the list of loaded traces to those through this service.
    pub traces_through: Callback<String>,
    /// Search the configured backend for traces of this service.
    pub search: Callback<String>,
}

/// Node colours come from the workspace's service colours, as in every other view.
/// `operations`, when given, is offered as the (service, operation) view of the same traces;
/// `on_highlight` marks a service or operation in the waterfall.
#[component]
pub fn GraphView(
    graph: std::sync::Arc<ServiceGraph>,
    #[prop(optional)] operations: Option<std::sync::Arc<ServiceGraph>>,
    #[prop(optional)] on_highlight: Option<Callback<String>>,
) -> impl IntoView {
    let by_operation = RwSignal::new(false);
    let radial_layout = RwSignal::new(false);
    let has_operations = operations.is_some();
    let graphs = StoredValue::new(((*graph).clone(), operations.map(|o| (*o).clone())));
    let base = Memo::new(move |_| {
        let ops = by_operation.get();
        graphs.with_value(|(services, operations)| match (ops, operations) {
            (true, Some(o)) => o.clone(),
            _ => services.clone(),
        })
    });
    let actions = use_context::<ServiceActions>();
    // What is shown: the busy core (edges of at least `min_calls`), the name filter, then
    // the focus (a node with N hops up and down).
    let min_calls = RwSignal::new(1usize);
    let filter = RwSignal::new(String::new());
    let focus = RwSignal::new(None::<(String, usize)>);
    let graph = Memo::new(move |_| {
        let min = min_calls.get();
        let text = filter.get();
        let focus = focus.get();
        base.with(|all| {
            // Without a threshold, no copy of the whole graph: `subgraph` below makes one.
            let core = (min > 1).then(|| all.busiest(min));
            let b = core.as_ref().unwrap_or(all);
            let mut keep = b.matching(&text);
            if let Some(i) = focus.as_ref().and_then(|(name, _)| b.node(name)) {
                let hops = focus.as_ref().map(|f| f.1).unwrap_or(1);
                for (k, n) in keep.iter_mut().zip(b.neighbourhood(i, hops, hops)) {
                    *k = *k && n;
                }
            }
            b.subgraph(&keep)
        })
    });
    let layout = Memo::new(move |_| {
        let radial_layout = radial_layout.get();
        graph.with(|g| {
            let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
            if radial_layout {
                radial(g.nodes.len(), &edges)
            } else {
                layered(g.nodes.len(), &edges)
            }
        })
    });
    // Node colours match the waterfall's and the legend's.
    let ws = expect_context::<crate::workspace::Workspace>();
    let colours = Memo::new(move |_| {
        graph.with(|g| {
            g.nodes
                .iter()
                .map(|n| {
                    (!n.inferred)
                        .then(|| Some(css(ws.colours.with_value(|c| c.colour(&n.service)))))
                        .flatten()
                })
                .collect::<Vec<Option<String>>>()
        })
    });
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let view = RwSignal::new(View { dx: 0.0, dy: 0.0, scale: 1.0 });
    let fitted = RwSignal::new(false);
    let hovered = RwSignal::new(None::<usize>);
    let selected = RwSignal::new(None::<usize>);
    let dragging = RwSignal::new(None::<(f64, f64, View)>);
    let export = RwSignal::new(None::<String>);
    let redraw = crate::canvas::host(canvas, move |f| {
        let v = view.get();
        let focus = hovered.get().or(selected.get());
        let (w, h) = (f.width, f.height);
        if !fitted.get_untracked() && w > 0.0 {
            fitted.set(true);
            view.set(layout.with(|l| fit(l, w, h)));
            return;
        }
        let selected = selected.get_untracked();
        graph.with(|g| {
            layout.with(|l| {
                colours.with(|colours| {
                    draw(
                        &Frame { ctx: &f.ctx, width: w, height: h, view: v, theme: f.palette },
                        g,
                        l,
                        colours,
                        focus,
                        selected,
                    )
                })
            })
        });
    });
    // Fit the graph to the canvas on the next redraw.
    let refit = move || {
        fitted.set(false);
        redraw.notify();
    };

    // A new filter or focus: fit the new graph, and keep the focused service selected.
    Effect::new(move |_| {
        graph.track();
        hovered.set(None);
        let name = focus.get_untracked().map(|f| f.0);
        selected.set(name.and_then(|n| graph.with_untracked(|g| g.node(&n))));
        refit();
    });

    let local = move |ev: &leptos::ev::MouseEvent| (ev.offset_x() as f64, ev.offset_y() as f64);
    let on_down = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = local(&ev);
        dragging.set(Some((x, y, view.get_untracked())));
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = local(&ev);
        if let Some((x0, y0, start)) = dragging.get_untracked() {
            if (x - x0).abs() + (y - y0).abs() > 3.0 {
                view.set(View {
                    dx: start.dx + (x - x0) / start.scale,
                    dy: start.dy + (y - y0) / start.scale,
                    ..start
                });
                return;
            }
        }
        let hit = layout.with(|l| node_at(l, view.get_untracked(), x, y));
        if hovered.get_untracked() != hit {
            hovered.set(hit);
        }
    };
    let on_up = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = local(&ev);
        if let Some((x0, y0, _)) = dragging.get_untracked() {
            if (x - x0).abs() + (y - y0).abs() <= 3.0 {
                selected.set(layout.with(|l| node_at(l, view.get_untracked(), x, y)));
            }
        }
        dragging.set(None);
    };
    // Zooms about the cursor: the point under it stays put.
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let factor = if ev.delta_y() > 0.0 { 0.9 } else { 1.1 };
        let (px, py) = (ev.offset_x() as f64 - MARGIN, ev.offset_y() as f64 - MARGIN);
        view.update(|v| {
            let scale = (v.scale * factor).clamp(0.1, 4.0);
            v.dx += px / scale - px / v.scale;
            v.dy += py / scale - py / v.scale;
            v.scale = scale;
        });
    };
    // Node centres on screen, for tests and tools.
    let positions = move || {
        let v = view.get();
        graph.with(|g| {
            layout.with(|l| {
                let items: Vec<String> = g
                    .nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        let (x, y) = screen(v, l.positions[i]);
                        format!(
                            "{{\"name\":{},\"x\":{},\"y\":{},\"inferred\":{}}}",
                            serde_json_escape(&n.name),
                            spanscope_core::format::fixed(x, 1),
                            spanscope_core::format::fixed(y, 1),
                            n.inferred
                        )
                    })
                    .collect();
                format!("[{}]", items.join(","))
            })
        })
    };
    let detail = move || selected.get().map(|i| graph.with(|g| node_detail(g, i)));
    let download_png = move |_| {
        if let Some(el) = canvas.get() {
            crate::download::save_png(&el, "service-graph.png");
        }
    };
    view! {
        <div class="graph-toolbar">
            <span class="hint">"Drag to pan · wheel to zoom · click a service"</span>
            <span class="hint legend-key" title="Edges: solid calls, dashed messaging, dotted span links; the redder, the higher the error rate. Dashed boxes are inferred peers (not instrumented).">
                "— call  ‐ ‐ messaging  ··· link  "<b class="error-text">"red: errors"</b>
            </span>
            <button class="small" data-testid="export-dot" on:click=move |_| export.set(Some(graph.with(to_dot)))>"DOT"</button>
            <button class="small" data-testid="export-mermaid" on:click=move |_| export.set(Some(graph.with(to_mermaid)))>"Mermaid"</button>
            <button class="small" data-testid="export-png" on:click=download_png>"PNG"</button>
            <button class="small" on:click=move |_| refit()>"Fit"</button>
            {has_operations.then(|| view! {
                <label title="Nodes are (service, operation) pairs, with their self time">
                    <input type="checkbox" data-testid="graph-operations" on:change=move |ev| { by_operation.set(event_target_checked(&ev)); focus.set(None); }/>" operations"
                </label>
            })}
            <label title="Rings around the best-connected service: easier to read for dense graphs">
                <input type="checkbox" data-testid="graph-radial" on:change=move |ev| { radial_layout.set(event_target_checked(&ev)); refit(); }/>" radial"
            </label>
            <input type="search" class="attr-filter" placeholder="filter services" data-testid="graph-filter"
                on:input=move |ev| filter.set(event_target_value(&ev))/>
            <label title="Hide calls made fewer times than this, and the services only they connect">"min calls "
                <input type="number" class="short" min="1" value="1" data-testid="graph-min-calls"
                    on:change=move |ev| min_calls.set(event_target_value(&ev).trim().parse::<usize>().unwrap_or(1).max(1))/>
            </label>
            <span class="hint" data-testid="graph-count">{move || {
                let (shown, edges) = graph.with(|g| (g.nodes.len(), g.edges.len()));
                let total = base.with(|b| b.nodes.len());
                let what = if by_operation.get() { "operations" } else { "services" };
                if shown == total { format!("{shown} {what}, {edges} edges") } else { format!("{shown} of {total} {what}, {edges} edges") }
            }}</span>
            <button class="small" data-testid="graph-show-all" class:hidden=move || focus.get().is_none() on:click=move |_| focus.set(None)>"Show all services"</button>
        </div>
        {move || export.get().map(|text| view! { <textarea class="graph-export" data-testid="graph-export" readonly rows="8">{text}</textarea> })}
        <div class="trace-body">
            <canvas class="service-graph" data-testid="service-graph" data-nodes=positions data-node-size=format!("{NODE_W} {NODE_H}") data-scale=move || spanscope_core::format::fixed(view.get().scale, 4) node_ref=canvas
                on:mousedown=on_down on:mousemove=on_move on:mouseup=on_up
                on:mouseleave=move |_| { dragging.set(None); hovered.set(None); } on:wheel=on_wheel></canvas>
            <aside class="span-detail" data-testid="graph-detail">
                {move || match detail() {
                    None => view! { <p class="hint">"Click a service to see its calls."</p> }.into_any(),
                    Some((title, rows)) => view! {
                        <h3>{title.clone()}</h3>
                        <p>"Focus: "{[1usize, 2, 3].into_iter().map(|hops| {
                            let name = title.clone();
                            view! { <button class="small" data-testid=format!("graph-focus-{hops}") on:click=move |_| focus.set(Some((name.clone(), hops)))>
                                {format!("±{hops} hop{}", if hops == 1 { "" } else { "s" })}</button>" " }
                        }).collect_view()}</p>
                        {
                            let service = graph.with_untracked(|g| selected.get_untracked().and_then(|i| g.nodes.get(i)).map(|n| n.service.clone())).unwrap_or_default();
                            let operation = title.split_once(" · ").map(|(_, op)| op.to_string());
                            let highlight = operation.clone().unwrap_or_else(|| service.clone());
                            let (s1, s2) = (service.clone(), service.clone());
                            view! {
                                <p class="graph-actions">
                                    {on_highlight.map(|cb| view! { <button class="small" data-testid="graph-highlight" on:click=move |_| cb.run(highlight.clone())>"Highlight in waterfall"</button>" " })}
                                    {actions.map(|a| view! {
                                        <button class="small" data-testid="graph-traces-through" on:click=move |_| a.traces_through.run(s1.clone())>"Loaded traces through it"</button>" "
                                        <button class="small" data-testid="graph-search" on:click=move |_| a.search.run(s2.clone())>"Search the backend"</button>
                                    })}
                                </p>
                            }
                        }
                        <table class="kv">{rows.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}</table>
                    }.into_any(),
                }}
            </aside>
        </div>
    }
}

fn serde_json_escape(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn node_detail(g: &ServiceGraph, i: usize) -> (String, Vec<(String, String)>) {
    let n = &g.nodes[i];
    let d = format_duration_ns;
    let mut rows = vec![
        (
            "Kind".to_string(),
            if n.inferred {
                "inferred (not instrumented)".to_string()
            } else {
                "service".to_string()
            },
        ),
        ("Spans".to_string(), n.spans.to_string()),
        ("Errors".to_string(), n.errors.to_string()),
        (
            "Latency p50 / p95 / max".to_string(),
            format!("{} / {} / {}", d(n.latency.p50), d(n.latency.p95), d(n.latency.max)),
        ),
    ];
    if !n.inferred && n.spans > 0 {
        rows.push(("Self time (sum)".to_string(), d(n.self_ns)));
    }
    for e in g.edges.iter().filter(|e| e.to == i) {
        rows.push((
            format!("← from {}", g.nodes[e.from].name),
            format!("{} calls, {} errors, p95 {}", e.calls, e.errors, d(e.latency.p95)),
        ));
    }
    for e in g.edges.iter().filter(|e| e.from == i) {
        rows.push((
            format!("→ to {}", g.nodes[e.to].name),
            format!("{} calls, {} errors, p95 {}", e.calls, e.errors, d(e.latency.p95)),
        ));
    }
    (n.name.clone(), rows)
}
