//! One backend's API, called from the browser: requests from the core's `api` module,
//! answers read by its `responses` module, failures turned into messages by `diagnose`.

use std::cell::RefCell;
use std::collections::HashMap;

use spanscope_backend::api::{self, Api, Request, JAEGER_PROBES};
use spanscope_backend::diagnose::{explain, Failure};
use spanscope_backend::responses::{self, Lookup};
use spanscope_backend::{AnswerError, Backend, FormError, SearchQuery, SearchResults};
use spanscope_graph::model::{read_dependency_links, DependencyLink};

use super::http::{self, Answer, Canceller, Fetch};

/// Why a call gave nothing: superseded (say nothing), the form needs fixing (nothing was
/// sent), or the backend failed (explained, naming the backend).
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    Cancelled,
    Form(FormError),
    Failed(String),
}

impl CallError {
    pub fn message(self) -> Option<String> {
        match self {
            CallError::Cancelled => None,
            CallError::Form(e) => Some(e.to_string()),
            CallError::Failed(m) => Some(m),
        }
    }
}

thread_local! {
    /// The Jaeger API generation each `auto` backend turned out to speak, by URL.
    static DETECTED: RefCell<HashMap<String, Api>> = RefCell::new(HashMap::new());
}

pub struct Client<'a> {
    pub backend: &'a Backend,
    pub canceller: &'a Canceller,
}

