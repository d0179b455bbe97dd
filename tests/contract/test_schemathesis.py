"""Schemathesis (the registry package) against the fake served on 127.0.0.1, driven by the API's OpenAPI mirror.

The mirror (``../shared/spec/openapi/tryAGI-Anthropic_openapi.yaml``, JSON despite its name) is the
Stainless-published spec of May 2026. For each operation of ``/v1/messages``, ``count_tokens``, the batches
and the models, Schemathesis generates requests (schema-valid ones, then schema-invalid ones), sends them
with ``requests`` to the fake on loopback and checks the answers: never a 5xx, a documented status, the
documented content type and headers, a body that validates against the mirror's schema, for invalid input a
refusal; streamed answers event by event against the mirror's ``MessageStreamEvent``.

Runs are bounded and deterministic (Hypothesis derandomized, no example database); each test asserts that
its cases ran and records their count as the ``cases`` property. Where the mirror disagrees with the wire
(real recorded traffic, ``spec/messages-api.md``), :func:`adapt_mirror` patches it and says why.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

MIRROR = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "openapi" / "tryAGI-Anthropic_openapi.yaml"
if not MIRROR.exists():
    pytest.skip(f"the OpenAPI mirror is not at {MIRROR} (it lives beside the repository)", allow_module_level=True)

import jsonschema  # noqa: E402
import requests  # noqa: E402
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi import checks as openapi_checks  # noqa: E402

from fakeclaude.server import FakeClaude, FakeClock  # noqa: E402

API_KEY = "sk-ant-schemathesis"
API_VERSIONS = ("2023-06-01", "2026-10-21")  # the two live versions (spec/messages-api-2026.md)

# The operations under test and the cases each generation mode runs: bodies of /v1/messages are large and
# slow to generate (about 0.3 s each on this machine), path-and-query operations are cheap.
OPERATIONS: dict[str, int] = {
    "POST /v1/messages": 30,
    "POST /v1/messages/count_tokens": 20,
    "POST /v1/messages/batches": 8,
    "GET /v1/messages/batches": 25,
    "GET /v1/messages/batches/{message_batch_id}": 25,
    "DELETE /v1/messages/batches/{message_batch_id}": 25,
    "POST /v1/messages/batches/{message_batch_id}/cancel": 25,
    "GET /v1/messages/batches/{message_batch_id}/results": 25,
    "GET /v1/models": 25,
    "GET /v1/models/{model_id}": 25,
}

# Response fields the mirror lists as required (Stainless marks every nullable field so) that the real API
# leaves out when they have no value: real traffic (../shared/real-traffic) never shows them as null.
OMITTED_WHEN_EMPTY: dict[str, tuple[str, ...]] = {
    "Message": ("container",),  # present in 26 of 867 recorded Messages, only when a container ran
    "MessageDelta": ("container",),  # in 3 of 384 recorded message_delta events
    "ResponseTextBlock": ("citations",),  # in 72 of 880 recorded text blocks, always a non-empty list
    "Usage": ("server_tool_use",),  # in 59 of 867 recorded usages, only when a server tool ran
    "MessageDeltaUsage": ("server_tool_use",),  # in 23 of 384 recorded message_delta usages
}


# ----- the mirror, adapted ------------------------------------------------------------------------------
def load_mirror(path: Path = MIRROR) -> dict[str, Any]:
    """The mirror as a dict (its content is JSON, which is also YAML; JSON is much faster to read)."""
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def adapt_mirror(raw: dict[str, Any]) -> dict[str, Any]:
    """The mirror narrowed to the operations under test, with the patches that make it say what the API does."""
    spec = copy.deepcopy(raw)
    paths = {label.split(" ", 1)[1] for label in OPERATIONS}
    spec["paths"] = {path: spec["paths"][path] for path in sorted(paths)}
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            params = operation.get("parameters", [])
            # Authentication is not under test here: every request carries a key (the session's header), so
            # the mirror's optional x-api-key parameter (declared on some operations only) goes.
            params[:] = [p for p in params if p["name"] != "x-api-key"]
            for param in params:
                if param["name"] == "anthropic-version":
                    # The mirror allows any string; the API takes one of its versions and answers 400 to
                    # anything else, so random versions would turn nearly every case into that one 400.
                    param["required"] = True
                    param["schema"] = {"type": "string", "enum": list(API_VERSIONS)}
    # The mirror documents only JSON for a created Message, but `"stream": true` answers an event stream
    # (spec/messages-api.md, streaming). Its events are checked by `stream_events_conform` below.
    spec["paths"]["/v1/messages"]["post"]["responses"]["200"]["content"]["text/event-stream"] = {}
    schemas = spec["components"]["schemas"]
    # Not a correction, a focus: the mirror's `Model` is any string or one of the ids it lists, and most
    # generated strings are unknown ids that stop at the API's 404 before any other rule. Requests name
    # a listed id (unknown ids still come through the models' own path, and as negative cases).
    listed = [branch["const"] for branch in schemas["Model"]["anyOf"] if "const" in branch]
    for name in ("CreateMessageParams", "CountMessageTokensParams"):
        schemas[name]["properties"]["model"] = {"type": "string", "enum": listed}
    for name, fields in OMITTED_WHEN_EMPTY.items():
        schemas[name]["required"] = [f for f in schemas[name]["required"] if f not in fields]
    return spec


SPEC = adapt_mirror(load_mirror())
SCHEMA = schemathesis.openapi.from_dict(SPEC)
MODEL_IDS = SPEC["components"]["schemas"]["CreateMessageParams"]["properties"]["model"]["enum"]


# ----- checks -------------------------------------------------------------------------------------------
def _validator(component: str) -> jsonschema.protocols.Validator:
    root = {"$ref": f"#/components/schemas/{component}", "components": SPEC["components"]}
    return jsonschema.Draft202012Validator(root)


STREAM_EVENT = _validator("MessageStreamEvent")
STREAM_ERROR = _validator("ErrorResponse")


def sse_events(raw: bytes) -> list[tuple[str, str]]:
    """``(event name, data)`` for each event of an event stream (only what this API's streams use)."""
    events = []
    for block in raw.decode("utf-8").replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        if data:
            events.append((name, "\n".join(data)))
    return events


@schemathesis.check
def stream_events_conform(ctx: schemathesis.CheckContext, response: schemathesis.Response,
                          case: schemathesis.Case) -> bool | None:
    """Each event of a streamed answer is JSON valid against the mirror's ``MessageStreamEvent`` (or, for
    an ``error`` event, ``ErrorResponse``), named by its ``type``; the stream ends with ``message_stop``."""
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("text/event-stream"):
        return None
    events = sse_events(response.content)
    assert events, "an empty event stream"
    for index, (name, data) in enumerate(events):
        payload = json.loads(data)
        assert payload.get("type") == name, f"event {index} is named {name!r} but has type {payload.get('type')!r}"
        validator = STREAM_ERROR if name == "error" else STREAM_EVENT
        errors = sorted(validator.iter_errors(payload), key=lambda e: e.path)
        assert not errors, f"event {index} ({name}) violates the mirror: {errors[0].message} at {list(errors[0].path)}"
    assert events[-1][0] in ("message_stop", "error"), f"the stream ends with {events[-1][0]!r}"
    return True


CONFORMANCE = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    stream_events_conform,
]
CHECKS = {
    GenerationMode.POSITIVE: CONFORMANCE,
    GenerationMode.NEGATIVE: [*CONFORMANCE, openapi_checks.negative_data_rejection],
}


