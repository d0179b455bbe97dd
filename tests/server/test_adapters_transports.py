"""The in-process transports: httpx2 and httpx clients, sync and async, talking to an engine without a socket."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import anthropic
import httpx
import httpx2
import pytest

from fakeclaude.server.adapters._guard import MAX_BODY_BYTES
from fakeclaude.server.adapters.transports import Httpx2Transport, HttpxTransport

from .adapters_support import ScriptedEngine

BASE = "http://fake.local"

PACKAGES = [pytest.param((httpx2, Httpx2Transport), id="httpx2"), pytest.param((httpx, HttpxTransport), id="httpx")]


@pytest.fixture(params=PACKAGES)
def package(request: pytest.FixtureRequest) -> tuple[ModuleType, Any]:
    pair: tuple[ModuleType, Any] = request.param
    return pair


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
def sync_client(package: tuple[ModuleType, Any], engine: ScriptedEngine) -> Iterator[Any]:
    module, transport = package
    with module.Client(transport=transport(engine), base_url=BASE) as client:
        yield client


@pytest.fixture
async def async_client(package: tuple[ModuleType, Any], engine: ScriptedEngine) -> AsyncIterator[Any]:
    module, transport = package
    async with module.AsyncClient(transport=transport(engine), base_url=BASE) as client:
        yield client


def test_one_transport_class_serves_sync_and_async_clients() -> None:
    for module, cls in ((httpx2, Httpx2Transport), (httpx, HttpxTransport)):
        assert issubclass(cls, module.BaseTransport) and issubclass(cls, module.AsyncBaseTransport)


def check_echo(response: Any) -> None:
    assert response.status_code == 200
    assert response.headers["request-id"] == "req_test"
    seen = response.json()
    assert (seen["method"], seen["path"], seen["query"]) == ("POST", "/v1/echo", {"a": "2"})
    assert seen["body"] == "payload"
    assert seen["headers"]["x-api-key"] == "k"
    assert seen["headers"]["anthropic-beta"] == "one, two"


def test_sync_request_reaches_the_engine(sync_client: Any) -> None:
    headers = [("X-Api-Key", "k"), ("anthropic-beta", "one"), ("Anthropic-Beta", "two")]
    check_echo(sync_client.post("/v1/echo?a=1&a=2", content=b"payload", headers=headers))


async def test_async_request_reaches_the_engine(async_client: Any) -> None:
    headers = [("X-Api-Key", "k"), ("anthropic-beta", "one"), ("Anthropic-Beta", "two")]
    check_echo(await async_client.post("/v1/echo?a=1&a=2", content=b"payload", headers=headers))


async def test_streamed_request_bodies_are_read_fully(async_client: Any, engine: ScriptedEngine) -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"pay"
        yield b"load"

    response = await async_client.post("/v1/echo", content=body())
    assert response.json()["body"] == "payload"


def test_sync_stream_arrives_lazily_with_its_delays(sync_client: Any, engine: ScriptedEngine) -> None:
    started = time.monotonic()
    arrivals = []
    with sync_client.stream("GET", "/stream", params={"n": "3", "delay": "0.1"}) as response:
        assert response.headers["content-type"] == "text/event-stream"
        assert engine.streams_opened == 0  # nothing generated before the body is read
        for data in response.iter_raw():
            arrivals.append((time.monotonic() - started, data))
    assert [data for _, data in arrivals] == [b"chunk-0\n", b"chunk-1\n", b"chunk-2\n"]
    assert [at >= 0.1 * (i + 1) for i, (at, _) in enumerate(arrivals)] == [True, True, True]
    assert engine.streams_closed == 1


async def test_async_stream_arrives_lazily_with_its_delays(async_client: Any, engine: ScriptedEngine) -> None:
    started = time.monotonic()
    arrivals = []
    async with async_client.stream("GET", "/stream", params={"n": "3", "delay": "0.1"}) as response:
        assert engine.streams_opened == 0  # nothing generated before the body is read
        async for data in response.aiter_raw():
            arrivals.append((time.monotonic() - started, data))
    assert [data for _, data in arrivals] == [b"chunk-0\n", b"chunk-1\n", b"chunk-2\n"]
    assert [at >= 0.1 * (i + 1) for i, (at, _) in enumerate(arrivals)] == [True, True, True]
    assert engine.streams_closed == 1


def test_sync_drop_raises_the_packages_protocol_error(sync_client: Any, package: tuple[ModuleType, Any]) -> None:
    module, _ = package
    received = b""
    with pytest.raises(module.RemoteProtocolError), sync_client.stream("GET", "/drop") as response:
        for data in response.iter_raw():
            received += data
    assert received == b"first\nsecond\n"


async def test_async_drop_raises_the_packages_protocol_error(async_client: Any, package: tuple[ModuleType, Any]) -> None:
    module, _ = package
    received = b""
    with pytest.raises(module.RemoteProtocolError):
        async with async_client.stream("GET", "/drop") as response:
            async for data in response.aiter_raw():
                received += data
    assert received == b"first\nsecond\n"
    with pytest.raises(module.RemoteProtocolError):
        await async_client.get("/drop")  # a whole read fails the same way


def test_sync_early_close_closes_the_engines_iterator(sync_client: Any, engine: ScriptedEngine) -> None:
    with sync_client.stream("GET", "/endless") as response:
        assert next(response.iter_raw()).startswith(b"tick-0\ntick-1\n")  # zero-delay chunks arrive together
    assert engine.streams_closed == 1


async def test_async_early_close_closes_the_engines_iterator(async_client: Any, engine: ScriptedEngine) -> None:
    async with async_client.stream("GET", "/endless") as response:
        async for data in response.aiter_raw():
            assert data.startswith(b"tick-0\ntick-1\n")
            break
    assert engine.streams_closed == 1


def test_a_plain_list_stream_works(sync_client: Any) -> None:
    assert sync_client.get("/list-stream").content == b"ab"


def test_sync_reply_delay_is_honoured(sync_client: Any) -> None:
    started = time.monotonic()
    assert sync_client.get("/slow", params={"delay": "0.2"}).json() == {"slow": True}
    assert time.monotonic() - started >= 0.2


async def test_async_reply_delay_is_honoured(async_client: Any) -> None:
    started = time.monotonic()
    assert (await async_client.get("/slow", params={"delay": "0.2"})).json() == {"slow": True}
    assert time.monotonic() - started >= 0.2


def test_a_delay_beyond_the_read_timeout_times_out(sync_client: Any, package: tuple[ModuleType, Any]) -> None:
    module, _ = package
    started = time.monotonic()
    with pytest.raises(module.ReadTimeout):
        sync_client.get("/slow", params={"delay": "30"}, timeout=0.1)
    with pytest.raises(module.ReadTimeout), sync_client.stream("GET", "/stream", params={"delay": "30"}, timeout=0.1) as r:
        r.read()
    assert time.monotonic() - started < 5


async def test_async_delay_beyond_the_read_timeout_times_out(async_client: Any, package: tuple[ModuleType, Any]) -> None:
    module, _ = package
    with pytest.raises(module.ReadTimeout):
        await async_client.get("/slow", params={"delay": "30"}, timeout=0.1)


def check_internal_error(response: Any) -> None:
    assert response.status_code == 500
    request_id = response.headers["request-id"]
    assert response.json() == {
        "type": "error",
        "error": {"type": "api_error", "message": "Internal server error"},
        "request_id": request_id,
    }


def test_engine_failure_is_an_api_shaped_500(sync_client: Any, caplog: pytest.LogCaptureFixture) -> None:
    check_internal_error(sync_client.get("/boom"))
    assert any(r.name == "fakeclaude.server" and r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


async def test_async_engine_failure_is_an_api_shaped_500(async_client: Any) -> None:
    check_internal_error(await async_client.get("/boom"))


def test_engine_failure_mid_stream_is_a_protocol_error(sync_client: Any, package: tuple[ModuleType, Any]) -> None:
    module, _ = package
    with pytest.raises(module.RemoteProtocolError) as raised:
        sync_client.get("/boom-mid-stream")
    assert isinstance(raised.value.__cause__, ValueError)


def test_oversized_body_is_413(sync_client: Any, engine: ScriptedEngine) -> None:
    response = sync_client.post("/v1/messages", content=b"x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
    assert response.json()["error"] == {"type": "request_too_large", "message": "Request exceeds the maximum size"}
    assert engine.requests == []


def test_official_sdk_over_the_transport(engine: ScriptedEngine) -> None:
    http = httpx2.Client(transport=Httpx2Transport(engine))
    with anthropic.Anthropic(base_url=BASE, api_key="x", max_retries=0, http_client=http) as client:
        seen = client.get("/v1/echo", cast_to=httpx2.Response).json()
        assert seen["path"] == "/v1/echo"
        with pytest.raises(anthropic.InternalServerError):
            client.get("/boom", cast_to=httpx2.Response)
        with pytest.raises(anthropic.APIConnectionError):
            client.get("/drop", cast_to=httpx2.Response)


async def test_official_async_sdk_over_the_transport(engine: ScriptedEngine) -> None:
    http = httpx2.AsyncClient(transport=Httpx2Transport(engine))
    async with anthropic.AsyncAnthropic(base_url=BASE, api_key="x", max_retries=0, http_client=http) as client:
        seen = (await client.get("/v1/echo", cast_to=httpx2.Response)).json()
        assert seen["path"] == "/v1/echo"


def test_request_headers_reach_the_engine_lower_cased_with_repeats_joined(package: tuple[ModuleType, Any]) -> None:
    from fakeclaude.server import FakeClaude

    module, _ = package
    fake = FakeClaude(seed=0)
    transport = fake.httpx2_transport() if module is httpx2 else fake.httpx_transport()
    with module.Client(transport=transport, base_url=BASE) as client:
        headers = [("X-Api-Key", "k"), ("Anthropic-Version", "2023-06-01"), ("X-Trace", "a"), ("x-trace", "b")]
        response = client.post("/v1/messages/count_tokens", headers=headers,
                               json={"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "hi"}]})
    assert response.status_code == 200
    seen = fake.requests[-1].headers
    assert seen["x-api-key"] == "k" and seen.get("absent", "-") == "-"
    assert seen["x-trace"] == "a, b" and "anthropic-version" in seen
    as_dict = dict(seen)
    assert as_dict["x-trace"] == "a, b" and all(name == name.lower() for name in as_dict)
    assert len(seen) == len(as_dict) and seen == as_dict


_PAIRS = [
    [("content-type", "application/json"), ("Request-Id", "req_1"), ("x-a", ""), ("content-length", "2")],
    [("x-name", "café")],  # beyond ASCII: the package's own error
    [("x-bytes", b"raw")],  # bytes: the package's own reading
    [("x-number", 3)],  # another type: the package's own error
    [],
]


@pytest.mark.parametrize("pairs", _PAIRS)
def test_the_reply_headers_are_the_packages_own(package: tuple[ModuleType, Any], pairs: list[Any]) -> None:
    """Built in one loop for the engine's ASCII text pairs: the same headers (and the same error) as the
    package's public constructor gives, and the public constructor when its internals have another shape."""
    from fakeclaude.server.adapters.transports import _headers_shaped_as_expected, _wire_headers

    module, transport = package
    assert transport.fast_headers is _headers_shaped_as_expected(module.Headers) is True
    try:
        expected = module.Headers(pairs)
    except Exception as exc:
        with pytest.raises(type(exc), match=re.escape(str(exc))):
            _wire_headers(module.Headers, True, pairs)
        return
    made = _wire_headers(module.Headers, True, pairs)
    assert type(made) is module.Headers and made == expected and made.raw == expected.raw
    assert made.multi_items() == expected.multi_items() and made.encoding == expected.encoding
    response = module.Response(200, headers=made, content=b"{}")
    assert response.headers.multi_items() == module.Response(200, headers=expected, content=b"{}").headers.multi_items()


