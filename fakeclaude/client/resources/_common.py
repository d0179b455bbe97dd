"""What every resource method shares: turning keyword arguments into ``RequestOptions``.

The beta namespace (``client.beta.*``) calls the same paths and URLs as the GA one, with an ``anthropic-beta``
header joining ``betas=[...]``; ``make_options(beta=True)`` is where that is done. The SDK (since about 2.5)
sends no ``?beta=true``: older ones did, and the fake still reads it as a beta request (recordings keep it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
import pydantic
from typing_extensions import TypedDict

from .._options import NOT_GIVEN, NotGiven, Omit, RequestOptions, Timeout
from .._pagination import AsyncPage, SyncPage, page_parser

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

__all__ = [
    "BetaRequestExtras",
    "RequestExtras",
    "async_list",
    "beta_header",
    "json_parser",
    "list_params",
    "make_options",
    "strip_not_given",
    "sync_list",
]

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")


class RequestExtras(TypedDict, total=False):
    """Per-call options every method accepts, as in the official SDK."""

    extra_headers: Mapping[str, str | Omit] | None
    extra_query: Mapping[str, object] | None
    extra_body: Mapping[str, object] | None
    timeout: Timeout | NotGiven
    workspace_id: str
    """Sent as the ``anthropic-workspace-id`` header."""
    user_profile_id: str
    """Sent as the ``anthropic-user-profile-id`` header."""


class BetaRequestExtras(RequestExtras, total=False):
    """What the beta namespace's methods accept on top: the betas to turn on."""

    betas: Sequence[str]
    """Joined with ``,`` into the ``anthropic-beta`` header."""


_EXTRA_KEYS = frozenset(BetaRequestExtras.__annotations__)
_HEADER_PARAMS = (("workspace_id", "anthropic-workspace-id"), ("user_profile_id", "anthropic-user-profile-id"))


def beta_header(betas: Sequence[str] | None, *, always: Sequence[str] = ()) -> dict[str, str]:
    """The ``anthropic-beta`` header of ``betas`` followed by ``always`` (none when both are empty)."""
    names = [*(str(b) for b in betas or ()), *always]
    return {"anthropic-beta": ",".join(names)} if names else {}


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
    beta: bool = False,
    always_betas: Sequence[str] = (),
) -> RequestOptions:
    """Options for one call: the JSON body (when ``body_keys``) is every non-extra keyword argument.

    ``beta`` makes it a beta call: the ``anthropic-beta`` header of ``betas`` (then
    ``always_betas``). Outside the beta namespace ``betas`` is refused, as the SDK's signatures refuse it.
    """
    if "betas" in kwargs and not beta:
        raise TypeError("got an unexpected keyword argument 'betas' (betas are for the client.beta namespace)")
    body: dict[str, Any] | None = None
    if body_keys:
        body = {k: v for k, v in kwargs.items() if k not in _EXTRA_KEYS and not isinstance(v, NotGiven)}
        extra_body = kwargs.get("extra_body")
        if extra_body:
            body.update(extra_body)
    merged_headers: dict[str, str | Omit] = {}
    if beta:
        betas = kwargs.get("betas")
        merged_headers.update(beta_header(None if isinstance(betas, NotGiven) else betas, always=always_betas))
    for key, header in _HEADER_PARAMS:
        value = kwargs.get(key)
        if isinstance(value, str):
            merged_headers[header] = value
    if headers:
        merged_headers.update(headers)
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
              extras: RequestExtras, *, beta: bool = False) -> SyncPage[T]:
    """One page of a list endpoint; the page fetches the next ones the same way."""
    options = make_options("GET", path, extras, params=params, beta=beta)
    page_kwargs = page_parser(item, options.params)
    return client.request(
        options,
        lambda r: SyncPage(fetch=lambda p: sync_list(client, path, item, p, extras, beta=beta), **page_kwargs(r)),
    )


async def async_list(client: AsyncAnthropic, path: str, item: Callable[[Any], T], params: dict[str, Any],
                     extras: RequestExtras, *, beta: bool = False) -> AsyncPage[T]:
    options = make_options("GET", path, extras, params=params, beta=beta)
    page_kwargs = page_parser(item, options.params)
    return await client.request(
        options,
        lambda r: AsyncPage(fetch=lambda p: async_list(client, path, item, p, extras, beta=beta), **page_kwargs(r)),
    )
