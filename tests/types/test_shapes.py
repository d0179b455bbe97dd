"""Batches, models, pages and timestamps: shapes from the spec (sections 1.2, 1.3) and the recorded facts,
compared with the official SDK's types."""

from __future__ import annotations

import copy
import json
import pickle
import typing
from datetime import UTC, datetime, timedelta
from typing import Any

import anthropic.types as sdk
import anthropic.types.messages as sdk_batches
import pytest
from pydantic import Tag

from fakeclaude.types import (
    ContentBlock,
    DeletedMessageBatch,
    ErrorObject,
    MessageBatch,
    MessageBatchCanceledResult,
    MessageBatchErroredResult,
    MessageBatchExpiredResult,
    MessageBatchResult,
    MessageBatchSucceededResult,
    MessageTokensCount,
    ModelInfo,
    RawContentBlockDelta,
    RawMessageStreamEvent,
    TextCitation,
    ToolUseCaller,
    parse_batch,
    parse_batch_result_line,
    parse_model_info,
    parse_page,
)
from fakeclaude.types._datetime import WireDatetime

COUNTS = {"processing": 2, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
CREATED = "2026-03-02T09:15:00.250000+00:00"


def batch(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "msgbatch_01TestTestTestTestTestTest",
        "type": "message_batch",
        "processing_status": "in_progress",
        "request_counts": COUNTS,
        "ended_at": None,
        "created_at": CREATED,
        "expires_at": "2026-03-03T09:15:00.250000+00:00",
        "archived_at": None,
        "cancel_initiated_at": None,
        "results_url": None,
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    "body",
    [
        batch(),
        batch(created_at="2024-08-20T18:37:24.100435Z", expires_at="2024-08-21T18:37:24.100435Z"),
        batch(
            processing_status="ended",
            request_counts={**COUNTS, "processing": 0, "succeeded": 2},
            ended_at="2026-03-02T09:17:01.000001+00:00",
            results_url="https://api.anthropic.com/v1/messages/batches/msgbatch_01TestTestTestTestTestTest/results",
        ),
        batch(processing_status="canceling", cancel_initiated_at="2026-03-02T09:16:00.5+00:00"),
        batch(processing_status="archiving_2027"),
    ],
)
def test_batch_round_trips_exactly_and_matches_the_sdk(body: dict[str, Any]) -> None:
    ours = parse_batch(body)
    assert ours.to_dict() == body
    assert isinstance(ours.created_at, datetime)
    if body["processing_status"] in ("in_progress", "canceling", "ended"):
        theirs = sdk_batches.MessageBatch.model_validate(body)
        assert ours.created_at == theirs.created_at
        assert ours.expires_at == theirs.expires_at
        assert ours.ended_at == theirs.ended_at
        assert ours.request_counts.to_dict() == theirs.request_counts.model_dump()


def test_batch_results_lines() -> None:
    msg = {
        "id": "msg_011CTest",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5-20251001",
        "content": [{"type": "text", "text": "4"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 5, "service_tier": "batch"},
    }
    error = {
        "type": "error",
        "error": {"type": "invalid_request_error", "message": "bad"},
        "request_id": None,
    }
    results: list[tuple[dict[str, Any], type[Any]]] = [
        ({"custom_id": "a", "result": {"type": "succeeded", "message": msg}}, MessageBatchSucceededResult),
        ({"custom_id": "b", "result": {"type": "errored", "error": error}}, MessageBatchErroredResult),
        ({"custom_id": "c", "result": {"type": "canceled"}}, MessageBatchCanceledResult),
        ({"custom_id": "d", "result": {"type": "expired"}}, MessageBatchExpiredResult),
    ]
    for body, cls in results:
        line = json.dumps(body, separators=(",", ":"))
        ours = parse_batch_result_line(line)
        assert isinstance(ours.result, cls)
        assert ours.to_dict() == body
        theirs = sdk_batches.MessageBatchIndividualResponse.model_validate(body)
        assert (ours.custom_id, ours.result.type) == (theirs.custom_id, theirs.result.type)


def test_deleted_batch_and_batch_page() -> None:
    deleted = {"id": "msgbatch_01X", "type": "message_batch_deleted"}
    assert DeletedMessageBatch.model_validate(deleted).to_dict() == deleted
    page = {"data": [batch()], "has_more": True, "first_id": batch()["id"], "last_id": batch()["id"]}
    parsed = parse_page(MessageBatch, page)
    assert isinstance(parsed.data[0], MessageBatch)
    assert parsed.to_dict() == page


MODEL_2026 = {
    "type": "model",
    "id": "claude-sonnet-5",
    "display_name": "Claude Sonnet 5",
    "created_at": "2026-06-29T00:00:00Z",
    "max_input_tokens": 1000000,
    "max_tokens": 128000,
    "capabilities": {
        "batch": {"supported": True},
        "citations": {"supported": True},
        "effort": {"supported": True, "low": {"supported": True}, "xhigh": {"supported": False}},
        "thinking": {
            "supported": True,
            "types": {"enabled": {"supported": True}, "adaptive": {"supported": True}},
        },
        "teleportation": {"supported": False},
    },
    "lifecycle": "active",
}


@pytest.mark.parametrize(
    "body",
    [
        {
            "type": "model",
            "id": "claude-3-haiku-20240307",
            "display_name": "Claude Haiku 3",
            "created_at": "2024-03-07T00:00:00Z",
        },
        MODEL_2026,
        {**MODEL_2026, "lifecycle": "deprecated", "retires_at": "2027-01-01T00:00:00Z", "line": "sonnet"},
    ],
)
def test_model_info_round_trips(body: dict[str, Any]) -> None:
    ours = parse_model_info(body)
    assert ours.to_dict() == body
    assert ours.created_at == datetime.fromisoformat(body["created_at"])
    if "lifecycle" in body:  # the SDK 2.13 model requires it
        # (the SDK requires every capability; compare the rest)
        theirs = sdk.ModelInfo.model_validate({k: v for k, v in body.items() if k != "capabilities"})
        assert (ours.id, ours.created_at, ours.max_tokens) == (
            theirs.id,
            theirs.created_at,
            theirs.max_tokens,
        )


def test_model_page() -> None:
    page = {
        "data": [MODEL_2026],
        "has_more": False,
        "first_id": "claude-sonnet-5",
        "last_id": "claude-sonnet-5",
    }
    parsed = parse_page(ModelInfo, page)
    assert parsed.data[0].capabilities is not None
    assert parsed.data[0].capabilities.effort is not None
    assert parsed.data[0].capabilities.effort.supported is True
    assert parsed.to_dict() == page


def test_count_tokens() -> None:
    assert MessageTokensCount.model_validate({"input_tokens": 14}).to_dict() == {"input_tokens": 14}


# --- timestamps ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-08-19T14:47:10.487960+00:00",
        "2025-11-24T00:00:00Z",
        "2024-08-20T18:37:24.100435Z",
        "2026-01-01T00:00:00.5+02:00",
    ],
)
def test_timestamp_text_is_kept_exactly(text: str) -> None:
    parsed = parse_batch(batch(created_at=text))
    assert isinstance(parsed.created_at, WireDatetime)
    assert parsed.created_at == datetime.fromisoformat(text)
    assert parsed.to_dict()["created_at"] == text
    assert copy.deepcopy(parsed).to_dict()["created_at"] == text
    assert pickle.loads(pickle.dumps(parsed)).to_dict()["created_at"] == text
    assert parsed.model_dump()["created_at"] == datetime.fromisoformat(text)  # python mode: a datetime