def test_headers_of_another_shape_go_through_the_public_constructor() -> None:
    from fakeclaude.server.adapters.transports import _headers_shaped_as_expected, _wire_headers

    class Elsewhere(httpx2.Headers):
        def __init__(self, headers: Any = None, encoding: str | None = None) -> None:
            super().__init__(headers, encoding)
            self._list = [(raw, raw, value) for raw, _, value in self._list]  # no lower-case names kept

    assert _headers_shaped_as_expected(Elsewhere) is False
    made = _wire_headers(Elsewhere, False, [("X-A", "b")])
    assert type(made) is Elsewhere and made._list == [(b"X-A", b"X-A", b"b")]


def test_the_official_sdk_reads_the_fakes_headers(package: tuple[ModuleType, Any]) -> None:
    """Every header of the fake's answer reaches the SDK's raw response as the package would read it."""
    from fakeclaude.server import FakeClaude

    module, _ = package
    if module is not httpx2:
        pytest.skip("the official SDK runs on httpx2")
    fake = FakeClaude(seed=0)
    client = anthropic.Anthropic(api_key="k", base_url=BASE, max_retries=0,
                                 http_client=httpx2.Client(transport=fake.httpx2_transport()))
    raw = client.messages.with_raw_response.create(model="claude-sonnet-4-5", max_tokens=10,
                                                   messages=[{"role": "user", "content": "hi"}])
    headers = raw.http_response.headers
    assert headers["content-type"] == "application/json" and headers["request-id"].startswith("req_")
    assert int(headers["content-length"]) == len(raw.http_response.content)
    assert headers["anthropic-ratelimit-requests-limit"] == "4000" and headers.encoding == "ascii"
    assert raw.parse().usage.output_tokens > 0
