"""The ``thinking`` parameter (extended thinking)."""

from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

__all__ = [
    "ThinkingConfigAdaptiveParam",
    "ThinkingConfigBetweenToolsParam",
    "ThinkingConfigDisabledParam",
    "ThinkingConfigEnabledParam",
    "ThinkingConfigParam",
    "ThinkingDisplay",
]

ThinkingDisplay: TypeAlias = Literal["summarized", "omitted"]


class ThinkingConfigEnabledParam(TypedDict, total=False):
    """Thinking with a fixed budget: ``budget_tokens`` >= 1024 and < ``max_tokens``."""

    type: Required[Literal["enabled"]]
    budget_tokens: Required[int]
    display: ThinkingDisplay | None


class ThinkingConfigDisabledParam(TypedDict, total=False):
    type: Required[Literal["disabled"]]


class ThinkingConfigAdaptiveParam(TypedDict, total=False):
    """The model decides how much to think (newer models)."""

    type: Required[Literal["adaptive"]]
    display: ThinkingDisplay | None


class ThinkingConfigBetweenToolsParam(TypedDict, total=False):
    """Thinking only between tool calls (beta surface only: part of ``BetaThinkingConfigParam``)."""

    type: Required[Literal["between_tools"]]


ThinkingConfigParam: TypeAlias = ThinkingConfigEnabledParam | ThinkingConfigDisabledParam | ThinkingConfigAdaptiveParam
"""The GA ``thinking`` parameter (``between_tools`` and the other beta options: ``BetaThinkingConfigParam``)."""
