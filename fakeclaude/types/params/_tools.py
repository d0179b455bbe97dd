"""The ``tools`` parameter: custom tools, Anthropic-defined client tools and the union of all tools."""

from collections.abc import Sequence
from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

from ._common import AllowedCaller, CacheControlEphemeralParam
from ._server_tools import (
    CodeExecutionTool20250522Param,
    CodeExecutionTool20250825Param,
    CodeExecutionTool20260120Param,
    CodeExecutionTool20260521Param,
    ToolSearchToolBm25_20251119Param,
    ToolSearchToolRegex20251119Param,
    WebFetchTool20250910Param,
    WebFetchTool20260209Param,
    WebFetchTool20260309Param,
    WebFetchTool20260318Param,
    WebSearchTool20250305Param,
    WebSearchTool20260209Param,
    WebSearchTool20260318Param,
)

__all__ = [
    "InputSchema",
    "MemoryTool20250818Param",
    "ToolBash20250124Param",
    "ToolParam",
    "ToolTextEditor20250124Param",
    "ToolTextEditor20250429Param",
    "ToolTextEditor20250728Param",
    "ToolUnionParam",
]


class InputSchema(TypedDict, total=False):
    """A tool's JSON Schema (draft 2020-12); the top level is an object. Other schema keys are allowed:
    pass a plain ``dict`` where a type checker objects to them."""

    type: Required[Literal["object"]]
    properties: dict[str, object] | None
    required: Sequence[str] | None


# Validators built from these types (pydantic) keep the schema keywords not listed above.
InputSchema.__pydantic_config__ = {"extra": "allow"}  # type: ignore[attr-defined]


class _ClientToolOptions(TypedDict, total=False):
    allowed_callers: Sequence[AllowedCaller]
    cache_control: CacheControlEphemeralParam | None
    defer_loading: bool
    input_examples: Sequence[dict[str, object]]
    strict: bool


class ToolParam(_ClientToolOptions, total=False):
    """A tool you define and run: name (``^[a-zA-Z0-9_-]{1,128}$``), description, input schema."""

    name: Required[str]
    input_schema: Required[InputSchema | dict[str, object]]
    description: str
    type: Literal["custom"] | None
    eager_input_streaming: bool | None


class ToolBash20250124Param(_ClientToolOptions, total=False):
    name: Required[Literal["bash"]]
    type: Required[Literal["bash_20250124"]]


class ToolTextEditor20250124Param(_ClientToolOptions, total=False):
    name: Required[Literal["str_replace_editor"]]
    type: Required[Literal["text_editor_20250124"]]


class ToolTextEditor20250429Param(_ClientToolOptions, total=False):
    name: Required[Literal["str_replace_based_edit_tool"]]
    type: Required[Literal["text_editor_20250429"]]


class ToolTextEditor20250728Param(_ClientToolOptions, total=False):
    name: Required[Literal["str_replace_based_edit_tool"]]
    type: Required[Literal["text_editor_20250728"]]
    max_characters: int | None


class MemoryTool20250818Param(_ClientToolOptions, total=False):
    name: Required[Literal["memory"]]
    type: Required[Literal["memory_20250818"]]


ToolUnionParam: TypeAlias = (
    ToolParam
    | ToolBash20250124Param
    | ToolTextEditor20250124Param
    | ToolTextEditor20250429Param
    | ToolTextEditor20250728Param
    | WebSearchTool20250305Param
    | WebSearchTool20260209Param
    | WebSearchTool20260318Param
    | WebFetchTool20250910Param
    | WebFetchTool20260209Param
    | WebFetchTool20260309Param
    | WebFetchTool20260318Param
    | CodeExecutionTool20250522Param
    | CodeExecutionTool20250825Param
    | CodeExecutionTool20260120Param
    | CodeExecutionTool20260521Param
    | MemoryTool20250818Param
    | ToolSearchToolRegex20251119Param
    | ToolSearchToolBm25_20251119Param
)
"""Any item of ``tools`` (kinds in the order the API lists the expected tool types)."""
