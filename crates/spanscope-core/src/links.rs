//! A backend's service dependency links (Jaeger's `/api/dependencies`, Zipkin's
//! `/api/v2/dependencies`, Jaeger UI's sample data): read here, with the traces, because a
//! file of them opens like any trace file; `spanscope-graph` draws them.

/// One link of a backend's dependency data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct DependencyLink {
    pub parent: String,
    pub child: String,
    #[serde(rename = "callCount", default)]
    pub calls: usize,
    #[serde(rename = "errorCount", default)]
    pub errors: usize,
}

/// Reads dependency links: a JSON array (Jaeger UI and Zipkin) or Jaeger's `{data: [...]}`.
/// The error is the JSON parser's words.
pub fn read_dependency_links(bytes: &[u8]) -> Result<Vec<DependencyLink>, String> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        data: Option<Vec<DependencyLink>>,
    }
    // Two plain attempts rather than an untagged enum: no buffering, and smaller wasm.
    serde_json::from_slice::<Vec<DependencyLink>>(bytes)
        .or_else(|_| serde_json::from_slice::<Envelope>(bytes).map(|e| e.data.unwrap_or_default()))
        .map_err(|e| e.to_string())
}
