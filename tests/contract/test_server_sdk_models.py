"""Every answer of the fake server validates against the official SDK's own response models, strictly.

Strictly means: ``model_validate_json(raw, strict=True)`` on the raw bytes the fake sent (no coercion:
an int must be an int, a literal one of the SDK's literals), and no field the SDK does not know (the
SDK's models allow extras; a key the SDK has never heard of is a typo or an invented field, so each
parsed model's ``model_extra`` must be empty, recursively). Requests go through
``fake.httpx2_transport()`` on an ``httpx2.Client``: the path the official SDK takes.

Covered: Message (plain, multi-turn, system, tools auto/any/tool/none, tool results, thinking enabled
and adaptive, prefill, stop sequences, the ``max_tokens`` cut, images, PDFs, text documents, scripted
replies with every block kind), each streamed too (every event a ``RawMessageStreamEvent``),
``MessageTokensCount``, the batch lifecycle (``MessageBatch``, ``MessageBatchIndividualResponse`` lines,
``DeletedMessageBatch``), ``ModelInfo`` (list and retrieve) and error bodies (``ErrorResponse``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeVar

import anthropic.types as sdk
import httpx2
import pydantic
import pytest
from anthropic.types.messages import DeletedMessageBatch, MessageBatch, MessageBatchIndividualResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakeclaude.server import FakeClaude, FakeClock, Reply, redacted_thinking, text, thinking, tool_use

from .requests_support import REQUESTS, SONNET, WEATHER, base, create_bodies

HEADERS = {"x-api-key": "sk-ant-contract", "anthropic-version": "2023-06-01", "content-type": "application/json"}
EVENT = pydantic.TypeAdapter(sdk.RawMessageStreamEvent)
M = TypeVar("M", bound=pydantic.BaseModel)
SDK_ERROR_TYPES = {"invalid_request_error", "authentication_error", "billing_error", "permission_error",
                   "not_found_error", "rate_limit_error", "timeout_error", "api_error", "overloaded_error"}


# ----- strict validation ---------------------------------------------------------------------------------
def no_extras(value: Any, where: str = "$") -> None:
    """Fail on any field the SDK's models do not declare, anywhere in ``value``."""
    if isinstance(value, pydantic.BaseModel):
        assert not value.model_extra, f"{where} ({type(value).__name__}): fields unknown to the SDK {value.model_extra}"
        for name in type(value).model_fields:
            no_extras(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            no_extras(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            no_extras(item, f"{where}.{key}")


def strict(model: type[M], raw: bytes | str) -> M:
    parsed = model.model_validate_json(raw, strict=True)
    no_extras(parsed)
    return parsed


def strict_event(raw: str) -> Any:
    parsed = EVENT.validate_json(raw, strict=True)
    no_extras(parsed)
    return parsed


def sse_data(raw: bytes) -> Iterator[tuple[str, str]]:
    for frame in raw.decode().split("\n\n"):
        if frame.strip():
            name, data = frame.split("\n")
            assert name.startswith("event: ") and data.startswith("data: "), frame
            yield name[len("event: "):], data[len("data: "):]


# ----- wiring --------------------------------------------------------------------------------------------
def wire(fake: FakeClaude) -> httpx2.Client:
    return httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fakeclaude.local", headers=HEADERS)


def create(fake: FakeClaude, body: dict[str, Any]) -> httpx2.Response:
    with wire(fake) as client:
        response = client.post("/v1/messages", content=json.dumps(body).encode())
        response.read()
    return response


def check_message(response: httpx2.Response) -> sdk.Message:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return strict(sdk.Message, response.content)


def check_stream(response: httpx2.Response) -> list[Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = []
    for name, data in sse_data(response.content):
        if name == "ping":  # not a RawMessageStreamEvent: the SDK skips it; the real API sends it with a space
            assert data == '{"type": "ping"}'
            continue
        event = strict_event(data)
        assert event.type == name
        events.append(event)
    assert events[0].type == "message_start" and events[-1].type == "message_stop"
    return events


def check_both(body: dict[str, Any], *, script: Any = None, model: str | None = None) -> sdk.Message:
    """The answer to ``body``, plain and streamed (each from a fresh fake, scripted alike), validated."""
    messages = []
    for stream in (False, True):
        fake = FakeClaude(seed=3, clock=FakeClock())
        if script is not None:
            fake.reply(script)
        response = create(fake, {**body, "stream": stream})
        if stream:
            check_stream(response)
        else:
            messages.append(check_message(response))
    if model is not None:
        assert messages[0].model == model
    return messages[0]


@pytest.mark.parametrize("name", list(REQUESTS))
def test_generated_answers_validate_against_the_sdk(name: str) -> None:
    message = check_both(REQUESTS[name])
    assert message.content or message.stop_reason == "max_tokens"


CITATION = {"type": "char_location", "cited_text": "The sky is blue.", "document_index": 0,
            "document_title": "Sky", "start_char_index": 0, "end_char_index": 16, "file_id": None}
SCRIPTS: dict[str, Any] = {
    "text": "Paris is sunny.",
    "text with citations": text("The sky is blue.", citations=[CITATION]),
    "tool_use with input": [text("Let me check."), tool_use("get_weather", {"city": "Paris", "unit": "c"})],
    "tool_use generated input": tool_use("get_weather"),
    "thinking": [thinking("Let me think about Paris."), text("Sunny.")],
    "thinking with signature": [thinking("Hmm.", signature="EqQBCkYIBxgCKkD"), text("Sunny.")],
    "redacted_thinking": [redacted_thinking(), text("Sunny.")],
    "server tool": Reply([
        text("Searching."),
        {"type": "server_tool_use", "id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE", "name": "web_search",
         "input": {"query": "paris weather"}},
        {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE",
         "content": [{"type": "web_search_result", "url": "https://example.com", "title": "Weather",
                      "encrypted_content": "abc", "page_age": None}]},
        text("It is sunny."),
    ], usage={"server_tool_use": {"web_search_requests": 1, "web_fetch_requests": 0}}),
    "pause_turn": Reply([text("Working.")], stop_reason="pause_turn"),
    "refusal": Reply([], stop_reason="refusal",
                     stop_details={"type": "refusal", "category": "cyber", "explanation": "No."}),
    "stop sequence in scripted text": Reply(["one two STOP three"]),
    "long text": " ".join(f"word{i}" for i in range(300)),
}


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_scripted_answers_validate_against_the_sdk(name: str) -> None:
    tools = [WEATHER] if name.startswith("tool_use") else []
    body = base(stop_sequences=["STOP"]) if "stop sequence" in name else base()
    if name.startswith("thinking"):
        body.update(max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 1024})
    if tools:
        body["tools"] = tools
    if name == "text with citations":  # a scripted citation points into a document the request sent
        body["messages"] = [{"role": "user", "content": [
            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "The sky is blue."},
             "title": "Sky", "citations": {"enabled": True}},
            {"type": "text", "text": "What colour is the sky?"}]}]
    message = check_both(body, script=SCRIPTS[name])
    if name == "refusal":
        assert message.stop_reason == "refusal" and message.stop_details is not None
    if "stop sequence" in name:
        assert (message.stop_reason, message.stop_sequence) == ("stop_sequence", "STOP")


