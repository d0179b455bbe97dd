"""Helpers to drive the pure engine directly (no adapter)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.http import HttpReply, HttpRequest

HEADERS = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01", "content-type": "application/json"}


def call(fake: FakeClaude, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None,
         query: dict[str, str] | None = None) -> HttpReply:
    raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    return fake.engine.handle(HttpRequest(method, path, query or {}, {**HEADERS, **(headers or {})}, raw))


def body_of(reply: HttpReply) -> Any:
    if reply.stream is not None:
        return b"".join(chunk.data for chunk in reply.stream)
    return json.loads(reply.body)


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=1, clock=FakeClock())
