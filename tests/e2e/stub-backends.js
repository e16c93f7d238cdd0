// Stub tracing backends for the end-to-end tests: a real HTTP server on 127.0.0.1 answering
// the Jaeger (query v1 and api_v3), Zipkin v2 and Tempo APIs with recorded answers. The
// envelopes are the real servers' (each handler names what it mirrors); the traces inside are
// the reference traces from tests/data/refdata. Time filters are recorded, not applied: the
// reference traces are years old.
//
// URL layout: /{cors|nocors}/{backend}/api/... — `cors` answers with Access-Control-Allow-Origin
// (and preflights), `nocors` without, as jaeger-query does by default.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { repo, refdata } from './harness.js';

const read = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const bare = (t) => (t.data ? t.data[0] : t);

const jaegerTraces = [
  bare(read(path.join(repo, 'public/samples/checkout.jaeger.json'))),
  read(path.join(refdata, 'jaeger/genaiTestTrace.json')),
  read(path.join(refdata, 'jaeger/ui_01.json')),
  read(path.join(refdata, 'jaeger/testTrace.json')),
];
const zipkinTraces = ['ascend', 'yelp', 'messaging2', 'skew'].map((n) => read(path.join(refdata, `zipkin/${n}.json`)));
// One endpoint's requests: the N+1 sample and five requests after its fix (tests/data/compare/).
const byTrace = (spans) => [...new Set(spans.map((s) => s.traceId))].map((id) => spans.filter((s) => s.traceId === id));
const ordersTraces = [
  read(path.join(repo, 'public/samples/orders-n-plus-one.zipkin.json')),
  ...byTrace(read(path.join(repo, 'tests/data/compare/orders-batched-x5.zipkin.json'))),
];
const tempoSearch = read(path.join(repo, 'crates/spanscope-core/tests/fixtures/tempo-search.json'));
const tempoTraceV2 = fs.readFileSync(path.join(repo, 'crates/spanscope-core/tests/fixtures/tempo-v2.json'));
const tempoTraceV1 = fs.readFileSync(path.join(refdata, 'otlp/tempo/trace.json'));
const links = fs.readFileSync(path.join(refdata, 'jaeger/large.json'), 'utf8');
const v3 = (name) => fs.readFileSync(path.join(refdata, `jaeger/api-v3/${name}.json`));

const services = (t) => new Set(Object.values(t.processes).map((p) => p.serviceName));
const zipkinServices = (t) => new Set(t.map((s) => s.localEndpoint?.serviceName).filter(Boolean));
// jaeger-query's envelope: {data, total, limit, offset, errors}.
const envelope = (data, errors = null) => JSON.stringify({ data, total: Array.isArray(data) ? data.length : 0, limit: 0, offset: 0, errors });
// A 200 JSON answer.
const json = (v) => [200, 'application/json', JSON.stringify(v)];
// Go's ServeMux answer for a route it does not have.
const NO_ROUTE = [404, 'text/plain; charset=utf-8', '404 page not found\n'];

function jaegerV1(route, q) {
  if (route === '/api/services') {
    return [200, 'application/json', envelope([...new Set(jaegerTraces.flatMap((t) => [...services(t)]))])];
  }
  if (route === '/api/operations') {
    const ops = jaegerTraces.flatMap((t) => t.spans.filter((s) => t.processes[s.processID].serviceName === q.get('service')).map((s) => ({ name: s.operationName, spanKind: 'server' })));
    return [200, 'application/json', envelope(ops)];
  }
  if (route === '/api/traces') {
    // Search by trace ids (Jaeger UI's "Trace IDs" search): missing ids are listed in
    // `errors`, as jaeger-query's tracesByIDs does.
    const ids = q.getAll('traceID');
    if (ids.length) {
      const found = jaegerTraces.filter((t) => ids.includes(t.traceID));
      const missing = ids.filter((id) => !found.some((t) => t.traceID === id)).map((id) => ({ code: 404, msg: 'trace not found', traceID: id }));
      return [200, 'application/json', envelope(found, missing.length ? missing : null)];
    }
    if (!q.get('service')) {
      // jaeger-query's own 400 for a search without a service.
      return [400, 'application/json', envelope(null, [{ code: 400, msg: "parameter 'service' is required" }])];
    }
    // `many` (or the service SPANSCOPE_MANY_SERVICE names): the benchmarks' big answer.
    if (q.get('service') === 'many' || q.get('service') === process.env.SPANSCOPE_MANY_SERVICE) return [200, 'application/json', manyTraces()];
    const min = goDurationMicros(q.get('minDuration')) ?? 0;
    const max = goDurationMicros(q.get('maxDuration')) ?? Infinity;
    const found = jaegerTraces.filter((t) => services(t).has(q.get('service')))
      .filter((t) => !q.get('operation') || t.spans.some((s) => s.operationName === q.get('operation')))
      // jaeger-query applies minDuration/maxDuration to spans of the service.
      .filter((t) => t.spans.some((s) => t.processes[s.processID].serviceName === q.get('service') && s.duration >= min && s.duration <= max));
    return [200, 'application/json', envelope(found)];
  }
  const m = route.match(/^\/api\/traces\/([^/]+)$/);
  if (m) {
    const t = jaegerTraces.find((t) => t.traceID === m[1]);
    return t ? [200, 'application/json', envelope([t])] : [404, 'application/json', envelope(null, [{ code: 404, msg: 'trace not found' }])];
  }
  if (route === '/api/dependencies') return [200, 'application/json', envelope(JSON.parse(links))];
  return NO_ROUTE;
}

