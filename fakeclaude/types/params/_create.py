"""The bodies of ``POST /v1/messages`` and ``POST /v1/messages/count_tokens``."""

from collections.abc import Sequence
from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

from ._blocks import TextBlockParam
from ._common import CacheControlEphemeralParam
from ._config import (
    DiagnosticsParam,
    MessageCreateParamsContainerParam,
    MetadataParam,
    ModelParam,
    OutputConfigParam,
    ServiceTier,
    Speed,
)
from ._messages import MessageParam
from ._thinking import ThinkingConfigParam
from ._tool_choice import ToolChoiceParam
from ._tools import ToolUnionParam

__all__ = [
    "MessageCountTokensParams",
    "MessageCountTokensToolParam",
    "MessageCreateParams",
    "MessageCreateParamsBase",
    "MessageCreateParamsNonStreaming",
    "MessageCreateParamsStreaming",
    "SystemParam",
]

SystemParam: TypeAlias = str | Sequence[TextBlockParam]
"""The ``system`` prompt: a string or text blocks (which may carry ``cache_control``)."""

MessageCountTokensToolParam: TypeAlias = ToolUnionParam


class MessageCreateParamsBase(TypedDict, total=False):
    """Every body parameter of ``POST /v1/messages`` except ``stream``.

    ``temperature``, ``top_k`` and ``top_p`` belong to ``anthropic-version: 2023-06-01`` (the newer
    version rejects them).
    """

    model: Required[ModelParam]
    messages: Required[Sequence[MessageParam]]
    max_tokens: Required[int]
    system: SystemParam
    stop_sequences: Sequence[str]
    temperature: float
    top_k: int
    top_p: float
    metadata: MetadataParam
    tools: Sequence[ToolUnionParam]
    tool_choice: ToolChoiceParam
    thinking: ThinkingConfigParam
    service_tier: ServiceTier
    container: MessageCreateParamsContainerParam | None
    cache_control: CacheControlEphemeralParam | None
    output_config: OutputConfigParam
    inference_geo: str | None
    speed: Speed | None
    diagnostics: DiagnosticsParam | None


class MessageCreateParamsNonStreaming(MessageCreateParamsBase, total=False):
    stream: Literal[False]


class MessageCreateParamsStreaming(MessageCreateParamsBase, total=False):
    stream: Required[Literal[True]]


MessageCreateParams: TypeAlias = MessageCreateParamsNonStreaming | MessageCreateParamsStreaming


class MessageCountTokensParams(TypedDict, total=False):
    """The body of ``POST /v1/messages/count_tokens``: a create body without ``max_tokens``, ``stream``,
    ``stop_sequences``, ``metadata`` and ``service_tier`` (spec §1; the sampling parameters, ``container``,
    ``inference_geo`` and ``diagnostics`` are accepted as on create, though SDK 2.x does not type them)."""

    model: Required[ModelParam]
    messages: Required[Sequence[MessageParam]]
    system: SystemParam
    temperature: float
    top_k: int
    top_p: float
    tools: Sequence[MessageCountTokensToolParam]
    tool_choice: ToolChoiceParam
    thinking: ThinkingConfigParam
    container: MessageCreateParamsContainerParam | None
    cache_control: CacheControlEphemeralParam | None
    output_config: OutputConfigParam
    inference_geo: str | None
    speed: Speed | None
    diagnostics: DiagnosticsParam | None
