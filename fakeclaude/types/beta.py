"""``anthropic.types.beta`` names, for code written against the SDK's beta namespace.

fakeclaude's wire model is one for both namespaces: its models keep the beta-only fields and block types
an answer carries, so each ``Beta*`` name here is the GA model (or param) of the same shape.
"""

from typing import TYPE_CHECKING, Any

from .content import ContentBlock as BetaContentBlock
from .content import TextBlock as BetaTextBlock
from .content import ThinkingBlock as BetaThinkingBlock
from .content import ToolUseBlock as BetaToolUseBlock
from .message import Message as BetaMessage
from .message import MessageTokensCount as BetaMessageTokensCount
from .message import Usage as BetaUsage
from .params import ContentBlockParam as BetaContentBlockParam
from .params import MessageParam as BetaMessageParam
from .params import TextBlockParam as BetaTextBlockParam
from .params import ToolParam as BetaToolParam
from .params import ToolResultBlockParam as BetaToolResultBlockParam
from .params import ToolUnionParam as BetaToolUnionParam
from .params import ToolUseBlockParam as BetaToolUseBlockParam
from .parsed_message import ParsedMessage as ParsedBetaMessage
from .parsed_message import ParsedTextBlock as ParsedBetaTextBlock
from .stream_events import RawMessageStreamEvent as BetaRawMessageStreamEvent

__all__ = [
    "BetaApprovalRequiredError",
    "BetaAuthorizationCheckUnavailableError",
    "BetaContentBlock",
    "BetaContentBlockParam",
    "BetaEnvironmentArchivedError",
    "BetaEnvironmentCreateDisabledError",
    "BetaEnvironmentNotFoundError",
    "BetaEnvironmentUpdateDisabledError",
    "BetaHumanReviewNotAvailableError",
    "BetaInvalidConfigTypeChangeError",
    "BetaInvalidMetadataError",
    "BetaMessage",
    "BetaMessageParam",
    "BetaMessageTokensCount",
    "BetaOrganizationNotEligibleError",
    "BetaRawMessageStreamEvent",
    "BetaReportPageTooLargeError",
    "BetaTextBlock",
    "BetaTextBlockParam",
    "BetaThinkingBlock",
    "BetaTooManyReportGroupsError",
    "BetaToolParam",
    "BetaToolResultBlockParam",
    "BetaToolUnionParam",
    "BetaToolUseBlock",
    "BetaToolUseBlockParam",
    "BetaUsage",
    "ParsedBetaMessage",
    "ParsedBetaTextBlock",
]

if TYPE_CHECKING:
    from .._error_codes import (
        BetaApprovalRequiredError,
        BetaAuthorizationCheckUnavailableError,
        BetaEnvironmentArchivedError,
        BetaEnvironmentCreateDisabledError,
        BetaEnvironmentNotFoundError,
        BetaEnvironmentUpdateDisabledError,
        BetaHumanReviewNotAvailableError,
        BetaInvalidConfigTypeChangeError,
        BetaInvalidMetadataError,
        BetaOrganizationNotEligibleError,
        BetaReportPageTooLargeError,
        BetaTooManyReportGroupsError,
    )

#: The error classes the SDK exports from ``anthropic.types.beta`` (selected by ``error.details.error_code``): the
#: names of ``__all__`` not defined here, loaded on first use from ``fakeclaude._error_codes``.
_CODE_ERRORS = frozenset(__all__) - set(globals())


def __getattr__(name: str) -> Any:
    if name in _CODE_ERRORS:
        from .. import _error_codes

        return getattr(_error_codes, name)
    raise AttributeError(f"module 'fakeclaude.types.beta' has no attribute {name!r}")
