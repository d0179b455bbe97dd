"""Soak runs of issue #14 section 2: the served fake under many clients for a while, and a long in-process run.

Three runs, each bounded in time and count and stopping by itself; traffic only to 127.0.0.1:

- streaming: ``fakeclaude serve`` in its own process; ``SOAK_CLIENTS`` (200) asyncio clients each stream
  ``messages`` replies back to back for ``SOAK_SECONDS`` (60). Reports streams, errors, throughput,
  p50 / p99 latency (request sent to last byte) and the server's RSS before and after.
- connections: ``SOAK_CONNECTIONS`` (1,000) sockets opened at once, each sends one request once all are
  open; reports answered / errors and the server's RSS.
- in-process: ``SOAK_REQUESTS`` (1,000,000) varied requests through the engine (no socket), at most
  ``SOAK_MAX_SECONDS`` (900); reports the rate and the RSS in each tenth of the run.

Run: ``.venv/bin/python -m benchmarks soak`` (``SOAK_SCALE=0.05`` for a quick look: fewer clients,
seconds and requests). ``rows()`` returns the table's rows for the combined benchmark table.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from benchmarks import table

SCALE = float(os.environ.get("SOAK_SCALE", "1"))
CLIENTS = max(2, int(int(os.environ.get("SOAK_CLIENTS", "200")) * SCALE))
SECONDS = max(2.0, float(os.environ.get("SOAK_SECONDS", "60")) * SCALE)
CONNECTIONS = max(10, int(int(os.environ.get("SOAK_CONNECTIONS", "1000")) * SCALE))
REQUESTS = max(1000, int(int(os.environ.get("SOAK_REQUESTS", "1000000")) * SCALE))
MAX_SECONDS = float(os.environ.get("SOAK_MAX_SECONDS", "900"))
HEADERS = {"x-api-key": "sk-soak", "anthropic-version": "2023-06-01", "content-type": "application/json"}
Row = tuple[str, str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int | str = "self") -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


@contextmanager
def served() -> Iterator[tuple[str, int]]:
    """``fakeclaude serve`` on a free loopback port in its own process: (base URL, pid); stopped after."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "fakeclaude", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # its access log: unread
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("fakeclaude serve did not start within 30 s")
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _body(index: int, stream: bool) -> dict[str, Any]:
    return {"model": "claude-sonnet-4-5", "max_tokens": 64, "stream": stream,
            "messages": [{"role": "user", "content": f"Soak question {index % 97}: tell me about ships."}]}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ----- 1. streaming clients ---------------------------------------------------------------------------
async def _stream_clients(url: str, clients: int, seconds: float) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    bytes_read = 0
    stop_at = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as session:

        async def client(number: int) -> None:
            nonlocal errors, bytes_read
            index = number
            while time.monotonic() < stop_at:
                start = time.perf_counter()
                try:
                    async with session.post("/v1/messages", data=json.dumps(_body(index, True)), headers=HEADERS) as reply:
                        data = await reply.read()
                    if reply.status != 200 or not data.rstrip().endswith(b'{"type":"message_stop"}'):
                        errors += 1
                        continue
                    bytes_read += len(data)
                    latencies.append(time.perf_counter() - start)
                except (aiohttp.ClientError, TimeoutError):
                    errors += 1
                index += clients

        await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, errors, bytes_read


def streaming_rows(clients: int = CLIENTS, seconds: float = SECONDS) -> list[Row]:
    with served() as (url, pid):
        before = _rss_mb(pid)
        start = time.perf_counter()
        latencies, errors, _ = asyncio.run(_stream_clients(url, clients, seconds))
        elapsed = time.perf_counter() - start
        after = _rss_mb(pid)
    case = f"{clients} streaming clients, {seconds:.0f} s"
    return [
        (case, "streams / errors", f"{len(latencies):,} / {errors}"),
        (case, "throughput", f"{len(latencies) / elapsed:,.0f} streams/s"),
        (case, "latency p50 / p99", f"{_percentile(latencies, 0.5) * 1000:.0f} / {_percentile(latencies, 0.99) * 1000:.0f} ms"),
        (case, "server RSS before / after", f"{before:.0f} / {after:.0f} MB"),
    ]


# ----- 2. simultaneous connections --------------------------------------------------------------------
def _read_all(sockets: list[socket.socket], deadline: float) -> list[bytes]:
    """What each socket received until the server closed it (or ``deadline``), reading them all at once."""
    import selectors

    received = {sock: bytearray() for sock in sockets}
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
        open_count = len(sockets)
        while open_count and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1.0):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    chunk = b""
                if chunk:
                    received[sock] += chunk
                else:
                    selector.unregister(sock)
                    open_count -= 1
    return [bytes(received[sock]) for sock in sockets]


