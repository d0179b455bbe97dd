"""Schema of request content blocks (``messages[].content``, ``system``, ``tool_result.content``).

Strictly checked (unknown fields refused), with the field sets of their TypedDicts in
``fakeclaude.types.params``: ``text``, ``image`` (``transformations`` included), ``document``,
``search_result``, ``tool_use`` and ``tool_result`` (``toolset_name`` included: the SDK sends both back),
``thinking``, ``redacted_thinking``, ``container_upload``, ``tool_reference``. Blocks that clients echo back from
server-tool responses (``server_tool_use``, ``mcp_tool_use``, every ``*_tool_result``,
``container_upload``, ``compaction``, ``mcp_tool_listing``, ``fallback``, ``tool_reference``,
``tool_addition``/``tool_removal`` in ``system`` messages) are checked for their ids only: their shapes change within a version, and the API accepts the response objects as sent.

Checks of the bytes of images and PDFs are not done here: they are queued on the :class:`Walk` and run
by the semantic pass, after the whole body passed the schema.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any

from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation._base import (
    MSG_SHAPE,
    Ctx,
    check_bool,
    check_cache_control,
    check_fields,
    check_list,
    check_literal,
    check_str,
    fail,
    tag_of,
)
from fakeclaude.server.validation._context import check_compaction_block
from fakeclaude.server.validation._wire_model import (
    field_names,
    field_values,
    literal_values,
    required_fields,
    shapes,
    tags,
)
from fakeclaude.types.params import (
    BashCodeExecutionToolResultBlockParam,
    CitationsConfigParam,
    CodeExecutionToolResultBlockParam,
    ContainerUploadBlockParam,
    ContentBlockParam,
    ContentBlockSourceContentParam,
    DocumentBlockParam,
    DocumentSourceParam,
    ImageBlockParam,
    ImageMediaType,
    ImageSourceParam,
    ImageTransformationsParam,
    RedactedThinkingBlockParam,
    SearchResultBlockParam,
    ServerToolUseBlockParam,
    TextBlockParam,
    TextCitationParam,
    TextEditorCodeExecutionToolResultBlockParam,
    ThinkingBlockParam,
    ToolReferenceBlockParam,
    ToolResultBlockParam,
    ToolResultContentParam,
    ToolSearchToolResultBlockParam,
    ToolUseBlockParam,
    WebFetchToolResultBlockParam,
    WebSearchToolResultBlockParam,
)

__all__ = ["BLOCK_TAGS", "Walk", "check_blocks", "check_system"]

#: The citations an input text block may carry, by ``type``, each with its required fields (a tagged union).
_CITATIONS: dict[str, tuple[str, ...]] = {
    field_values(kind, "type")[0]: required_fields(kind) for kind in typing.get_args(TextCitationParam)
}

#: Wire-model blocks whose shapes change within a version: checked for their ids only.
_ECHOED = tags(
    ServerToolUseBlockParam
    | WebSearchToolResultBlockParam
    | WebFetchToolResultBlockParam
    | CodeExecutionToolResultBlockParam
    | BashCodeExecutionToolResultBlockParam
    | TextEditorCodeExecutionToolResultBlockParam
    | ToolSearchToolResultBlockParam
)
#: Beta response blocks clients echo back, which the wire model does not type (the SDK's beta namespace does).
_BETA_USES = ("mcp_tool_use",)
_BETA_RESULTS = ("advisor_tool_result", "mcp_tool_result")
_BETA_OTHERS = ("compaction", "mcp_tool_listing", "fallback")
_BETA_SYSTEM_BLOCKS = ("tool_addition", "tool_removal")
_ECHO_RESULTS = (*(t for t in _ECHOED if t != "server_tool_use"), *_BETA_RESULTS)
BLOCK_TAGS: dict[str, object] = dict.fromkeys((*tags(ContentBlockParam), *_BETA_USES, *_BETA_RESULTS, *_BETA_OTHERS))
_TOOL_RESULT_TAGS = tags(ToolResultContentParam)
_SOURCE_CONTENT_TAGS = tags(ContentBlockSourceContentParam)
_SYSTEM_TAGS = tags(TextBlockParam)
_SYSTEM_ROLE_TAGS: dict[str, object] = dict.fromkeys((*tags(TextBlockParam), *_BETA_SYSTEM_BLOCKS))

_F_TEXT = field_names(TextBlockParam)
_F_IMAGE = field_names(ImageBlockParam)
_F_DOCUMENT = field_names(DocumentBlockParam)
_F_SEARCH = field_names(SearchResultBlockParam)
_F_TOOL_USE = field_names(ToolUseBlockParam)
_F_TOOL_RESULT = field_names(ToolResultBlockParam)
_F_TRANSFORMATIONS = field_names(ImageTransformationsParam)
_OVERSIZED_IMAGE = field_values(ImageTransformationsParam, "oversized_image")
_F_THINKING = field_names(ThinkingBlockParam)
_F_REDACTED = field_names(RedactedThinkingBlockParam)
_F_CONTAINER_UPLOAD = field_names(ContainerUploadBlockParam)
_F_TOOL_REFERENCE = field_names(ToolReferenceBlockParam)
_F_CITATIONS_CFG = field_names(CitationsConfigParam)

IMAGE_MEDIA_TYPES = literal_values(ImageMediaType)
_IMAGE_SOURCES = tags(ImageSourceParam)
_DOC_SOURCES = tags(DocumentSourceParam)
_SRC_FIELDS = {"image": shapes(ImageSourceParam), "document": shapes(DocumentSourceParam)}
_MEDIA_TYPES = {
    "image": IMAGE_MEDIA_TYPES,
    "document": field_values(_DOC_SOURCES["base64"], "media_type"),
    "text": field_values(_DOC_SOURCES["text"], "media_type"),
}


@dataclass(slots=True)
class Walk:
    """What the schema walk leaves for the semantic pass."""

    ctx: Ctx
    breakpoints: int = 0
    media: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (path, kind, source)
    errors: list[ApiError] | None = None  # given: keep every violation (see ``recover``), else raise the first

    def cache(self, block: dict[str, Any], path: str) -> None:
        if "cache_control" in block and check_cache_control(
            self.ctx, block["cache_control"], f"{path}.cache_control"
        ):
            self.breakpoints += 1


def check_system(w: Walk, v: object, path: str) -> None:
    """Top-level ``system``: a string or a list of ``text`` blocks."""
    if isinstance(v, str):
        return
    if not isinstance(v, list):
        fail(w.ctx, path, "Input should be a valid list")
    for j, b in enumerate(v):
        _block(w, b, f"{path}.{j}", _SYSTEM_TAGS)


def check_blocks(w: Walk, content: object, path: str, *, system_role: bool = False) -> None:
    """A message's ``content``: a string, or a list of content blocks."""
    if isinstance(content, str):
        return
    if not isinstance(content, list):
        fail(w.ctx, path, "Input should be a valid list")
    tags = _SYSTEM_ROLE_TAGS if system_role else BLOCK_TAGS
    for j, b in enumerate(content):
        _block(w, b, f"{path}.{j}", tags)


