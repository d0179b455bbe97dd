"""The engine's view of HTTP: a parsed request in, a reply (whole or streamed) out. No sockets here.

Adapters (the aiohttp application, the httpx2 / httpx transports) turn their own request objects into
``HttpRequest``, call ``Engine.handle`` and write the ``HttpReply`` back: its body at once, or its
``stream`` chunk by chunk, waiting ``delay`` seconds before each chunk and cutting the connection at
a chunk marked ``drop``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Engine", "HttpRequest", "HttpReply", "StreamChunk"]


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each field through object.__setattr__, per request
class HttpRequest:
    method: str  # upper case
    path: str  # e.g. "/v1/messages", no query string
    query: Mapping[str, str]  # the last value of each query parameter
    headers: Mapping[str, str]  # names lower case
    body: bytes = b""
    query_string: str = ""  # the raw query, for parameters sent more than once (``ids[]=a&ids[]=b``)


@dataclass(frozen=True, slots=True)
class StreamChunk:
    data: bytes
    delay: float = 0.0  # seconds to wait before writing ``data``
    drop: bool = False  # after the delay, cut the connection instead of writing


@dataclass(slots=True)
class HttpReply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    stream: Iterable[StreamChunk] | None = None  # when set, the body is sent as these chunks
    delay: float = 0.0  # seconds to wait before the status line (time to first byte)


class Engine(Protocol):
    def handle(self, request: HttpRequest) -> HttpReply: ...
