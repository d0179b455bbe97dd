"""Short forms of the load, soak and fault runs (the long ones are ``python -m benchmarks.soak``).

Counts, never timings: concurrent streaming clients and simultaneous connections on loopback get
every answer; thousands of varied in-process requests leave memory flat; clients that vanish
mid-stream leave no task, file descriptor or memory behind; one fake shared by threads and asyncio
tasks gives each scripted reply exactly once.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import socket
import threading
import tracemalloc
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock, Reply
from fakeclaude.server.adapters.runner import ServerThread
from fakeclaude.server.http import HttpRequest

HEADERS = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01", "content-type": "application/json"}
MODEL = "claude-sonnet-4-5"
SAFETY = 60.0  # a socket's longest wait: only a hung server reaches it


def body(index: int, *, stream: bool = False, **extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 24, "stream": stream,
            "messages": [{"role": "user", "content": f"Question {index}: tell me about ships."}], **extra}


def varied(index: int) -> dict[str, Any]:
    """One of a few request shapes: plain, streamed, with a tool, with a system prompt, multi-turn."""
    kind = index % 5
    if kind == 1:
        return body(index, stream=True)
    if kind == 2:
        return body(index, tools=[{"name": "get_weather", "description": "Weather of a city",
                                   "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}])
    if kind == 3:
        return body(index, system=[{"type": "text", "text": f"You are helper {index % 7}."}])
    if kind == 4:
        return {**body(index), "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                                            {"role": "user", "content": f"Number {index}?"}]}
    return body(index)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def served() -> Iterator[tuple[FakeClaude, ServerThread]]:
    fake = FakeClaude(seed=3, clock=FakeClock())
    with ServerThread(fake.engine) as server:
        yield fake, server


def server_tasks(server: ServerThread) -> int:
    loop = server._loop
    assert loop is not None
    return len(asyncio.run_coroutine_threadsafe(_count_tasks(), loop).result(SAFETY))


async def _count_tasks() -> set[asyncio.Task[Any]]:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}


def test_fifty_concurrent_streaming_clients_all_get_whole_streams(served: tuple[FakeClaude, ServerThread]) -> None:
    fake, server = served

    async def one(http: httpx2.AsyncClient, index: int) -> str:
        async with http.stream("POST", "/v1/messages", json=body(index, stream=True), headers=HEADERS) as response:
            assert response.status_code == 200
            text = "".join([chunk async for chunk in response.aiter_text()])
        return text

    async def main() -> list[str]:
        limits = httpx2.Limits(max_connections=50)
        async with httpx2.AsyncClient(base_url=server.base_url, timeout=SAFETY, limits=limits) as http:
            return await asyncio.gather(*(one(http, i) for i in range(150)))

    streams = asyncio.run(main())
    assert all(s.startswith("event: message_start") and s.rstrip().endswith('{"type":"message_stop"}') for s in streams)
    assert len(fake.requests) == 150 and {r.status for r in fake.requests} == {200}


def test_three_hundred_simultaneous_connections_are_all_answered(served: tuple[FakeClaude, ServerThread]) -> None:
    fake, server = served
    raw = json.dumps(body(0)).encode()
    request = (f"POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\nanthropic-version: 2023-06-01\r\n"
               f"content-type: application/json\r\nContent-Length: {len(raw)}\r\nConnection: close\r\n\r\n").encode() + raw
    sockets = [socket.create_connection(("127.0.0.1", server.port), timeout=SAFETY) for _ in range(300)]
    try:
        for sock in sockets:  # every connection open at once before any sends
            sock.sendall(request)
        answers = []
        for sock in sockets:
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            answers.append(data)
    finally:
        for sock in sockets:
            sock.close()
    assert all(a.startswith(b"HTTP/1.1 200 ") and b'"type":"message"' in a for a in answers)
    assert len(fake.requests) == 300


def test_a_thousand_and_more_varied_requests_in_process_leave_memory_flat() -> None:
    fake = FakeClaude(seed=5, clock=FakeClock(), max_recorded_requests=200)
    bodies = [json.dumps(varied(i)).encode() for i in range(100)]

    def run(count: int, start: int) -> None:
        for i in range(start, start + count):
            key = f"sk-test-{i % 20}"
            reply = fake.engine.handle(HttpRequest("POST", "/v1/messages", {}, {**HEADERS, "x-api-key": key},
                                                   bodies[i % len(bodies)]))
            if reply.stream is not None:
                for _ in reply.stream:
                    pass
            assert reply.status == 200

    run(400, 0)  # warm up: every log and cache reaches its steady size
    gc.collect()
    tracemalloc.start()
    try:
        run(200, 400)
        gc.collect()
        middle = tracemalloc.get_traced_memory()[0]
        run(800, 600)
        gc.collect()
        end = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(fake.requests) == 200
    assert end - middle < 512 * 1024, f"{end - middle:,} bytes more after 800 more requests"


def test_clients_vanishing_mid_stream_leave_nothing_behind(served: tuple[FakeClaude, ServerThread]) -> None:
    fake, server = served
    raw = json.dumps({**body(0, stream=True), "max_tokens": 400}).encode()
    request = (f"POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\nanthropic-version: 2023-06-01\r\n"
               f"content-type: application/json\r\nContent-Length: {len(raw)}\r\n\r\n").encode() + raw
    fake.on().respond(Reply(["word " * 300], tokens_per_second=2000))  # long enough to leave

    def vanish(times: int) -> None:
        for _ in range(times):
            with socket.create_connection(("127.0.0.1", server.port), timeout=SAFETY) as sock:
                sock.sendall(request)
                assert sock.recv(256).startswith(b"HTTP/1.1 200")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset

    vanish(20)
    _settle(server, fake, 20)
    gc.collect()
    fds, tasks = open_fds(), server_tasks(server)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        vanish(200)
        _settle(server, fake, 220)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert open_fds() <= fds
    assert server_tasks(server) <= tasks
    assert grown < 1024 * 1024, f"{grown:,} bytes kept after 200 vanished clients"
    assert httpx2.post(f"{server.base_url}/v1/messages", json=body(1), headers=HEADERS, timeout=SAFETY).status_code == 200


def _settle(server: ServerThread, fake: FakeClaude, requests: int) -> None:
    """Wait (by polling the server's loop, at most ``SAFETY``) until every vanished stream was wound up."""
    for _ in range(int(SAFETY * 20)):
        if len(fake.requests) >= requests and server_tasks(server) <= 1:
            return
        threading.Event().wait(0.05)


def test_one_fake_shared_by_threads_and_tasks_gives_each_scripted_reply_once() -> None:
    fake = FakeClaude(seed=2, clock=FakeClock())
    expected = [f"reply {i}" for i in range(240)]
    route = fake.on(last_user_text="shared")
    route.side_effect = list(expected)
    question = {**body(0), "messages": [{"role": "user", "content": "shared question"}]}
    client = fake.client()

    def from_thread(_: int) -> list[str]:
        return [client.messages.create(**question).content[0].text for _ in range(15)]  # type: ignore[union-attr]

    async def from_tasks() -> list[str]:
        async_client = fake.async_client()
        async def one() -> str:
            message = await async_client.messages.create(**question)
            return message.content[0].text  # type: ignore[union-attr]
        return list(await asyncio.gather(*(one() for _ in range(120))))

    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda i=i: results.append(from_thread(i))) for i in range(8)]
    for thread in threads:
        thread.start()
    results.append(asyncio.run(from_tasks()))
    for thread in threads:
        thread.join()
    answers = [text for batch in results for text in batch]
    assert sorted(answers) == sorted(expected)  # none lost, none twice
    assert route.call_count == 240 and fake.failures == []
    assert {r.verdict for r in fake.requests} == {"scripted"}
