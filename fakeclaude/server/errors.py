"""The fake's error: what the engine raises to answer with an API-shaped error body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ERROR_TYPE_BY_STATUS", "ApiError", "ScriptedReplyError"]

ERROR_TYPE_BY_STATUS: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "conflict_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}


@dataclass
class ApiError(Exception):
    """An answer of ``status`` with the body ``{"type":"error","error":{"type":..,"message":..},"request_id":..}``.

    ``type`` defaults to the API's error type for the status. ``headers`` are added to the answer
    (``retry-after``, ``x-should-retry``...). ``details`` goes in ``error.details`` when given (the 2026
    API's machine-readable part, such as ``{"error_code": "thread_not_found"}``, which the SDK maps to
    its exception classes).
    """

    status: int
    message: str
    type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.type:
            self.type = ERROR_TYPE_BY_STATUS.get(self.status, "api_error" if self.status >= 500 else "invalid_request_error")
        super().__init__(f"{self.status} {self.type}: {self.message}")

    def body(self, request_id: str | None) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.details is not None:
            error["details"] = dict(self.details)
        out: dict[str, Any] = {"type": "error", "error": error}
        if request_id is not None:
            out["request_id"] = request_id
        return out


class ScriptedReplyError(BaseException):
    """A scripted reply the fake cannot serve as the API would: a mistake in the test, not an API answer.

    Raised for a reply whose text breaks the request's ``output_config.format`` schema, or whose tool input
    breaks a ``strict`` tool's schema: the real API's constrained decoding cannot produce those, so serving
    them would let a test pass against an answer that never happens.

    It derives from ``BaseException`` (as pytest's own outcome exceptions do) so that clients' ``except
    Exception`` retry loops, the official SDK's included, let it through to the test at once instead of
    retrying into a generated answer. In-process transports raise it in the caller; over a socket the
    request gets a 500 naming the mistake (``x-should-retry: false``) and ``FakeClaude.serve()`` raises
    it when its block ends.
    """
