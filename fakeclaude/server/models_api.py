"""``GET /v1/models`` and ``GET /v1/models/{model_id}``, plus the cursor paging both list endpoints share.

Pages look like ``{"data": [...], "has_more": bool, "first_id": str | None, "last_id": str | None}``,
newest first. ``after_id`` pages towards older items, ``before_id`` towards newer ones (the SDK's
``SyncPage`` follows ``last_id`` / ``first_id`` accordingly). A cursor that names no listed item gives
an empty page (the fake's choice: the API's answer is not recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from fakeclaude.server.catalog import list_models, model_info, resolve_model
from fakeclaude.server.errors import ApiError

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "list_models_page", "page", "parse_limit", "retrieve_model"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000

T = TypeVar("T")


def parse_limit(limit: int | str | None) -> int:
    """The page size of a ``limit`` query value: default 20, else 400 with pydantic's wording."""
    if limit is None or limit == "":
        return DEFAULT_LIMIT
    if isinstance(limit, bool):
        raise ApiError(400, "limit: Input should be a valid integer")
    if isinstance(limit, str):
        try:
            value = int(limit.strip())
        except ValueError:
            raise ApiError(
                400, "limit: Input should be a valid integer, unable to parse string as an integer"
            ) from None
    else:
        value = limit
    if value < 1:
        raise ApiError(400, "limit: Input should be greater than or equal to 1")
    if value > MAX_LIMIT:
        raise ApiError(400, f"limit: Input should be less than or equal to {MAX_LIMIT}")
    return value


def page(
    items: Sequence[T],
    id_of: Callable[[T], str],
    render: Callable[[T], dict[str, Any]],
    before_id: str | None,
    after_id: str | None,
    limit: int | str | None,
) -> dict[str, Any]:
    """One page of ``items`` (already newest first) as list endpoints answer.

    With ``after_id``: the ``limit`` items right after it; ``has_more`` when older ones remain.
    With ``before_id``: the ``limit`` items right before it; ``has_more`` when newer ones remain.
    Both: the items strictly between them. ``render`` runs on the page's items only.
    """
    size = parse_limit(limit)
    ids = [id_of(item) for item in items]
    start, stop = 0, len(items)
    if after_id:
        if after_id not in ids:
            return _page([])
        start = ids.index(after_id) + 1
    if before_id:
        if before_id not in ids:
            return _page([])
        stop = ids.index(before_id)
    window = items[start:stop] if start < stop else []
    if before_id and not after_id:
        chosen, has_more = window[-size:], len(window) > size
    else:
        chosen, has_more = window[:size], len(window) > size
    return _page([render(item) for item in chosen], has_more=has_more)


def _page(data: list[dict[str, Any]], *, has_more: bool = False) -> dict[str, Any]:
    return {
        "data": data,
        "has_more": has_more,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }


def list_models_page(
    before_id: str | None = None,
    after_id: str | None = None,
    limit: int | str | None = None,
    *,
    include_retired: bool = False,
    lifecycle: Collection[str] | None = None,
) -> dict[str, Any]:
    """The ``GET /v1/models`` answer. Cursors may be ids or aliases.

    ``lifecycle`` (SDK 2.x ``lifecycle[]``: ``active`` / ``deprecated`` / ``retired``) keeps only those
    models, retired ones included when asked for; without it retired models show only with
    ``include_retired``.
    """
    if lifecycle:
        wanted = set(lifecycle)
        models = [m for m in list_models(include_retired=True) if model_info(m)["lifecycle"] in wanted]
    else:
        models = list_models(include_retired=include_retired)
    return page(models, lambda m: m.id, model_info, _canonical(before_id), _canonical(after_id), limit)


def _canonical(model_id: str | None) -> str | None:
    spec = resolve_model(model_id) if model_id else None
    return spec.id if spec is not None else model_id


def retrieve_model(model_id: str) -> dict[str, Any]:
    """The ``GET /v1/models/{model_id}`` answer (aliases resolve to their model; retired models too).

    Unknown ids answer 404 ``not_found_error`` ``model: <model_id>``, the text the API gives for an
    unknown model on ``POST /v1/messages`` (recorded); the models endpoint's own text is not recorded.
    """
    spec = resolve_model(model_id)
    if spec is None:
        raise ApiError(404, f"model: {model_id}")
    return model_info(spec)
