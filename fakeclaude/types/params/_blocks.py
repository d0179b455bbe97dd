"""The content blocks a request carries: text, media, documents, tool calls and results, thinking."""

from collections.abc import Sequence
from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

from ._citations import TextCitationParam
from ._common import CacheControlEphemeralParam, CitationsConfigParam, ToolCallerParam
from ._sources import (
    Base64PDFSourceParam,
    FileDocumentSourceParam,
    ImageSourceParam,
    PlainTextSourceParam,
    URLPDFSourceParam,
)

__all__ = [
    "ContentBlockSourceContentParam",
    "ContentBlockSourceParam",
    "DocumentBlockParam",
    "DocumentSourceParam",
    "ImageBlockParam",
    "ImageTransformationsParam",
    "RedactedThinkingBlockParam",
    "SearchResultBlockParam",
    "TextBlockParam",
    "ThinkingBlockParam",
    "ToolReferenceBlockParam",
    "ToolResultBlockParam",
    "ToolResultContentParam",
    "ToolUseBlockParam",
]


class TextBlockParam(TypedDict, total=False):
    """``{"type": "text", "text": ...}``; the text must not be empty or only whitespace."""

    type: Required[Literal["text"]]
    text: Required[str]
    cache_control: CacheControlEphemeralParam | None
    citations: Sequence[TextCitationParam] | None


class ImageTransformationsParam(TypedDict, total=False):
    """What the API does with an image larger than the model accepts (default ``downsize``)."""

    oversized_image: Literal["downsize", "error"]


class ImageBlockParam(TypedDict, total=False):
    """An image: jpeg, png, gif or webp, inline, by URL or by file id."""

    type: Required[Literal["image"]]
    source: Required[ImageSourceParam]
    cache_control: CacheControlEphemeralParam | None
    transformations: ImageTransformationsParam | None


ContentBlockSourceContentParam: TypeAlias = TextBlockParam | ImageBlockParam
"""A block inside a custom-content document."""


class ContentBlockSourceParam(TypedDict, total=False):
    """A document made of your own blocks; citations then point at block indexes."""

    type: Required[Literal["content"]]
    content: Required[str | Sequence[ContentBlockSourceContentParam]]


DocumentSourceParam: TypeAlias = (
    Base64PDFSourceParam
    | URLPDFSourceParam
    | PlainTextSourceParam
    | ContentBlockSourceParam
    | FileDocumentSourceParam
)


class DocumentBlockParam(TypedDict, total=False):
    """A PDF, plain-text or custom-content document, optionally citable."""

    type: Required[Literal["document"]]
    source: Required[DocumentSourceParam]
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam | None
    context: str | None
    title: str | None


class SearchResultBlockParam(TypedDict, total=False):
    """A search result you supply yourself (RAG), citable by block range."""

    type: Required[Literal["search_result"]]
    source: Required[str]
    title: Required[str]
    content: Required[Sequence[TextBlockParam]]
    cache_control: CacheControlEphemeralParam | None
    citations: CitationsConfigParam


class ToolReferenceBlockParam(TypedDict, total=False):
    """Names a deferred tool inside a tool result (tool search)."""

    type: Required[Literal["tool_reference"]]
    tool_name: Required[str]
    cache_control: CacheControlEphemeralParam | None


class ToolUseBlockParam(TypedDict, total=False):
    """A client tool call from an earlier answer, sent back in an assistant turn."""

    type: Required[Literal["tool_use"]]
    id: Required[str]
    name: Required[str]
    input: Required[dict[str, object]]
    cache_control: CacheControlEphemeralParam | None
    caller: ToolCallerParam
    toolset_name: str | None


ToolResultContentParam: TypeAlias = (
    TextBlockParam | ImageBlockParam | SearchResultBlockParam | DocumentBlockParam | ToolReferenceBlockParam
)
"""A block allowed inside ``tool_result.content``."""


class ToolResultBlockParam(TypedDict, total=False):
    """The outcome of a client tool call, in the user turn right after the ``tool_use``."""

    type: Required[Literal["tool_result"]]
    tool_use_id: Required[str]
    content: str | Sequence[ToolResultContentParam]
    is_error: bool
    cache_control: CacheControlEphemeralParam | None
    toolset_name: str | None


class ThinkingBlockParam(TypedDict, total=False):
    """A thinking block from an earlier answer, echoed back unchanged with its signature."""

    type: Required[Literal["thinking"]]
    thinking: Required[str]
    signature: Required[str]


class RedactedThinkingBlockParam(TypedDict, total=False):
    """An encrypted thinking block from an earlier answer, echoed back unchanged."""

    type: Required[Literal["redacted_thinking"]]
    data: Required[str]