# ----- the fake on loopback -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake() -> FakeClaude:
    # A batch takes a minute of the fake's clock, which moves only when the fixtures below move it.
    return FakeClaude(seed=0, clock=FakeClock(), batch_processing_seconds=60)


@pytest.fixture(scope="module")
def base_url(fake: FakeClaude) -> Iterator[str]:
    with fake.serve() as url:
        yield url


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as http:
        http.headers["x-api-key"] = API_KEY
        yield http


@pytest.fixture
def batch_ids(fake: FakeClaude, base_url: str, session: requests.Session) -> list[str]:
    """An ended batch and one in progress, so that the batch operations reach more than their 404."""

    def create(count: int) -> str:
        batch = [{"custom_id": f"r{i}", "params": {"model": "claude-sonnet-4-5", "max_tokens": 16,
                                                  "messages": [{"role": "user", "content": f"Hi {i}"}]}}
                 for i in range(count)]
        response = session.post(f"{base_url}/v1/messages/batches", json={"requests": batch},
                                headers={"anthropic-version": API_VERSIONS[0]}, timeout=10)
        assert response.status_code == 200, response.text
        return str(response.json()["id"])

    ended = create(2)
    fake.advance(120)
    return [ended, create(1)]


# ----- the runs -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("label", list(OPERATIONS))
def test_operation_conforms(label: str, mode: GenerationMode, base_url: str, session: requests.Session,
                            batch_ids: list[str], record_property: Any) -> None:
    method, path = label.split(" ", 1)
    operation = SCHEMA[path][method]
    statuses: Counter[int] = Counter()
    # Schema-valid cases name an existing batch or a listed model half of the time (generated ids are
    # almost never found); schema-invalid ones keep what Schemathesis made of them.
    known = {"message_batch_id": batch_ids, "model_id": MODEL_IDS}
    name = next((n for n in known if "{" + n + "}" in path), None)
    swap = st.none() if name is None or mode is GenerationMode.NEGATIVE else st.none() | st.sampled_from(known[name])

    @settings(max_examples=OPERATIONS[label], derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), known_id=swap)
    def run(case: schemathesis.Case, known_id: str | None) -> None:
        if known_id is not None:
            assert name is not None
            case.path_parameters = {**(case.path_parameters or {}), name: known_id}
        response = case.call(base_url=base_url, session=session)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS[mode])

    run()
    record_property("cases", statuses.total())
    record_property("statuses", dict(sorted(statuses.items())))
    print(f"{label} [{mode.value}]: {statuses.total()} cases, statuses {dict(sorted(statuses.items()))}")
    assert statuses.total() > 0, "no case ran"
