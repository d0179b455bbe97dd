"""The message a cassette miss fails the test with.

It shows the request nothing matched, the nearest recorded request (same method and path first,
then the most similar body), a unified diff of their JSON bodies (keys sorted, ignored fields
dropped), whether matching interactions were only *already played* (an extra call), and the
command that re-records the test.
"""

from __future__ import annotations

import difflib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .matching import Key, parse_json

if TYPE_CHECKING:
    from .store import ClaudeCassette

__all__ = ["CassetteMiss", "miss_message"]

_MAX_LINES = 60


class CassetteMiss(BaseException):  # noqa: N818 - it is not an error of the code that catches Exception
    """No recorded interaction matches a request, in a mode that does not record.

    A ``BaseException``: HTTP clients (the official SDK among them) turn an ``Exception`` raised by a
    transport into a connection error that they retry; this one reaches the test at once. The pytest
    plugin reports it as a failure with its message (never a traceback).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _pretty(body: Any, ignore: frozenset[str]) -> str:
    parsed = parse_json(body)
    if parsed is NotImplemented:
        if isinstance(body, bytes):
            return body.decode("utf-8", "replace")
        return str(body or "")
    for field in ignore:
        node, *rest = field.split(".")
        target = parsed
        parts = [node, *rest]
        for part in parts[:-1]:
            target = target.get(part) if isinstance(target, dict) else None
        if isinstance(target, dict):
            target.pop(parts[-1], None)
    return json.dumps(parsed, indent=2, sort_keys=True, ensure_ascii=False)


def _clip(lines: list[str]) -> list[str]:
    if len(lines) <= _MAX_LINES:
        return lines
    return [*lines[:_MAX_LINES], f"... ({len(lines) - _MAX_LINES} more lines)"]


def miss_message(cassette: ClaudeCassette, request: Any, key: Key, hint: str) -> str:
    """Why ``request`` matched nothing in ``cassette``, scrubbed like a recording."""
    ignore = cassette.ignore
    path = urlsplit(request.uri).path
    body = _pretty(request.body, ignore)
    out = [
        f"fakeclaude: no recorded interaction matches this request (record mode {cassette.mode!r}).",
        f"  cassette: {cassette.path}" + ("" if cassette.existed or cassette.data else " (does not exist)"),
        f"  matching on: {', '.join(cassette.match_names)}",
        "",
        f"Unmatched request: {request.method} {request.uri}",
        *_clip(body.splitlines()),
    ]
    played = cassette.matching_indices(key)
    if played:
        out += ["", f"The cassette holds {len(played)} identical request(s), all already played: the code now makes "
                    "more calls than were recorded (or pass allow_repeats=True to the marker)."]
    elif cassette.data:
        def score(item: tuple[int, tuple[Any, Any]]) -> tuple[int, float]:
            stored = item[1][0]
            same = int(stored.method == request.method) + int(urlsplit(stored.uri).path == path)
            ratio = difflib.SequenceMatcher(None, _pretty(stored.body, ignore), body).quick_ratio()
            return same, ratio

        index, (nearest, _) = max(enumerate(cassette.data), key=score)
        state = "already played" if cassette.play_counts[index] else "not yet played"
        out += ["", f"Nearest recorded request (#{index}, {state}): {nearest.method} {nearest.uri}"]
        diff = list(difflib.unified_diff(_pretty(nearest.body, ignore).splitlines(), body.splitlines(),
                                         "recorded", "requested", lineterm="", n=2))
        out += ["Body diff (recorded -> requested):", *_clip(diff)] if diff else ["(bodies are equal)"]
    else:
        out += ["", "The cassette holds no interactions."]
    out += ["", f"To re-record: {hint}" if hint else "To re-record, run with --claude-record-mode=new_episodes."]
    return cassette.scrubber.text("\n".join(out))  # printed and kept in reports: never a key
