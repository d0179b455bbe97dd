"""Messages: the ``messages`` array items and the content-block union they hold."""

from collections.abc import Sequence
from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

from ._blocks import (
    DocumentBlockParam,
    ImageBlockParam,
    RedactedThinkingBlockParam,
    SearchResultBlockParam,
    TextBlockParam,
    ThinkingBlockParam,
    ToolResultBlockParam,
    ToolUseBlockParam,
)
from ._server_tool_blocks import (
    BashCodeExecutionToolResultBlockParam,
    CodeExecutionToolResultBlockParam,
    ContainerUploadBlockParam,
    ServerToolUseBlockParam,
    TextEditorCodeExecutionToolResultBlockParam,
    ToolSearchToolResultBlockParam,
    WebFetchToolResultBlockParam,
    WebSearchToolResultBlockParam,
)

__all__ = [
    "AssistantMessageParam",
    "ContentBlockParam",
    "MessageContentParam",
    "MessageParam",
    "SystemMessageParam",
    "UserMessageParam",
]

ContentBlockParam: TypeAlias = (
    TextBlockParam
    | ImageBlockParam
    | DocumentBlockParam
    | SearchResultBlockParam
    | ToolUseBlockParam
    | ToolResultBlockParam
    | ThinkingBlockParam
    | RedactedThinkingBlockParam
    | ServerToolUseBlockParam
    | WebSearchToolResultBlockParam
    | WebFetchToolResultBlockParam
    | CodeExecutionToolResultBlockParam
    | BashCodeExecutionToolResultBlockParam
    | TextEditorCodeExecutionToolResultBlockParam
    | ToolSearchToolResultBlockParam
    | ContainerUploadBlockParam
)
"""Any block a user or assistant turn may carry (in the order the API lists the expected block types)."""

MessageContentParam: TypeAlias = str | Sequence[ContentBlockParam]
"""A turn's content: a string (shorthand for one text block) or a list of blocks."""


class UserMessageParam(TypedDict, total=False):
    role: Required[Literal["user"]]
    content: Required[MessageContentParam]


class AssistantMessageParam(TypedDict, total=False):
    """An earlier answer, or (last in the list) a prefill the answer continues from."""

    role: Required[Literal["assistant"]]
    content: Required[MessageContentParam]


class SystemMessageParam(TypedDict, total=False):
    """A mid-conversation system instruction (newer API feature): text only."""

    role: Required[Literal["system"]]
    content: Required[str | Sequence[TextBlockParam]]


MessageParam: TypeAlias = UserMessageParam | AssistantMessageParam | SystemMessageParam
"""One item of ``messages``: ``{"role": ..., "content": ...}``."""
