"""Incremental line splitting shared by the SSE and JSONL decoders.

Line endings are LF, CRLF or CR, and a chunk may end anywhere: between the CR and the LF of one line
ending, or inside a UTF-8 character (lines are only decoded once their ending has arrived, and line
endings are ASCII, so a complete line is always whole UTF-8).
"""

from __future__ import annotations

__all__ = ["LineSplitter"]


class LineSplitter:
    """``feed(chunk)`` returns the lines that chunk completed, without their endings; ``flush()`` the rest."""

    __slots__ = ("_parts", "_skip_lf")

    def __init__(self) -> None:
        self._parts: list[bytes] = []  # bytes of the unfinished line, in arrival order
        self._skip_lf = False  # the previous chunk ended with CR: a leading LF completes that ending

    def feed(self, chunk: bytes) -> list[str]:
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[0] == 0x0A:
                chunk = chunk[1:]
        if not chunk:
            return []
        cut = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if cut < 0:
            self._parts.append(chunk)  # no line ending: store only (keeps the work linear)
            return []
        if self._parts:
            self._parts.append(chunk[: cut + 1])
            complete = b"".join(self._parts)
            self._parts.clear()
        else:
            complete = chunk[: cut + 1]
        if cut + 1 < len(chunk):
            self._parts.append(chunk[cut + 1 :])
        elif chunk[cut] == 0x0D:
            self._skip_lf = True
        text = complete.decode("utf-8", "replace")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        lines.pop()  # the text ends with a line ending, so the last piece is empty
        return lines

    def flush(self) -> list[str]:
        """The unfinished last line (a stream may end without a final line ending), if any."""
        self._skip_lf = False
        if not self._parts:
            return []
        line = b"".join(self._parts).decode("utf-8", "replace")
        self._parts.clear()
        return [line]
