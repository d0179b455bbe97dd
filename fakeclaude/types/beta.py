"""``anthropic.types.beta`` names, for code written against the SDK's beta namespace.

fakeclaude's wire model is one for both namespaces: its models keep the beta-only fields and block types
an answer carries, so each ``Beta*`` name here is the GA model (or param) of the same shape.
"""

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
    "BetaContentBlock",
    "BetaContentBlockParam",
    "BetaMessage",
    "BetaMessageParam",
    "BetaMessageTokensCount",
    "BetaRawMessageStreamEvent",
    "BetaTextBlock",
    "BetaTextBlockParam",
    "BetaThinkingBlock",
    "BetaToolParam",
    "BetaToolResultBlockParam",
    "BetaToolUnionParam",
    "BetaToolUseBlock",
    "BetaToolUseBlockParam",
    "BetaUsage",
    "ParsedBetaMessage",
    "ParsedBetaTextBlock",
]
