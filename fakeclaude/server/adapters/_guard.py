"""What every adapter does around the engine: the request body limits, its own error replies, headers.

``handle_safely`` is the one call an adapter makes: a body beyond the API's limit gets 413 (as from the
API's proxy, without ``request_id`` in the body), an :class:`ApiError` escaping the engine its reply, any
other failure a logged 500; never a traceback.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Iterable

from fakeclaude._json import dumps
from fakeclaude.server.errors import ApiError
from fakeclaude.server.http import Engine, HttpReply, HttpRequest

__all__ = [
    "MAX_BATCH_BODY_BYTES",
    "MAX_BODY_BYTES",
    "MAX_FILES_BODY_BYTES",
    "body_limit",
    "error_reply",
    "handle_safely",
    "joined_headers",
    "too_large_reply",
]

logger = logging.getLogger("fakeclaude.server")

#: The API's request size limits (spec §5.2): 32 MB for Messages and the rest, 256 MB for batches, 500 MB
#: for Files uploads.
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_BATCH_BODY_BYTES = 256 * 1024 * 1024
MAX_FILES_BODY_BYTES = 500 * 1024 * 1024  # a whole upload to the Files API

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_error_count = itertools.count()


def body_limit(path: str) -> int:
    """The largest request body accepted on ``path``."""
    path = path.rstrip("/")
    if path == "/v1/files":
        return MAX_FILES_BODY_BYTES
    return MAX_BATCH_BODY_BYTES if path == "/v1/messages/batches" else MAX_BODY_BYTES


def _request_id() -> str:
    """A ``req_011C…`` id for the adapter's own replies; deterministic in order, never an engine id."""
    value = int.from_bytes(hashlib.sha256(f"fakeclaude.adapter:{next(_error_count)}".encode()).digest(), "big")
    chars = []
    for _ in range(20):
        value, digit = divmod(value, 58)
        chars.append(_B58[digit])
    return "req_011C" + "".join(chars)


def error_reply(error: ApiError, *, request_id_in_body: bool = True) -> HttpReply:
    """``error`` as an API-shaped JSON reply with a ``request-id`` header."""
    request_id = _request_id()
    body = error.body(request_id if request_id_in_body else None)
    headers = {
        "content-type": "application/json",
        "request-id": request_id,
        **error.reply_headers(),
    }
    return HttpReply(error.status, headers, dumps(body))


def too_large_reply(*, decoded: bool = False) -> HttpReply:
    """The 413 answered (as by the API's proxy, without ``request_id`` in the body) beyond the limit; for a
    compressed body that is only too large once ``decoded``, with the ``error_code`` the SDK's
    ``RequestBodyTooLargeAfterDecodingError`` is chosen by (anthropic's types document it)."""
    details = {"error_code": "request_body_too_large_after_decoding"} if decoded else None
    return error_reply(ApiError(413, "Request exceeds the maximum size", details=details), request_id_in_body=False)


def handle_safely(engine: Engine, request: HttpRequest) -> HttpReply:
    """``engine.handle(request)``; an oversized body gets 413 and an engine failure a logged 500."""
    size = len(request.body)
    if size > MAX_BODY_BYTES and size > body_limit(request.path):  # the smallest limit first: most bodies are within it
        return too_large_reply()
    try:
        return engine.handle(request)
    except ApiError as exc:
        return error_reply(exc)
    except Exception:
        logger.exception("fakeclaude: the engine failed on %s %s", request.method, request.path)
        return error_reply(ApiError(500, "Internal server error"))


def joined_headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header pairs as a dict with lower-case names; repeated headers joined with ``", "``."""
    out: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out
