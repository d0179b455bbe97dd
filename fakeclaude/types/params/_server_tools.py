"""Anthropic-defined tools the API runs itself: web search and fetch, code execution, tool search."""

from collections.abc import Sequence
from typing import Literal, Required

from typing_extensions import TypedDict

from ._common import AllowedCaller, CacheControlEphemeralParam, CitationsConfigParam

__all__ = [
    "CodeExecutionTool20250522Param",
    "CodeExecutionTool20250825Param",
    "CodeExecutionTool20260120Param",
    "CodeExecutionTool20260521Param",
    "ToolSearchToolBm25_20251119Param",
    "ToolSearchToolRegex20251119Param",
    "UserLocationParam",
    "WebFetchTool20250910Param",
    "WebFetchTool20260209Param",
    "WebFetchTool20260309Param",
    "WebFetchTool20260318Param",
    "WebSearchTool20250305Param",
    "WebSearchTool20260209Param",
    "WebSearchTool20260318Param",
]


class _ServerToolOptions(TypedDict, total=False):
    allowed_callers: Sequence[AllowedCaller]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    strict: bool


class UserLocationParam(TypedDict, total=False):
    """Rough location used to localise web search results."""

    type: Required[Literal["approximate"]]
    city: str | None
    region: str | None
    country: str | None
    timezone: str | None


class _WebSearchOptions(_ServerToolOptions, total=False):
    name: Required[Literal["web_search"]]
    max_uses: int | None
    allowed_domains: Sequence[str] | None
    blocked_domains: Sequence[str] | None
    user_location: UserLocationParam | None


class WebSearchTool20250305Param(_WebSearchOptions, total=False):
    type: Required[Literal["web_search_20250305"]]


class WebSearchTool20260209Param(_WebSearchOptions, total=False):
    type: Required[Literal["web_search_20260209"]]


class WebSearchTool20260318Param(_WebSearchOptions, total=False):
    type: Required[Literal["web_search_20260318"]]
    response_inclusion: Literal["full", "excluded"]


class _WebFetchOptions(_ServerToolOptions, total=False):
    name: Required[Literal["web_fetch"]]
    max_uses: int | None
    allowed_domains: Sequence[str] | None
    blocked_domains: Sequence[str] | None
    citations: CitationsConfigParam | None
    max_content_tokens: int | None
    url_sources: dict[str, object] | None


class WebFetchTool20250910Param(_WebFetchOptions, total=False):
    type: Required[Literal["web_fetch_20250910"]]


class WebFetchTool20260209Param(_WebFetchOptions, total=False):
    type: Required[Literal["web_fetch_20260209"]]


class WebFetchTool20260309Param(_WebFetchOptions, total=False):
    type: Required[Literal["web_fetch_20260309"]]
    use_cache: bool


class WebFetchTool20260318Param(_WebFetchOptions, total=False):
    type: Required[Literal["web_fetch_20260318"]]
    use_cache: bool
    response_inclusion: Literal["full", "excluded"]


class _CodeExecutionOptions(_ServerToolOptions, total=False):
    name: Required[Literal["code_execution"]]


class CodeExecutionTool20250522Param(_CodeExecutionOptions, total=False):
    type: Required[Literal["code_execution_20250522"]]


class CodeExecutionTool20250825Param(_CodeExecutionOptions, total=False):
    type: Required[Literal["code_execution_20250825"]]


class CodeExecutionTool20260120Param(_CodeExecutionOptions, total=False):
    type: Required[Literal["code_execution_20260120"]]


class CodeExecutionTool20260521Param(_CodeExecutionOptions, total=False):
    type: Required[Literal["code_execution_20260521"]]


class ToolSearchToolBm25_20251119Param(_ServerToolOptions, total=False):
    """Lets the model find deferred tools by natural-language query."""

    name: Required[Literal["tool_search_tool_bm25"]]
    type: Required[Literal["tool_search_tool_bm25_20251119", "tool_search_tool_bm25"]]


class ToolSearchToolRegex20251119Param(_ServerToolOptions, total=False):
    """Lets the model find deferred tools by regular expression."""

    name: Required[Literal["tool_search_tool_regex"]]
    type: Required[Literal["tool_search_tool_regex_20251119", "tool_search_tool_regex"]]
