"""The fake's one error class: what the engine raises, and what a script queues, to answer with an API error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakeclaude.server.wire import status_facts

__all__ = ["ApiError"]


@dataclass
class ApiError(Exception):
    """An answer of ``status`` with the body ``{"type":"error","error":{"type":..,"message":..},"request_id":..}``.

    ``type`` and ``message`` default to the API's for the status (``fakeclaude.server.wire``).
    ``headers`` are added to the answer; ``retry_after`` (seconds) and ``should_retry`` set the
    ``retry-after`` and ``x-should-retry`` headers (without them ``x-should-retry`` follows the status).
    ``details`` goes in ``error.details`` when given (the 2026 API's machine-readable part, such as
    ``{"error_code": "thread_not_found"}``, which the SDK maps to its exception classes).
    The scripting API queues one with ``fake.error(status, ...)``.
    ``path`` is where in the request body a validation error is (``messages.0.content.1``; empty for
    the whole body); it is not sent on the wire, where the API puts it at the start of ``message``.
    """

    status: int
    message: str = ""
    type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    retry_after: float | None = None
    should_retry: bool | None = None
    details: dict[str, Any] | None = None
    path: str = ""

    def __post_init__(self) -> None:
        facts = status_facts(self.status)
        self.type = self.type or facts.type
        self.message = self.message or facts.message
        self.headers = dict(self.headers)
        if self.retry_after is not None:
            seconds = float(self.retry_after)
            self.headers["retry-after"] = str(int(seconds)) if seconds.is_integer() else str(self.retry_after)
        if self.should_retry is not None:
            self.headers["x-should-retry"] = "true" if self.should_retry else "false"
        super().__init__(f"{self.status} {self.type}: {self.message}")

    def reply_headers(self) -> dict[str, str]:
        """``x-should-retry`` as the status says, then this error's own headers (which win)."""
        return {"x-should-retry": "true" if status_facts(self.status).should_retry else "false", **self.headers}

    def body(self, request_id: str | None) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.details is not None:
            error["details"] = dict(self.details)
        out: dict[str, Any] = {"type": "error", "error": error}
        if request_id is not None:
            out["request_id"] = request_id
        return out