def _block(w: Walk, b: object, path: str, tags: dict[str, object]) -> None:
    ctx = w.ctx
    tag = tag_of(ctx, b, path, tags)
    assert isinstance(b, dict)
    tp = f"{path}.{tag}"
    if tag == "text":
        check_fields(ctx, b, tp, _F_TEXT, required_fields(TextBlockParam))
        check_str(ctx, b["text"], f"{tp}.text")
        cit = b.get("citations")
        if cit is not None:
            for k, c in enumerate(check_list(ctx, cit, f"{tp}.citations")):
                kind = tag_of(ctx, c, f"{tp}.citations.{k}", _CITATIONS)
                check_fields(ctx, c, f"{tp}.citations.{k}.{kind}", None, _CITATIONS[kind])
    elif tag == "image":
        check_fields(ctx, b, tp, _F_IMAGE, required_fields(ImageBlockParam))
        _transformations(ctx, b.get("transformations"), f"{tp}.transformations")
        _source(w, b["source"], f"{tp}.source", _IMAGE_SOURCES, "image")
    elif tag == "document":
        check_fields(ctx, b, tp, _F_DOCUMENT, required_fields(DocumentBlockParam))
        for name in ("title", "context"):
            if b.get(name) is not None:
                check_str(ctx, b[name], f"{tp}.{name}")
        _citations_cfg(ctx, b.get("citations"), f"{tp}.citations")
        _source(w, b["source"], f"{tp}.source", _DOC_SOURCES, "document")
    elif tag == "search_result":
        check_fields(ctx, b, tp, _F_SEARCH, required_fields(SearchResultBlockParam))
        check_str(ctx, b["source"], f"{tp}.source")
        check_str(ctx, b["title"], f"{tp}.title")
        for k, c in enumerate(check_list(ctx, b["content"], f"{tp}.content")):
            _block(w, c, f"{tp}.content.{k}", _SYSTEM_TAGS)
        _citations_cfg(ctx, b.get("citations"), f"{tp}.citations")
    elif tag == "tool_use":
        check_fields(ctx, b, tp, _F_TOOL_USE, required_fields(ToolUseBlockParam))
        check_str(ctx, b["id"], f"{tp}.id")
        check_str(ctx, b["name"], f"{tp}.name")
        if not isinstance(b["input"], dict):
            fail(ctx, f"{tp}.input", "Input should be a valid dictionary")
        _toolset_name(ctx, b, tp)
    elif tag == "tool_result":
        check_fields(ctx, b, tp, _F_TOOL_RESULT, required_fields(ToolResultBlockParam))
        check_str(ctx, b["tool_use_id"], f"{tp}.tool_use_id")
        _toolset_name(ctx, b, tp)
        if b.get("is_error") is not None:
            check_bool(ctx, b["is_error"], f"{tp}.is_error")
        c = b.get("content")
        if c is not None and not isinstance(c, str):
            for k, x in enumerate(check_list(ctx, c, f"{tp}.content")):
                _block(w, x, f"{tp}.content.{k}", _TOOL_RESULT_TAGS)
    elif tag == "thinking":
        check_fields(ctx, b, tp, _F_THINKING, required_fields(ThinkingBlockParam))
        check_str(ctx, b["thinking"], f"{tp}.thinking")
        check_str(ctx, b["signature"], f"{tp}.signature")
    elif tag == "redacted_thinking":
        check_fields(ctx, b, tp, _F_REDACTED, required_fields(RedactedThinkingBlockParam))
        check_str(ctx, b["data"], f"{tp}.data")
    elif tag in ("server_tool_use", *_BETA_USES):
        check_fields(ctx, b, tp, None, ("id", "name", "input"))
        check_str(ctx, b["id"], f"{tp}.id")
        check_str(ctx, b["name"], f"{tp}.name")
    elif tag in _ECHO_RESULTS:
        check_fields(ctx, b, tp, None, ("tool_use_id",))
        check_str(ctx, b["tool_use_id"], f"{tp}.tool_use_id")
    elif tag == "container_upload":
        check_fields(ctx, b, tp, _F_CONTAINER_UPLOAD, required_fields(ContainerUploadBlockParam))
        check_str(ctx, b["file_id"], f"{tp}.file_id")
    elif tag == "tool_reference":
        check_fields(ctx, b, tp, _F_TOOL_REFERENCE, required_fields(ToolReferenceBlockParam))
        check_str(ctx, b["tool_name"], f"{tp}.tool_name")
    elif tag == "compaction":
        check_compaction_block(ctx, b, tp)
    elif tag in _BETA_SYSTEM_BLOCKS:
        check_fields(ctx, b, tp, None, ("tool",))
    # mcp_tool_listing, fallback and anything else in the tag list: shape left to the API's later versions.
    w.cache(b, tp)


