"""Give the heap that huge bodies used back to the operating system once they are answered.

Parsing a 30 MiB body makes millions of small objects; once they are freed, glibc keeps the pages in its
arenas (the worker thread's above all), so a served fake that answered a few huge bodies stayed tens to
hundreds of megabytes above its baseline. A collection (some of a refused body's objects are held in
reference cycles, through the error's traceback) then ``malloc_trim(0)`` return the free pages of every
arena. That costs about 50-100 ms of the interpreter (the collection) and tens of ms of the C library,
so it is owed only by the bodies answered in a worker thread (256 KiB or more), runs once they add up to
:data:`TRIM_AFTER_BYTES`, a moment after the last (when its objects are gone), at most once every
:data:`MIN_INTERVAL_SECONDS`, in a worker thread: small requests never pay anything, and a stream of
mid-sized bodies pays a trim every 8 MiB at most. Where the C library is not glibc (musl, macOS,
Windows) it is a no-op.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import os
from collections.abc import Callable

__all__ = ["MIN_INTERVAL_SECONDS", "TRIM_AFTER_BYTES", "TRIM_DELAY_SECONDS", "HeapTrimmer", "heap_trimmer"]

#: How long after a big body is answered its memory is returned (its request's objects are freed by then).
TRIM_DELAY_SECONDS = 0.2
#: The bytes of big bodies answered since the last trim that make the next one due.
TRIM_AFTER_BYTES = 8 * 1024 * 1024
#: The shortest time between two trims.
MIN_INTERVAL_SECONDS = 2.0


def _glibc_malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library is another (or cannot be loaded)."""
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
    except (AttributeError, ValueError, OSError):  # no confstr (Windows) or no such name (musl, BSDs, macOS)
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class HeapTrimmer:
    """Schedules a collection and ``malloc_trim(0)`` after big bodies (a no-op without glibc)."""

    def __init__(self, trim: Callable[[int], int] | None, *, delay: float = TRIM_DELAY_SECONDS,
                 after_bytes: int = TRIM_AFTER_BYTES, min_interval: float = MIN_INTERVAL_SECONDS) -> None:
        self._trim = trim
        self.delay = delay
        self.after_bytes = after_bytes
        self.min_interval = min_interval
        self._owed = 0
        self._pending = False
        self._last = float("-inf")
        self.trims = 0  # how many trims ran (for tests and diagnostics)

    @property
    def enabled(self) -> bool:
        """Whether this process can trim its heap (glibc)."""
        return self._trim is not None

    @property
    def pending(self) -> bool:
        """Whether a trim is scheduled and has not started yet."""
        return self._pending

    def after_big_body(self, size: int) -> None:
        """Call on the event loop once a body of ``size`` bytes was answered in a worker thread. A trim is due
        once such bodies add up to ``after_bytes``; it runs ``delay`` seconds later (``min_interval`` after the
        previous one at the earliest) and covers every body answered before it runs."""
        if self._trim is None:
            return
        self._owed += size
        if self._pending or self._owed < self.after_bytes:
            return
        self._pending = True
        loop = asyncio.get_running_loop()
        loop.call_later(max(self.delay, self._last + self.min_interval - loop.time()), self._start)

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        self._pending, self._owed, self._last = False, 0, loop.time()
        try:
            loop.run_in_executor(None, self._run)  # ctypes lets go of the GIL meanwhile
        except RuntimeError:  # the server is stopping (its executor shut down): the process's end frees it all
            pass

    def _run(self) -> None:
        assert self._trim is not None
        gc.collect()
        self._trim(0)
        self.trims += 1


#: The process's trimmer (the heap is the process's, whichever app answered the body).
heap_trimmer = HeapTrimmer(_glibc_malloc_trim())
