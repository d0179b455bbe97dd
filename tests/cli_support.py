"""Running a ``fakeclaude`` command as a subprocess on a free loopback port, for the duration of a test."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    """A running command: its base URL and what it printed so far (stdout and stderr, in a file)."""

    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def fakeclaude_process(*args: str, startup_seconds: float = 20) -> Iterator[Running]:
    """Run ``python -m fakeclaude ARGS --port P``; yields it once it listens, stops it after.

    Its output goes to a file (a pipe nobody reads could fill up and stall a server that logs requests).
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "output.txt"
        with log.open("w") as sink:
            process = subprocess.Popen([sys.executable, "-u", "-m", "fakeclaude", *args, "--port", str(port)],
                                       stdout=sink, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + startup_seconds
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"fakeclaude {' '.join(args)} exited: {log.read_text()}")
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                time.sleep(0.05)
            else:
                raise RuntimeError(f"fakeclaude {' '.join(args)} did not start within {startup_seconds} s")
            yield Running(f"http://127.0.0.1:{port}", log)
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextlib.contextmanager
def fakeclaude_command(*args: str, startup_seconds: float = 20) -> Iterator[str]:
    """Run ``python -m fakeclaude ARGS --port P``; yields its base URL once it listens, stops it after."""
    with fakeclaude_process(*args, startup_seconds=startup_seconds) as running:
        yield running.url
