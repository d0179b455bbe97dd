"""Schemathesis (the registry package) against the fake served on 127.0.0.1, driven by the API's OpenAPI mirror.

The mirror (``../shared/spec/openapi/tryAGI-Anthropic_openapi.yaml``, JSON despite its name) is the
Stainless-published spec of May 2026. For each operation of ``/v1/messages``, ``count_tokens``, the batches
and the models, Schemathesis generates requests (schema-valid ones, then schema-invalid ones), sends them
with ``requests`` to the fake on loopback and checks the answers: never a 5xx, a documented status, the
documented content type and headers, a body valid against the mirror's schema, for invalid input a refusal,
and for a streamed answer every event valid against the mirror's ``MessageStreamEvent``.

Runs are bounded and deterministic (Hypothesis derandomized, no example database). Each test records its
case count and statuses as the ``cases`` and ``statuses`` properties, and fails if a schema-valid run never
reached a success (its answers' schemas would then go unchecked). Where the mirror disagrees with the wire
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

import httpx2  # noqa: E402
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

# The operations under test and the cases each generation mode runs. Bodies of /v1/messages are large and
# slow to generate (a batch holds several), path-and-query operations are cheap.
OPERATIONS: dict[str, int] = {
    "POST /v1/messages": 30,
    "POST /v1/messages/count_tokens": 20,
    "POST /v1/messages/batches": 20,
    "GET /v1/messages/batches": 25,
    "GET /v1/messages/batches/{message_batch_id}": 25,
    "DELETE /v1/messages/batches/{message_batch_id}": 25,
    "POST /v1/messages/batches/{message_batch_id}/cancel": 25,
    "GET /v1/messages/batches/{message_batch_id}/results": 25,
    "GET /v1/models": 25,
    "GET /v1/models/{model_id}": 25,
}
STREAMED = "POST /v1/messages (streamed)"  # schema-valid create bodies with `"stream": true` set on each
RUNS = [*((label, mode) for label in OPERATIONS for mode in GenerationMode),
        (STREAMED, GenerationMode.POSITIVE)]
RUN_CASES = {**OPERATIONS, STREAMED: 20}

# Response fields the mirror lists as required (Stainless marks every nullable field so) that the real API
# leaves out when they have no value: real traffic (../shared/real-traffic) never shows them as null.
OMITTED_WHEN_EMPTY: dict[str, tuple[str, ...]] = {
    "Message": ("container",),  # in 26 of 867 recorded Messages, only when a container ran
    "MessageDelta": ("container",),  # in 3 of 384 recorded message_delta events
    "ResponseTextBlock": ("citations",),  # in 72 of 880 recorded text blocks, always a non-empty list
    "Usage": ("server_tool_use",),  # in 59 of 867 recorded usages, only when a server tool ran
    "MessageDeltaUsage": ("server_tool_use",),  # in 23 of 384 recorded message_delta usages
    # `caller` has a default ({"type": "direct"}) in the mirror, which is what its absence means
    "ResponseToolUseBlock": ("caller",),  # in 90 of 288 recorded tool_use blocks (2026 ones lack it too)
    "ResponseServerToolUseBlock": ("caller",),  # in 7 of 81
    "ResponseWebSearchToolResultBlock": ("caller",),  # in 3 of 33
    "ResponseWebFetchToolResultBlock": ("caller",),  # in 1 of 2
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
                    # The mirror allows any string and calls it optional; the API requires one of its
                    # versions (400 `anthropic-version: header is required` / `Invalid value`), so random
                    # versions would turn nearly every case into that one 400.
                    param["required"] = True
                    param["schema"] = {"type": "string", "enum": list(API_VERSIONS)}
    # The mirror documents only JSON for a created Message, but `"stream": true` answers an event stream
    # (spec/messages-api.md, streaming). Its events are checked by `stream_events_conform` below.
    spec["paths"]["/v1/messages"]["post"]["responses"]["200"]["content"]["text/event-stream"] = {}
    schemas = spec["components"]["schemas"]
    # Not a correction, a focus: the mirror's `Model` is any string or one of the ids it lists, and most
    # generated strings are unknown ids that stop at the API's 404 before any other rule. Requests name a
    # listed id (unknown ids still reach GET /v1/models/{model_id}, and schema-invalid cases send others).
    listed = [branch["const"] for branch in schemas["Model"]["anyOf"] if "const" in branch]
    for name in ("CreateMessageParams", "CountMessageTokensParams"):
        schemas[name]["properties"]["model"] = {"type": "string", "enum": listed}
    for name, fields in OMITTED_WHEN_EMPTY.items():
        schemas[name]["required"] = [f for f in schemas[name]["required"] if f not in fields]
    return spec


def checked_at_create(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` as the API checks a batch at create: each request's ``params`` is any object there.

    The API validates ``params`` only when the batch runs and reports a bad one as that request's
    ``errored`` result (2026 spec section 11; ``tests/server/test_batch_errored_requests.py``), so a
    batch whose only schema violations are inside ``params`` is rightly accepted. The schema-invalid run
    of batch create uses this; the schema-valid run keeps the full ``params`` schema.
    """
    spec = copy.deepcopy(spec)
    request = spec["components"]["schemas"]["MessageBatchIndividualRequestParams"]
    request["properties"]["params"] = {"type": "object"}
    return spec


