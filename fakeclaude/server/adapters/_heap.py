"""Give the heap a huge body used back to the operating system once it is answered.

Parsing a 31 MiB body makes millions of small objects; once they are freed, glibc keeps the pages in its
arenas (the worker thread's above all), so a served fake that answered a few huge bodies stayed hundreds
of megabytes above its baseline. A collection (some of a refused body's objects are held in reference
cycles, through the error's traceback) then ``malloc_trim(0)`` return the free pages of every arena. It runs
only after a big body (the ones answered in a worker thread), a moment later (when the request's objects
are gone), in a worker thread, with at most one trim pending: a burst of big bodies costs one trim, and
small requests never pay anything. Where the C library is not glibc (musl, macOS, Windows) it is a no-op.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import os
from collections.abc import Callable

__all__ = ["TRIM_DELAY_SECONDS", "HeapTrimmer", "heap_trimmer"]

#: How long after a big body is answered its memory is returned (its request's objects are freed by then).
TRIM_DELAY_SECONDS = 0.2


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
    """Schedules a collection and ``malloc_trim(0)`` a moment after a big body, one at a time (a no-op without glibc)."""

    def __init__(self, trim: Callable[[int], int] | None, delay: float = TRIM_DELAY_SECONDS) -> None:
        self._trim = trim
        self.delay = delay
        self._pending = False
        self.trims = 0  # how many trims ran (for tests and diagnostics)

    @property
    def enabled(self) -> bool:
        """Whether this process can trim its heap (glibc)."""
        return self._trim is not None

    def after_big_body(self) -> None:
        """Call on the event loop once a big body was answered: a trim runs ``delay`` seconds later unless one
        is already pending (it covers this body too: its objects are freed before it runs)."""
        if self._trim is None or self._pending:
            return
        self._pending = True
        asyncio.get_running_loop().call_later(self.delay, self._start)

    def _start(self) -> None:
        self._pending = False
        try:
            asyncio.get_running_loop().run_in_executor(None, self._run)  # ctypes lets go of the GIL meanwhile
        except RuntimeError:  # the server is stopping (its executor shut down): the process's end frees it all
            pass

    def _run(self) -> None:
        assert self._trim is not None
        gc.collect()
        self._trim(0)
        self.trims += 1


#: The process's trimmer (the heap is the process's, whichever app answered the body).
heap_trimmer = HeapTrimmer(_glibc_malloc_trim())
