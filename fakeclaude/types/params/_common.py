"""Small request objects shared by blocks, tools and the top-level parameters."""

from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

__all__ = [
    "AllowedCaller",
    "CacheControlEphemeralParam",
    "CitationsConfigParam",
    "DirectCallerParam",
    "ServerToolCaller20260120Param",
    "ServerToolCallerParam",
    "ToolCallerParam",
]


class CacheControlEphemeralParam(TypedDict, total=False):
    """A prompt-cache breakpoint: ``{"type": "ephemeral", "ttl": "5m" | "1h"}`` (ttl defaults to 5m)."""

    type: Required[Literal["ephemeral"]]
    ttl: Literal["5m", "1h"]


class CitationsConfigParam(TypedDict, total=False):
    """Turns citations on for a document, search result or fetched page."""

    enabled: bool


class DirectCallerParam(TypedDict, total=False):
    """The model called the tool itself."""

    type: Required[Literal["direct"]]


class ServerToolCallerParam(TypedDict, total=False):
    """The tool was called from code run by the ``code_execution_20250825`` tool."""

    type: Required[Literal["code_execution_20250825"]]
    tool_id: Required[str]


class ServerToolCaller20260120Param(TypedDict, total=False):
    """The tool was called from code run by the ``code_execution_20260120`` tool."""

    type: Required[Literal["code_execution_20260120"]]
    tool_id: Required[str]


ToolCallerParam: TypeAlias = DirectCallerParam | ServerToolCallerParam | ServerToolCaller20260120Param
"""Who called a tool, echoed back on ``tool_use`` / ``server_tool_use`` blocks."""

AllowedCaller: TypeAlias = Literal[
    "direct", "code_execution_20250825", "code_execution_20260120", "code_execution_20260521"
]
"""Values of a tool's ``allowed_callers`` list."""
