"""The Files API endpoints over a :class:`~fakeclaude.server.files.FileStore` (spec 2026 §5.2).

``POST /v1/files`` (multipart upload), ``GET /v1/files`` (list), ``GET /v1/files/{id}`` (metadata),
``GET /v1/files/{id}/content`` (bytes of a downloadable file), ``DELETE /v1/files/{id}``. Answers carry
no rate-limit headers (real-traffic-facts §3.1).

Lists come in two shapes. GA (SDK 2.x ``files.list()`` and ``beta.files.list()``): ``{"data",
"next_page"}`` newest first, paged by ``page`` (opaque ``page_…``, from ``next_page``) and ``limit``
(1-1000, default 20), or one page of ``ids[]`` (at most 100, not with ``page``/``limit``; unknown ids
left out). Beta (a request naming ``files-api-2025-04-14`` in ``anthropic-beta``, as older SDKs and
raw HTTP clients do): ``{"data", "has_more", "first_id", "last_id"}`` paged by ``before_id`` /
``after_id``. Texts for bad list queries are the fake's (pydantic-style, as the API writes them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl

from fakeclaude._json import dumps
from fakeclaude.server.errors import ApiError
from fakeclaude.server.files import FileStore
from fakeclaude.server.files_form import parse_upload
from fakeclaude.server.http import HttpReply, HttpRequest
from fakeclaude.server.models_api import parse_limit

__all__ = ["FILES_BETA", "MAX_LIST_IDS", "answer_files", "is_files_path"]

FILES_BETA = "files-api-2025-04-14"
MAX_LIST_IDS = 100
_ITEM = re.compile(r"^/v1/files/([^/]+)(/content)?$")
_PAGE = re.compile(r"^page_([0-9]+)$")
_JSON = {"content-type": "application/json"}


def is_files_path(path: str) -> bool:
    return path == "/v1/files" or path.startswith("/v1/files/")


def _json(payload: object) -> HttpReply:
    return HttpReply(200, dict(_JSON), dumps(payload))


def _only(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise ApiError(405, "Method Not Allowed", "invalid_request_error")


def answer_files(store: FileStore, request: HttpRequest, betas: frozenset[str]) -> HttpReply:
    """The answer to one Files API request (``request.path`` without its trailing slash)."""
    path, method = request.path.rstrip("/"), request.method
    if path == "/v1/files":
        if method == "POST":
            upload = parse_upload(request.headers.get("content-type", ""), request.body)
            return _json(store.create(upload.content, filename=upload.filename, mime_type=upload.mime_type,
                                      expires_in_seconds=upload.expires_in_seconds))
        _only(method, "GET")
        if FILES_BETA in betas:
            q = request.query
            return _json(store.list_beta(q.get("before_id"), q.get("after_id"), q.get("limit")))
        return _json(_ga_list(store, request))
    match = _ITEM.match(path)
    if match is None:
        raise ApiError(404, "Not Found", "not_found_error")
    file_id, content = match.group(1), match.group(2)
    if content:
        _only(method, "GET")
        stored = store.download(file_id)
        return HttpReply(200, {"content-type": stored.mime_type}, stored.content)
    if method == "DELETE":
        return _json(store.delete(file_id))
    _only(method, "GET")
    return _json(store.retrieve(file_id))


def _query_ids(request: HttpRequest) -> list[str] | None:
    """The ``ids`` query values (``ids[]=a&ids[]=b``, ``ids=a&ids=b``), or None when none was sent."""
    pairs = parse_qsl(request.query_string, keep_blank_values=True) if request.query_string else []
    values = [v for k, v in pairs if k in ("ids", "ids[]")]
    if not values:
        single = request.query.get("ids[]") or request.query.get("ids")
        return [single] if single else None
    return values


def _ga_list(store: FileStore, request: HttpRequest) -> dict[str, object]:
    query: Mapping[str, str] = request.query
    ids = _query_ids(request)
    if ids is not None:
        if "page" in query or "limit" in query:
            raise ApiError(400, "ids: cannot be combined with page or limit")
        unique = list(dict.fromkeys(ids))
        if len(unique) > MAX_LIST_IDS:
            raise ApiError(400, f"ids: List should have at most {MAX_LIST_IDS} items after validation, "
                                f"not {len(unique)}")
        return {"data": store.list_ids(unique), "next_page": None}
    token: int | None = None
    raw_page = query.get("page")
    if raw_page:
        found = _PAGE.match(raw_page)
        if found is None:
            raise ApiError(400, f"page: Invalid page cursor {raw_page!r}")
        token = int(found.group(1))
    data, next_seq = store.list_page(limit=parse_limit(query.get("limit")), page_token=token)
    return {"data": data, "next_page": f"page_{next_seq}" if next_seq is not None else None}
