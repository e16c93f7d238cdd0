"""Writes OTLP protobuf files with the real OpenTelemetry Python SDK, for Spanscope's tests.

    python3 -m venv venv && venv/bin/pip install opentelemetry-sdk==1.45.2 \
        opentelemetry-exporter-otlp-proto-common==1.45.2
    venv/bin/python make.py

Writes, beside this script:
- export.pb: one ExportTraceServiceRequest, exactly the body the SDK's OTLP/HTTP exporter
  POSTs (encode_spans), from two services (two tracer providers, two resources);
- export.json: the same message as protobuf-JSON (google.protobuf.json_format), to check
  that reading either gives the same trace;
- collector-file.pb: the same spans split in two messages, each preceded by its length as a
  4-byte big-endian integer, as the Collector's file exporter writes `format: proto`.
Ids come from a seeded generator and times are fixed, so the files are reproducible.
"""
import os
import random

from google.protobuf import json_format
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

here = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(7)


class SeededIds(IdGenerator):
    def generate_span_id(self):
        return rng.getrandbits(64)

    def generate_trace_id(self):
        return rng.getrandbits(128)


class Collect(SpanExporter):
    def __init__(self):
        self.spans = []

    def export(self, spans):
        self.spans.extend(spans)
        return SpanExportResult.SUCCESS


collected = Collect()


def provider(service):
    p = TracerProvider(resource=Resource.create({"service.name": service, "deployment.environment": "test"}), id_generator=SeededIds())
    p.add_span_processor(SimpleSpanProcessor(collected))
    return p


T0 = 1_700_000_000_000_000_000  # ns
front = provider("frontend").get_tracer("shop.frontend", "1.2.3")
back = provider("cart").get_tracer("shop.cart", "0.9")

root = front.start_span("GET /checkout", kind=SpanKind.SERVER, start_time=T0,
                        attributes={"http.method": "GET", "http.status_code": 200, "retry": False, "ratio": 0.25, "tags": ["a", "b"]})
ctx = trace.set_span_in_context(root)
client = front.start_span("POST /cart", kind=SpanKind.CLIENT, context=ctx, start_time=T0 + 1_000_000)
server = back.start_span("add item", kind=SpanKind.SERVER, context=trace.set_span_in_context(client), start_time=T0 + 2_000_000)
server.add_event("cache miss", {"key": "item-42"}, timestamp=T0 + 2_500_000)
server.set_status(Status(StatusCode.ERROR, "out of stock"))
server.end(end_time=T0 + 9_000_000)
client.end(end_time=T0 + 10_000_000)
worker = back.start_span("reserve", kind=SpanKind.CONSUMER, context=ctx, links=[Link(client.get_span_context(), {"why": "async"})], start_time=T0 + 11_000_000)
worker.end(end_time=T0 + 15_000_000)
root.end(end_time=T0 + 20_000_000)

request = encode_spans(collected.spans)
with open(os.path.join(here, "export.pb"), "wb") as f:
    f.write(request.SerializeToString())
with open(os.path.join(here, "export.json"), "w") as f:
    f.write(json_format.MessageToJson(request))
with open(os.path.join(here, "collector-file.pb"), "wb") as f:
    for part in (collected.spans[:2], collected.spans[2:]):
        body = encode_spans(part).SerializeToString()
        f.write(len(body).to_bytes(4, "big") + body)
print(f"{len(collected.spans)} spans")