def _transformations(ctx: Ctx, v: object, path: str) -> None:
    """An image's ``transformations``: ``{"oversized_image"?: "downsize" | "error"}`` or null."""
    if v is None:
        return
    check_fields(ctx, v, path, _F_TRANSFORMATIONS)
    assert isinstance(v, dict)
    if v.get("oversized_image") is not None:
        check_literal(ctx, v["oversized_image"], f"{path}.oversized_image", _OVERSIZED_IMAGE)


def _toolset_name(ctx: Ctx, b: dict[str, Any], path: str) -> None:
    """A toolset member's ``toolset_name`` (echoed from the response): a string or null."""
    if b.get("toolset_name") is not None:
        check_str(ctx, b["toolset_name"], f"{path}.toolset_name")


def _citations_cfg(ctx: Ctx, v: object, path: str) -> None:
    if v is None:
        return
    check_fields(ctx, v, path, _F_CITATIONS_CFG)
    assert isinstance(v, dict)
    if "enabled" in v:
        check_bool(ctx, v["enabled"], f"{path}.enabled")


def _source(w: Walk, v: object, path: str, tags: dict[str, object], kind: str) -> None:
    ctx = w.ctx
    if not isinstance(v, dict):
        fail(ctx, path, MSG_SHAPE)
    tag = tag_of(ctx, v, path, tags)
    allowed, required = _SRC_FIELDS[kind][tag]
    tp = f"{path}.{tag}"
    check_fields(ctx, v, tp, allowed, required)
    for name in required:
        if name != "content":
            check_str(ctx, v[name], f"{tp}.{name}")
    if tag == "base64":
        check_literal(ctx, v["media_type"], f"{tp}.media_type", _MEDIA_TYPES[kind])
        w.media.append((tp, kind, v))
    elif tag == "text":
        check_literal(ctx, v["media_type"], f"{tp}.media_type", _MEDIA_TYPES["text"])
    elif tag == "content":
        c = v["content"]
        if not isinstance(c, str):
            for k, x in enumerate(check_list(ctx, c, f"{tp}.content")):
                _block(w, x, f"{tp}.content.{k}", _SOURCE_CONTENT_TAGS)
