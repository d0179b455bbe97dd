"""The ``tool_choice`` parameter."""

from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

__all__ = [
    "ToolChoiceAnyParam",
    "ToolChoiceAutoParam",
    "ToolChoiceNoneParam",
    "ToolChoiceParam",
    "ToolChoiceToolParam",
]


class ToolChoiceAutoParam(TypedDict, total=False):
    """The model decides whether to call tools (the default when ``tools`` is given)."""

    type: Required[Literal["auto"]]
    disable_parallel_tool_use: bool


class ToolChoiceAnyParam(TypedDict, total=False):
    """The model must call at least one tool."""

    type: Required[Literal["any"]]
    disable_parallel_tool_use: bool


class ToolChoiceToolParam(TypedDict, total=False):
    """The model must call the named tool."""

    type: Required[Literal["tool"]]
    name: Required[str]
    disable_parallel_tool_use: bool


class ToolChoiceNoneParam(TypedDict, total=False):
    """The model must not call tools."""

    type: Required[Literal["none"]]


ToolChoiceParam: TypeAlias = (
    ToolChoiceAutoParam | ToolChoiceAnyParam | ToolChoiceToolParam | ToolChoiceNoneParam
)
