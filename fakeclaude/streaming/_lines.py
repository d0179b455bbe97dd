"""Incremental line splitting shared by the SSE and JSONL decoders.

Line endings are LF, CRLF or CR, and a chunk may end anywhere: between the CR and the LF of one line
ending, or inside a UTF-8 character (lines are only decoded once their ending has arrived, and line
endings are ASCII, so a complete line is always whole UTF-8).
"""

from __future__ import annotations

__all__ = ["LineSplitter"]


class LineSplitter:
    """``feed(chunk)`` returns the text of the lines that chunk completed, each ended by ``"\\n"`` (CRLF
    and CR normalised), or ``""``; ``flush()`` returns the unfinished last line, ended the same way."""

    __slots__ = ("parts", "skip_lf")

    def __init__(self) -> None:
        # Read by the decoders' fast paths: both empty/False means the next chunk starts a new line.
        self.parts: list[bytes] = []  # bytes of the unfinished line, in arrival order
        self.skip_lf = False  # the previous chunk ended with CR: a leading LF completes that ending

    def feed(self, chunk: bytes) -> str:
        if chunk[-1:] == b"\n" and not self.parts and not self.skip_lf and b"\r" not in chunk:
            return chunk.decode("utf-8", "replace")  # the usual chunk: whole LF-ended lines
        if self.skip_lf and chunk:
            self.skip_lf = False
            if chunk[0] == 0x0A:
                chunk = chunk[1:]
        if not chunk:
            return ""
        cut = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if cut < 0:
            self.parts.append(chunk)  # no line ending: store only (keeps the work linear)
            return ""
        if self.parts:
            self.parts.append(chunk[: cut + 1])
            complete = b"".join(self.parts)
            self.parts.clear()
        else:
            complete = chunk[: cut + 1]
        if cut + 1 < len(chunk):
            self.parts.append(chunk[cut + 1 :])
        elif chunk[cut] == 0x0D:
            self.skip_lf = True
        text = complete.decode("utf-8", "replace")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text

    def flush(self) -> str:
        """The unfinished last line (a stream may end without a final line ending), or ``""``."""
        self.skip_lf = False
        if not self.parts:
            return ""
        line = b"".join(self.parts).decode("utf-8", "replace")
        self.parts.clear()
        return line + "\n"
