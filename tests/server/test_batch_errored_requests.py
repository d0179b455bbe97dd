"""A batch with invalid requests is accepted and reports them ``errored`` (2026 spec section 11, issue #11 item 5).

Driven the way apps drive it: the official ``anthropic`` SDK, unchanged, in-process (httpx2 transport) and
over the real aiohttp server on loopback, and ``fakeclaude.Anthropic``; ``fakeclaude serve
--batch-processing-seconds`` keeps a batch in progress so that cancel can be tried.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.contract import validate_request
from fakeclaude.server import FakeClaude, FakeClock

from ..cli_support import fakeclaude_command

HAIKU = "claude-haiku-4-5"
USER = [{"role": "user", "content": "Say hi."}]


def params(**over: Any) -> dict[str, Any]:
    return {"model": HAIKU, "max_tokens": 64, "messages": USER, **over}


def nested(depth: int) -> dict[str, Any]:
    inner: dict[str, Any] = {}
    for _ in range(depth):
        inner = {"a": inner}
    return inner


DEEP_TOOL_TURNS = [
    {"role": "user", "content": "Call t."},
    {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "t", "input": nested(500)}]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "done"}]},
]
#: One valid request and the invalid ones the API was recorded erroring, with their recorded texts.
MIXED: list[tuple[str, dict[str, Any], str, str]] = [
    ("ok", params(), "", ""),
    ("bad-model", params(model="claude-does-not-exist-9"), "not_found_error", "model: claude-does-not-exist-9"),
    ("too-many", params(max_tokens=9999999), "invalid_request_error",
     "max_tokens: 9999999 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001"),
    ("streamed", params(stream=True), "invalid_request_error", '"stream=True" is not supported in the Message Batches API'),
    ("zero", params(max_tokens=0), "invalid_request_error", "max_tokens: must be greater than or equal to 1"),
    ("no-messages", {"model": HAIKU, "max_tokens": 64}, "invalid_request_error", "messages: Field required"),
]  # fmt: skip


def requests_of(rows: list[tuple[str, dict[str, Any], str, str]]) -> list[dict[str, Any]]:
    return [{"custom_id": custom_id, "params": p} for custom_id, p, _, _ in rows]


def sdk_in_process(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="k", base_url="http://fake", max_retries=0,
                               http_client=httpx2.Client(transport=fake.httpx2_transport()))


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=0, clock=FakeClock())


@pytest.fixture(params=["in-process", "loopback"])
def sdk(request: pytest.FixtureRequest, fake: FakeClaude) -> Iterator[anthropic.Anthropic]:
    if request.param == "in-process":
        yield sdk_in_process(fake)
        return
    with fake.serve() as base_url:
        yield anthropic.Anthropic(api_key="k", base_url=base_url, max_retries=0)


def test_invalid_requests_are_accepted_then_errored_with_the_recorded_rows(sdk: anthropic.Anthropic) -> None:
    batch = sdk.messages.batches.create(requests=requests_of(MIXED))  # type: ignore[arg-type]
    assert batch.processing_status == "in_progress" and batch.request_counts.processing == len(MIXED)
    ended = sdk.messages.batches.retrieve(batch.id)
    assert ended.processing_status == "ended"
    assert ended.request_counts.to_dict() == {"processing": 0, "succeeded": 1, "errored": 5, "canceled": 0,
                                              "expired": 0}
    results = {row.custom_id: row.result for row in sdk.messages.batches.results(batch.id)}
    assert results["ok"].type == "succeeded" and results["ok"].message.usage.service_tier == "batch"
    for custom_id, _, kind, message in MIXED[1:]:
        result = results[custom_id]
        assert result.type == "errored", custom_id
        assert (result.error.error.type, result.error.error.message) == (kind, message)
        assert result.error.request_id is None  # refused before running: no request id, as recorded


def test_the_errored_line_is_byte_for_byte_the_recorded_one(fake: FakeClaude) -> None:
    sdk = sdk_in_process(fake)
    batch = sdk.messages.batches.create(requests=requests_of(MIXED))  # type: ignore[arg-type]
    sdk.messages.batches.retrieve(batch.id)
    raw = sdk.messages.batches.with_raw_response.results(batch.id).http_response.text  # type: ignore[attr-defined]
    lines = {json.loads(line)["custom_id"]: line for line in raw.splitlines()}
    assert lines["bad-model"] == (
        '{"custom_id":"bad-model","result":{"type":"errored","error":{"type":"error","error":{"details":'
        '{"error_visibility":"user_facing"},"type":"not_found_error","message":"model: claude-does-not-exist-9"},'
        '"request_id":null}}}'
    )
    for custom_id, line in lines.items():  # errored rows are not billed: no usage anywhere in them
        assert ("usage" in line) == (custom_id == "ok")


def test_errored_rows_say_exactly_what_the_contract_predicts(fake: FakeClaude) -> None:
    body = {"requests": requests_of(MIXED)}
    predicted: dict[str, tuple[str, str]] = {}
    for v in validate_request(body, endpoint="batches"):
        assert v.custom_id is not None  # nothing refuses the create
        predicted.setdefault(v.custom_id, (v.type, v.message))
    sdk = sdk_in_process(fake)
    batch = sdk.messages.batches.create(**body)  # type: ignore[arg-type]
    sdk.messages.batches.retrieve(batch.id)
    got = {row.custom_id: (row.result.error.error.type, row.result.error.error.message)
           for row in sdk.messages.batches.results(batch.id) if row.result.type == "errored"}
    assert got == predicted == {custom_id: (kind, message) for custom_id, _, kind, message in MIXED[1:]}


def test_an_all_errored_batch_ends_normally_and_its_results_download(sdk: anthropic.Anthropic) -> None:
    batch = sdk.messages.batches.create(requests=requests_of(MIXED[1:]))  # type: ignore[arg-type]
    ended = sdk.messages.batches.retrieve(batch.id)
    assert ended.processing_status == "ended" and ended.results_url is not None
    assert ended.request_counts.errored == 5 and ended.request_counts.succeeded == 0
    assert sorted(row.result.type for row in sdk.messages.batches.results(batch.id)) == ["errored"] * 5


@pytest.mark.parametrize(("requests", "message"), [
    ([{"custom_id": "dup", "params": params()}, {"custom_id": "dup", "params": params()}],
     "requests: custom_id's must be unique within a batch. Duplicate custom_id found: dup"),
    ([{"params": params()}], "requests.0.custom_id: Field required"),
    ([{"custom_id": "x" * 65, "params": params()}], "requests.0.custom_id: String should have at most 64 characters"),
    ([{"custom_id": "a b", "params": params()}],
     "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"),
    ([], "requests: List should have at least 1 item after validation, not 0"),
])  # fmt: skip
def test_only_envelope_problems_refuse_the_create(sdk: anthropic.Anthropic, requests: list[Any], message: str) -> None:
    with pytest.raises(anthropic.BadRequestError) as info:
        sdk.messages.batches.create(requests=requests)
    assert info.value.status_code == 400 and info.value.body["error"]["message"] == message  # type: ignore[index]


def test_malformed_json_refuses_the_create(fake: FakeClaude) -> None:
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as http:
        answer = http.post("/v1/messages/batches", content=b'{"requests": [', headers={
            "x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith("There was an error parsing the body of your request as JSON")


def test_params_are_checked_with_the_create_calls_version(fake: FakeClaude) -> None:
    sdk = sdk_in_process(fake)
    rows = [{"custom_id": "sampled", "params": params(temperature=0.5)}]
    newer = sdk.messages.batches.create(requests=rows, extra_headers={"anthropic-version": "2026-10-21"})  # type: ignore[arg-type]
    older = sdk.messages.batches.create(requests=rows, extra_headers={"anthropic-version": "2023-06-01"})  # type: ignore[arg-type]
    sdk.messages.batches.retrieve(newer.id)
    sdk.messages.batches.retrieve(older.id)
    (refused,) = sdk.messages.batches.results(newer.id)
    assert refused.result.type == "errored"
    assert refused.result.error.error.message == "temperature: Extra inputs are not permitted"
    assert [row.result.type for row in sdk.messages.batches.results(older.id)] == ["succeeded"]


def test_a_tool_input_nested_500_levels_is_answered_as_create_answers_it(sdk: anthropic.Anthropic) -> None:
    deep = params(messages=DEEP_TOOL_TURNS, tools=[{"name": "t", "input_schema": {"type": "object"}}])
    assert sdk.messages.create(**deep).type == "message"
    batch = sdk.messages.batches.create(requests=[{"custom_id": "deep", "params": deep}])  # type: ignore[list-item]
    sdk.messages.batches.retrieve(batch.id)
    assert [row.result.type for row in sdk.messages.batches.results(batch.id)] == ["succeeded"]


def test_fakeclaude_client_sees_the_same_errored_requests(fake: FakeClaude) -> None:
    client = fake.client()
    batch = client.messages.batches.create(requests=requests_of(MIXED[:2]))  # type: ignore[arg-type]
    assert client.messages.batches.retrieve(batch.id).request_counts.errored == 1
    by_id = {row.custom_id: row.result for row in client.messages.batches.results(batch.id)}
    assert by_id["ok"].type == "succeeded"
    assert by_id["bad-model"].type == "errored"
    assert by_id["bad-model"].error.error.message == "model: claude-does-not-exist-9"  # type: ignore[union-attr]


def test_serve_keeps_batches_in_progress_so_cancel_can_be_tried() -> None:
    with fakeclaude_command("serve", "--no-access-log", "--batch-processing-seconds", "600") as base_url:
        sdk = anthropic.Anthropic(api_key="k", base_url=base_url, max_retries=0)
        batch = sdk.messages.batches.create(requests=requests_of(MIXED[:2]))  # type: ignore[arg-type]
        polled = sdk.messages.batches.with_raw_response.retrieve(batch.id)
        assert polled.parse().processing_status == "in_progress"
        assert polled.headers["retry-after"] == "10"  # as the API answers polls of a batch still processing
        with pytest.raises(anthropic.AnthropicError, match="No `results_url`"):
            list(sdk.messages.batches.results(batch.id))  # the SDK checks results_url first
        early = httpx2.get(f"{base_url}/v1/messages/batches/{batch.id}/results",
                           headers={"x-api-key": "k", "anthropic-version": "2023-06-01"})
        assert early.status_code == 404
        assert early.json()["error"]["message"] == f"Message Batch {batch.id} has no available results."
        with pytest.raises(anthropic.BadRequestError, match="In progress batches cannot be deleted"):
            sdk.messages.batches.delete(batch.id)
        assert sdk.messages.batches.cancel(batch.id).processing_status == "canceling"
        ended = sdk.messages.batches.with_raw_response.retrieve(batch.id)
        assert ended.parse().processing_status == "ended" and "retry-after" not in ended.headers
        assert ended.parse().request_counts.canceled == 2
        assert sorted(row.result.type for row in sdk.messages.batches.results(batch.id)) == ["canceled", "canceled"]
        assert sdk.messages.batches.delete(batch.id).type == "message_batch_deleted"
