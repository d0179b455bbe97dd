"""Server-tool calls and results from earlier answers, echoed back in assistant turns.

Result payloads other than web search are typed loosely (a JSON object): clients echo them unchanged.
"""

from collections.abc import Sequence
from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

from ._common import CacheControlEphemeralParam, ToolCallerParam

__all__ = [
    "BashCodeExecutionToolResultBlockParam",
    "CodeExecutionToolResultBlockParam",
    "ContainerUploadBlockParam",
    "ServerToolName",
    "ServerToolUseBlockParam",
    "TextEditorCodeExecutionToolResultBlockParam",
    "ToolSearchToolResultBlockParam",
    "WebFetchToolResultBlockParam",
    "WebSearchResultBlockParam",
    "WebSearchToolRequestErrorParam",
    "WebSearchToolResultBlockParamContentParam",
    "WebSearchToolResultBlockParam",
    "WebSearchToolResultErrorCode",
]

ServerToolName: TypeAlias = Literal[
    "web_search",
    "web_fetch",
    "code_execution",
    "bash_code_execution",
    "text_editor_code_execution",
    "tool_search_tool_regex",
    "tool_search_tool_bm25",
]


class ServerToolUseBlockParam(TypedDict, total=False):
    """A server tool call (``srvtoolu_...`` id); it needs no ``tool_result`` from the client."""

    type: Required[Literal["server_tool_use"]]
    id: Required[str]
    name: Required[ServerToolName]
    input: Required[dict[str, object]]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolCallerParam


class WebSearchResultBlockParam(TypedDict, total=False):
    """One page found by web search."""

    type: Required[Literal["web_search_result"]]
    url: Required[str]
    title: Required[str]
    encrypted_content: Required[str]
    page_age: str | None


WebSearchToolResultErrorCode: TypeAlias = Literal[
    "invalid_tool_input",
    "unavailable",
    "max_uses_exceeded",
    "too_many_requests",
    "query_too_long",
    "request_too_large",
]


class WebSearchToolRequestErrorParam(TypedDict, total=False):
    """A failed web search."""

    type: Required[Literal["web_search_tool_result_error"]]
    error_code: Required[WebSearchToolResultErrorCode]


WebSearchToolResultBlockParamContentParam: TypeAlias = (
    Sequence[WebSearchResultBlockParam] | WebSearchToolRequestErrorParam
)


class WebSearchToolResultBlockParam(TypedDict, total=False):
    """The results of a ``web_search`` call."""

    type: Required[Literal["web_search_tool_result"]]
    tool_use_id: Required[str]
    content: Required[WebSearchToolResultBlockParamContentParam]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolCallerParam


class WebFetchToolResultBlockParam(TypedDict, total=False):
    """The page (or error) of a ``web_fetch`` call."""

    type: Required[Literal["web_fetch_tool_result"]]
    tool_use_id: Required[str]
    content: Required[dict[str, object]]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolCallerParam


class CodeExecutionToolResultBlockParam(TypedDict, total=False):
    """The output (or error) of a ``code_execution`` call."""

    type: Required[Literal["code_execution_tool_result"]]
    tool_use_id: Required[str]
    content: Required[dict[str, object]]
    cache_control: CacheControlEphemeralParam | None


class BashCodeExecutionToolResultBlockParam(TypedDict, total=False):
    """The output (or error) of a ``bash_code_execution`` call."""

    type: Required[Literal["bash_code_execution_tool_result"]]
    tool_use_id: Required[str]
    content: Required[dict[str, object]]
    cache_control: CacheControlEphemeralParam | None


class TextEditorCodeExecutionToolResultBlockParam(TypedDict, total=False):
    """The outcome of a ``text_editor_code_execution`` call."""

    type: Required[Literal["text_editor_code_execution_tool_result"]]
    tool_use_id: Required[str]
    content: Required[dict[str, object]]
    cache_control: CacheControlEphemeralParam | None


class ToolSearchToolResultBlockParam(TypedDict, total=False):
    """The tools a tool-search call found (``tool_references``), or its error."""

    type: Required[Literal["tool_search_tool_result"]]
    tool_use_id: Required[str]
    content: Required[dict[str, object]]
    cache_control: CacheControlEphemeralParam | None


class ContainerUploadBlockParam(TypedDict, total=False):
    """A file to place in the code-execution container."""

    type: Required[Literal["container_upload"]]
    file_id: Required[str]
    cache_control: CacheControlEphemeralParam | None
