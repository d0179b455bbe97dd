"""The engine's only source of time: an injectable clock, and the API's two timestamp forms.

>>> clock = FakeClock()
>>> rfc3339(clock.now())
'2026-01-01T00:00:00Z'
>>> clock.advance(1.5)
>>> rfc3339(clock.now(), micro=True)
'2026-01-01T00:00:01.500000+00:00'
"""

from __future__ import annotations

import functools
import math
import threading
import time
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FakeClock", "SystemClock", "rfc3339"]


@runtime_checkable
class Clock(Protocol):
    """Anything with ``now()``: seconds since the epoch, as ``time.time()`` gives them."""

    def now(self) -> float: ...


class SystemClock:
    """The wall clock (for ``fakeclaude serve``); tests use :class:`FakeClock`."""

    def now(self) -> float:
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock that moves only when told to. Starts at 2026-01-01T00:00:00Z by default."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds`` (never backwards: negative values raise ``ValueError``)."""
        if seconds < 0:
            raise ValueError(f"a clock cannot go back: advance({seconds!r})")
        with self._lock:
            self._now += seconds

    def set(self, t: float) -> None:
        """Jump to the epoch time ``t`` (in either direction)."""
        with self._lock:
            self._now = float(t)

    def __repr__(self) -> str:
        return f"FakeClock({self._now!r})"


def rfc3339(t: float, micro: bool = False) -> str:
    """``t`` in UTC as the API writes it.

    ``micro=False``: second precision with ``Z`` (models, rate-limit resets), truncated, not rounded.
    ``micro=True``: microseconds and ``+00:00`` (message batches: ``2026-08-19T14:47:10.487960+00:00``).
    """
    t = round(t, 6)
    if micro:
        return datetime.fromtimestamp(t, tz=UTC).isoformat(timespec="microseconds")
    return _whole_seconds(math.floor(t))


@functools.lru_cache(maxsize=256)  # the rate-limit headers format the same few seconds on every answer
def _whole_seconds(t: int) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
