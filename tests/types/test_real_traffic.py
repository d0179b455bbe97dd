"""Every Anthropic response recorded in ../shared/real-traffic parses, round-trips exactly through
``to_dict()``, and agrees with the official SDK's own types on the fields users read."""

from __future__ import annotations

import functools
import re
from typing import Any

import anthropic.types as sdk
import pydantic
import pytest
from anthropic._models import construct_type  # the SDK client's own (lenient) response parser
from anthropic.types.beta import BetaMessage

from fakeclaude.types import (
    ErrorResponse,
    Message,
    MessageBatch,
    MessageTokensCount,
    ModelInfo,
    PingEvent,
    UnknownBlock,
    UnknownDelta,
    UnknownEvent,
    parse_error,
    parse_message,
    parse_page,
    parse_stream_event,
)
from tests.real_traffic import INTERACTIONS, interactions

TRAFFIC = INTERACTIONS

_MESSAGES = re.compile(r"/v1/messages(\?|$)")
_COUNT = re.compile(r"/v1/messages/count_tokens(\?|$)")
_BATCH = re.compile(r"/v1/messages/batches/[^/?]+(\?|$)")
_BATCHES = re.compile(r"/v1/messages/batches(\?|$)")
_MODEL = re.compile(r"/v1/models/[^/?]+(\?|$)")
_MODELS = re.compile(r"/v1/models(\?|$)")


def _status(record: dict[str, Any]) -> int | None:
    status = record["status"]
    if isinstance(status, dict):  # one recorder stored {"code": 200, "message": "OK"}
        status = status.get("code")
    return status if isinstance(status, int) else None


def _kind(record: dict[str, Any]) -> str | None:
    """Which wire model answers this record, or None when it is not an Anthropic API answer."""
    url, status = record["url"], _status(record)
    anthropic_host = url.startswith("https://api.anthropic.com/") or "/anthropic/v1/" in url
    if not anthropic_host or status is None:
        return None
    body = record.get("resp_json")
    if status >= 400:
        return "error" if isinstance(body, dict) and body.get("type") == "error" else None
    if record.get("resp_sse") is not None:
        return "stream" if _MESSAGES.search(url) else None
    if body is None:
        return None
    for pattern, kind in (
        (_MESSAGES, "message"),
        (_COUNT, "count_tokens"),
        (_BATCH, "batch"),
        (_BATCHES, "batch" if record["method"] == "POST" else "batch_page"),
        (_MODEL, "model"),
        (_MODELS, "model_page"),
    ):
        if pattern.search(url):
            return kind
    return None


def _load() -> list[Any]:
    """One test per recording project (its Anthropic answers, in order)."""
    if not TRAFFIC.exists():
        return [pytest.param([], id="no-real-traffic")]
    files: dict[str, list[dict[str, Any]]] = {}
    for record in interactions():
        if _kind(record) is not None:
            files.setdefault(record["repo"], []).append(record)
    return [pytest.param(records, id=name) for name, records in files.items()]


RECORDS = _load()


