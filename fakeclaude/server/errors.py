"""The fake's error: what the engine raises to answer with an API-shaped error body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ERROR_TYPE_BY_STATUS", "ApiError"]

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
    (``retry-after``, ``x-should-retry``...). ``path`` is where in the request body a validation error
    is (``messages.0.content.1``; empty for the whole body); it is not sent on the wire, where the API
    puts it at the start of ``message``.
    """

    status: int
    message: str
    type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def __post_init__(self) -> None:
        if not self.type:
            self.type = ERROR_TYPE_BY_STATUS.get(self.status, "api_error" if self.status >= 500 else "invalid_request_error")
        super().__init__(f"{self.status} {self.type}: {self.message}")

    def body(self, request_id: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "error", "error": {"type": self.type, "message": self.message}}
        if request_id is not None:
            out["request_id"] = request_id
        return out
