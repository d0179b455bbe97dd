"""``python -m benchmarks.server_cpu [N]``: each loopback server's own CPU time per ``messages.create``.

The loopback group of the table times the SDK's calls on the wall clock, client and server together, on a
machine that other sessions load. This measures the server alone: the minimal aiohttp server (the floor,
``benchmarks.minimal_server``) and ``fakeclaude serve --no-access-log``, each a real process on 127.0.0.1.
The official SDK's request bytes are captured once (one real ``messages.create`` against a socket here
that records what arrives), then replayed ``N`` times to each server on one keep-alive raw socket, in
two writes as the SDK's client sends it (the head, then the body: the server reads them apart), each
full response read (``Content-Length`` or chunked) before the next request goes. The servers' CPU time
is read from ``/proc/PID/stat`` (utime + stime, in clock ticks) and from the threads' ``schedstat``
(nanoseconds) around each round; rounds alternate between the servers (A, B, B, A, ...) so a busy spell
of the machine weighs on both. Printed: the load, each server's CPU µs and wall µs per request, and the
fake's ratio to the floor (total over total, and the median of the per-round ratios). Both servers are
stopped at the end. A run of N=5000 takes about fifteen seconds.

``python -m benchmarks.server_cpu --callgrind [N]`` counts instead each server's user-space instructions
per request under valgrind's callgrind (instrumentation on only around the ``N`` replays; N=500 by
default, about a minute per server): a figure the machine's load does not move, for comparing versions
(the kernel's share, about a tenth of the CPU time, is not in it). Needs valgrind (``apt install valgrind``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 10
#: The pause between a request's head and its body: the server has read the head alone when the body comes
#: (as from the SDK, whose client writes them apart), instead of both in one read most of the time.
HEAD_TO_BODY_SECONDS = 0.0002
#: The same pause for a server under callgrind.
CALLGRIND_HEAD_TO_BODY_SECONDS = 0.02
WARMUP = 200
_TICK = os.sysconf("SC_CLK_TCK")


def capture_request() -> bytes:
    """The bytes of one ``messages.create(**PARAMS)`` as the official SDK sends them (one real call)."""
    import anthropic

    from benchmarks.cases import KEY, PARAMS

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    captured: list[bytes] = []

    def accept() -> None:
        connection, _ = listener.accept()
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            head, _, rest = data.partition(b"\r\n\r\n")
            length = _content_length(head)
            while len(rest) < length:
                rest += connection.recv(65536)
            captured.append(head + b"\r\n\r\n" + rest)
            body = (b'{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],'
                    b'"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}')
            connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                               + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    with listener, anthropic.Anthropic(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0) as client:
        client.messages.create(**PARAMS)
        thread.join(10)
    return captured[0]


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def for_host(request: bytes, port: int) -> bytes:
    """``request`` with its ``Host`` header naming ``127.0.0.1:port`` (the server it is replayed to)."""
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [b"Host: 127.0.0.1:" + str(port).encode() if line.lower().startswith(b"host:") else line
             for line in head.split(b"\r\n")]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class Connection:
    """One keep-alive raw socket to a server; ``exchange`` sends a request and reads its whole response."""

    def __init__(self, port: int) -> None:
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def _fill(self) -> None:
        data = self.socket.recv(262144)
        if not data:
            raise ConnectionError("the server closed the connection")
        self.buffer += data

    def _take_until(self, marker: bytes) -> bytes:
        while (at := self.buffer.find(marker)) < 0:
            self._fill()
        taken, self.buffer = self.buffer[:at], self.buffer[at + len(marker):]
        return taken

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        taken, self.buffer = self.buffer[:size], self.buffer[size:]
        return taken

    def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send ``request`` as the SDK's client does (two writes: the head, then the body; the server sees
        them arrive apart); the response's status and body (``Content-Length`` or chunked framing)."""
        head, _, body = request.partition(b"\r\n\r\n")
        self.socket.sendall(head + b"\r\n\r\n")
        if body:
            time.sleep(HEAD_TO_BODY_SECONDS)  # as the SDK's client builds the body's write meanwhile
            self.socket.sendall(body)
        head = self._take_until(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        lowered = head.lower()
        if b"\r\ntransfer-encoding: chunked" in lowered:
            parts = []
            while size := int(self._take_until(b"\r\n").split(b";")[0], 16):
                parts.append(self._take(size))
                self._take(2)
            self._take_until(b"\r\n")  # the end of the (empty) trailer section
            return status, b"".join(parts)
        return status, self._take(_content_length(head))

    def close(self) -> None:
        self.socket.close()


def cpu_ticks(pid: int) -> int:
    """utime + stime of process ``pid`` (all its threads), in clock ticks (``/proc/PID/stat``)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of the line; the 3rd is fields[0] here


def cpu_nanoseconds(pid: int) -> int:
    """Nanoseconds on the CPU of every thread of ``pid`` (``/proc/PID/task/*/schedstat``); 0 without it."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):  # a thread that just ended, or no schedstats in this kernel
            continue
    return total


@dataclass
class Measured:
    """One server's totals: requests, CPU (ticks and ns), wall seconds; and its per-round CPU per request."""

    label: str
    pid: int
    connection: Connection
    request: bytes
    requests: int = 0
    ticks: int = 0
    nanoseconds: int = 0
    wall: float = 0.0
    per_round: list[float] = field(default_factory=list)

    def run(self, n: int, *, timed: bool = True) -> None:
        ticks, nanoseconds, start = cpu_ticks(self.pid), cpu_nanoseconds(self.pid), time.perf_counter()
        for _ in range(n):
            status, body = self.connection.exchange(self.request)
            if status != 200 or not body.startswith(b"{"):
                raise AssertionError(f"{self.label} answered {status}: {body[:200]!r}")
        wall = time.perf_counter() - start
        if not timed:
            return
        spent_ns = cpu_nanoseconds(self.pid) - nanoseconds
        self.requests += n
        self.ticks += cpu_ticks(self.pid) - ticks
        self.nanoseconds += spent_ns
        self.wall += wall
        self.per_round.append(spent_ns / n)

    def stat_us(self) -> float:
        return self.ticks / _TICK / self.requests * 1e6

    def schedstat_us(self) -> float:
        return self.nanoseconds / self.requests / 1e3

    def wall_us(self) -> float:
        return self.wall / self.requests * 1e6


def measure(n: int, rounds: int = ROUNDS) -> list[Measured]:
    """Start both servers, replay the SDK's request ``n`` times to each in alternating rounds, stop them."""
    from benchmarks import suite

    folder = Path(tempfile.mkdtemp(prefix="bench-server-cpu-"))
    canned, text = suite.prepare_canned(folder)
    servers = suite.servers(text)[:2]  # the minimal aiohttp server, fakeclaude serve --no-access-log
    measured: list[Measured] = []
    try:
        with ThreadPoolExecutor(len(servers)) as pool:  # both start at once, the SDK's bytes captured meanwhile
            urls = pool.map(lambda server: server.start(folder, canned), servers)
            request = capture_request()
            for server, url in zip(servers, list(urls), strict=True):
                port = int(url.rsplit(":", 1)[1])
                assert server.process is not None
                measured.append(Measured(server.label, server.process.pid, Connection(port), for_host(request, port)))
        for one in measured:
            one.run(min(WARMUP, n), timed=False)
        batch = max(1, n // rounds)
        for round_ in range(rounds):
            for one in measured if round_ % 2 == 0 else reversed(measured):
                one.run(batch)
    finally:
        for one in measured:
            one.connection.close()
        for server in servers:
            server.stop()
    return measured


def report(measured: list[Measured]) -> str:
    floor, fake = measured
    lines = [f"{'server':18} {'CPU µs/req (stat)':>18} {'CPU µs/req (schedstat)':>23} {'wall µs/req':>12}"]
    for one in measured:
        lines.append(f"{one.label:18} {one.stat_us():18.1f} {one.schedstat_us():23.1f} {one.wall_us():12.1f}")
    paired = statistics.median(a / b for a, b in zip(fake.per_round, floor.per_round, strict=True)) \
        if all(floor.per_round) else float("nan")
    stat_ratio = f"{fake.ticks / floor.ticks:.2f}x" if floor.ticks else "-"  # too few ticks for a figure
    lines.append(f"fakeclaude serve / minimal aiohttp: CPU {stat_ratio} (stat), "
                 f"{fake.nanoseconds / max(floor.nanoseconds, 1):.2f}x (schedstat), "
                 f"median of per-round ratios {paired:.2f}x; wall {fake.wall / floor.wall:.2f}x")
    return "\n".join(lines)


def instructions(n: int) -> list[tuple[str, float]]:
    """Each server in turn under callgrind: user-space instructions per request over ``n`` replays.

    Instrumentation is on only around the ``n`` replays (after a warm-up); the body follows the head after
    :data:`CALLGRIND_HEAD_TO_BODY_SECONDS` (a server under valgrind runs about 50 times slower).
    """
    from benchmarks import suite

    global HEAD_TO_BODY_SECONDS
    folder = Path(tempfile.mkdtemp(prefix="bench-server-cpu-cg-"))
    canned, text = suite.prepare_canned(folder)
    request = capture_request()
    counted: list[tuple[str, float]] = []
    for server in suite.servers(text)[:2]:
        out = folder / f"{server.label.replace(' ', '-')}.cg"
        server.command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}.%p",
                          *server.command]
        try:
            port = int(server.start(folder, canned).rsplit(":", 1)[1])
            assert server.process is not None
            pid = str(server.process.pid)  # valgrind runs the server in its own process

            def control(*args: str, pid: str = pid) -> None:
                subprocess.run(["callgrind_control", *args, pid], check=True, capture_output=True)

            one = Measured(server.label, server.process.pid, Connection(port), for_host(request, port))
            HEAD_TO_BODY_SECONDS, kept = CALLGRIND_HEAD_TO_BODY_SECONDS, HEAD_TO_BODY_SECONDS
            try:
                one.run(min(WARMUP, n), timed=False)
                control("-z")
                control("-i", "on")
                one.run(n, timed=False)
                control("-i", "off")
                control("-d", "replays")
            finally:
                HEAD_TO_BODY_SECONDS = kept
                one.connection.close()
        finally:
            server.stop()
        for dump in folder.glob(f"{out.name}.*"):
            found = dump.read_text(encoding="utf-8", errors="replace")
            total = re.search(r"^totals: (\d+)", found, re.M)
            if "\ndesc: Trigger: dump replays\n" in found and total:
                counted.append((server.label, int(total.group(1)) / n))
    return counted


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")  # the SDK's deprecation warning for the benchmark's model
    sys.path.insert(0, str(ROOT))
    if argv[:1] == ["--callgrind"]:
        if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
            print("benchmarks.server_cpu --callgrind needs valgrind (apt install valgrind)", file=sys.stderr)
            return 2
        n = int(argv[1]) if len(argv) > 1 else 500
        print(f"server instructions per messages.create (callgrind, user space): the SDK's request replayed {n} "
              "times per server on one keep-alive socket")
        counted = instructions(n)
        for label, per_request in counted:
            print(f"  {label:18} {per_request / 1e3:8.1f} k instructions per request")
        if len(counted) == 2:
            print(f"  fakeclaude serve / minimal aiohttp: {counted[1][1] / counted[0][1]:.2f}x")
        return 0
    n = int(argv[0]) if argv else 5000
    load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f", {os.cpu_count()} CPUs"
    rounds = min(ROUNDS, n)
    print(f"server CPU per messages.create: the SDK's request replayed {n} times per server on one keep-alive "
          f"socket, {rounds} alternating rounds; {load}")
    print(report(measure(n, rounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