impl Client<'_> {
    fn fail(&self, failure: Failure, what: &str) -> CallError {
        CallError::Failed(explain(&failure, self.backend, &http::page_origin(), what))
    }

    fn lift(&self, e: Fetch, what: &str) -> CallError {
        match e {
            Fetch::Cancelled => CallError::Cancelled,
            Fetch::Failed(f) => self.fail(f, what),
        }
    }

    /// The API to use; for a Jaeger backend set to `auto`, asks the server once.
    pub async fn api(&self) -> Result<Api, CallError> {
        if let Some(api) = Api::known(self.backend) {
            return Ok(api);
        }
        if let Some(api) = DETECTED.with(|d| d.borrow().get(&self.backend.url).copied()) {
            return Ok(api);
        }
        let mut last = None;
        for (api, path) in JAEGER_PROBES {
            let answer = http::get(self.backend, path, self.canceller)
                .await
                .map_err(|e| self.lift(e, "Loading services"))?;
            if responses::probe_matches(api, answer.status, &answer.body) {
                DETECTED.with(|d| d.borrow_mut().insert(self.backend.url.clone(), api));
                return Ok(api);
            }
            last = Some(answer);
        }
        let answer = last.expect("two probes");
        Err(self.fail(
            Failure::Http {
                status: answer.status,
                message: format!(
                    "neither /api/services (v1) nor /api/v3/services answered as Jaeger does ({})",
                    responses::error_message(&answer.body)
                ),
            },
            "Finding the Jaeger API",
        ))
    }

    /// Sends a request, moving to the next path only when the route does not exist.
    async fn send(&self, request: &Request, what: &str) -> Result<Answer, CallError> {
        let mut answer = None;
        for path in &request.paths {
            let a = http::get(self.backend, path, self.canceller)
                .await
                .map_err(|e| self.lift(e, what))?;
            let missing = responses::route_missing(a.status, &a.body);
            answer = Some(a);
            if !missing {
                break;
            }
        }
        Ok(answer.expect("requests have a path"))
    }

    fn http_error(&self, answer: &Answer, what: &str) -> CallError {
        self.fail(
            Failure::Http {
                status: answer.status,
                message: responses::error_message(&answer.body),
            },
            what,
        )
    }

    async fn names(&self, request: Request, what: &str) -> Result<Vec<String>, CallError> {
        let answer = self.send(&request, what).await?;
        if !(200..300).contains(&answer.status) {
            return Err(self.http_error(&answer, what));
        }
        responses::names(&answer.body).map_err(|e| self.fail(Failure::BadBody(e), what))
    }

    pub async fn services(&self) -> Result<Vec<String>, CallError> {
        let api = self.api().await?;
        self.names(api::services(api), "Loading services").await
    }

    pub async fn operations(&self, service: &str) -> Result<Vec<String>, CallError> {
        let api = self.api().await?;
        self.names(api::operations(api, service), "Loading operations").await
    }

    /// Tag names the backend suggests for the tags field (Zipkin's autocomplete keys, Tempo's
    /// tag names); none for Jaeger, whose API has no such list.
    pub async fn tag_names(&self) -> Result<Vec<String>, CallError> {
        let api = self.api().await?;
        match api::tag_names(api) {
            Some(request) => self.names(request, "Loading tag names").await,
            None => Ok(Vec::new()),
        }
    }

    /// Values seen for one tag (Zipkin's autocomplete values, Tempo's tag values).
    pub async fn tag_values(&self, key: &str) -> Result<Vec<String>, CallError> {
        let api = self.api().await?;
        match api::tag_values(api, key) {
            Some(request) => self.names(request, "Loading tag values").await,
            None => Ok(Vec::new()),
        }
    }

    /// The services a service calls, as Zipkin records them (uninstrumented peers included).
    pub async fn remote_services(&self, service: &str) -> Result<Vec<String>, CallError> {
        let api = self.api().await?;
        match api::remote_services(api, service) {
            Some(request) => self.names(request, "Loading remote services").await,
            None => Ok(Vec::new()),
        }
    }

    pub async fn search(
        &self,
        query: &SearchQuery,
        now_ns: i64,
    ) -> Result<SearchResults, CallError> {
        let api = self.api().await?;
        let request = api::search(api, query, now_ns).map_err(CallError::Form)?;
        let answer = self.send(&request, "Search").await?;
        crate::perf::mark(crate::perf::SEARCH_RESPONSE);
        crate::load::reserve_for_model(answer.body.len());
        let empty_v3 = api == Api::JaegerV3 && answer.status == 404;
        if !(200..300).contains(&answer.status) && !empty_v3 {
            return Err(self.http_error(&answer, "Search"));
        }
        responses::search_results(api, answer.status, &answer.body)
            .map_err(|e| self.fail(Failure::BadBody(e), "Search"))
    }

    /// One trace by id; `Lookup::NotFound` when the backend does not have it.
    pub async fn trace(&self, id: &str) -> Result<Lookup, CallError> {
        let api = self.api().await?;
        let what = format!("Loading trace {id}");
        let answer = self.send(&api::trace(api, id), &what).await?;
        if answer.status != 404 && !(200..300).contains(&answer.status) {
            return Err(self.http_error(&answer, &what));
        }
        responses::trace_lookup(answer.status, &answer.body)
            .map_err(|e| self.fail(Failure::BadBody(e), &what))
    }

    /// Several traces in one request where the API allows it (Zipkin's `traceMany`); `None`
    /// means ask one by one.
    pub async fn traces(
        &self,
        ids: &[String],
    ) -> Result<Option<Vec<spanscope_core::Trace>>, CallError> {
        let api = self.api().await?;
        let Some(request) = api::trace_many(api, ids) else { return Ok(None) };
        let what = format!("Loading {} traces", ids.len());
        let answer = self.send(&request, &what).await?;
        if answer.status != 404 && !(200..300).contains(&answer.status) {
            return Err(self.http_error(&answer, &what));
        }
        match responses::trace_lookup(answer.status, &answer.body)
            .map_err(|e| self.fail(Failure::BadBody(e), &what))?
        {
            Lookup::Found(traces, _) => Ok(Some(traces)),
            Lookup::NotFound => Ok(Some(Vec::new())),
        }
    }

    /// The backend's dependency links, or `None` when its API has none (Tempo).
    pub async fn dependencies(
        &self,
        end_ns: i64,
        lookback_ns: i64,
    ) -> Result<Option<Vec<DependencyLink>>, CallError> {
        let api = self.api().await?;
        let Some(request) = api::dependencies(api, end_ns, lookback_ns) else { return Ok(None) };
        let what = "Loading dependencies";
        let answer = self.send(&request, what).await?;
        if !(200..300).contains(&answer.status) {
            return Err(self.http_error(&answer, what));
        }
        read_dependency_links(&answer.body)
            .map(Some)
            .map_err(|e| self.fail(Failure::BadBody(AnswerError::NotDependencyLinks(e)), what))
    }
}
