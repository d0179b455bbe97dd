"""Running a ``fakeclaude`` command as a subprocess on a free loopback port, for the duration of a test."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def fakeclaude_command(*args: str, startup_seconds: float = 20) -> Iterator[str]:
    """Run ``python -m fakeclaude ARGS --port P``; yields its base URL once it listens, stops it after."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "fakeclaude", *args, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + startup_seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"fakeclaude {' '.join(args)} exited: {process.communicate()[0]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"fakeclaude {' '.join(args)} did not start within {startup_seconds} s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
