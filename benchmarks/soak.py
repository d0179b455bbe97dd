"""Soak runs of issue #14 section 2: the served fake under many clients for a while, and a long in-process run.

Three runs, each bounded in time and count and stopping by itself; traffic only to 127.0.0.1:

- streaming: ``fakeclaude serve`` in its own process; ``SOAK_CLIENTS`` (200) asyncio clients each stream
  ``messages`` replies back to back for ``SOAK_SECONDS`` (60). Reports streams, errors, throughput,
  p50 / p99 latency (request sent to last byte) and the server's RSS before and after.
- connections: ``SOAK_CONNECTIONS`` (1,000) sockets opened at once, each sends one request once all are
  open; reports answered / errors and the server's RSS.
- in-process: ``SOAK_REQUESTS`` (1,000,000) varied requests to one ``FakeClaude`` (no socket), at most
  ``SOAK_MAX_SECONDS`` (1,800): in each cycle of 20, eleven freshly generated answers (plain, streamed, tools,
  system prompt, multi-turn), a bad body (400), a count_tokens, a rule's scripted reply, a rule's 529, an
  unknown model (404), two through a plain ``httpx2.Client`` on ``fake.httpx2_transport()`` and two repeated
  prompts. Most go to ``fake.engine.handle`` directly: a client on the transport doubles the CPU per call
  (about 0.5 -> 1.1 ms here with a plain ``httpx2.Client``; the SDK adds its own) and measures the client. Reports the rate, the CPU time per request and RSS in
  each tenth of the run (flat memory, no slowdown; the CPU figure holds on a loaded machine), every answer
  other than the expected one, and what the request log kept.

Run: ``.venv/bin/python benchmarks/soak.py`` (``SOAK_SCALE=0.05`` for a quick look: fewer clients, seconds
and requests; ``SOAK_ONLY=in-process`` or ``streaming,connections`` for some of the runs). ``make bench``
runs the three at its mode's bounds as the *Soak* section of RESULTS.md (``benchmarks/long_runs.py``);
``rows()`` returns the rows at the bounds above.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from benchmarks import stop_process, table

SCALE = float(os.environ.get("SOAK_SCALE", "1"))
CLIENTS = max(2, int(int(os.environ.get("SOAK_CLIENTS", "200")) * SCALE))
SECONDS = max(2.0, float(os.environ.get("SOAK_SECONDS", "60")) * SCALE)
CONNECTIONS = max(10, int(int(os.environ.get("SOAK_CONNECTIONS", "1000")) * SCALE))
REQUESTS = max(1000, int(int(os.environ.get("SOAK_REQUESTS", "1000000")) * SCALE))
MAX_SECONDS = float(os.environ.get("SOAK_MAX_SECONDS", "1800"))
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
        stop_process(process)


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
_TOOLS = [{"name": "get_weather", "description": "Weather of a city",
           "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]


def _varied(index: int) -> bytes:
    """A generated-answer request of one of five shapes: plain, streamed, with a tool, with a system prompt,
    multi-turn; the prompt varies with ``index`` so the answers are generated afresh, not memoised."""
    kind = index % 5
    body: dict[str, Any] = _body(index, kind == 1)
    if kind == 2:
        body["tools"] = _TOOLS
    elif kind == 3:
        body["system"] = f"You are helper {index % 13}."
    elif kind == 4:
        body["messages"] = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                            {"role": "user", "content": f"Number {index % 101}?"}]
    return json.dumps(body).encode()


#: What each request of a cycle of 20 is, and the status it must get. Eleven of twenty get a freshly generated
#: answer (``_varied``); the others are what a suite also sends: a bad body, a count, a request a rule scripts,
#: one a rule fails with 529, one through the ``httpx2`` transport (the in-process adapter), a repeated prompt.
_CYCLE: tuple[tuple[str, int], ...] = (
    ("generated", 200), ("generated", 200), ("generated", 200), ("generated", 200), ("generated", 200),
    ("generated", 200), ("invalid body", 400), ("count_tokens", 200), ("scripted by a rule", 200),
    ("generated", 200), ("generated", 200), ("failed by a rule (529)", 529), ("through httpx2", 200),
    ("repeated prompt", 200), ("generated", 200), ("generated", 200), ("generated", 200),
    ("unknown model", 404), ("through httpx2", 200), ("repeated prompt", 200),
)
_SCRIPTED = json.dumps({"model": "claude-haiku-4-5", "max_tokens": 32,
                        "messages": [{"role": "user", "content": "Scripted question"}]}).encode()
_FAILED = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 32, "stream": True,
                      "messages": [{"role": "user", "content": "Overloaded question"}]}).encode()
_COUNT = json.dumps({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "How many tokens?"}],
                     "tools": _TOOLS}).encode()
_UNKNOWN = json.dumps({"model": "claude-nonexistent-9", "max_tokens": 8,
                       "messages": [{"role": "user", "content": "Hi"}]}).encode()
_REPEATED = _varied(3)


class _InProcess:
    """One ``FakeClaude`` (rules scripted on it) and a plain ``httpx2.Client`` on its in-process transport."""

    def __init__(self) -> None:
        import re

        import httpx2

        from fakeclaude.server import FakeClaude
        from fakeclaude.server.http import HttpRequest

        self.fake = FakeClaude(seed=0)
        self.fake.on(model="claude-haiku-4-5").respond("Scripted by a rule.")
        self.fake.on(last_user_text=re.compile("^Overloaded")).error(529)
        self.client = httpx2.Client(transport=self.fake.httpx2_transport(), base_url="http://fake", headers=HEADERS)
        self._request = HttpRequest
        self.bodies = [_varied(i) for i in range(1000)]

    def send(self, index: int, kind: str) -> int:
        """Send request ``index`` of ``kind``; its status (a stream is read to its end)."""
        if kind == "through httpx2":
            with self.client.stream("POST", "/v1/messages", content=self.bodies[index % 1000]) as response:
                for _ in response.iter_bytes():
                    pass
                return response.status_code
        path, body = "/v1/messages", self.bodies[index % 1000]
        if kind == "invalid body":
            body = b'{"model": "claude-sonnet-4-5", "max_tokens": "many", "messages": []}'
        elif kind == "count_tokens":
            path, body = "/v1/messages/count_tokens", _COUNT
        elif kind == "scripted by a rule":
            body = _SCRIPTED
        elif kind == "failed by a rule (529)":
            body = _FAILED
        elif kind == "unknown model":
            body = _UNKNOWN
        elif kind == "repeated prompt":
            body = _REPEATED
        headers = {**HEADERS, "x-api-key": f"sk-soak-{index % 50}"}
        reply = self.fake.engine.handle(self._request("POST", path, {}, headers, body))
        if reply.stream is not None:
            for _ in reply.stream:
                pass
        return reply.status

    def close(self) -> None:
        self.client.close()


def in_process_rows(requests: int = REQUESTS, max_seconds: float = MAX_SECONDS,
                    progress: Callable[[str], None] | None = None) -> list[Row]:
    """``requests`` varied requests to one fake in this process, at most ``max_seconds``: the rate and RSS
    per tenth of the run, the requests answered otherwise than expected, and what its logs kept
    (``progress``, when given, gets a line at the end of each tenth)."""
    soak = _InProcess()
    tenth = max(1, requests // 10)
    rates: list[float] = []
    cpu_ms: list[float] = []  # CPU per request in each tenth: the slowdown test a loaded machine cannot blur
    rss: list[float] = []
    unexpected: dict[str, int] = {}
    gc.collect()
    rss_before = _rss_mb()
    cpu_start = time.process_time()
    start = segment = time.perf_counter()
    cpu_segment = cpu_start
    done = 0
    try:
        for done in range(1, requests + 1):
            kind, expected = _CYCLE[done % len(_CYCLE)]
            status = soak.send(done, kind)
            if status != expected:
                unexpected[f"{kind}: {status}"] = unexpected.get(f"{kind}: {status}", 0) + 1
            if done % tenth == 0:
                now = time.perf_counter()
                rates.append(tenth / (now - segment))
                cpu_now = time.process_time()
                cpu_ms.append((cpu_now - cpu_segment) / tenth * 1000)
                segment, cpu_segment = now, cpu_now
                gc.collect()
                rss.append(_rss_mb())
                if progress is not None:
                    progress(f"  {done:,} / {requests:,} requests, {rates[-1]:,.0f} req/s, {cpu_ms[-1]:.3f} ms CPU "
                             f"per request, {rss[-1]:.0f} MB")
            if done % 1000 == 0 and time.perf_counter() - start > max_seconds:
                break
    finally:
        soak.close()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    log = soak.fake.engine.requests
    case = f"{done:,} in-process requests" + (" (stopped at the time bound)" if done < requests else "")
    first_last = f"{rates[0]:,.0f} / {rates[-1]:,.0f}" if rates else "-"
    return [
        (case, "errors (an answer other than the expected)", str(sum(unexpected.values())) +
         "".join(f"; {k} x{v}" for k, v in sorted(unexpected.items()))),
        (case, "rate per tenth (req/s)", " ".join(f"{r:,.0f}" for r in rates)),
        (case, "rate first / last tenth (req/s)", first_last),
        (case, "CPU per request per tenth (ms)", " ".join(f"{m:.3f}" for m in cpu_ms)),
        (case, "overall rate", f"{done / elapsed:,.0f} req/s in {elapsed:.0f} s ({cpu:.0f} s CPU)"),
        (case, "RSS before, then per tenth (MB)", f"{rss_before:.0f}, then " + " ".join(f"{m:.0f}" for m in rss)),
        (case, "request log kept (entries / body bytes)", f"{len(soak.fake.requests):,} / {log.kept_bytes:,}"),
    ]


def raise_file_limit(connections: int) -> None:
    """Room for both sides of ``connections`` sockets in this process (``serve`` inherits the limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 2 * connections + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def rows() -> list[Row]:
    """Every soak run's rows: (case, measure, value)."""
    raise_file_limit(CONNECTIONS)
    only = {name.strip() for name in os.environ.get("SOAK_ONLY", "").split(",") if name.strip()}
    runs: dict[str, Callable[[], list[Row]]] = {"streaming": streaming_rows, "connections": connection_rows, "in-process": in_process_rows}
    unknown = only - runs.keys()
    if unknown:
        raise SystemExit(f"SOAK_ONLY: unknown run(s) {sorted(unknown)}; choose from {sorted(runs)}")
    return [row for name, run in runs.items() if not only or name in only for row in run()]


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
