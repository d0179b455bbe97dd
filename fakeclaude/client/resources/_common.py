"""What every resource method shares: turning keyword arguments into ``RequestOptions``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
import pydantic
from typing_extensions import TypedDict

from .._options import NOT_GIVEN, NotGiven, Omit, RequestOptions, Timeout
from .._pagination import AsyncPage, SyncPage, page_parser

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

__all__ = ["RequestExtras", "async_list", "json_parser", "list_params", "make_options", "strip_not_given", "sync_list"]

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")


class RequestExtras(TypedDict, total=False):
    """Per-call options every method accepts, as in the official SDK."""

    extra_headers: Mapping[str, str | Omit] | None
    extra_query: Mapping[str, object] | None
    extra_body: Mapping[str, object] | None
    timeout: Timeout | NotGiven


_EXTRA_KEYS = frozenset(RequestExtras.__annotations__)


def strip_not_given(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not isinstance(v, NotGiven)}


def make_options(
    method: str,
    path: str,
    kwargs: Mapping[str, Any],
    *,
    body_keys: bool = False,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    stream: bool = False,
) -> RequestOptions:
    """Options for one call: the JSON body (when ``body_keys``) is every non-extra keyword argument."""
    body: dict[str, Any] | None = None
    if body_keys:
        body = {k: v for k, v in kwargs.items() if k not in _EXTRA_KEYS and not isinstance(v, NotGiven)}
        extra_body = kwargs.get("extra_body")
        if extra_body:
            body.update(extra_body)
    merged_headers: dict[str, str | Omit] = dict(headers or {})
    if kwargs.get("extra_headers"):
        merged_headers.update(kwargs["extra_headers"])
    query = strip_not_given(params or {})
    if kwargs.get("extra_query"):
        query.update(kwargs["extra_query"])
    return RequestOptions(
        method,
        path,
        json=body,
        params=query,
        headers=merged_headers,
        timeout=kwargs.get("timeout", NOT_GIVEN),
        stream=stream,
    )


def json_parser(cls: type[M]) -> Callable[[httpx2.Response], M]:
    """A parser validating the whole answer body as ``cls`` in one pass."""

    def parse(response: httpx2.Response) -> M:
        return cls.model_validate_json(response.content)

    return parse


def list_params(after_id: Any, before_id: Any, limit: Any) -> dict[str, Any]:
    return {"after_id": after_id, "before_id": before_id, "limit": limit}


def sync_list(client: Anthropic, path: str, item: Callable[[Any], T], params: dict[str, Any],
              extras: RequestExtras) -> SyncPage[T]:
    """One page of a list endpoint; the page fetches the next ones the same way."""
    options = make_options("GET", path, extras, params=params)
    page_kwargs = page_parser(item, options.params)
    return client.request(
        options, lambda r: SyncPage(fetch=lambda p: sync_list(client, path, item, p, extras), **page_kwargs(r))
    )


async def async_list(client: AsyncAnthropic, path: str, item: Callable[[Any], T], params: dict[str, Any],
                     extras: RequestExtras) -> AsyncPage[T]:
    options = make_options("GET", path, extras, params=params)
    page_kwargs = page_parser(item, options.params)
    return await client.request(
        options, lambda r: AsyncPage(fetch=lambda p: async_list(client, path, item, p, extras), **page_kwargs(r))
    )
