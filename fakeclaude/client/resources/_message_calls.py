"""What each Messages method sends, for the GA namespace and the beta one alike (sync and async share it).

``create`` / ``stream`` / ``parse`` / ``count_tokens`` differ only in the body they build and the parser
of the answer; the beta namespace adds ``betas`` and accepts runnable tools
(``@beta_tool`` functions), sent as their definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import httpx2
import pydantic

from ...types import Message, MessageTokensCount
from ...types.parsed_message import ParsedMessage, to_parsed_message
from .._options import RequestOptions
from .._structured import check_output_conflict, merge_output_format
from ._common import json_parser, make_options

if TYPE_CHECKING:
    from .._base import BaseClient

__all__ = [
    "HELPER_HEADER",
    "check_keywords",
    "count_tokens_options",
    "keywords_of",
    "create_options",
    "message_parser",
    "parse_request",
    "stream_request",
    "to_tool_params",
]

HELPER_HEADER = "x-stainless-helper"
"""The header naming the SDK helper a request came from (``messages.parse``, ``BetaToolRunner``...)."""
_STREAM_HEADERS = {"messages": "messages", "beta": "beta.messages"}
_TOKEN_COUNTING_BETA = "token-counting-2024-11-01"

message_parser: Callable[[httpx2.Response], Message] = json_parser(Message)
count_parser = json_parser(MessageTokensCount)


def keywords_of(*signatures: Any) -> frozenset[str]:
    """The keyword arguments the ``TypedDict`` signatures of a call take, together."""
    return frozenset().union(*(t.__required_keys__ | t.__optional_keys__ for t in signatures))


def check_keywords(params: Mapping[str, Any], accepted: frozenset[str], call: str) -> None:
    """The ``TypeError`` the SDK's signature raises before sending, for a keyword argument ``call`` does not take
    (a misspelt or a removed parameter is not sent: ``extra_body`` is for fields the signature lacks)."""
    for name in params:
        if name not in accepted:
            raise TypeError(f"{call}() got an unexpected keyword argument {name!r}")


def to_tool_params(tools: Any) -> Any:
    """``tools`` with each runnable tool (an object with ``to_dict()``, e.g. ``@beta_tool``) as its definition."""
    if tools is None or isinstance(tools, Mapping | str):
        return tools
    return [
        tool.to_dict()
        if not isinstance(tool, Mapping | pydantic.BaseModel) and callable(getattr(tool, "to_dict", None))
        else tool
        for tool in tools
    ]


def _body_params(params: Mapping[str, Any], *, beta: bool, structured: bool) -> tuple[dict[str, Any], Any]:
    """The keyword arguments to send, and the ``output_format`` type taken out of them."""
    kwargs = dict(params)
    output_format = kwargs.pop("output_format", None) if structured else None
    if beta:
        if structured:
            check_output_conflict(kwargs.get("output_config"), output_format)
        if "tools" in kwargs:
            kwargs["tools"] = to_tool_params(kwargs["tools"])
    merge_output_format(kwargs, output_format)
    return kwargs, output_format


def create_options(client: BaseClient[Any], params: Mapping[str, Any], *, beta: bool = False,
                   headers: Mapping[str, str] | None = None) -> RequestOptions:
    """``messages.create``: a Message, or its stream with ``stream=True``."""
    kwargs, _ = _body_params(params, beta=beta, structured=False)
    stream = bool(kwargs.get("stream", False))
    options = make_options("POST", "v1/messages", kwargs, body_keys=True, stream=stream, headers=headers, beta=beta)
    client.settle_create(options, stream=stream, keywords=kwargs)
    return options


def stream_request(client: BaseClient[Any], params: Mapping[str, Any], *, beta: bool = False,
                   headers: Mapping[str, str] | None = None) -> tuple[RequestOptions, Any]:
    """``messages.stream``: the streamed request and the ``output_format`` its text blocks are parsed as."""
    kwargs, output_format = _body_params(params, beta=beta, structured=True)
    kwargs["stream"] = True
    helper = {
        "X-Stainless-Helper-Method": "stream",
        "X-Stainless-Stream-Helper": _STREAM_HEADERS["beta" if beta else "messages"],
        **(headers or {}),
    }
    options = make_options("POST", "v1/messages", kwargs, body_keys=True, stream=True, headers=helper, beta=beta)
    client.settle_create(options, stream=True, keywords=kwargs)
    return options, output_format


def parse_request(
    client: BaseClient[Any], params: Mapping[str, Any], *, beta: bool = False, helper: str | None = None
) -> tuple[RequestOptions, Callable[[httpx2.Response], ParsedMessage[Any]]]:
    """``messages.parse``: a non-streamed request whose answer's text blocks are parsed as ``output_format``."""
    kwargs, output_format = _body_params(params, beta=beta, structured=True)
    if "stream" in kwargs:
        raise TypeError("parse() got an unexpected keyword argument 'stream' (use stream(output_format=...))")
    name = helper or ("beta.messages.parse" if beta else "messages.parse")
    options = make_options("POST", "v1/messages", kwargs, body_keys=True, headers={HELPER_HEADER: name}, beta=beta)
    client.settle_create(options, stream=False, keywords=kwargs)
    options.post_parser = lambda message: to_parsed_message(message, output_format)
    # the post-parser makes the Message a ParsedMessage
    return options, cast("Callable[[httpx2.Response], ParsedMessage[Any]]", message_parser)


def count_tokens_options(client: BaseClient[Any], params: Mapping[str, Any], *, beta: bool = False) -> RequestOptions:
    """``messages.count_tokens`` (an ``output_format`` type is sent as its schema, as in ``parse``)."""
    kwargs, _ = _body_params(params, beta=beta, structured=True)
    return make_options(
        "POST", "v1/messages/count_tokens", kwargs, body_keys=True, beta=beta,
        always_betas=(_TOKEN_COUNTING_BETA,) if beta else (),
    )