SPEC = adapt_mirror(load_mirror())
SCHEMA = schemathesis.openapi.from_dict(SPEC)
SCHEMA_AT_CREATE = schemathesis.openapi.from_dict(checked_at_create(SPEC))
MODEL_IDS: list[str] = SPEC["components"]["schemas"]["CreateMessageParams"]["properties"]["model"]["enum"]


# ----- checks -------------------------------------------------------------------------------------------
def _validator(component: str) -> jsonschema.protocols.Validator:
    root = {"$ref": f"#/components/schemas/{component}", "components": SPEC["components"]}
    return jsonschema.Draft202012Validator(root)


STREAM_EVENT = _validator("MessageStreamEvent")
STREAM_ERROR = _validator("ErrorResponse")
RESULT_LINE = _validator("MessageBatchIndividualResponse")


def _problem(where: str, validator: jsonschema.protocols.Validator, payload: Any) -> str | None:
    error = jsonschema.exceptions.best_match(validator.iter_errors(payload))  # the deepest, for oneOf
    return None if error is None else f"{where} at {'/'.join(map(str, error.absolute_path))}: {error.message}"


def sse_events(raw: bytes) -> list[tuple[str, str]]:
    """``(event name, data)`` for each event of an event stream (the fields this API's streams use)."""
    events = []
    for block in raw.decode("utf-8").replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            if field == "event":
                name = value.removeprefix(" ")
            elif field == "data":
                data.append(value.removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


def stream_violations(raw: bytes) -> list[str]:
    """What is wrong with an event stream by the mirror: each event JSON valid against ``MessageStreamEvent``
    (an ``error`` event against ``ErrorResponse``) and named by its ``type``, the last ``message_stop``."""
    events = sse_events(raw)
    if not events:
        return ["an empty event stream"]
    problems = []
    for index, (name, data) in enumerate(events):
        try:
            payload = json.loads(data)
        except ValueError as exc:
            problems.append(f"event {index} ({name}) is not JSON: {exc}")
            continue
        if not isinstance(payload, dict) or payload.get("type") != name:
            problems.append(f"event {index} is named {name!r} but its data is {data[:80]!r}")
            continue
        problem = _problem(f"event {index} ({name})", STREAM_ERROR if name == "error" else STREAM_EVENT, payload)
        if problem:
            problems.append(problem)
    if events[-1][0] not in ("message_stop", "error"):
        problems.append(f"the stream ends with {events[-1][0]!r}, not message_stop")
    return problems


def result_line_violations(raw: bytes) -> list[str]:
    """What is wrong with batch results by the mirror: each line JSON valid against
    ``MessageBatchIndividualResponse`` (Schemathesis reads no JSON Lines, so its schema check skips them)."""
    lines = [line for line in raw.decode("utf-8").splitlines() if line.strip()]
    if not lines:
        return ["no result lines"]
    problems = []
    for index, line in enumerate(lines):
        try:
            payload = json.loads(line)
        except ValueError as exc:
            problems.append(f"line {index} is not JSON: {exc}")
            continue
        problem = _problem(f"line {index}", RESULT_LINE, payload)
        if problem:
            problems.append(problem)
    return problems


@schemathesis.check
def result_lines_conform(ctx: schemathesis.CheckContext, response: schemathesis.Response,
                         case: schemathesis.Case) -> bool | None:
    """Batch results (``application/x-jsonl``) conform to the mirror (see :func:`result_line_violations`)."""
    if response.status_code != 200 or not _content_type(response).startswith("application/x-jsonl"):
        return None
    problems = result_line_violations(response.content)
    assert not problems, "the batch results violate the mirror:\n" + "\n".join(problems[:10])
    return True


@schemathesis.check
def stream_events_conform(ctx: schemathesis.CheckContext, response: schemathesis.Response,
                          case: schemathesis.Case) -> bool | None:
    """A streamed answer's events conform to the mirror (see :func:`stream_violations`)."""
    if not is_stream(response):
        return None
    problems = stream_violations(response.content)
    assert not problems, "the event stream violates the mirror:\n" + "\n".join(problems[:10])
    return True


def _content_type(response: schemathesis.Response) -> str:
    return next(iter(response.headers.get("content-type", [])), "")


def is_stream(response: schemathesis.Response) -> bool:
    return _content_type(response).startswith("text/event-stream")


CONFORMANCE = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    stream_events_conform,
    result_lines_conform,
]
CHECKS = {
    GenerationMode.POSITIVE: CONFORMANCE,
    GenerationMode.NEGATIVE: [*CONFORMANCE, openapi_checks.negative_data_rejection],
}