def test_datetimes_given_by_code_are_written_with_isoformat() -> None:
    now = datetime(2026, 8, 19, 14, 47, 10, 487960, tzinfo=UTC)
    built = MessageBatch(
        id="msgbatch_01X",
        type="message_batch",
        processing_status="in_progress",
        request_counts=COUNTS,
        created_at=now,
        expires_at=now + timedelta(hours=24),
    )
    assert built.to_dict()["created_at"] == "2026-08-19T14:47:10.487960+00:00"
    assert built.to_dict()["expires_at"] == "2026-08-20T14:47:10.487960+00:00"
    derived = parse_batch(batch()).created_at + timedelta(seconds=1)  # arithmetic forgets the old text
    assert _serialised_created_at(derived) == "2026-03-02T09:15:01.250000+00:00"


def test_bad_timestamp_is_rejected() -> None:
    with pytest.raises(ValueError, match="timestamp"):
        parse_batch(batch(created_at="yesterday"))


# --- unions: every Tag is what the discriminator answers for that tag -------------------------------


@pytest.mark.parametrize(
    "union",
    [
        ContentBlock,
        TextCitation,
        ToolUseCaller,
        RawContentBlockDelta,
        RawMessageStreamEvent,
        ErrorObject,
        MessageBatchResult,
    ],
)
def test_union_tags_match_the_discriminator(union: Any) -> None:
    members, discriminator = typing.get_args(union)[0], typing.get_args(union)[1]
    for member in typing.get_args(members):
        cls, tag = typing.get_args(member)[0], next(m for m in member.__metadata__ if isinstance(m, Tag)).tag
        assert discriminator.discriminator({"type": tag}) == tag
        if tag != "unknown":
            assert typing.get_args(cls.model_fields["type"].annotation) == (tag,), cls
    assert discriminator.discriminator({"type": "never-seen"}) == "unknown"


def _serialised_created_at(value: datetime) -> str:
    built = parse_batch(batch())
    created: str = built.model_copy(update={"created_at": value}).to_dict()["created_at"]
    return created
