//! Deterministic synthetic traces for benchmarks, samples and tests: many services and
//! operations, deep chains and wide fan-outs, typed attributes, events, errors and links.
//! All times are whole microseconds so every format round-trips them exactly.

use crate::builder::TraceSetBuilder;
use crate::ids::{SpanId, TraceId};
use crate::intern::Sym;
use crate::model::*;

#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Total spans over all traces.
    pub spans: usize,
    pub traces: usize,
    pub seed: u64,
    pub services: usize,
    /// Chains are cut at this depth.
    pub max_depth: u32,
    /// Every trace is the same request (the same call tree, services and operations) with
    /// its own ids and timings: what a baseline of one endpoint looks like.
    pub same_request: bool,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            spans: 1000,
            traces: 1,
            seed: 1,
            services: 24,
            max_depth: 60,
            same_request: false,
        }
    }
}

/// SplitMix64: tiny, fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SERVICE_NAMES: [&str; 24] = [
    "frontend",
    "api-gateway",
    "auth",
    "checkout",
    "cart",
    "catalog",
    "pricing",
    "inventory",
    "payment",
    "fraud-check",
    "shipping",
    "email",
    "recommendation",
    "search",
    "user-profile",
    "session-store",
    "orders",
    "ledger",
    "notifications",
    "ads",
    "currency",
    "tax",
    "geo",
    "audit",
];
const VERBS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "GET", "GET"];
const NOUNS: [&str; 10] = [
    "orders", "items", "users", "carts", "prices", "stock", "sessions", "quotes", "payments",
    "labels",
];

struct Gen<'b> {
    rng: Rng,
    b: &'b mut TraceSetBuilder,
    services: Vec<Sym>,
    /// Each service calls a few services further down the stack, as in a real architecture.
    downstream: Vec<Vec<usize>>,
    keys: Keys,
    /// With `same_request`: the shape's seed (the structure's generator restarts from it for
    /// each trace), and a second generator for what differs per trace. The structure draws
    /// the same numbers either way, so ordinary traces do not change.
    same_request: Option<(u64, Rng)>,
    /// Xor-ed into span ids so each same-request trace has its own.
    id_salt: u64,
}

struct Keys {
    method: Sym,
    url: Sym,
    status: Sym,
    db_system: Sym,
    db_statement: Sym,
    peer: Sym,
    port: Sym,
    retry: Sym,
    ratio: Sym,
    cache_hit: Sym,
    host: Sym,
    version: Sym,
    exception: Sym,
    exception_message: Sym,
    cache_miss: Sym,
    user: Sym,
}

/// Generates `options.traces` traces holding `options.spans` spans in all.
pub fn generate(options: &GenOptions) -> TraceSet {
    let mut b = TraceSetBuilder::new();
    let services = (0..options.services.max(1))
        .map(|i| {
            let base = SERVICE_NAMES[i % SERVICE_NAMES.len()];
            let name = if i < SERVICE_NAMES.len() {
                base.to_string()
            } else {
                format!("{base}-{}", i / SERVICE_NAMES.len())
            };
            b.strings.intern(&name)
        })
        .collect();
    let s = &mut b.strings;
    let keys = Keys {
        method: s.intern("http.method"),
        url: s.intern("http.url"),
        status: s.intern("http.status_code"),
        db_system: s.intern("db.system"),
        db_statement: s.intern("db.statement"),
        peer: s.intern("peer.service"),
        port: s.intern("net.peer.port"),
        retry: s.intern("retry.count"),
        ratio: s.intern("sample.ratio"),
        cache_hit: s.intern("cache.hit"),
        host: s.intern("host.name"),
        version: s.intern("service.version"),
        exception: s.intern("exception"),
        exception_message: s.intern("exception.message"),
        cache_miss: s.intern("cache miss"),
        user: s.intern("enduser.id"),
    };
    let mut rng = Rng(options.seed);
    let count = options.services.max(1);
    let downstream = (0..count)
        .map(|i| {
            let below = count - i - 1;
            (0..below.min(4)).map(|_| i + 1 + rng.below(below as u64) as usize).collect()
        })
        .collect();
    let same_request =
        options.same_request.then_some((rng.0, Rng(options.seed ^ 0x6a09e667f3bcc908)));
    let mut g = Gen { rng, b: &mut b, services, downstream, keys, same_request, id_salt: 0 };
    let traces = options.traces.max(1);
    for t in 0..traces {
        let n = options.spans / traces + usize::from(t < options.spans % traces);
        if n > 0 {
            g.trace(n, options.max_depth);
        }
    }
    b.finish()
}

