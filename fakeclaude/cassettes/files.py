"""Files that a kill cannot damage: an exclusive lock per folder and atomic replacement."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["locked", "remove_stale_temporaries", "write_atomically"]


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on the folder of ``path`` (no lock file: the folder itself is locked)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent, os.O_RDONLY)  # the folder itself: no lock files left behind
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_stale_temporaries(path: Path) -> None:
    """Temporary names a killed writer left (called under the folder lock: no writer is running)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` at once: readers see the old file or the new one, never a part.

    The data go to an unnamed file (``O_TMPFILE``), are flushed, then named and renamed over ``path``:
    a process killed while writing leaves nothing behind. Where unnamed files are not supported, a
    named temporary file is used (and removed by the next save if a kill left it).
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666)
        try:
            _write_all(fd, data)
            os.link(f"/proc/self/fd/{fd}", temporary)
        finally:
            os.close(fd)
    except (AttributeError, OSError):
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        temporary = Path(name)
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            _write_all(fd, data)
        finally:
            os.close(fd)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _fsync_folder(folder)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)