# ----- the fake on loopback -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake() -> FakeClaude:
    # A batch takes a minute of the fake's clock, which moves only when `batch_ids` moves it.
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
    """Two ended batches and two in progress, so that the batch operations reach more than their 404."""

    def create(count: int) -> str:
        batch = [{"custom_id": f"r{i}", "params": {"model": "claude-sonnet-4-5", "max_tokens": 16,
                                                  "messages": [{"role": "user", "content": f"Hi {i}"}]}}
                 for i in range(count)]
        response = session.post(f"{base_url}/v1/messages/batches", json={"requests": batch},
                                headers={"anthropic-version": API_VERSIONS[0]}, timeout=10)
        assert response.status_code == 200, response.text
        return str(response.json()["id"])

    ended = [create(2), create(1)]
    fake.advance(120)
    return [ended[0], create(1), ended[1], create(2)]


BATCH_CREATE = "POST /v1/messages/batches"


# ----- the runs -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("label", "mode"), RUNS, ids=[f"{label} [{mode.value}]" for label, mode in RUNS])
def test_operation_conforms(label: str, mode: GenerationMode, base_url: str, session: requests.Session,
                            batch_ids: list[str], record_property: Any) -> None:
    method, path = label.removesuffix(" (streamed)").split(" ", 1)
    at_create = label == BATCH_CREATE and mode is GenerationMode.NEGATIVE
    operation = (SCHEMA_AT_CREATE if at_create else SCHEMA)[path][method]
    statuses: Counter[int] = Counter()
    streams = results = 0
    positive = mode is GenerationMode.POSITIVE
    # Schema-valid cases mostly name an existing batch or a listed model (a generated id is almost never
    # found), sometimes keep the generated one; schema-invalid ones are left as Schemathesis made them.
    known = {"message_batch_id": batch_ids, "model_id": MODEL_IDS}
    name = next((n for n in known if "{" + n + "}" in path), None)
    pool: list[str | None] = [*known[name], None] if name is not None and positive else [None]
    swap = st.integers(0, len(pool) - 1).map(pool.__getitem__)  # leans to the first entries: known ids

    @settings(max_examples=RUN_CASES[label], derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), known_id=swap)
    def run(case: schemathesis.Case, known_id: str | None) -> None:
        nonlocal streams, results
        if known_id is not None and name is not None:
            case.path_parameters = {**(case.path_parameters or {}), name: known_id}
        if label == STREAMED and isinstance(case.body, dict):
            case.body = {**case.body, "stream": True}
        response = case.call(base_url=base_url, session=session, timeout=30)
        statuses[response.status_code] += 1
        streams += is_stream(response)
        results += response.status_code == 200 and _content_type(response).startswith("application/x-jsonl")
        case.validate_response(response, checks=CHECKS[mode])

    run()
    counts = dict(sorted(statuses.items()))
    record_property("cases", statuses.total())
    record_property("statuses", counts)
    print(f"{label} [{mode.value}]: {statuses.total()} cases, statuses {counts}, {streams} streamed")
    record_property("streamed", streams)
    assert statuses.total() > 0, "no case ran"
    if positive:
        assert any(200 <= status < 300 for status in statuses), f"no schema-valid case succeeded: {counts}"
    if label == STREAMED:
        assert streams > 0, "no streamed answer was checked"
    if label.endswith("/results") and positive:
        assert results > 0, "no batch results were checked"


