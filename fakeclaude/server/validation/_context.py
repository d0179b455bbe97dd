"""Schema of ``context_management``, ``compaction`` and ``compaction`` blocks; the rules between them.

Texts follow the API's pydantic style for the schema (``context_management.edits.0: Input tag 'x' found
using 'type' does not match any of the expected tags: ...``, ``...trigger.value: Input should be greater
than or equal to 50000``: the compaction trigger's documented minimum). Written here (no observed
original): :data:`COMPACTION_WITH_CONTEXT_MANAGEMENT` (the SDK's docstring says the two "cannot be
combined") and :data:`DUPLICATE_EDIT`.
"""

from __future__ import annotations

from typing import Any

from fakeclaude.server.citations import MIXED_CITATIONS, mixed_citations
from fakeclaude.server.validation._base import (
    Ctx,
    check_bool,
    check_fields,
    check_int,
    check_list,
    check_literal,
    check_str,
    fail,
    tag_of,
)

__all__ = [
    "COMPACTION_WITH_CONTEXT_MANAGEMENT",
    "DUPLICATE_EDIT",
    "MIN_COMPACT_TRIGGER",
    "check_compaction_block",
    "check_compaction_config",
    "check_context_management",
    "check_context_rules",
]

MIN_COMPACT_TRIGGER = 50_000
COMPACTION_WITH_CONTEXT_MANAGEMENT = "`compaction` cannot be combined with `context_management`."
DUPLICATE_EDIT = "Each context management edit type may appear at most once; found `{}` twice."

_EDITS: dict[str, frozenset[str]] = {
    "clear_tool_uses_20250919": frozenset({"type", "trigger", "keep", "clear_at_least", "clear_tool_inputs",
                                           "exclude_tools"}),
    "clear_thinking_20251015": frozenset({"type", "keep"}),
    "compact_20260112": frozenset({"type", "trigger", "pause_after_compaction", "instructions"}),
}
_COUNT = frozenset({"type", "value"})


def _counted(ctx: Ctx, v: object, path: str, kinds: tuple[str, ...], ge: int) -> None:
    """``{"type": <one of kinds>, "value": int >= ge}``."""
    tag = tag_of(ctx, v, path, dict.fromkeys(kinds))
    tp = f"{path}.{tag}" if len(kinds) > 1 else path
    check_fields(ctx, v, tp, _COUNT, ("value",))
    assert isinstance(v, dict)
    check_int(ctx, v["value"], f"{tp}.value", ge=ge)


def _names(ctx: Ctx, v: object, path: str) -> None:
    for k, name in enumerate(check_list(ctx, v, path)):
        check_str(ctx, name, f"{path}.{k}")


def _edit(ctx: Ctx, edit: object, path: str) -> str:
    kind = tag_of(ctx, edit, path, _EDITS)
    assert isinstance(edit, dict)
    tp = f"{path}.{kind}"
    check_fields(ctx, edit, tp, _EDITS[kind])
    if kind == "clear_tool_uses_20250919":
        if edit.get("trigger") is not None:
            _counted(ctx, edit["trigger"], f"{tp}.trigger", ("input_tokens", "tool_uses"), 1)
        if edit.get("keep") is not None:
            _counted(ctx, edit["keep"], f"{tp}.keep", ("tool_uses",), 0)
        if edit.get("clear_at_least") is not None:
            _counted(ctx, edit["clear_at_least"], f"{tp}.clear_at_least", ("input_tokens",), 0)
        inputs = edit.get("clear_tool_inputs")
        if inputs is not None and not isinstance(inputs, bool):
            if not isinstance(inputs, list):
                fail(ctx, f"{tp}.clear_tool_inputs", "Input should be a valid boolean or a valid list")
            _names(ctx, inputs, f"{tp}.clear_tool_inputs")
        if edit.get("exclude_tools") is not None:
            _names(ctx, edit["exclude_tools"], f"{tp}.exclude_tools")
    elif kind == "clear_thinking_20251015":
        keep = edit.get("keep")
        if keep is not None and keep != "all":
            if isinstance(keep, str):
                fail(ctx, f"{tp}.keep", "Input should be 'all'")
            tag = tag_of(ctx, keep, f"{tp}.keep", {"thinking_turns": None, "all": None})
            if tag == "thinking_turns":
                _counted(ctx, keep, f"{tp}.keep", ("thinking_turns",), 1)
            else:
                check_fields(ctx, keep, f"{tp}.keep.all", frozenset({"type"}))
    else:
        if edit.get("trigger") is not None:
            _counted(ctx, edit["trigger"], f"{tp}.trigger", ("input_tokens",), MIN_COMPACT_TRIGGER)
        if edit.get("pause_after_compaction") is not None:
            check_bool(ctx, edit["pause_after_compaction"], f"{tp}.pause_after_compaction")
        if edit.get("instructions") is not None:
            check_str(ctx, edit["instructions"], f"{tp}.instructions")
    return kind


def check_context_management(ctx: Ctx, v: object, path: str) -> None:
    """``context_management: {"edits"?: [edit, ...]}``, each edit a tagged union on ``type``."""
    check_fields(ctx, v, path, frozenset({"edits"}))
    assert isinstance(v, dict)
    if v.get("edits") is None:
        return
    seen: set[str] = set()
    for i, edit in enumerate(check_list(ctx, v["edits"], f"{path}.edits")):
        kind = _edit(ctx, edit, f"{path}.edits.{i}")
        if ctx.strict and kind in seen:
            fail(ctx, f"{path}.edits.{i}", DUPLICATE_EDIT.format(kind))
        seen.add(kind)


def check_compaction_config(ctx: Ctx, v: object, path: str) -> None:
    """``compaction: {"type": "summarize", "instructions"?: str | null}``."""
    check_fields(ctx, v, path, frozenset({"type", "instructions"}), ("type",))
    assert isinstance(v, dict)
    check_literal(ctx, v["type"], f"{path}.type", ("summarize",))
    if v.get("instructions") is not None:
        check_str(ctx, v["instructions"], f"{path}.instructions")


def check_compaction_block(ctx: Ctx, b: dict[str, Any], path: str) -> None:
    """A compaction block sent back: ``content`` a non-empty string or null (a failed compaction, a no-op)."""
    check_fields(ctx, b, path, None, ("content",))
    content = b["content"]
    if content is not None:
        check_str(ctx, content, f"{path}.content")
        if ctx.strict and not content:
            fail(ctx, f"{path}.content", "String should have at least 1 character")
    for name in ("encrypted_content", "signature"):
        if b.get(name) is not None:
            check_str(ctx, b[name], f"{path}.{name}")


def check_context_rules(ctx: Ctx, body: dict[str, Any]) -> None:
    """Semantic: the explicit ``compaction`` request does not take ``context_management``; citations are
    enabled on all documents or none (``fakeclaude.server.citations.MIXED_CITATIONS``)."""
    if body.get("compaction") is not None and body.get("context_management") is not None:
        fail(ctx, "", COMPACTION_WITH_CONTEXT_MANAGEMENT)
    if mixed_citations(body):
        fail(ctx, "", MIXED_CITATIONS)
