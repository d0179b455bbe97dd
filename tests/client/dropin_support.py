"""Clients for the drop-in tests: the official SDK or fakeclaude, in-process or over loopback, sync or async."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import anthropic
import httpx2

import fakeclaude
from fakeclaude.server import FakeClaude

MODULES: dict[str, ModuleType] = {"anthropic": anthropic, "fakeclaude": fakeclaude}
KEY = "sk-ant-test"
MODEL = "claude-haiku-4-5-20251001"


@contextlib.contextmanager
def sync_client(module: ModuleType, fake: FakeClaude, *, loopback: bool = False) -> Iterator[Any]:
    """``module.Anthropic`` talking to ``fake`` through its httpx2 transport, or to ``fake.serve()``."""
    if loopback:
        with fake.serve() as base_url, module.Anthropic(api_key=KEY, base_url=base_url, max_retries=0) as client:
            yield client
        return
    http = httpx2.Client(transport=fake.httpx2_transport())
    with module.Anthropic(api_key=KEY, base_url="http://fakeclaude.local", http_client=http, max_retries=0) as client:
        yield client


@contextlib.asynccontextmanager
async def async_client(module: ModuleType, fake: FakeClaude, *, loopback: bool = False) -> AsyncIterator[Any]:
    if loopback:
        with fake.serve() as base_url:
            async with module.AsyncAnthropic(api_key=KEY, base_url=base_url, max_retries=0) as client:
                yield client
        return
    http = httpx2.AsyncClient(transport=fake.httpx2_transport())
    async with module.AsyncAnthropic(
        api_key=KEY, base_url="http://fakeclaude.local", http_client=http, max_retries=0
    ) as client:
        yield client


def sent_bodies(fake: FakeClaude) -> list[Any]:
    """The JSON bodies the fake received, oldest first."""
    return [request.body for request in fake.requests]
