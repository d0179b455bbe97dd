"""Client constants and the per-request options shared by the sync and async clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import httpx2

__all__ = [
    "API_VERSION_2023",
    "API_VERSION_2026",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "NotGiven",
    "Omit",
    "RequestOptions",
    "omit",
]

API_VERSION_2023: Final = "2023-06-01"
API_VERSION_2026: Final = "2026-10-21"
DEFAULT_BASE_URL: Final = "https://api.anthropic.com"
DEFAULT_TIMEOUT: Final = httpx2.Timeout(timeout=600, connect=5.0)  # 600, not 600.0: the SDK's header text
DEFAULT_MAX_RETRIES: Final = 2
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0


class NotGiven:
    """The sentinel for "argument not passed", distinct from an explicit ``None``."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class Omit:
    """Put in ``extra_headers`` to remove a header the client would otherwise send."""

    def __bool__(self) -> Literal[False]:
        return False


omit: Final = Omit()

Timeout = float | httpx2.Timeout | None


@dataclass(slots=True)
class RequestOptions:
    """One API call, before it becomes an HTTP request (no I/O)."""

    method: str
    path: str
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str | Omit] = field(default_factory=dict)
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    stream: bool = False
    post_parser: Callable[[Any], Any] | None = None
    """Applied to the parsed result, outside the response validation (``parse()`` reads the output format
    there, so a text that does not fit it raises pydantic's own ``ValidationError``, as in the SDK)."""
    content: bytes | None = None
    """A body already encoded (a multipart upload), sent as is instead of ``json``."""