# ----- Hypothesis: generated valid requests ------------------------------------------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=create_bodies(), seed=st.integers(0, 2**32))
def test_any_valid_request_gets_answers_the_sdk_accepts(body: dict[str, Any], seed: int) -> None:
    for stream in (False, True):
        fake = FakeClaude(seed=seed, clock=FakeClock())
        response = create(fake, {**body, "stream": stream})
        if stream:
            check_stream(response)
        else:
            message = check_message(response)
            assert message.usage.output_tokens <= body["max_tokens"]


# ----- count_tokens, batches, models, errors -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["plain", "tools auto", "thinking enabled", "pdf", "image base64", "system string"])
def test_count_tokens_validates(name: str) -> None:
    body = dict(REQUESTS[name])
    body.pop("max_tokens")
    with wire(FakeClaude(seed=1, clock=FakeClock())) as client:
        response = client.post("/v1/messages/count_tokens", json=body)
    assert response.status_code == 200, response.text
    assert strict(sdk.MessageTokensCount, response.content).input_tokens > 0


def test_batch_lifecycle_validates() -> None:
    clock = FakeClock()
    fake = FakeClaude(seed=2, clock=clock, batch_processing_seconds=60)
    fake.on(last_user_text="please fail").error(529)
    requests = [{"custom_id": f"r{i}", "params": REQUESTS[name]}
                for i, name in enumerate(["plain", "tools any", "thinking enabled", "prefill"])]
    requests.append({"custom_id": "bad", "params": base(messages=[{"role": "user", "content": "please fail"}])})
    with wire(fake) as client:
        created = strict(MessageBatch, client.post("/v1/messages/batches", json={"requests": requests}).content)
        assert created.processing_status == "in_progress" and created.request_counts.processing == 5
        canceled_batch = strict(MessageBatch, client.post("/v1/messages/batches",
                                                          json={"requests": requests[:2]}).content)
        canceling = strict(MessageBatch, client.post(f"/v1/messages/batches/{canceled_batch.id}/cancel").content)
        assert canceling.processing_status == "canceling" and canceling.cancel_initiated_at is not None
        clock.advance(61)
        ended = strict(MessageBatch, client.get(f"/v1/messages/batches/{created.id}").content)
        assert ended.processing_status == "ended" and ended.results_url
        listing = client.get("/v1/messages/batches", params={"limit": 10}).json()
        assert {b["id"] for b in listing["data"]} == {created.id, canceled_batch.id}
        for entry in listing["data"]:
            strict(MessageBatch, json.dumps(entry))
        results = client.get(f"/v1/messages/batches/{created.id}/results")
        assert results.headers["content-type"] == "application/x-jsonl"
        lines = [strict(MessageBatchIndividualResponse, line) for line in results.text.splitlines() if line]
        kinds = {line.custom_id: line.result.type for line in lines}
        assert kinds == {"r0": "succeeded", "r1": "succeeded", "r2": "succeeded", "r3": "succeeded", "bad": "errored"}
        for line in lines:
            if line.result.type == "succeeded":
                assert line.result.message.usage.service_tier == "batch"
        canceled_lines = client.get(f"/v1/messages/batches/{canceled_batch.id}/results").text.splitlines()
        for raw in canceled_lines:
            strict(MessageBatchIndividualResponse, raw)
        deleted = strict(DeletedMessageBatch, client.delete(f"/v1/messages/batches/{created.id}").content)
        assert deleted.id == created.id
        assert client.get(f"/v1/messages/batches/{created.id}").status_code == 404


