"""``fakeclaude serve`` as a subprocess on a free 127.0.0.1 port, for as long as a ``with`` block runs.

    with fakeclaude_serve(log=Path("serve.log")) as base_url:
        ...   # point clients at base_url
"""

from __future__ import annotations

import contextlib
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["fakeclaude_serve"]

_ANNOUNCEMENT = re.compile(r"serving the fake Messages API on (http://127\.0\.0\.1:\d+)")


@contextlib.contextmanager
def fakeclaude_serve(*, log: Path, seed: int = 0, python: Path | None = None,
                     startup_seconds: float = 60) -> Iterator[str]:
    """Start ``fakeclaude serve --port 0`` (the OS picks a free port); yield its base URL; stop it after.

    The server's stderr goes to ``log``. It is stopped with SIGTERM (SIGKILL if it lingers) whatever
    happens in the block; a server that does not announce itself in ``startup_seconds`` is a RuntimeError.
    """
    command = [str(python or sys.executable), "-m", "fakeclaude", "serve",
               "--host", "127.0.0.1", "--port", "0", "--seed", str(seed)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
        try:
            yield _await_announcement(process, startup_seconds)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _await_announcement(process: subprocess.Popen[str], startup_seconds: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + startup_seconds
    seen: list[str] = []
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=left):
                continue
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"fakeclaude serve exited ({process.wait()}) before listening: {''.join(seen)}")
            seen.append(line)
            if match := _ANNOUNCEMENT.search(line):
                return match.group(1)
    raise RuntimeError(f"fakeclaude serve did not announce a port within {startup_seconds} s")
