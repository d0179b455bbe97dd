"""Keeping secrets off the disk.

Every interaction is scrubbed before it is stored, and every cassette text once more before it is
written: the credential headers (``x-api-key``, ``authorization``, ``anthropic-organization-id``,
cookies, proxy credentials) are replaced by ``REDACTED``; anything shaped like an Anthropic key
(``sk-ant-…``) and the literal values of ``ANTHROPIC_API_KEY`` / ``ANTHROPIC_AUTH_TOKEN`` become
``<REDACTED>`` wherever they appear: headers, URLs, request and response bodies, stream events.

Users add their own: ``scrubbers`` (functions ``str -> str`` applied to every text) and
``scrub_headers`` (more header names to redact), per test or in ``claude_cassette_config``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["REDACTED", "SECRET_HEADERS", "Scrubber"]

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
        if "sk-ant-" in value:
            value = KEY_SHAPE.sub("<" + REDACTED + ">", value)
        for literal in self.literals:
            if literal in value:
                value = value.replace(literal, "<" + REDACTED + ">")
        for scrub in self.scrubbers:
            value = scrub(value)
        return value

    def bytes(self, value: bytes) -> bytes:
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            return value  # binary (compressed, images): secrets are texts, and texts decode
        scrubbed = self.text(text)
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
            request.body = self.bytes(body)
        elif isinstance(body, str):
            request.body = self.text(body)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """``before_record_response``: a vcrpy response dict (body string and stream events) scrubbed."""
        response["headers"] = self.header_map(response.get("headers") or {})
        body = response.get("body") or {}
        string = body.get("string")
        if isinstance(string, bytes):
            body["string"] = self.bytes(string)
        elif isinstance(string, str):
            body["string"] = self.text(string)
        if body.get("events"):
            body["events"] = [self.value(event) for event in body["events"]]
        return response
