"""Bodies and query parameters of the Message Batches endpoints."""

from collections.abc import Sequence
from typing import Required

from typing_extensions import TypedDict

from ._create import MessageCreateParamsNonStreaming

__all__ = ["BatchCreateParams", "BatchListParams", "Request"]


class Request(TypedDict, total=False):
    """One request of a batch: your ``custom_id`` and the create parameters (no streaming)."""

    custom_id: Required[str]
    params: Required[MessageCreateParamsNonStreaming]


class BatchCreateParams(TypedDict, total=False):
    """The body of ``POST /v1/messages/batches``."""

    requests: Required[Sequence[Request]]


class BatchListParams(TypedDict, total=False):
    """Query parameters of ``GET /v1/messages/batches`` (cursor pagination)."""

    after_id: str
    before_id: str
    limit: int
