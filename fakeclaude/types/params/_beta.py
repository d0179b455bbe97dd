"""The beta surface's request shapes (``client.beta.messages``; any ``anthropic-beta`` header).

Named as in the official SDK's ``anthropic.types.beta``. The fake accepts these fields only on the beta
surface; ``thread`` and ``output_format`` also need their own beta name. ``BetaMessageCreateParamsBase``
and ``BetaMessageCountTokensParams`` add the beta-only top-level fields to the GA bodies (their
``thinking`` and ``messages`` also take :data:`BetaThinkingConfigParam` and :class:`BetaSystemMessageParam`).
"""

from collections.abc import Sequence
from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

from ._blocks import TextBlockParam
from ._config import OutputEffort
from ._create import MessageCountTokensParams, MessageCreateParamsBase
from ._thinking import ThinkingConfigBetweenToolsParam, ThinkingConfigDisabledParam

__all__ = [
    "BetaJSONOutputFormatParam",
    "BetaMessageCountTokensParams",
    "BetaMessageCreateParamsBase",
    "BetaMessageThreadParam",
    "BetaSystemMessageOutputConfigParam",
    "BetaSystemMessageParam",
    "BetaThinkingBlockBindingParam",
    "BetaThinkingConfigAdaptiveParam",
    "BetaThinkingConfigEnabledParam",
    "BetaThinkingConfigParam",
    "BetaThinkingPrefixMismatchBehavior",
    "BetaThreadContinueParams",
    "BetaThreadCreateParams",
]

BetaThinkingPrefixMismatchBehavior: TypeAlias = Literal["error", "drop_block"]
"""What the API does with a thinking block whose prefix no longer matches (beta thinking binding)."""


class BetaThinkingBlockBindingParam(TypedDict, total=False):
    """How thinking blocks sent back are bound to the conversation before them."""

    prefix_mismatch_behavior: BetaThinkingPrefixMismatchBehavior | None


class BetaThinkingConfigEnabledParam(TypedDict, total=False):
    """``enabled`` thinking with the beta options: ``display: "updates"`` and ``block_binding``."""

    type: Required[Literal["enabled"]]
    budget_tokens: Required[int]
    display: Literal["summarized", "omitted", "updates"] | None
    block_binding: BetaThinkingBlockBindingParam | None


class BetaThinkingConfigAdaptiveParam(TypedDict, total=False):
    """``adaptive`` thinking with the beta options: ``display: "updates"`` and ``block_binding``."""

    type: Required[Literal["adaptive"]]
    display: Literal["summarized", "omitted", "updates"] | None
    block_binding: BetaThinkingBlockBindingParam | None


BetaThinkingConfigParam: TypeAlias = (
    BetaThinkingConfigEnabledParam
    | ThinkingConfigDisabledParam
    | BetaThinkingConfigAdaptiveParam
    | ThinkingConfigBetweenToolsParam
)
"""The beta ``thinking`` parameter: the GA kinds with the beta options, and ``between_tools``."""


class BetaSystemMessageOutputConfigParam(TypedDict, total=False):
    """A system message's own output options (the effort from that point on)."""

    effort: OutputEffort | None


class BetaSystemMessageParam(TypedDict, total=False):
    """A beta mid-conversation system message: ``content`` optional, ``output_config`` and ``clear_at``."""

    role: Required[Literal["system"]]
    content: str | Sequence[TextBlockParam | dict[str, object]]
    output_config: BetaSystemMessageOutputConfigParam | None
    clear_at: Literal["next_user_message", "never"] | None


class BetaThreadCreateParams(TypedDict, total=False):
    """Start a server-held thread (beta ``message-threads-2026-08-12``)."""

    type: Required[Literal["create"]]


class BetaThreadContinueParams(TypedDict, total=False):
    """Continue a server-held thread from its most recent reply."""

    type: Required[Literal["continue"]]
    previous_message_id: Required[str]


BetaMessageThreadParam: TypeAlias = BetaThreadCreateParams | BetaThreadContinueParams
"""The ``thread`` parameter."""


class BetaJSONOutputFormatParam(TypedDict, total=False):
    """The legacy top-level ``output_format`` (beta ``structured-outputs-2025-11-13``)."""

    type: Required[Literal["json_schema"]]
    schema: Required[dict[str, object]]


class _BetaOnlyParams(TypedDict, total=False):
    """The top-level fields only the beta surface takes (their inner shapes are not modelled)."""

    mcp_servers: Sequence[dict[str, object]]
    context_management: dict[str, object] | None
    compaction: dict[str, object] | None
    fallbacks: Literal["default"] | Sequence[dict[str, object]] | None
    fallback_credit_token: str | dict[str, object] | None
    billing_policy: dict[str, object] | None
    output_format: BetaJSONOutputFormatParam | None


class BetaMessageCreateParamsBase(MessageCreateParamsBase, _BetaOnlyParams, total=False):
    """The body of ``POST /v1/messages?beta=true`` except ``stream``: the GA fields, the beta-only ones, ``thread``."""

    thread: BetaMessageThreadParam | None


class BetaMessageCountTokensParams(MessageCountTokensParams, _BetaOnlyParams, total=False):
    """The body of ``POST /v1/messages/count_tokens?beta=true``: the GA fields and the beta-only ones."""
