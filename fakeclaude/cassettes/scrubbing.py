"""Keeping secrets off the disk.

Every interaction is scrubbed before it is stored, and every cassette text once more before it is
written: the credential headers (``x-api-key``, ``authorization``, ``anthropic-organization-id``,
cookies, proxy credentials) are replaced by ``REDACTED``; anything shaped like an Anthropic key
(``sk-ant-…``) and the literal values of ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` become
``<REDACTED>`` wherever they appear: headers, URLs, request and response bodies, stream events.

A stream is scrubbed as the client sees it: the deltas of each content block (text, tool input,
thinking) are joined, the joined text is scrubbed, and the result is cut back into the same events,
so a key split across events is redacted while the stream keeps its events. JSON bodies are scrubbed
value by value (a key written ``sk\\u002dant-...`` is a key too).

Users add their own: ``scrubbers`` (functions ``str -> str`` applied to every text) and
``scrub_headers`` (more header names to redact), per test or in ``claude_cassette_config``.
"""

from __future__ import annotations

import builtins
import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["REDACTED", "SECRET_HEADERS", "Scrubber", "resplit"]

REDACTED = "REDACTED"
SECRET_HEADERS = frozenset({
    "x-api-key", "authorization", "proxy-authorization", "anthropic-organization-id", "cookie", "set-cookie",
})
KEY_SHAPE = re.compile(r"sk-ant-[A-Za-z0-9_\-]{4,}")
_ENV_SECRETS = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")


class Scrubber:
    """Redacts secrets from texts, header maps and structured (JSON-like) values."""

    def __init__(self, scrubbers: Sequence[Callable[[str], str]] = (), scrub_headers: Iterable[str] = ()) -> None:
        self.scrubbers = tuple(scrubbers)
        self.headers = SECRET_HEADERS | {name.lower() for name in scrub_headers}
        literals = {os.environ.get(name, "") for name in _ENV_SECRETS}
        self.literals = tuple(sorted((v for v in literals if len(v) >= 8), key=len, reverse=True))

    def text(self, value: str) -> str:
        """``value`` with every key-shaped text, key from the environment and user scrub replaced."""
        if "sk-ant-" in value:
            value = KEY_SHAPE.sub("<" + REDACTED + ">", value)
        for literal in self.literals:
            if literal in value:
                value = value.replace(literal, "<" + REDACTED + ">")
        for scrub in self.scrubbers:
            value = scrub(value)
        return value

    def bytes(self, value: bytes) -> bytes:
        """``text`` for UTF-8 bytes (binary is returned as it is)."""
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            return value  # binary (compressed, images): secrets are texts, and texts decode
        scrubbed = self.text(text)
        return value if scrubbed == text else scrubbed.encode("utf-8")

    def json_text(self, value: str) -> str:
        """A text scrubbed; when it is JSON, also every string in it once decoded (escaped keys)."""
        scrubbed = self.text(value)
        if "\\u" not in scrubbed and not self.scrubbers:
            return scrubbed
        try:
            parsed = json.loads(scrubbed)
        except ValueError:
            return scrubbed
        cleaned = self.value(parsed)
        return scrubbed if cleaned == parsed else json.dumps(cleaned, ensure_ascii=False, separators=(",", ":"))

    def json_bytes(self, value: builtins.bytes) -> builtins.bytes:
        """``json_text`` for UTF-8 bytes."""
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            return value
        scrubbed = self.json_text(text)
        return value if scrubbed == text else scrubbed.encode("utf-8")

    def value(self, value: Any) -> Any:
        """A JSON-like value with every string scrubbed (keys included)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def header_map(self, headers: Mapping[str, Any]) -> dict[str, Any]:
        """Headers (name -> value or list of values) with the secret ones redacted."""
        out: dict[str, Any] = {}
        for name, values in headers.items():
            if name.lower() in self.headers:
                out[name] = [REDACTED] * len(values) if isinstance(values, list) else REDACTED
            elif isinstance(values, list):
                out[name] = [self.text(str(v)) for v in values]
            else:
                out[name] = self.text(str(values))
        return out

    # vcrpy hooks ----------------------------------------------------------------------------------
    def request(self, request: Any) -> Any:
        """``before_record_request``: a vcrpy ``Request`` with headers, URL and body scrubbed."""
        request.headers = self.header_map(dict(request.headers))
        request.uri = self.text(request.uri)
        body = request.body
        if isinstance(body, bytes):
            request.body = self.json_bytes(body)
        elif isinstance(body, str):
            request.body = self.json_text(body)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """``before_record_response``: a vcrpy response dict (body string and stream events) scrubbed."""
        response["headers"] = self.header_map(response.get("headers") or {})
        body = response.get("body") or {}
        string = body.get("string")
        if isinstance(string, bytes):
            body["string"] = self.json_bytes(string)
        elif isinstance(string, str):
            body["string"] = self.json_text(string)
        if body.get("events"):
            body["events"] = self.events(body["events"])
        return response

    def events(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stream events scrubbed one by one, then each block's deltas scrubbed joined (see the module doc)."""
        out = [dict(self.value(event)) for event in events]
        parsed: list[Any] = []
        for event in out:
            try:
                parsed.append(json.loads(event["data"]) if isinstance(event.get("data"), str) else None)
            except ValueError:
                parsed.append(None)
        pieces: dict[tuple[Any, str], list[int]] = {}
        for position, data in enumerate(parsed):
            if not isinstance(data, dict) or data.get("type") != "content_block_delta":
                continue
            delta = data.get("delta")
            if isinstance(delta, dict):
                for field in _DELTA_FIELDS:
                    if isinstance(delta.get(field), str):
                        pieces.setdefault((data.get("index"), field), []).append(position)
        for (_, field), positions in pieces.items():
            parts = [parsed[p]["delta"][field] for p in positions]
            joined = "".join(parts)
            scrubbed = self.json_text(joined) if field == "partial_json" else self.text(joined)
            if scrubbed == joined:
                continue
            for position, part in zip(positions, resplit(parts, scrubbed), strict=True):
                parsed[position]["delta"][field] = part
                out[position]["data"] = json.dumps(parsed[position], ensure_ascii=False, separators=(",", ":"))
        return out


_DELTA_FIELDS = ("text", "partial_json", "thinking")


def resplit(parts: Sequence[str], new: str) -> list[str]:
    """``new`` (an edited ``"".join(parts)``) cut into as many pieces, the unchanged text where it was.

    A changed stretch goes whole to the piece where it starts, so a redacted key is never cut.
    """
    old = "".join(parts)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    middle = difflib.SequenceMatcher(None, old[start:len(old) - end], new[start:len(new) - end], autojunk=False)
    regions = [(i1 + start, i2 + start, j1 + start, j2 + start, tag) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    regions = [(0, start, 0, start, "equal"), *regions, (len(old) - end, len(old), len(new) - end, len(new), "equal")]

    def where(offset: int) -> int:
        for i1, i2, j1, j2, tag in regions:
            if i1 <= offset < i2:
                return j1 + (offset - i1) if tag == "equal" else (j1 if offset == i1 else j2)
        return len(new)

    out, previous, offset = [], 0, 0
    for part in parts:
        offset += len(part)
        mapped = where(offset) if offset < len(old) else len(new)
        out.append(new[previous:mapped])
        previous = mapped
    return out