// jaeger-query before /api/operations (added in 1.17): operations only per service, as names.
function jaegerOld(route, q) {
  if (route === '/api/operations') return NO_ROUTE;
  const m = route.match(/^\/api\/services\/([^/]+)\/operations$/);
  if (m) {
    const service = decodeURIComponent(m[1]);
    return [200, 'application/json', envelope([...new Set(jaegerTraces.flatMap((t) => t.spans.filter((s) => t.processes[s.processID].serviceName === service).map((s) => s.operationName)))])];
  }
  return jaegerV1(route, q);
}

/** Microseconds of a one-unit Go duration (`150ms`, `2s`); null when absent. */
function goDurationMicros(text) {
  const m = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/.exec(text || '');
  if (!m) return null;
  return Number(m[1]) * { us: 1, µs: 1, ms: 1e3, s: 1e6, m: 6e7, h: 3.6e9 }[m[2]];
}

// 1,500 generated traces (Jaeger UI's maximum search size), made once by `spanscope generate`.
let many = null;
function manyTraces() {
  if (!many) many = fs.readFileSync(process.env.SPANSCOPE_MANY_TRACES || path.join(repo, 'target/e2e-many-traces.json'));
  return many;
}

// Newer Jaeger: only api_v3 (its snapshot answers); the v1 routes do not exist.
function jaegerV3(route, q) {
  if (route === '/api/v3/services') return [200, 'application/json', v3('GetServices')];
  if (route === '/api/v3/operations') return [200, 'application/json', v3('GetOperations')];
  if (route === '/api/v3/trace-summaries') return [200, 'application/json', v3('FindTraceSummaries')];
  if (route === '/api/v3/traces') return [200, 'application/json', v3('FindTraces')];
  if (route === '/api/v3/traces/00000000000000000000000000000001') return [200, 'application/json', v3('GetTrace')];
  if (route.startsWith('/api/v3/traces/')) {
    return [404, 'application/json', JSON.stringify({ error: { httpCode: 404, message: 'trace not found' } })];
  }
  return NO_ROUTE;
}

// A Zipkin v2 server holding `zipkinTraces`.
const zipkin = (route, q) => zipkinOf(zipkinTraces, route, q);

function zipkinOf(zipkinTraces, route, q) {
  if (route === '/api/v2/services') return json([...new Set(zipkinTraces.flatMap((t) => [...zipkinServices(t)]))].sort());
  if (route === '/api/v2/spans') return json([...new Set(zipkinTraces.flat().filter((s) => s.localEndpoint?.serviceName === q.get('serviceName')).map((s) => s.name).filter(Boolean))]);
  if (route === '/api/v2/traces') {
    return json(zipkinTraces.filter((t) => !q.get('serviceName') || zipkinServices(t).has(q.get('serviceName')))
      .filter((t) => !q.get('remoteServiceName') || t.some((s) => s.remoteEndpoint?.serviceName === q.get('remoteServiceName'))));
  }
  const m = route.match(/^\/api\/v2\/trace\/([0-9a-f]+)$/);
  if (m) {
    const t = zipkinTraces.find((t) => t[0].traceId.padStart(32, '0').endsWith(m[1].padStart(16, '0').slice(-16)));
    // Zipkin answers an unknown id with 404 and a plain-text body.
    return t ? json(t) : [404, 'text/plain', `${m[1]} not found`];
  }
  if (route === '/api/v2/traceMany') {
    const ids = (q.get('traceIds') || '').split(',');
    return json(zipkinTraces.filter((t) => ids.some((id) => t[0].traceId.padStart(32, '0').endsWith(id.padStart(16, '0').slice(-16)))));
  }
  if (route === '/api/v2/dependencies') return [200, 'application/json', links];
  if (route === '/api/v2/autocompleteKeys') return json(['http.method', 'http.path']);
  if (route === '/api/v2/autocompleteValues') return json(q.get('key') === 'http.method' ? ['GET', 'POST'] : []);
  if (route === '/api/v2/remoteServices') {
    return json([...new Set(zipkinTraces.flat().filter((s) => s.localEndpoint?.serviceName === q.get('serviceName')).map((s) => s.remoteEndpoint?.serviceName).filter(Boolean))].sort());
  }
  return NO_ROUTE;
}

