"""``fakeclaude serve --workers N``: N processes answering on one port, their state in one shared store.

Each worker is a ``fakeclaude serve`` process of its own, listening on the same port with
``SO_REUSEPORT``: the kernel spreads incoming connections among them, with no proxy in between (so no
extra hop or copy). What must be seen by all of them (batches) lives in the ``--state`` store (SQLite
for one host, Redis for many); see ``docs/scaling.md``. Every answer of a worker carries
``x-fakeclaude-worker: <pid>``, so a test (or a person) can tell which process answered.

The parent process only starts the workers, waits, and stops them all on SIGINT / SIGTERM or as soon
as one of them exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from types import FrameType

from fakeclaude.server.http import Engine, HttpReply, HttpRequest

__all__ = ["WORKER_HEADER", "WorkerEngine", "run_workers"]

WORKER_HEADER = "x-fakeclaude-worker"
_STOP_SECONDS = 10.0


class WorkerEngine:
    """``engine`` with the answering process's id in :data:`WORKER_HEADER` on every reply. ``before(request)``
    runs first (the pool's control API catching up with the script other workers were given) and
    ``after(reply)`` last (the pool's request log)."""

    def __init__(self, engine: Engine, before: Callable[[HttpRequest], object] | None = None,
                 after: Callable[[HttpReply], object] | None = None) -> None:
        self._engine = engine
        self._before = before
        self._after = after
        self._pid = str(os.getpid())

    def handle(self, request: HttpRequest) -> HttpReply:
        if self._before is not None:
            self._before(request)
        reply = self._engine.handle(request)
        reply.headers[WORKER_HEADER] = self._pid
        if self._after is not None:
            self._after(reply)
        return reply


def reserve_port(host: str, port: int) -> socket.socket:
    """A socket bound (not listening) to ``host:port`` with ``SO_REUSEPORT``: it fixes the port (a free
    one for 0) that the workers then share. Keep it open while they run."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def run_workers(command: Sequence[str], count: int, host: str, port: int, *,
                on_ready: Callable[[int], object] | None = None) -> int:
    """Run ``count`` times ``python -m fakeclaude <command> --port P --pool-worker`` until a signal or one exits.

    Returns 0 after a signal, else the exit status of the first worker that stopped (1 if it was 0).
    ``on_ready(port)`` is called once the port accepts connections.
    """
    reserved = reserve_port(host, port)
    bound = int(reserved.getsockname()[1])
    children = [
        subprocess.Popen([sys.executable, "-m", "fakeclaude", *command, "--port", str(bound), "--pool-worker"])
        for _ in range(count)
    ]
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        announced = False
        while not stopping:
            exited = [child for child in children if child.poll() is not None]
            if exited:
                code = exited[0].returncode
                return code if code else 1
            if not announced and _listening(host, bound):
                announced = True
                if on_ready is not None:
                    on_ready(bound)
            time.sleep(0.1)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + _STOP_SECONDS
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        reserved.close()


def _listening(host: str, port: int) -> bool:
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    with contextlib.suppress(OSError), socket.create_connection((target, port), timeout=0.2):
        return True
    return False
