"""The fake on a socket: the official SDK against ``fake.serve()`` vs a minimal aiohttp server on loopback.

The minimal server (aiohttp, in a background thread started here, like ``fake.serve()``) answers every
request with the very bytes and headers the fake answered to the same request: a Message JSON, or the
fake's SSE stream of about 40 text deltas written in one piece. Both are reached over 127.0.0.1 by
``anthropic.Anthropic`` / ``AsyncAnthropic`` on their default httpx2 clients (keep-alive). Measured side
by side (alternating batches, median per call):

- create: sequential ``messages.create``;                               goal fake / minimal <= 1.3
- stream: ``messages.stream(...).get_final_message()``, ~40 deltas;     goal <= 1.3
- async x50: 50 ``AsyncAnthropic`` clients each awaiting creates, ``asyncio.gather``ed (time per call).

Run: ``.venv/bin/python -m benchmarks server_loopback`` (``BENCH_SCALE=0.2`` for a quick look).
"""

from __future__ import annotations

import asyncio
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import anthropic
from aiohttp import web

from benchmarks import interleaved, table
from benchmarks.server_transport import PARAMS, STREAM_TEXT, canned_from, scale, scripted_fake

GOAL = 1.3
CONCURRENCY = 50
_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


@contextmanager
def minimal_server(plain: bytes, streamed: bytes, plain_headers: dict[str, str],
                   stream_headers: dict[str, str]) -> Iterator[str]:
    """An aiohttp server on 127.0.0.1 answering canned bytes; yields its base URL."""
    plain_headers = {k: v for k, v in plain_headers.items() if k.lower() not in _HOP}
    stream_headers = {k: v for k, v in stream_headers.items() if k.lower() not in _HOP}

    async def answer(request: web.Request) -> web.Response:
        body = await request.read()
        if b'"stream":true' in body:
            return web.Response(body=streamed, headers=stream_headers)
        return web.Response(body=plain, headers=plain_headers)

    ready = threading.Event()
    state: dict[str, object] = {}

    async def serve() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", answer)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        stop = asyncio.Event()
        state.update(port=runner.addresses[0][1], stop=stop, loop=asyncio.get_running_loop())
        ready.set()
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), name="minimal-aiohttp", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{state['port']}"
    finally:
        loop, stop = state["loop"], state["stop"]
        assert isinstance(loop, asyncio.AbstractEventLoop) and isinstance(stop, asyncio.Event)
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)


def creating(client: anthropic.Anthropic) -> Callable[[int], None]:
    def run(n: int) -> None:
        for _ in range(n):
            message = client.messages.create(**PARAMS)
        assert message.content[0].type == "text" and message.content[0].text == STREAM_TEXT

    return run


def streaming(client: anthropic.Anthropic) -> Callable[[int], None]:
    def run(n: int) -> None:
        for _ in range(n):
            with client.messages.stream(**PARAMS) as stream:
                message = stream.get_final_message()
        assert message.content[0].type == "text" and message.content[0].text == STREAM_TEXT

    return run


def concurrent(base_url: str, loop: asyncio.AbstractEventLoop) -> Callable[[int], None]:
    """``run(n)``: about ``n`` creates spread over CONCURRENCY clients awaiting in parallel."""
    clients = [anthropic.AsyncAnthropic(api_key="sk-ant-bench", base_url=base_url, max_retries=0)
               for _ in range(CONCURRENCY)]

    async def one(client: anthropic.AsyncAnthropic, calls: int) -> None:
        for _ in range(calls):
            message = await client.messages.create(**PARAMS)
            assert message.content[0].type == "text"

    async def everyone(per_client: int) -> None:
        await asyncio.gather(*(one(c, per_client) for c in clients))

    def run(n: int) -> None:
        loop.run_until_complete(everyone(max(1, n // CONCURRENCY)))

    return run


def measure() -> list[tuple[str, float, float]]:
    fake = scripted_fake()
    plain, streamed, plain_headers, stream_headers = canned_from(fake)
    rounds = max(3, int(9 * scale()))
    results = []
    with fake.serve() as fake_url, minimal_server(plain, streamed, plain_headers, stream_headers) as minimal_url:
        ours = anthropic.Anthropic(api_key="sk-ant-bench", base_url=fake_url, max_retries=0)
        theirs = anthropic.Anthropic(api_key="sk-ant-bench", base_url=minimal_url, max_retries=0)
        for label, make, batch in (("create", creating, 100), ("stream() + get_final_message()", streaming, 50)):
            b = max(10, int(batch * scale()))
            mine, base = interleaved([make(ours), make(theirs)], batch=b, rounds=rounds, warmup=b)
            results.append((label, mine, base))
        loop = asyncio.new_event_loop()
        try:
            b = CONCURRENCY * max(2, int(8 * scale()))
            mine, base = interleaved([concurrent(fake_url, loop), concurrent(minimal_url, loop)],
                                     batch=b, rounds=rounds, warmup=b)
            results.append((f"async create, {CONCURRENCY} clients gathered", mine, base))
        finally:
            loop.close()
    return results


def main() -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    print(f"anthropic {anthropic.__version__} over 127.0.0.1: fake.serve() vs a minimal aiohttp server "
          f"answering the fake's own bytes; Python {sys.version.split()[0]}")
    rows = [(label, f"{ours * 1e6:.0f}", f"{base * 1e6:.0f}", f"{ours / base:.2f}",
             "yes" if ours / base <= GOAL else "NO") for label, ours, base in measure()]
    print(table(["per call", "fake µs", "minimal aiohttp µs", "ratio", f"<= {GOAL}"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
