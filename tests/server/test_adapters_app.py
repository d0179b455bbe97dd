"""The aiohttp application and ServerThread, on a real loopback socket, reached by httpx2 and the SDK."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import anthropic
import httpx2
import pytest

from fakeclaude.server.adapters._guard import MAX_BODY_BYTES
from fakeclaude.server.adapters.runner import ServerThread

from .adapters_support import ScriptedEngine


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
def server(engine: ScriptedEngine, caplog: pytest.LogCaptureFixture) -> Iterator[ServerThread]:
    caplog.set_level(logging.DEBUG, logger="asyncio")
    with ServerThread(engine) as running:
        yield running
    leaks = [r.getMessage() for r in caplog.records if "Task was destroyed" in r.getMessage() or "still pending" in r.getMessage()]
    assert leaks == []


@pytest.fixture
def http(server: ServerThread) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=server.base_url, timeout=10) as client:
        yield client


def server_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_base_url_is_loopback_with_the_bound_port(server: ServerThread) -> None:
    assert server.port > 0
    assert server.base_url == f"http://127.0.0.1:{server.port}"


def test_request_reaches_the_engine_as_an_http_request(http: httpx2.Client, engine: ScriptedEngine) -> None:
    response = http.post(
        "/v1/echo?a=1&a=2&b=x",
        content=b'{"hello": "world"}',
        headers=[("X-Api-Key", "k"), ("Anthropic-Beta", "one"), ("anthropic-beta", "two")],
    )
    assert response.status_code == 200
    assert response.headers["request-id"] == "req_test"
    seen = response.json()
    assert (seen["method"], seen["path"], seen["query"]) == ("POST", "/v1/echo", {"a": "2", "b": "x"})
    assert seen["body"] == '{"hello": "world"}'
    assert seen["headers"]["x-api-key"] == "k"
    assert seen["headers"]["anthropic-beta"] == "one, two"
    assert all(name == name.lower() for name in seen["headers"])


@pytest.mark.parametrize("method", ["GET", "DELETE", "PATCH", "PUT", "OPTIONS"])
def test_every_method_and_path_goes_to_the_engine(http: httpx2.Client, method: str) -> None:
    response = http.request(method, "/no/such/path")
    assert response.status_code == 200
    assert (response.json()["method"], response.json()["path"]) == (method, "/no/such/path")


def test_official_sdk_reaches_the_server(server: ServerThread) -> None:
    with anthropic.Anthropic(base_url=server.base_url, api_key="x", max_retries=0) as client:
        response = client.get("/v1/echo", cast_to=httpx2.Response)
    seen = response.json()
    assert seen["path"] == "/v1/echo"
    assert seen["headers"]["anthropic-version"]


def test_reply_delay_is_waited_before_answering(http: httpx2.Client) -> None:
    started = time.monotonic()
    response = http.get("/slow", params={"delay": "0.3"})
    assert response.json() == {"slow": True}
    assert time.monotonic() - started >= 0.3


def test_streamed_chunks_arrive_as_they_are_written(http: httpx2.Client, engine: ScriptedEngine) -> None:
    started = time.monotonic()
    arrivals: list[tuple[float, bytes]] = []
    with http.stream("GET", "/stream", params={"n": "3", "delay": "0.3"}) as response:
        assert response.headers["content-type"] == "text/event-stream"
        assert "content-length" not in response.headers
        for data in response.iter_raw():
            arrivals.append((time.monotonic() - started, data))
    assert b"".join(data for _, data in arrivals) == b"chunk-0\nchunk-1\nchunk-2\n"
    assert arrivals[0][1] == b"chunk-0\n"  # read before the next chunk was written: nothing held back
    assert arrivals[0][0] >= 0.3 and arrivals[-1][0] >= 0.9  # each chunk waited for its delay
    assert engine.streams_closed == 1


def test_a_long_stream_without_delays_arrives_whole(http: httpx2.Client) -> None:
    expected = b"".join(b"chunk-%d\n" % i for i in range(20_000))  # well beyond one write's worth
    assert http.get("/stream", params={"n": "20000"}).content == expected


def test_a_plain_list_stream_is_written_too(http: httpx2.Client) -> None:
    assert http.get("/list-stream").content == b"ab"


def test_drop_cuts_the_connection_mid_body(http: httpx2.Client, engine: ScriptedEngine) -> None:
    received = b""
    with pytest.raises(httpx2.RemoteProtocolError), http.stream("GET", "/drop") as response:
        assert response.status_code == 200
        for data in response.iter_raw():
            received += data
    assert received == b"first\nsecond\n"
    assert engine.stream_closed.wait(2)
    assert http.get("/v1/echo").status_code == 200  # the server is fine


def test_drop_surfaces_as_a_connection_error_in_the_sdk(server: ServerThread) -> None:
    with (
        anthropic.Anthropic(base_url=server.base_url, api_key="x", max_retries=0) as client,
        pytest.raises(anthropic.APIConnectionError),
    ):
        client.get("/drop", cast_to=httpx2.Response)


def test_client_leaving_mid_stream_leaves_the_server_healthy(
    server: ServerThread, http: httpx2.Client, engine: ScriptedEngine, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(3):
        engine.stream_closed.clear()
        with http.stream("GET", "/endless", params={"delay": "0.02"}) as response:
            first = next(response.iter_raw())
            assert first.startswith(b"tick-")
        assert engine.stream_closed.wait(3), "the server kept generating for a client that left"
    assert http.get("/v1/echo").status_code == 200
    assert engine.streams_opened == engine.streams_closed == 3
    assert server_errors(caplog) == []


def test_engine_failure_is_an_api_shaped_500(http: httpx2.Client, caplog: pytest.LogCaptureFixture) -> None:
    response = http.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    request_id = response.headers["request-id"]
    assert request_id.startswith("req_")
    assert response.json() == {
        "type": "error",
        "error": {"type": "api_error", "message": "Internal server error"},
        "request_id": request_id,
    }
    assert any(r.name == "fakeclaude.server" and r.exc_info for r in caplog.records)


def test_engine_failure_maps_to_the_sdks_internal_server_error(server: ServerThread) -> None:
    with (
        anthropic.Anthropic(base_url=server.base_url, api_key="x", max_retries=0) as client,
        pytest.raises(anthropic.InternalServerError) as raised,
    ):
        client.get("/boom", cast_to=httpx2.Response)
    assert raised.value.status_code == 500
    assert raised.value.request_id is not None and raised.value.request_id.startswith("req_")


def test_engine_failure_mid_stream_cuts_the_stream(http: httpx2.Client, caplog: pytest.LogCaptureFixture) -> None:
    received = b""
    with pytest.raises(httpx2.RemoteProtocolError), http.stream("GET", "/boom-mid-stream") as response:
        for data in response.iter_raw():
            received += data
    assert received == b"ok\n"
    assert any("mid-stream" in r.getMessage() for r in caplog.records)
    assert http.get("/v1/echo").status_code == 200


def too_large_body(response: httpx2.Response) -> None:
    assert response.status_code == 413
    assert response.json() == {
        "type": "error",
        "error": {"type": "request_too_large", "message": "Request exceeds the maximum size"},
    }
    assert response.headers["request-id"].startswith("req_")


def test_oversized_body_is_413_and_never_reaches_the_engine(http: httpx2.Client, engine: ScriptedEngine) -> None:
    too_large_body(http.post("/v1/messages", content=b"x" * (MAX_BODY_BYTES + 1)))
    assert engine.requests == []
    exactly = http.post("/v1/messages", content=b"x" * MAX_BODY_BYTES)
    assert exactly.status_code == 200
    assert len(engine.requests[-1].body) == MAX_BODY_BYTES


def test_oversized_chunked_upload_is_cut_short_with_413(http: httpx2.Client, engine: ScriptedEngine) -> None:
    sent = 0

    def upload() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(64):  # 64 MiB offered, without a content-length
            sent += 1
            yield b"x" * 1024 * 1024

    too_large_body(http.post("/v1/messages", content=upload()))
    assert engine.requests == []
    assert http.get("/v1/echo").status_code == 200


def test_stop_cuts_open_streams_and_is_idempotent(engine: ScriptedEngine) -> None:
    server = ServerThread(engine).start()
    port = server.port
    with httpx2.Client(base_url=server.base_url) as http, http.stream("GET", "/endless", params={"delay": "0.05"}) as response:
        chunks = response.iter_raw()
        next(chunks)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 3
        with pytest.raises(httpx2.TransportError):
            for _ in chunks:
                pass
    assert engine.stream_closed.wait(1)
    server.stop()
    with pytest.raises(RuntimeError):
        _ = server.port  # a stopped server has no port
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"http://127.0.0.1:{port}/v1/echo")


def test_start_reports_a_bind_failure(engine: ScriptedEngine) -> None:
    with ServerThread(engine) as first:
        second = ServerThread(engine, port=first.port)
        with pytest.raises(OSError):
            second.start()
        second.stop()


def test_echo_round_trip_is_json(http: httpx2.Client) -> None:
    body = json.dumps({"model": "claude", "messages": []}).encode()
    assert http.post("/v1/messages", content=body).json()["body"] == body.decode()


def test_the_server_runs_on_uvloop_unless_asked_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    uvloop = pytest.importorskip("uvloop")
    import asyncio

    from fakeclaude.server import FakeClaude, Reply

    def loop_of_a_served_request() -> type[asyncio.AbstractEventLoop]:
        fake = FakeClaude()
        seen: list[type[asyncio.AbstractEventLoop]] = []

        def answer(request: object) -> Reply:
            seen.append(type(asyncio.get_running_loop()))  # the engine answers a small body on the loop
            return Reply(["ok"])

        fake.handler(answer)
        with fake.serve() as url:
            client = anthropic.Anthropic(api_key="sk-ant-test", base_url=url, max_retries=0)
            assert client.messages.create(model="claude-sonnet-4-5", max_tokens=64,
                                          messages=[{"role": "user", "content": "hi"}]).content[0].text == "ok"
        return seen[0]

    assert issubclass(loop_of_a_served_request(), uvloop.Loop)
    monkeypatch.setenv("FAKECLAUDE_EVENT_LOOP", "asyncio")
    assert not issubclass(loop_of_a_served_request(), uvloop.Loop)


def test_make_app_serves_the_engine_in_a_users_own_aiohttp_runner(engine: ScriptedEngine) -> None:
    """``make_app`` (public) is the same service behind aiohttp's router, for people who run aiohttp themselves."""
    import asyncio

    from aiohttp import web

    from fakeclaude.server import make_app

    async def main() -> tuple[int, dict[str, object], int]:
        runner = web.AppRunner(make_app(engine), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                echoed = await client.post("/v1/echo?x=1", content=b"{}", headers={"x-api-key": "k"})
                too_big = await client.post("/v1/messages", content=b"x" * (MAX_BODY_BYTES + 1))
            return echoed.status_code, echoed.json(), too_big.status_code
        finally:
            await runner.cleanup()

    status, seen, too_big = asyncio.run(main())
    assert status == 200 and seen["path"] == "/v1/echo" and seen["query"] == {"x": "1"}
    assert too_big == 413


def test_served_requests_with_equal_headers_share_one_view_and_each_key_is_checked() -> None:
    """Over a socket as in-process: a client's equal headers are read once (one view in the log), and a
    different key on the same connection's next request is checked afresh."""
    from fakeclaude.server import FakeClaude

    params = {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    fake = FakeClaude(seed=0, api_keys=["good"])
    with fake.serve() as url:
        good = anthropic.Anthropic(api_key="good", base_url=url, max_retries=0)
        bad = anthropic.Anthropic(api_key="bad", base_url=url, max_retries=0)
        for _ in range(5):
            good.messages.create(**params)
        with pytest.raises(anthropic.AuthenticationError, match="invalid x-api-key"):
            bad.messages.create(**params)
        good.messages.create(**params, extra_headers={"X-Custom": "One"})
    rows = [row[3] for row in fake.engine.requests._entries]  # as kept, before any entry is read
    views = [entry.headers for entry in fake.requests]
    keys = [view.get("x-api-key") or view["authorization"].removeprefix("Bearer ") for view in views]
    assert len({id(row) for row in rows[:5]}) == 1 and keys[:5] == ["good"] * 5
    assert keys[5] == "bad" and fake.requests[5].status == 401
    assert views[6]["x-custom"] == "One" and "x-custom" not in views[0]
    assert dict(views[6]) == {name.lower(): value for name, value in dict(views[6]).items()}
