"""How every adapter hands a streamed reply over: chunks due at the same moment go out together.

``coalesced(chunks)`` turns an engine's chunks into steps: ``bytes`` to write now, or a :class:`Pause`
to wait ``delay`` seconds for (and then cut the connection when ``drop``). The bytes due before a
pause, a failure of the engine's iterator or the end are handed over first, in one piece of at most
about :data:`COALESCE_BYTES`, as a socket would carry them. The engine's iterator is pulled exactly as
the adapter goes (a chunk after a pause is only asked for once the adapter has waited), and closed when
the steps are.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass

from fakeclaude.server.http import StreamChunk

__all__ = ["COALESCE_BYTES", "Pause", "coalesced"]

#: Chunks due at the same moment are handed over together, up to about this many bytes.
COALESCE_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Pause:
    """Wait ``delay`` seconds; then, when ``drop``, cut the connection instead of writing on."""

    delay: float
    drop: bool


def coalesced(chunks: Iterable[StreamChunk], limit: int = COALESCE_BYTES) -> Generator[bytes | Pause, None, None]:
    """The steps of writing ``chunks``: joined bytes, and a :class:`Pause` wherever one is asked for."""
    source = iter(chunks)
    due = bytearray()
    try:
        while True:
            try:
                chunk = next(source)
            except StopIteration:
                break
            except Exception:
                if due:
                    yield bytes(due)  # what was due before the failure still arrives
                raise
            if chunk.delay > 0 or chunk.drop:
                if due:
                    yield bytes(due)
                    due.clear()
                yield Pause(chunk.delay, chunk.drop)
                if chunk.drop:
                    return
            due += chunk.data
            if len(due) >= limit:
                yield bytes(due)
                due.clear()
        if due:
            yield bytes(due)
    finally:
        close = getattr(source, "close", None)
        if callable(close):
            close()
