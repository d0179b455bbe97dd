"""The requests ours sends are the official SDK's: method, URL, JSON body and headers, call by call.

Both clients run the same calls against a fake; every request is captured on its way in. Headers are
compared whole but for the two that name the package (``user-agent``, ``x-stainless-package-version``);
bodies are compared as JSON (the SDK writes required fields first, ours keeps the call's order).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anthropic
import httpx2
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock

MODEL = "claude-sonnet-4-5"
HI = [{"role": "user", "content": "Hi"}]
NAMED_BY_PACKAGE = frozenset({"user-agent", "x-stainless-package-version"})


def _models(client: Any) -> None:
    list(client.models.list())
    client.models.retrieve(MODEL)


def _batches(client: Any) -> None:
    batch = client.messages.batches.create(requests=[{"custom_id": "a", "params": {"model": MODEL, "max_tokens": 8, "messages": HI}}])
    client.messages.batches.retrieve(batch.id)
    list(client.messages.batches.list())


def _refused(client: Any, **extra: Any) -> None:
    with pytest.raises(Exception, match="400 top_k: Extra inputs are not permitted"):
        client.messages.create(model=MODEL, max_tokens=8, messages=HI, **extra)


def _streams(client: Any) -> None:
    for _ in client.messages.create(model=MODEL, max_tokens=8, messages=HI, stream=True):
        pass
    with client.messages.stream(model=MODEL, max_tokens=8, messages=HI) as stream:
        stream.get_final_message()


CALLS: dict[str, Callable[[Any], Any]] = {
    "create": lambda c: c.messages.create(model=MODEL, max_tokens=8, messages=HI, system="Be brief.", metadata={"user_id": "u"}),
    "create, a float timeout": lambda c: c.messages.create(model=MODEL, max_tokens=8, messages=HI, timeout=30.0),
    "create, an httpx2 timeout": lambda c: c.messages.create(model=MODEL, max_tokens=8, messages=HI, timeout=httpx2.Timeout(7.0, connect=1.0)),
    "create, sampling in extra_body": lambda c: _refused(c, extra_body={"top_k": 5}),  # sent; the fake refuses it
    "streams": _streams,
    "count_tokens": lambda c: c.messages.count_tokens(model=MODEL, messages=HI),
    "models": _models,
    "batches": _batches,
    "beta create": lambda c: c.beta.messages.create(model=MODEL, max_tokens=8, messages=HI, betas=["a-2026-01-01"]),
    "files list": lambda c: list(c.beta.files.list()),
}


def _requests(module: Any, call: Callable[[Any], Any], **options: Any) -> list[tuple[Any, ...]]:
    fake, seen = FakeClaude(seed=1, clock=FakeClock()), []
    engine = fake.httpx2_transport()

    def answer(request: httpx2.Request) -> httpx2.Response:
        request.read()
        body = json.loads(request.content) if request.content else None
        headers = {k: v for k, v in request.headers.items() if k not in NAMED_BY_PACKAGE}
        seen.append((request.method, request.url.path, dict(request.url.params), body, headers))
        response: httpx2.Response = engine.handle_request(request)
        return response

    client = module.Anthropic(api_key="sk-test", max_retries=0, http_client=httpx2.Client(transport=httpx2.MockTransport(answer)),
                              **options)
    call(client)
    return seen


@pytest.mark.parametrize("name", list(CALLS))
def test_each_call_sends_the_sdks_request(name: str) -> None:
    theirs, ours = _requests(anthropic, CALLS[name]), _requests(fakeclaude, CALLS[name])
    assert ours == theirs


def test_a_client_timeout_is_named_as_the_sdk_names_it() -> None:
    """``x-stainless-timeout`` is the call's own timeout (the SDK's sentinel name when it gave none) and
    ``x-stainless-read-timeout`` the one in force: a client timeout shows only in the latter."""
    call = CALLS["create"]
    theirs, ours = _requests(anthropic, call, timeout=20.0), _requests(fakeclaude, call, timeout=20.0)
    assert ours == theirs
    assert (ours[0][4]["x-stainless-timeout"], ours[0][4]["x-stainless-read-timeout"]) == ("NOT_GIVEN", "20.0")


@pytest.mark.parametrize("call", ["create", "stream", "parse", "count_tokens", "beta create", "beta count_tokens"])
def test_a_keyword_the_signature_lacks_is_a_type_error_before_sending(call: str) -> None:
    """A misspelt or removed parameter raises the SDK's ``TypeError`` and sends nothing (ours sent it and the
    fake answered 400, or 200 where the API would refuse it)."""
    raised, sent = [], []

    def answer(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(500)

    for module in (anthropic, fakeclaude):
        client: Any = module.Anthropic(api_key="k", max_retries=0,
                                       http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))
        namespace = client.beta.messages if call.startswith("beta") else client.messages
        method = getattr(namespace, call.removeprefix("beta "))
        with pytest.raises(TypeError) as info:
            method(model=MODEL, max_tokens=8, messages=HI, max_token=9)
        raised.append(str(info.value))
    assert raised[0] == raised[1] and sent == []


async def test_the_async_client_sends_the_sdks_requests_too() -> None:
    """``AsyncAnthropic``: create, a stream, count_tokens and a list, as the SDK's async client sends them."""
    captured = []
    for module in (anthropic, fakeclaude):
        fake, seen = FakeClaude(seed=1, clock=FakeClock()), []
        engine = fake.httpx2_transport()

        async def answer(request: httpx2.Request, seen: list[Any] = seen, engine: Any = engine) -> httpx2.Response:
            await request.aread()
            headers = {k: v for k, v in request.headers.items() if k not in NAMED_BY_PACKAGE}
            seen.append((request.method, request.url.path, dict(request.url.params), request.content and json.loads(request.content), headers))
            response: httpx2.Response = await engine.handle_async_request(request)
            return response

        client: Any = module.AsyncAnthropic(api_key="sk-test", max_retries=0,
                                            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(answer)))
        await client.messages.create(model=MODEL, max_tokens=8, messages=HI)
        async with client.messages.stream(model=MODEL, max_tokens=8, messages=HI) as stream:
            await stream.get_final_message()
        await client.messages.count_tokens(model=MODEL, messages=HI)
        [model async for model in client.models.list()]
        captured.append(seen)
    assert captured[0] == captured[1]
    assert captured[1][0][4]["x-stainless-async"] == "async:asyncio"