@functools.cache
def _sdk_adapter(type_: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(type_)


def _sdk(type_: Any, data: Any) -> Any:
    """The SDK's view of ``data``: strict validation, else the lenient path its client really uses."""
    try:
        return _sdk_adapter(type_).validate_python(data)
    except pydantic.ValidationError:
        return construct_type(type_=type_, value=data)


def _sdk_message(data: dict[str, Any]) -> Any:
    """The SDK's view of a Message; beta-only blocks need the beta type."""
    try:
        return sdk.Message.model_validate(data)
    except pydantic.ValidationError:
        return _sdk(BetaMessage, data)


def _check_message(ours: Message, data: dict[str, Any]) -> None:
    theirs = _sdk_message(data)
    for field in ("id", "type", "role", "model", "stop_reason", "stop_sequence"):
        assert getattr(ours, field) == getattr(theirs, field), field
    for field in ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"):
        assert getattr(ours.usage, field) == getattr(theirs.usage, field), field
    assert ours.usage.service_tier == theirs.usage.service_tier
    assert [b.type for b in ours.content] == [b.type for b in theirs.content]
    for mine, sdks in zip(ours.content, theirs.content, strict=True):
        for attr in ("text", "id", "name", "input", "thinking", "signature", "data", "tool_use_id"):
            if hasattr(sdks, attr) and getattr(sdks, attr) is not None:
                assert getattr(mine, attr) == getattr(sdks, attr), attr


def _check_event(data: dict[str, Any]) -> None:
    event = parse_stream_event(data)
    assert event.to_dict() == data
    assert event.type == data["type"]
    if data["type"] == "ping":
        assert isinstance(event, PingEvent)
        return
    assert not isinstance(event, UnknownEvent), data["type"]
    if data["type"] == "message_start":
        _check_message(event.message, data["message"])  # type: ignore[union-attr]
        return
    if isinstance(getattr(event, "delta", None), UnknownDelta):
        return  # a beta delta (e.g. compaction_delta): kept, unknown to the SDK's GA union too
    if isinstance(getattr(event, "content_block", None), UnknownBlock):
        return  # a beta block (e.g. mcp_tool_use): kept, unknown to the SDK's GA union too
    theirs = _sdk(sdk.RawMessageStreamEvent, data)
    assert theirs.type == event.type
    if "index" in data:
        assert theirs.index == event.index  # type: ignore[union-attr]
    if data["type"] == "message_delta":
        assert theirs.delta.stop_reason == event.delta.stop_reason  # type: ignore[union-attr]
        assert theirs.usage.output_tokens == event.usage.output_tokens  # type: ignore[union-attr]
    if data["type"] == "content_block_delta":
        assert theirs.delta.type == data["delta"]["type"] == event.delta.type  # type: ignore[union-attr]
    if data["type"] == "content_block_start":
        assert theirs.content_block.type == event.content_block.type  # type: ignore[union-attr]


@pytest.mark.parametrize("records", RECORDS)
def test_recorded_responses_round_trip(records: list[dict[str, Any]]) -> None:
    if not records:
        pytest.skip(f"real traffic not available at {TRAFFIC} (outside the project's workspace)")
    for record in records:
        try:
            _check_record(record)
        except Exception as exc:
            where = f"{record['path']} #{record['idx']}: {record['method']} {record['url']}"
            raise AssertionError(where) from exc


def _check_record(record: dict[str, Any]) -> None:
    kind = _kind(record)
    body = record.get("resp_json")
    if kind == "message":
        message = parse_message(body)
        assert message.to_dict() == body
        _check_message(message, body)
    elif kind == "stream":
        events = record["resp_sse"]
        assert events, "empty stream"
        for event in events:
            assert event["event"] == event["data"]["type"]
            _check_event(event["data"])
    elif kind == "count_tokens":
        count = MessageTokensCount.model_validate(body)
        assert count.to_dict() == body
        assert count.input_tokens == sdk.MessageTokensCount.model_validate(body).input_tokens
    elif kind == "error":
        error = parse_error(body)
        assert error.to_dict() == body
        theirs = sdk.ErrorResponse.model_validate(body)
        assert (error.error.type, error.error.message, error.request_id) == (
            theirs.error.type,
            theirs.error.message,
            theirs.request_id,
        )
    elif kind == "batch":
        batch = MessageBatch.model_validate(body)
        assert batch.to_dict() == body
    elif kind in ("batch_page", "model_page"):
        page = parse_page(MessageBatch if kind == "batch_page" else ModelInfo, body)
        assert page.to_dict() == body
    elif kind == "model":
        info = ModelInfo.model_validate(body)
        assert info.to_dict() == body
    else:  # pragma: no cover - _kind only yields the kinds above
        raise AssertionError(kind)


def test_real_traffic_covers_every_family() -> None:
    if not TRAFFIC.exists():
        pytest.skip(f"real traffic not available at {TRAFFIC}")
    kinds = {_kind(record) for p in RECORDS for record in p.values[0]}
    assert {"message", "stream", "count_tokens", "error"} <= kinds
    assert isinstance(ErrorResponse, type)