function tempo(route, q) {
  if (route === '/api/search') {
    const abc = { traceID: 'abc', rootServiceName: 'tempo-svc', rootTraceName: 'root', startTimeUnixNano: '1700000000000000000', durationMs: 1.5,
      spanSet: { spans: [], matched: 2 }, serviceStats: { 'tempo-svc': { spanCount: 2 } } };
    return json({ traces: [abc, ...tempoSearch.traces], metrics: tempoSearch.metrics });
  }
  if (route === '/api/search/tag/service.name/values') return json({ tagValues: ['frontend', 'mythical-server', 'tempo-svc'] });
  // Tempo 2.2+: tag names by scope.
  if (route === '/api/v2/search/tags') return json({ scopes: [{ name: 'span', tags: ['http.method'] }, { name: 'resource', tags: ['service.name'] }] });
  if (route === '/api/v2/search/tag/name/values') return json({ tagValues: [{ type: 'string', value: 'root' }, { type: 'string', value: 'child' }] });
  if (route === '/api/v2/traces/00000000000000000000000000000abc') return [200, 'application/json', tempoTraceV2];
  if (route === '/api/traces/5b8efff798038103d269b633813fc60c') return [200, 'application/json', tempoTraceV1];
  // Tempo's not-found: 404 with a plain-text message.
  if (route.startsWith('/api/v2/traces/') || route.startsWith('/api/traces/')) return [404, 'text/plain', 'trace not found'];
  return NO_ROUTE;
}

// Tempo 1.x: search by `tags` (logfmt) only, v1 routes only; the same answers without span sets.
function tempo1(route, q) {
  if (route === '/api/search') {
    const service = /(?:^| )service\.name=(\S+)/.exec(q.get('tags') || '')?.[1];
    const traces = tempoSearch.traces.map(({ spanSet, spanSets, serviceStats, ...t }) => t).filter((t) => !service || t.rootServiceName === service);
    return json({ traces, metrics: { inspectedTraces: 10, inspectedBytes: '43211', inspectedBlocks: 2 } });
  }
  if (route === '/api/search/tags') return json({ tagNames: ['http.method', 'service.name'] });
  if (route === '/api/search/tag/service.name/values') return json({ tagValues: ['frontend', 'mythical-server'] });
  if (route === '/api/search/tag/name/values') return json({ tagValues: ['HTTP GET', 'HTTP POST'] });
  if (route === '/api/traces/5b8efff798038103d269b633813fc60c') return [200, 'application/json', tempoTraceV1];
  if (route.startsWith('/api/traces/')) return [404, 'text/plain', 'trace not found'];
  return NO_ROUTE;
}

const BACKENDS = {
  jaeger: jaegerV1,
  jaegerOld,
  tempo1,
  jaeger3: jaegerV3,
  // api_v3 before /api/v3/trace-summaries existed: searches answer whole traces.
  jaeger3NoSummaries: (route, q) => (route === '/api/v3/trace-summaries' ? NO_ROUTE : jaegerV3(route, q)),
  zipkin,
  // Searches take 400 ms, so a test sees the progress of a baseline being fetched.
  orders: (route, q) => {
    const [status, type, body] = zipkinOf(ordersTraces, route, q);
    return [status, type, body, route === '/api/v2/traces' ? 400 : 0];
  },
  tempo,
  // A jaeger-query whose storage is down: its 500 envelope on every call.
  error500: () => [500, 'application/json', envelope(null, [{ code: 500, msg: 'cassandra: no hosts available' }])],
  // A backend whose search answer breaks off in the middle of the JSON.
  malformed: (route) => (route === '/api/v2/services' ? [200, 'application/json', '["shop"]'] : [200, 'application/json', '[[{"traceId": "abc", "id":']),
  // Services answer at once; searches take 5 s (the test backend times out after 1 s).
  slow: (route) => (route === '/api/search/tag/service.name/values' ? [200, 'application/json', '{"tagValues":["x"]}'] : [200, 'application/json', '{"traces":[]}', 5000]),
};

export async function startStubBackends() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    const [, mode, name, ...rest] = url.pathname.split('/');
    const route = '/' + rest.join('/');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const cors = mode === 'cors' ? { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' } : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(mode === 'cors' ? 204 : 405, cors);
      return res.end();
    }
    const handler = BACKENDS[name];
    let [status, type, body, delay] = handler ? handler(route, url.searchParams) : NO_ROUTE;
    // `?service=slow-svc` answers after 1.5 s (for the stale-request test).
    if (url.searchParams.get('service') === 'slow-svc') delay = 1500;
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': type, ...cors });
      res.end(body);
    };
    delay ? setTimeout(send, delay) : send();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: (mode, name) => `http://127.0.0.1:${port}/${mode}/${name}`,
    requests,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
