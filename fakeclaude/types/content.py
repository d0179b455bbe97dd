"""Response content blocks (``Message.content``), their citations and callers.

Every union here is discriminated on ``type`` and tolerant: a block, citation or caller of a type this
version does not know parses as ``UnknownBlock`` / ``UnknownCitation`` / ``UnknownCaller`` with all of
its fields kept. Server-tool result blocks keep their inner ``content`` loosely typed.
"""

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import Tag

from ._base import BaseModel
from ._tolerant import UNKNOWN, LazyAdapter, UnknownObject, tag_discriminator

__all__ = [
    "BashCodeExecutionToolResultBlock",
    "CitationCharLocation",
    "CitationContentBlockLocation",
    "CitationPageLocation",
    "CitationsSearchResultLocation",
    "CitationsWebSearchResultLocation",
    "CodeExecutionToolResultBlock",
    "ContainerUploadBlock",
    "ContentBlock",
    "DirectCaller",
    "RedactedThinkingBlock",
    "ServerToolCaller",
    "ServerToolCaller20260120",
    "ServerToolResultContent",
    "ServerToolUseBlock",
    "TextBlock",
    "TextCitation",
    "TextEditorCodeExecutionToolResultBlock",
    "ThinkingBlock",
    "ToolSearchToolResultBlock",
    "ToolUseBlock",
    "ToolUseCaller",
    "UnknownBlock",
    "UnknownCaller",
    "UnknownCitation",
    "WebFetchToolResultBlock",
    "WebSearchResultBlock",
    "WebSearchToolResultBlock",
    "WebSearchToolResultBlockContent",
    "WebSearchToolResultError",
    "WebSearchToolResultErrorObject",
    "parse_content_block",
]


# --- citations -------------------------------------------------------------------------------------


class CitationCharLocation(BaseModel):
    """Cites characters ``[start_char_index, end_char_index)`` of a plain-text document."""

    type: Literal["char_location"]
    cited_text: str
    document_index: int
    document_title: str | None = None
    start_char_index: int
    end_char_index: int
    file_id: str | None = None


class CitationPageLocation(BaseModel):
    """Cites pages ``[start_page_number, end_page_number)`` of a PDF document."""

    type: Literal["page_location"]
    cited_text: str
    document_index: int
    document_title: str | None = None
    start_page_number: int
    end_page_number: int
    file_id: str | None = None


class CitationContentBlockLocation(BaseModel):
    """Cites blocks ``[start_block_index, end_block_index)`` of a custom-content document."""

    type: Literal["content_block_location"]
    cited_text: str
    document_index: int
    document_title: str | None = None
    start_block_index: int
    end_block_index: int
    file_id: str | None = None


class CitationsWebSearchResultLocation(BaseModel):
    """Cites a web search result."""

    type: Literal["web_search_result_location"]
    cited_text: str
    url: str
    title: str | None = None
    encrypted_index: str


class CitationsSearchResultLocation(BaseModel):
    """Cites blocks of a ``search_result`` content block given in the request."""

    type: Literal["search_result_location"]
    cited_text: str
    source: str
    title: str | None = None
    search_result_index: int
    start_block_index: int
    end_block_index: int


class UnknownCitation(UnknownObject):
    """A citation of a type this version does not know."""


TextCitation: TypeAlias = Annotated[
    Annotated[CitationCharLocation, Tag("char_location")]
    | Annotated[CitationPageLocation, Tag("page_location")]
    | Annotated[CitationContentBlockLocation, Tag("content_block_location")]
    | Annotated[CitationsWebSearchResultLocation, Tag("web_search_result_location")]
    | Annotated[CitationsSearchResultLocation, Tag("search_result_location")]
    | Annotated[UnknownCitation, Tag(UNKNOWN)],
    tag_discriminator(
        [
            "char_location",
            "page_location",
            "content_block_location",
            "web_search_result_location",
            "search_result_location",
        ]
    ),
]


# --- callers (who invoked a tool) ------------------------------------------------------------------


class DirectCaller(BaseModel):
    """The model called the tool itself."""

    type: Literal["direct"]


class ServerToolCaller(BaseModel):
    """The tool was called from code run by the ``code_execution_20250825`` server tool."""

    type: Literal["code_execution_20250825"]
    tool_id: str


class ServerToolCaller20260120(BaseModel):
    """The tool was called from code run by the ``code_execution_20260120`` server tool."""

    type: Literal["code_execution_20260120"]
    tool_id: str


class UnknownCaller(UnknownObject):
    """A caller of a type this version does not know."""


ToolUseCaller: TypeAlias = Annotated[
    Annotated[DirectCaller, Tag("direct")]
    | Annotated[ServerToolCaller, Tag("code_execution_20250825")]
    | Annotated[ServerToolCaller20260120, Tag("code_execution_20260120")]
    | Annotated[UnknownCaller, Tag(UNKNOWN)],
    tag_discriminator(["direct", "code_execution_20250825", "code_execution_20260120"]),
]