def connection_rows(count: int = CONNECTIONS) -> list[Row]:
    raw = json.dumps(_body(0, False)).encode()
    request = (f"POST /v1/messages HTTP/1.1\r\nHost: soak\r\nx-api-key: sk-soak\r\nanthropic-version: 2023-06-01\r\n"
               f"content-type: application/json\r\nContent-Length: {len(raw)}\r\nConnection: close\r\n\r\n").encode() + raw
    with served() as (url, pid):
        port = int(url.rsplit(":", 1)[1])
        before = _rss_mb(pid)
        start = time.perf_counter()
        sockets: list[socket.socket] = []
        try:
            for _ in range(count):
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            opened = time.perf_counter() - start
            for sock in sockets:
                sock.sendall(request)
            answers = _read_all(sockets, deadline=time.monotonic() + 120)
        finally:
            for sock in sockets:
                sock.close()
        answered = sum(1 for a in answers if a.startswith(b"HTTP/1.1 200 ") and b'"type":"message"' in a)
        errors = count - answered
        elapsed = time.perf_counter() - start
        after = _rss_mb(pid)
    case = f"{count:,} simultaneous connections"
    return [
        (case, "answered / errors", f"{answered:,} / {errors}"),
        (case, "all open after / all answered after", f"{opened:.2f} / {elapsed:.2f} s"),
        (case, "server RSS before / after", f"{before:.0f} / {after:.0f} MB"),
    ]


# ----- 3. in-process requests ---------------------------------------------------------------------------
def _varied(index: int) -> bytes:
    kind = index % 5
    body: dict[str, Any] = _body(index, kind == 1)
    if kind == 2:
        body["tools"] = [{"name": "get_weather", "description": "Weather of a city",
                          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
    elif kind == 3:
        body["system"] = f"You are helper {index % 13}."
    elif kind == 4:
        body["messages"] = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                            {"role": "user", "content": f"Number {index % 101}?"}]
    return json.dumps(body).encode()


def in_process_rows(requests: int = REQUESTS, max_seconds: float = MAX_SECONDS) -> list[Row]:
    from fakeclaude.server import FakeClaude
    from fakeclaude.server.http import HttpRequest

    fake = FakeClaude(seed=0)
    bodies = [_varied(i) for i in range(1000)]
    tenth = max(1, requests // 10)
    rates: list[float] = []
    rss: list[float] = []
    rss_before = _rss_mb()
    start = segment = time.perf_counter()
    done = errors = 0
    for done in range(1, requests + 1):
        i = done - 1
        reply = fake.engine.handle(HttpRequest("POST", "/v1/messages", {}, {**HEADERS, "x-api-key": f"sk-soak-{i % 50}"},
                                               bodies[i % len(bodies)]))
        if reply.stream is not None:
            for _ in reply.stream:
                pass
        errors += reply.status != 200
        if done % tenth == 0:
            now = time.perf_counter()
            rates.append(tenth / (now - segment))
            segment = now
            gc.collect()
            rss.append(_rss_mb())
        if time.perf_counter() - start > max_seconds:
            break
    elapsed = time.perf_counter() - start
    case = f"{done:,} in-process requests" + (" (stopped at the time bound)" if done < requests else "")
    return [
        (case, "errors", str(errors)),
        (case, "rate per tenth (req/s)", " ".join(f"{r:,.0f}" for r in rates)),
        (case, "overall rate", f"{done / elapsed:,.0f} req/s in {elapsed:.0f} s"),
        (case, "RSS before, then per tenth (MB)", f"{rss_before:.0f}, then " + " ".join(f"{m:.0f}" for m in rss)),
    ]


def rows() -> list[Row]:
    """Every soak run's rows: (case, measure, value)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 2 * CONNECTIONS + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # both sides of 1,000 sockets (inherited by serve)
    return streaming_rows() + connection_rows() + in_process_rows()


def main() -> int:
    print(f"soak: {CLIENTS} clients for {SECONDS:.0f} s, {CONNECTIONS} connections, {REQUESTS:,} in-process "
          f"requests (at most {MAX_SECONDS:.0f} s); python {sys.version.split()[0]}, {os.cpu_count()} CPUs", flush=True)
    result = rows()
    print(table(["case", "measure", "value"], result))
    failed = [r for r in result if r[1].startswith(("streams / errors", "answered / errors", "errors"))
              and not r[2].endswith(" 0") and r[2] != "0"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
