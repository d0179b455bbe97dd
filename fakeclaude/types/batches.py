"""Message Batches: the batch object, its per-request results (one JSONL line each), and deletion.

Timestamps are :data:`~fakeclaude.types._datetime.Timestamp` fields: ``datetime`` objects that write
back the exact text they were parsed from (``2026-08-19T14:47:10.487960+00:00`` stays as is).
"""

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import Tag

from ._base import BaseModel
from ._datetime import Timestamp
from ._tolerant import UNKNOWN, UnknownObject, tag_discriminator
from .errors import ErrorResponse
from .message import Message

__all__ = [
    "DeletedMessageBatch",
    "MessageBatch",
    "MessageBatchCanceledResult",
    "MessageBatchErroredResult",
    "MessageBatchExpiredResult",
    "MessageBatchIndividualResponse",
    "MessageBatchProcessingStatus",
    "MessageBatchRequestCounts",
    "MessageBatchResult",
    "MessageBatchSucceededResult",
    "UnknownBatchResult",
    "parse_batch",
    "parse_batch_result",
    "parse_batch_result_line",
]

MessageBatchProcessingStatus: TypeAlias = Literal["in_progress", "canceling", "ended"]
"""Known values of ``MessageBatch.processing_status`` (the field accepts any string)."""


class MessageBatchRequestCounts(BaseModel):
    """Requests by state; they stay in ``processing`` until the whole batch ends."""

    processing: int
    succeeded: int
    errored: int
    canceled: int
    expired: int


class MessageBatch(BaseModel):
    id: str
    type: Literal["message_batch"]
    processing_status: str
    request_counts: MessageBatchRequestCounts
    created_at: Timestamp
    expires_at: Timestamp
    ended_at: Timestamp | None = None
    archived_at: Timestamp | None = None
    cancel_initiated_at: Timestamp | None = None
    results_url: str | None = None


class DeletedMessageBatch(BaseModel):
    id: str
    type: Literal["message_batch_deleted"]


class MessageBatchSucceededResult(BaseModel):
    type: Literal["succeeded"]
    message: Message


class MessageBatchErroredResult(BaseModel):
    type: Literal["errored"]
    error: ErrorResponse


class MessageBatchCanceledResult(BaseModel):
    type: Literal["canceled"]


class MessageBatchExpiredResult(BaseModel):
    type: Literal["expired"]


class UnknownBatchResult(UnknownObject):
    """A batch result of a type this version does not know."""


MessageBatchResult: TypeAlias = Annotated[
    Annotated[MessageBatchSucceededResult, Tag("succeeded")]
    | Annotated[MessageBatchErroredResult, Tag("errored")]
    | Annotated[MessageBatchCanceledResult, Tag("canceled")]
    | Annotated[MessageBatchExpiredResult, Tag("expired")]
    | Annotated[UnknownBatchResult, Tag(UNKNOWN)],
    tag_discriminator(["succeeded", "errored", "canceled", "expired"]),
]


class MessageBatchIndividualResponse(BaseModel):
    """One line of a batch's results file."""

    custom_id: str
    result: MessageBatchResult


def parse_batch(data: Any) -> MessageBatch:
    return MessageBatch.model_validate(data)


def parse_batch_result(data: Any) -> MessageBatchIndividualResponse:
    return MessageBatchIndividualResponse.model_validate(data)


def parse_batch_result_line(line: str | bytes) -> MessageBatchIndividualResponse:
    """Validate one JSONL line of a results file."""
    return MessageBatchIndividualResponse.model_validate_json(line)