# --- blocks ----------------------------------------------------------------------------------------


class TextBlock(BaseModel):
    type: Literal["text"]
    text: str
    citations: list[TextCitation] | None = None


class ThinkingBlock(BaseModel):
    """Extended thinking; ``signature`` (absent from some stream starts) must be sent back unchanged."""

    type: Literal["thinking"]
    thinking: str
    signature: str = ""


class RedactedThinkingBlock(BaseModel):
    type: Literal["redacted_thinking"]
    data: str


class ToolUseBlock(BaseModel):
    """A call of a client tool; ``input`` is always an object."""

    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]
    caller: ToolUseCaller | None = None


class ServerToolUseBlock(BaseModel):
    """A call of a server tool (``web_search``, ``code_execution``, ...), run by the API itself."""

    type: Literal["server_tool_use"]
    id: str
    name: str
    input: dict[str, Any]
    caller: ToolUseCaller | None = None


class WebSearchResultBlock(BaseModel):
    type: Literal["web_search_result"]
    url: str
    title: str
    encrypted_content: str
    page_age: str | None = None


class WebSearchToolResultErrorObject(BaseModel):
    """A failed web search (``error_code`` such as ``max_uses_exceeded``)."""

    type: str
    error_code: str


WebSearchToolResultError = WebSearchToolResultErrorObject
WebSearchToolResultBlockContent: TypeAlias = list[WebSearchResultBlock] | WebSearchToolResultErrorObject


class WebSearchToolResultBlock(BaseModel):
    type: Literal["web_search_tool_result"]
    tool_use_id: str
    content: WebSearchToolResultBlockContent
    caller: ToolUseCaller | None = None


class ServerToolResultContent(BaseModel):
    """The inner ``content`` of a server-tool result block, loosely typed: a ``type`` and any fields
    (e.g. ``stdout``/``stderr``/``return_code`` for code execution, ``error_code`` on failure)."""

    type: str


class WebFetchToolResultBlock(BaseModel):
    type: Literal["web_fetch_tool_result"]
    tool_use_id: str
    content: ServerToolResultContent
    caller: ToolUseCaller | None = None


class CodeExecutionToolResultBlock(BaseModel):
    type: Literal["code_execution_tool_result"]
    tool_use_id: str
    content: ServerToolResultContent


class BashCodeExecutionToolResultBlock(BaseModel):
    type: Literal["bash_code_execution_tool_result"]
    tool_use_id: str
    content: ServerToolResultContent


class TextEditorCodeExecutionToolResultBlock(BaseModel):
    type: Literal["text_editor_code_execution_tool_result"]
    tool_use_id: str
    content: ServerToolResultContent


class ToolSearchToolResultBlock(BaseModel):
    type: Literal["tool_search_tool_result"]
    tool_use_id: str
    content: ServerToolResultContent


class ContainerUploadBlock(BaseModel):
    type: Literal["container_upload"]
    file_id: str


class UnknownBlock(UnknownObject):
    """A content block of a type this version does not know (e.g. a beta block); all fields kept."""


ContentBlock: TypeAlias = Annotated[
    Annotated[TextBlock, Tag("text")]
    | Annotated[ThinkingBlock, Tag("thinking")]
    | Annotated[RedactedThinkingBlock, Tag("redacted_thinking")]
    | Annotated[ToolUseBlock, Tag("tool_use")]
    | Annotated[ServerToolUseBlock, Tag("server_tool_use")]
    | Annotated[WebSearchToolResultBlock, Tag("web_search_tool_result")]
    | Annotated[WebFetchToolResultBlock, Tag("web_fetch_tool_result")]
    | Annotated[CodeExecutionToolResultBlock, Tag("code_execution_tool_result")]
    | Annotated[BashCodeExecutionToolResultBlock, Tag("bash_code_execution_tool_result")]
    | Annotated[TextEditorCodeExecutionToolResultBlock, Tag("text_editor_code_execution_tool_result")]
    | Annotated[ToolSearchToolResultBlock, Tag("tool_search_tool_result")]
    | Annotated[ContainerUploadBlock, Tag("container_upload")]
    | Annotated[UnknownBlock, Tag(UNKNOWN)],
    tag_discriminator(
        [
            "text",
            "thinking",
            "redacted_thinking",
            "tool_use",
            "server_tool_use",
            "web_search_tool_result",
            "web_fetch_tool_result",
            "code_execution_tool_result",
            "bash_code_execution_tool_result",
            "text_editor_code_execution_tool_result",
            "tool_search_tool_result",
            "container_upload",
        ]
    ),
]
"""Any response content block, discriminated on ``type``; unknown types give :class:`UnknownBlock`."""

_content_block: LazyAdapter[ContentBlock] = LazyAdapter(ContentBlock)


def parse_content_block(data: Any) -> ContentBlock:
    """Validate one response content block (a dict, or an already built block)."""
    return _content_block.validate(data)
