"""Schema of ``context_management``, ``compaction`` and ``compaction`` blocks; the rules between them.

Texts follow the API's pydantic style for the schema (``context_management.edits.0: Input tag 'x' found
using 'type' does not match any of the expected tags: ...``, ``...trigger.value: Input should be greater
than or equal to 50000``: the compaction trigger's documented minimum). Written here (no observed
original): :data:`COMPACTION_WITH_CONTEXT_MANAGEMENT` (the SDK's docstring says the two "cannot be
combined"), :data:`DUPLICATE_EDIT` and the ``COMPACTION_*`` texts. The compaction errors carry the SDK's
``error.details.error_code`` (``compaction_block_misplaced``, ``compaction_signature_invalid``,
``compaction_content_mismatch``, ``compaction_incomplete_turn``, ``compaction_nothing_to_summarize``).
Not modelled: ``compaction_block_ambiguous`` (recorded conversations send several automatic blocks back;
the fake counts from the last), ``compaction_tool_changes_mismatch``, ``compaction_too_many_tool_references``
and the 529 ``compaction_unavailable`` (script it with ``fake.error(529, ...)``).
"""

from __future__ import annotations

from typing import Any

from fakeclaude.server.citations import MIXED_CITATIONS, mixed_citations
from fakeclaude.server.context_management import COMPACTION_SECRET
from fakeclaude.server.errors import ApiError
from fakeclaude.server.generation import is_fake_signature, verify_signature
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
    "COMPACTION_CONTENT_MISMATCH",
    "COMPACTION_INCOMPLETE_TURN",
    "COMPACTION_MISPLACED",
    "COMPACTION_NOTHING_TO_SUMMARIZE",
    "COMPACTION_REPLY_FIELD",
    "COMPACTION_SIGNATURE_INVALID",
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
COMPACTION_REPLY_FIELD = "`{}` cannot be used with `compaction`: a compaction request returns only the compaction block."
COMPACTION_MISPLACED = "`compaction` blocks may only appear in `assistant` messages."
COMPACTION_SIGNATURE_INVALID = "The signature of this `compaction` block is invalid."
COMPACTION_CONTENT_MISMATCH = "The content of this `compaction` block differs from the content its signature was made for."
COMPACTION_INCOMPLETE_TURN = "The conversation to compact ends on an unfinished `assistant` turn (a `tool_use` without its result)."
COMPACTION_NOTHING_TO_SUMMARIZE = "There is nothing to summarize after the last `compaction` block."
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


def _compaction_error(ctx: Ctx, path: str, message: str, code: str) -> ApiError:
    where = f"{ctx.prefix}{path}"
    return ApiError(400, f"{where}: {message}" if where else message, path=where, details={"error_code": code})


def _compaction_blocks(ctx: Ctx, messages: list[Any]) -> None:
    """Where compaction blocks may be (assistant turns), and the signatures of the fake's own blocks."""
    for i, message in enumerate(messages):
        content = message.get("content") if isinstance(message, dict) else None
        for j, block in enumerate(content if isinstance(content, list) else ()):
            if not isinstance(block, dict) or block.get("type") != "compaction":
                continue
            path = f"messages.{i}.content.{j}"
            if message.get("role") != "assistant":
                raise _compaction_error(ctx, path, COMPACTION_MISPLACED, "compaction_block_misplaced")
            signature = block.get("signature")
            if not isinstance(signature, str) or not is_fake_signature(signature):
                continue  # unsigned (automatic compaction, or written by the client) or the real API's
            if not verify_signature("", signature, COMPACTION_SECRET):
                raise _compaction_error(ctx, f"{path}.signature", COMPACTION_SIGNATURE_INVALID,
                                        "compaction_signature_invalid")
            if not verify_signature(str(block.get("content") or ""), signature, COMPACTION_SECRET) or not block.get("content"):
                raise _compaction_error(ctx, f"{path}.content", COMPACTION_CONTENT_MISMATCH,
                                        "compaction_content_mismatch")


def _explicit_compaction(ctx: Ctx, body: dict[str, Any]) -> None:
    """A ``compaction`` request answers with the block alone: reply-shaping fields are refused."""
    choice = body.get("tool_choice")
    config = body.get("output_config")
    shaping = {
        "stop_sequences": bool(body.get("stop_sequences")),
        "tool_choice": isinstance(choice, dict) and choice.get("type") in ("any", "tool"),
        "output_config.format": isinstance(config, dict) and config.get("format") is not None,
        "output_format": body.get("output_format") is not None,
    }
    for name, present in shaping.items():
        if present:
            fail(ctx, name, COMPACTION_REPLY_FIELD.format(name))
    messages = body.get("messages") or []
    last = messages[-1] if messages else None
    if isinstance(last, dict) and last.get("role") == "assistant" and isinstance(last.get("content"), list) and \
            any(isinstance(b, dict) and b.get("type") == "tool_use" for b in last["content"]):
        raise _compaction_error(ctx, "messages", COMPACTION_INCOMPLETE_TURN, "compaction_incomplete_turn")
    blocks: list[Any] = []
    for m in messages:
        content = m.get("content") if isinstance(m, dict) else None
        blocks.extend(content if isinstance(content, list) else [{"type": "text"}])
    after = blocks[max((k for k, b in enumerate(blocks) if isinstance(b, dict) and b.get("type") == "compaction"
                        and b.get("content")), default=-1) + 1:]
    if not after:
        raise _compaction_error(ctx, "messages", COMPACTION_NOTHING_TO_SUMMARIZE, "compaction_nothing_to_summarize")


def check_context_rules(ctx: Ctx, body: dict[str, Any]) -> None:
    """Semantic: compaction blocks sit in assistant turns and the fake's signed ones verify; the explicit
    ``compaction`` request takes no ``context_management`` nor reply-shaping fields and needs something to
    summarize; citations are enabled on all documents or none
    (``fakeclaude.server.citations.MIXED_CITATIONS``)."""
    _compaction_blocks(ctx, body.get("messages") or [])
    if body.get("compaction") is not None:
        if body.get("context_management") is not None:
            fail(ctx, "", COMPACTION_WITH_CONTEXT_MANAGEMENT)
        _explicit_compaction(ctx, body)
    if mixed_citations(body):
        fail(ctx, "", MIXED_CITATIONS)
