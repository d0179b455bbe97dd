"""A scripted transport: answers requests from a queue and records what it received."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest

MESSAGE = {
    "model": "claude-sonnet-4-6",
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
    "type": "message",
    "role": "assistant",
    "content": [{"type": "text", "text": "Paris."}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 14, "output_tokens": 4},
}

Answer = httpx2.Response | Exception | Callable[[httpx2.Request], httpx2.Response]


def error_response(status: int, type_: str, message: str, headers: dict[str, str] | None = None) -> httpx2.Response:
    body = {"type": "error", "error": {"type": type_, "message": message}, "request_id": "req_011Err"}
    return httpx2.Response(status, json=body, headers={"request-id": "req_011Err", **(headers or {})})


def ok(body: dict[str, Any] | None = None, **headers: str) -> httpx2.Response:
    return httpx2.Response(200, json=body or MESSAGE, headers={"request-id": "req_011Ok", **headers})


@dataclass
class Script:
    """Answers in order (the last one repeats); ``requests`` holds every request received."""

    answers: list[Answer] = field(default_factory=list)
    requests: list[httpx2.Request] = field(default_factory=list)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx2.Response):
            return answer(request)
        return answer

    def bodies(self) -> list[Any]:
        return [json.loads(r.content) if r.content else None for r in self.requests]


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits, recorded instead of slept (sync and async)."""
    waits: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("fakeclaude.client._sync.time.sleep", waits.append)
    monkeypatch.setattr("fakeclaude.client._async.anyio.sleep", fake_async_sleep)
    return waits


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
