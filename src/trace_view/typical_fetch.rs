//! A baseline from a backend: the latest traces of the same endpoint (root service and
//! operation), found by one search and read here. Backends that answer a search with whole
//! traces (Jaeger, Zipkin) need one request; the others' traces are then looked up by id
//! (as the trace-id box does).

use std::sync::Arc;

use spanscope_backend::query::same_trace_id;
use spanscope_backend::{Backend, SearchQuery};
use spanscope_core::Trace;

use crate::remote::client::Client;
use crate::remote::http::Canceller;

/// How many traces a backend baseline asks for unless told otherwise.
pub const DEFAULT_LIMIT: usize = 50;

/// The endpoint's latest traces on `backend`, without the trace being rated (`exclude`),
/// and what went wrong on the way. `progress(done, of)` is told how many traces the search
/// found, and when all are read. `Err(None)`: cancelled.
pub async fn endpoint_traces(
    backend: &Backend,
    root: &(String, String),
    exclude: &str,
    limit: usize,
    canceller: &Canceller,
    progress: impl Fn(usize, usize),
) -> Result<(Vec<Arc<Trace>>, Vec<String>), Option<String>> {
    let client = Client { backend, canceller };
    let mut query = SearchQuery::for_backend(backend);
    query.service = root.0.clone();
    query.operation = root.1.clone();
    query.limit = limit as u32;
    let results = client.search(&query, crate::search::now_ns()).await.map_err(|e| e.message())?;
    let mut whole: Vec<Option<Trace>> = results.traces.into_iter().map(Some).collect();
    // A search for a service and operation also finds traces that only pass through them.
    let hits: Vec<_> = results
        .hits
        .into_iter()
        .filter(|h| (&h.root_service, &h.root_operation) == (&root.0, &root.1))
        .filter(|h| !same_trace_id(exclude, &h.trace_id))
        .collect();
    progress(0, hits.len());
    let mut traces = Vec::with_capacity(hits.len());
    let mut missing = Vec::new();
    for hit in &hits {
        match hit.full.and_then(|i| whole.get_mut(i)).and_then(Option::take) {
            Some(trace) => traces.push(Arc::new(trace)),
            None => missing.push(hit.trace_id.clone()),
        }
    }
    let mut problems = results.warnings;
    if !missing.is_empty() {
        let found = crate::search::lookup::look_up(missing, vec![backend.clone()]).await;
        traces.extend(found.traces.into_iter().map(|t| t.trace));
        problems.extend(found.error);
    }
    progress(hits.len(), hits.len());
    Ok((traces, problems))
}