# ----- the harness itself -------------------------------------------------------------------------------
def test_the_adapted_mirror_has_exactly_the_operations_under_test() -> None:
    labels = {result.ok().label for result in SCHEMA.get_all_operations()}
    assert labels == set(OPERATIONS)


def test_the_stream_check_passes_the_fakes_stream_and_catches_broken_ones() -> None:
    body = {"model": "claude-sonnet-4-5", "max_tokens": 32, "stream": True,
            "messages": [{"role": "user", "content": "Hello"}]}
    with httpx2.Client(transport=FakeClaude(seed=0).httpx2_transport(), base_url="http://fake") as http:
        raw = http.post("/v1/messages", json=body,
                        headers={"x-api-key": API_KEY, "anthropic-version": API_VERSIONS[0]}).content
    assert b'"stop_reason":"max_tokens"' in raw and b"event: content_block_stop" in raw
    assert stream_violations(raw) == []
    (bad_value,) = stream_violations(raw.replace(b'"stop_reason":"max_tokens"', b'"stop_reason":"tired"'))
    assert bad_value.startswith("event ") and "(message_delta) at delta/stop_reason" in bad_value
    (misnamed,) = stream_violations(raw.replace(b"event: content_block_stop", b"event: block_stop"))
    assert "is named 'block_stop'" in misnamed
    assert stream_violations(raw.rsplit(b"event: message_stop", 1)[0]) == [
        "the stream ends with 'message_delta', not message_stop"]


def test_the_results_check_passes_the_fakes_results_and_catches_a_broken_line() -> None:
    fake = FakeClaude(seed=0)
    headers = {"x-api-key": API_KEY, "anthropic-version": API_VERSIONS[0]}
    params = {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake", headers=headers) as http:
        batch = http.post("/v1/messages/batches", json={"requests": [{"custom_id": "a", "params": params},
                                                                     {"custom_id": "b", "params": params}]}).json()
        raw = http.get(f"/v1/messages/batches/{batch['id']}/results").content
    assert raw.count(b'"type":"succeeded"') == 2
    assert result_line_violations(raw) == []
    (problem,) = result_line_violations(raw.replace(b'"type":"succeeded"', b'"type":"won"', 1))
    assert problem.startswith("line 0 at result")
    assert result_line_violations(b"\n") == ["no result lines"]
