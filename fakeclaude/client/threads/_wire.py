"""The wire facts of message threads the client needs, and how it compares messages as they are sent.

Spec 2026 §2: the beta ``message-threads-2026-08-12``; the ``thread`` field (``create`` / ``continue``);
``system`` and ``tools`` taken from the thread on a ``continue``; the ``error_code`` values a turn recovers
from by replaying the whole history, and the one that makes it stop threading.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from .._body import encode_body

__all__ = [
    "CREATE_ONLY_FIELDS",
    "REPLAY_ERROR_CODES",
    "THREAD_FIELDS",
    "TURN_FIELDS",
    "THREADS_BETA",
    "THREAD_HELPER",
    "UNSUPPORTED_ERROR_CODE",
    "UnsupportedRequestBehavior",
    "as_sent",
    "check_keywords",
    "error_details",
    "join_header_values",
    "same_messages",
    "without_cache_control",
]

THREADS_BETA: Final = "message-threads-2026-08-12"
"""The beta every threaded turn turns on (added once, after the caller's betas)."""
THREAD_HELPER: Final = "message-thread"
"""The ``x-stainless-helper`` value of every threaded request."""
CREATE_ONLY_FIELDS: Final = ("system", "tools")
"""Fields the server takes from the thread on a ``continue``: sent on ``create`` only, never changed after."""
REPLAY_ERROR_CODES: Final = frozenset({"thread_not_found", "thread_already_continued", "thread_continue_in_flight"})
"""Rejections a turn recovers from by sending the whole history again under a new ``create``."""
UNSUPPORTED_ERROR_CODE: Final = "thread_unsupported_request"

REQUEST_OPTIONS: Final = ("extra_headers", "extra_query", "extra_body", "timeout")
TURN_FIELDS: Final = frozenset({
    "betas", "billing_policy", "cache_control", "compaction", "container", "context_management", "diagnostics",
    "fallback_credit_token", "fallbacks", "inference_geo", "max_tokens", "mcp_servers", "metadata", "model",
    "service_tier", "speed", "stop_sequences", "system", "thinking", "tool_choice", "tools", "user_profile_id",
    "workspace_id", *REQUEST_OPTIONS,
})
"""What ``send`` / ``parse`` / ``stream`` / ``update`` take, as in SDK 2.x (no sampling parameters: the thread
API is of the 2026 surface, which removed them)."""
THREAD_FIELDS: Final = TURN_FIELDS | {"messages", "output_config", "output_format"}
"""What ``thread()`` takes besides ``unsupported_request_behavior``."""

UnsupportedRequestBehavior = Literal["error", "continue_unthreaded"]
"""What a thread does when the server cannot thread a request: ``"error"`` raises the API's error;
``"continue_unthreaded"`` sends that turn and every later one with the whole history and no ``thread``."""

_BLOCK_KEYS: Final = ("content", "source", "tool", "definition", "tool_references")
"""The keys whose values hold content blocks (whose ``cache_control`` is dropped on a replay)."""


def as_sent(value: object) -> Any:
    """``value`` as the request body carries it: response models dumped, tuples as lists (for comparing)."""
    return json.loads(encode_body(value))


def check_keywords(keywords: Iterable[str], allowed: frozenset[str]) -> None:
    """The ``TypeError`` of a signature that spells its keywords out, for the first keyword not in ``allowed``."""
    unexpected = sorted(set(keywords) - allowed)
    if unexpected:
        raise TypeError(f"Got an unexpected keyword argument '{unexpected[0]}'")


def same_messages(a: Sequence[object], b: Sequence[object]) -> bool:
    """Whether two message lists go out as the same JSON (a reply's blocks equal their dicts)."""
    return len(a) == len(b) and as_sent(list(a)) == as_sent(list(b))


def without_cache_control(value: Any) -> Any:
    """A copy of sent JSON without any block's ``cache_control``; free-form data (a tool's ``input``) is kept."""
    if isinstance(value, dict):
        return {
            key: without_cache_control(item) if key in _BLOCK_KEYS else item
            for key, item in value.items()
            if key != "cache_control"
        }
    if isinstance(value, list):
        return [without_cache_control(item) for item in value]
    return value


def error_details(body: object) -> Mapping[str, Any]:
    """``error.details`` of an error body (empty when it has none)."""
    error = body.get("error") if isinstance(body, Mapping) else None
    details = error.get("details") if isinstance(error, Mapping) else None
    return details if isinstance(details, Mapping) else {}


def join_header_values(*values: str | None) -> str:
    """Header values joined as a list header (``a, b``), skipping empty ones and repeats."""
    seen: list[str] = []
    for value in values:
        for part in (value or "").split(","):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return ", ".join(seen)