impl Gen<'_> {
    fn trace(&mut self, n: usize, max_depth: u32) {
        if let Some((shape, _)) = self.same_request {
            self.rng = Rng(shape);
        }
        let mut trace_id =
            TraceId::new(((self.rng.next() as u128) << 64) | self.rng.next() as u128, true);
        // 2026-01-01T00:00:00Z plus a random offset, in whole microseconds.
        let mut base_us = 1_767_225_600_000_000i64 + self.rng.below(86_400_000_000) as i64;
        let mut root_us = 200_000 + self.rng.below(5_000_000) as i64;
        if let Some((_, own)) = &mut self.same_request {
            trace_id = TraceId::new(((own.next() as u128) << 64) | own.next() as u128, true);
            base_us = 1_767_225_600_000_000i64 + own.below(86_400_000_000) as i64;
            // Most requests take 0.7–1.2× the usual time; one in ten is up to 2.2× slower.
            let slow = if own.chance(10) { own.below(100) as i64 } else { 0 };
            root_us = root_us * (70 + own.below(50) as i64 + slow) / 100;
            self.id_salt = own.next() & !1;
        }
        // (span id, start µs, duration µs, depth, service index)
        let mut nodes: Vec<(u64, i64, i64, u32, usize)> = Vec::with_capacity(n);
        let mut open: Vec<usize> = Vec::new();
        let root = (self.rng.next() ^ self.id_salt) | 1;
        nodes.push((root, base_us, root_us, 1, 0));
        self.span(trace_id, root, 0, base_us, root_us, 0, 0, None);
        open.push(0);
        let mut i = 1;
        while i < n {
            // Often extend the newest span (deep chains), else fan out from any.
            let pick = if self.rng.chance(35) {
                open.len() - 1
            } else {
                self.rng.below(open.len() as u64) as usize
            };
            let parent = open[pick];
            let (pid, pstart, pdur, pdepth, psvc) = nodes[parent];
            let calls = &self.downstream[psvc];
            let svc = if !calls.is_empty() && self.rng.chance(55) {
                calls[self.rng.below(calls.len() as u64) as usize]
            } else {
                psvc
            };
            // Now and then a span makes the same call over and over, one after another (N+1
            // queries, batch loops): the runs the waterfall folds into sibling groups.
            if n - i >= 5 && self.rng.chance(2) {
                let k = (5 + self.rng.below(20) as usize).min(n - i);
                let slot = (pdur / k as i64).max(1);
                let mut call = None;
                for j in 0..k as i64 {
                    let id = (self.rng.next() ^ self.id_salt) | 1;
                    let (start, dur) = (pstart + j * slot, (slot * 9 / 10).max(1));
                    nodes.push((id, start, dur, pdepth + 1, svc));
                    call = Some(self.span(trace_id, id, pid, start, dur, svc, i, call));
                    i += 1;
                }
                continue;
            }
            let id = (self.rng.next() ^ self.id_salt) | 1;
            let offset = self.rng.below((pdur / 2).max(1) as u64) as i64;
            let mut dur = (self.rng.below(((pdur - offset) * 9 / 10).max(1) as u64) as i64).max(1);
            if let Some((_, own)) = &mut self.same_request {
                // Each call varies by ±15 % on its own, within its parent.
                dur = (dur * (85 + own.below(31) as i64) / 100).clamp(1, (pdur - offset).max(1));
            }
            let start = pstart + offset;
            nodes.push((id, start, dur, pdepth + 1, svc));
            self.span(trace_id, id, pid, start, dur, svc, i, None);
            if pdepth + 1 < max_depth {
                open.push(i);
            }
            // Spans stop taking children after a few, so fan-out stays realistic.
            if self.rng.chance(20) && open.len() > 1 {
                open.swap_remove(pick);
            }
            i += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn span(
        &mut self,
        trace_id: TraceId,
        id: u64,
        parent: u64,
        start_us: i64,
        dur_us: i64,
        svc: usize,
        i: usize,
        repeat: Option<Call>,
    ) -> Call {
        let service = self.services[svc];
        let call = repeat.unwrap_or_else(|| Call {
            noun: NOUNS[self.rng.below(NOUNS.len() as u64) as usize],
            verb: VERBS[self.rng.below(VERBS.len() as u64) as usize],
            is_db: self.rng.chance(25),
        });
        let Call { noun, verb, is_db } = call;
        let kind = if parent == 0 {
            SpanKind::Server
        } else {
            [SpanKind::Server, SpanKind::Client, SpanKind::Internal, SpanKind::Client]
                [self.rng.below(4) as usize]
        };
        let error = self.rng.chance(2);
        let with_events = self.rng.chance(10);
        let linked = self.rng.chance(1);
        let user = self.rng.below(100_000);
        let item = self.rng.below(1_000_000);
        let keys = &self.keys;
        let rng = &mut self.rng;
        let (strings, draft) = self.b.trace(trace_id, Format::Otlp);
        let name =
            if is_db { format!("SELECT {noun}") } else { format!("{verb} /api/{noun}/{{id}}") };
        let mut span = crate::read::blank_span_for_generator(SpanId(id));
        span.parent_id = SpanId(parent);
        span.name = strings.intern(&name);
        span.start_ns = start_us * 1000;
        span.duration_ns = dur_us * 1000;
        span.kind = kind;
        let (resource, created) = draft.resource_for_key(strings.get(service));
        if created {
            let start = draft.attrs.len();
            let host = format!("{}-{:04x}", strings.get(service), svc * 7919 % 65536);
            draft.push_str_attr(keys.host, &host);
            draft.push_str_attr(keys.version, "1.4.2");
            draft.resources[resource as usize] =
                Resource { service, attrs: Range32::new(start, draft.attrs.len()) };
        }
        span.resource = resource;
        let attrs_start = draft.attrs.len();
        if is_db {
            draft.push_str_attr(keys.db_system, "postgresql");
            draft.push_str_attr(
                keys.db_statement,
                &format!("SELECT * FROM {noun} WHERE id = $1 /* item {item} */"),
            );
            draft.push_attr(keys.port, AttrValue::Int(5432));
        } else {
            draft.push_str_attr(keys.method, verb);
            draft.push_str_attr(
                keys.url,
                &format!("https://shop.example.com/api/{noun}/{item}?user={user}"),
            );
            draft.push_attr(keys.status, AttrValue::Int(if error { 500 } else { 200 }));
            draft.push_str_attr(keys.peer, strings.get(service));
        }
        draft.push_str_attr(keys.user, &format!("user-{user}"));
        draft.push_attr(keys.retry, AttrValue::Int(rng.below(3) as i64));
        draft.push_attr(keys.ratio, AttrValue::Float(0.25));
        draft.push_attr(keys.cache_hit, AttrValue::Bool(rng.chance(70)));
        span.attrs = draft.attr_range_since(attrs_start);
        let events_start = draft.events.len();
        if with_events || error {
            let at = start_us + rng.below(dur_us.max(1) as u64) as i64;
            let attrs_start = draft.attrs.len();
            if error {
                draft.push_str_attr(
                    keys.exception_message,
                    &format!("upstream {noun} timed out after {dur_us}us"),
                );
            }
            let attrs = draft.attr_range_since(attrs_start);
            let name = if error { keys.exception } else { keys.cache_miss };
            draft.events.push(Event { time_ns: at * 1000, name, attrs });
        }
        span.events = Range32::new(events_start, draft.events.len());
        if error {
            span.status = StatusCode::Error;
            span.status_message = draft.push_text("upstream timeout");
        }
        if linked && i > 1 {
            let start = draft.links.len();
            let target = draft.spans[rng.below(draft.spans.len() as u64) as usize].span_id;
            draft.links.push(Link {
                kind: LinkKind::FollowsFrom,
                trace_id,
                span_id: target,
                attrs: Range32::default(),
            });
            span.links = Range32::new(start, draft.links.len());
        }
        draft.spans.push(span);
        call
    }
}

/// What a span does: the noun and verb of its operation, and whether it is a database call.
#[derive(Clone, Copy)]
struct Call {
    noun: &'static str,
    verb: &'static str,
    is_db: bool,
}
