"""Request matching: method, path and the request's canonical JSON body by default.

A request's *key* is computed once (``request_key``) and compared by equality, so a cassette finds
its candidates with one dict lookup whatever its size. The canonical body is the JSON re-serialised
with sorted keys and no whitespace, minus the ignored fields (dotted paths, ``metadata.user_id`` by
default); a body that is not JSON is compared byte for byte.

A compressed request body (``content-encoding: gzip`` or ``deflate``) is compared, and stored, as
the server reads it: ``decoded_request_body``.

``json_body`` is the same comparison as a vcrpy matcher, for projects using vcrpy directly::

    my_vcr.register_matcher("json_body", fakeclaude.cassettes.matching.json_body)
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Collection, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "DEFAULT_IGNORE",
    "DEFAULT_MATCH_ON",
    "MATCHERS",
    "canonical_body",
    "content_encoding",
    "decoded_body",
    "decoded_request_body",
    "json_body",
    "parse_json",
    "request_key",
    "stored_headers",
]

DEFAULT_MATCH_ON: tuple[str, ...] = ("method", "path", "body")
DEFAULT_IGNORE: frozenset[str] = frozenset({"metadata.user_id"})
MATCHERS = frozenset({"method", "scheme", "host", "port", "path", "query", "body"})

Key = tuple[Any, ...]


def parse_json(body: bytes | str | None) -> Any:
    """The body parsed as JSON, or ``NotImplemented`` when it is empty or not JSON."""
    if not body:
        return NotImplemented
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return NotImplemented


def _drop(value: Any, path: list[str]) -> None:
    if not isinstance(value, dict):
        return
    head, rest = path[0], path[1:]
    if not rest:
        value.pop(head, None)
    elif head in value:
        _drop(value[head], rest)


def canonical_body(body: bytes | str | None, ignore: Collection[str] = DEFAULT_IGNORE) -> str | bytes:
    """A form of ``body`` equal for equal JSON whatever its key order and whitespace."""
    parsed = parse_json(body)
    if parsed is NotImplemented:
        if body is None:
            return b""
        return body.encode("utf-8") if isinstance(body, str) else bytes(body)
    for field in ignore:
        _drop(parsed, field.split("."))
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_key(
    method: str, uri: str, body: bytes | str | None, match_on: Iterable[str] = DEFAULT_MATCH_ON,
    ignore: Collection[str] = DEFAULT_IGNORE, scrub: Callable[[str], str] | None = None,
) -> Key:
    """The parts of a request that ``match_on`` compares, as one hashable tuple.

    ``scrub`` (a scrubber's ``text``) is applied to the URL and the canonical body first, so a request
    matches its recording whose secrets were redacted, however the secret was written in the JSON.
    """
    parts: list[Any] = []
    if scrub is not None:
        uri = scrub(uri)
    split = urlsplit(uri)
    for name in match_on:
        if name == "method":
            parts.append(method.upper())
        elif name == "path":
            parts.append(split.path.rstrip("/") or "/")
        elif name == "body":
            canonical = canonical_body(body, ignore)
            parts.append(scrub(canonical) if scrub is not None and isinstance(canonical, str) else canonical)
        elif name == "query":
            parts.append(tuple(sorted(parse_qsl(split.query, keep_blank_values=True))))
        elif name == "host":
            parts.append(split.hostname)
        elif name == "scheme":
            parts.append(split.scheme)
        elif name == "port":
            parts.append(split.port)
        else:
            raise ValueError(f"unknown matcher {name!r}; choose from {sorted(MATCHERS)}")
    return tuple(parts)


def json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: the two requests' bodies are equal as JSON (or as bytes when not JSON)."""
    if canonical_body(r1.body) != canonical_body(r2.body):
        raise AssertionError("the JSON bodies differ")


_DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.decompress, "x-gzip": gzip.decompress, "deflate": lambda data: _inflate(data),
}


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data, -zlib.MAX_WBITS)  # raw deflate, as some clients send it


def content_encoding(headers: Any) -> str:
    """The ``content-encoding`` of a request's headers, lower case (``""`` without one): a plain dict is
    scanned whatever its names' case; other mappings (httpx's ``Headers``, aiohttp's ``CIMultiDict``) are
    asked, as they look names up case-insensitively."""
    if isinstance(headers, dict):
        value = next((v for k, v in headers.items() if str(k).lower() == "content-encoding"), "")
    else:
        value = headers.get("content-encoding") or ""
    return str(value).strip().lower()


def decoded_body(body: bytes | None, encoding: str) -> bytes | None:
    """``body`` with its ``encoding`` (gzip / deflate / ...) undone; as sent when it is not encoded or the
    encoding is unknown or broken."""
    if not body or not encoding or encoding == "identity":
        return body
    data = body
    try:
        for name in reversed([part.strip() for part in encoding.split(",") if part.strip()]):
            data = _DECODERS[name](data)
    except (KeyError, OSError, EOFError, zlib.error):
        return body  # an encoding this does not know: kept as sent
    return data


def stored_headers(headers: Any, decoded: bool) -> dict[str, str]:
    """A request's headers as a cassette stores them: without ``content-encoding`` and ``content-length``
    when its body was ``decoded`` (stored as the JSON it encodes)."""
    pairs = {str(k): str(v) for k, v in headers.items()}
    if not decoded:
        return pairs
    return {k: v for k, v in pairs.items() if k.lower() not in ("content-encoding", "content-length")}


def decoded_request_body(body: bytes | None, headers: Any) -> tuple[bytes | None, dict[str, str]]:
    """A request body as the server reads it (gzip / deflate undone) and its headers to store.

    A compressed body would be stored as binary (a key inside recoverable) and never match: it is
    kept decoded, as JSON, and the ``content-encoding`` header goes with the encoding.
    """
    data = decoded_body(body, content_encoding(headers))
    return data, stored_headers(headers, data is not body)