def test_models_validate() -> None:
    with wire(FakeClaude(seed=1)) as client:
        seen: list[str] = []
        after: str | None = None
        while True:
            page = client.get("/v1/models", params={"limit": 7, **({"after_id": after} if after else {})})
            assert page.status_code == 200, page.text
            payload = page.json()
            assert set(payload) == {"data", "has_more", "first_id", "last_id"}
            for entry in payload["data"]:
                strict(sdk.ModelInfo, json.dumps(entry))
                seen.append(entry["id"])
            if not payload["has_more"]:
                break
            after = payload["last_id"]
        assert len(seen) == len(set(seen)) > 10
        for model_id in [*seen, "claude-sonnet-4-5", "claude-3-5-haiku-latest"]:
            response = client.get(f"/v1/models/{model_id}")
            assert response.status_code == 200, response.text
            strict(sdk.ModelInfo, response.content)


def _error_cases() -> Iterator[tuple[str, Any]]:
    yield "bad json", ("POST", "/v1/messages", b"{", {})
    yield "empty body", ("POST", "/v1/messages", b"", {})
    yield "missing field", ("POST", "/v1/messages", json.dumps({"model": SONNET}).encode(), {})
    yield "unknown model", ("POST", "/v1/messages", json.dumps(base(model="claude-nope")).encode(), {})
    yield "no key", ("POST", "/v1/messages", json.dumps(base()).encode(), {"x-api-key": ""})
    yield "bad version", ("POST", "/v1/messages", json.dumps(base()).encode(), {"anthropic-version": "1999-01-01"})
    yield "unknown path", ("GET", "/v1/nothing", b"", {})
    yield "wrong method", ("GET", "/v1/messages", b"", {})
    yield "unknown batch", ("GET", "/v1/messages/batches/msgbatch_nope", b"", {})
    yield "unknown model info", ("GET", "/v1/models/claude-nope", b"", {})
    yield "stream validation error", ("POST", "/v1/messages", json.dumps(base(model="claude-nope", stream=True)).encode(), {})
    yield "bad tool_choice", ("POST", "/v1/messages", json.dumps(base(tool_choice={"type": "any"})).encode(), {})
    yield "count_tokens bad", ("POST", "/v1/messages/count_tokens", json.dumps({"model": SONNET}).encode(), {})
    yield "batch bad", ("POST", "/v1/messages/batches", json.dumps({"requests": [{"custom_id": "a"}]}).encode(), {})


@pytest.mark.parametrize(("name", "case"), list(_error_cases()))
def test_error_bodies_validate(name: str, case: tuple[str, str, bytes, dict[str, str]]) -> None:
    method, path, content, headers = case
    with wire(FakeClaude(seed=1)) as client:
        response = client.request(method, path, content=content, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/json"
    error = strict(sdk.ErrorResponse, response.content)
    assert error.request_id == response.headers["request-id"]


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 408, 413, 429, 500, 503, 504, 529])
def test_scripted_error_bodies_validate(status: int) -> None:
    fake = FakeClaude(seed=1)
    fake.error(status)
    response = create(fake, base())
    assert response.status_code == status
    payload = response.json()
    assert set(payload) == {"type", "error", "request_id"} and set(payload["error"]) == {"type", "message"}
    if payload["error"]["type"] in SDK_ERROR_TYPES:
        strict(sdk.ErrorResponse, response.content)
    else:  # request_too_large (413) is the API's documented type; SDK 2.13's ErrorResponse union lacks it
        assert (status, payload["error"]["type"]) == (413, "request_too_large")
