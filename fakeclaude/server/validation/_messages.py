"""Semantic rules over ``messages`` (strict mode only; the body already passed the schema).

Consecutive turns with the same role are merged first, as the API does, and the rules then speak of the
merged turns: ``[{"role":"user","content":"hi"}, {"role":"user","content":[tool_result]}]`` reports the
``tool_result`` at ``messages.0.content.1`` (recorded). ``system``-role messages stay turns of their own
and are transparent for tool pairing.

Texts with no observed original (API-shaped, written here):

- ``messages.<i>.content.<j>: `tool_result` blocks must come first in a `user` message that answers
  `tool_use` blocks.``
- 2026-10-21: ``messages.<i>.content.<j>: `document` blocks are not allowed in `assistant` messages.``
  and ``messages.<i>.content.<j>.text.citations: `citations` are not allowed on `text` blocks in `user`
  messages.``

The thinking blocks of the last assistant turn are checked against the fake's own signatures (a tampered
text or signature gives the recorded ``messages.<i>.content.<j>: Invalid `signature` in `thinking` block``);
signatures the fake did not make (real recordings) are accepted unchecked.

``tool_use`` ids must be unique within one (merged) assistant turn; a recorded 200 reuses an id in a
later turn. Whitespace-only text in a ``user`` turn is refused (``messages: text content blocks must
contain non-whitespace text``, quoted from the API by public code); in an ``assistant`` turn it is
accepted (a recorded 200 echoes an assistant ``" "`` block).
"""

from __future__ import annotations

from typing import Any

from fakeclaude.server.catalog import ModelSpec
from fakeclaude.server.generation import THINKING_SECRET, is_fake_signature, verify_signature
from fakeclaude.server.validation._base import Ctx, fail

__all__ = ["check_messages", "merged_turns", "prefill_supported"]

_THINKING_HISTORY = (
    "When `thinking` is enabled, a final `assistant` message must start with a thinking block "
    "(preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include "
    "thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult "
    "our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking"
)
_NO_PREFILL_FAMILIES = frozenset({"claude-4-7", "claude-5"})

Turn = tuple[str, list[dict[str, Any]]]


def prefill_supported(spec: ModelSpec) -> bool:
    """Opus 4.6 and the 4.7+/5-era models refuse a final assistant turn (SDK docs; recorded on Sonnet 5)."""
    return spec.family not in _NO_PREFILL_FAMILIES and not spec.id.startswith("claude-opus-4-6")


def merged_turns(ctx: Ctx, messages: list[dict[str, Any]]) -> list[Turn]:
    """Merge same-role neighbours; refuse empty messages (but an empty final assistant turn)."""
    turns: list[Turn] = []
    last = len(messages) - 1
    for i, m in enumerate(messages):
        role, content = m["role"], m.get("content", [])
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) and content else content
        if role == "system":  # its own turn; its emptiness rules are in _system_messages
            turns.append((role, list(blocks) if blocks else []))
            continue
        if turns and turns[-1][0] == role:
            turns[-1][1].extend(blocks)
        else:
            turns.append((role, list(blocks) if blocks else []))
        if not blocks and not (i == last and role == "assistant"):
            fail(ctx, f"messages.{len(turns) - 1}", (
                "all messages must have non-empty content except for the optional final assistant message"
            ))  # fmt: skip
    return turns


def check_messages(ctx: Ctx, turns: list[Turn], spec: ModelSpec, thinking: str | None) -> None:
    """Every rule that needs the whole conversation, in message order."""
    prev_uses: dict[str, int] = {}
    for k, (role, blocks) in enumerate(turns):
        if role == "system":
            continue
        for j, b in enumerate(blocks):
            if b["type"] == "text" and b["text"] == "":
                fail(ctx, "messages", "text content blocks must be non-empty")
            if role == "user" and b["type"] == "text" and not b["text"].strip():
                fail(ctx, "messages", "text content blocks must contain non-whitespace text")
            if ctx.v2026:
                _check_2026(ctx, role, b, f"messages.{k}.content.{j}")
        if role == "user":
            _answers(ctx, k, blocks, prev_uses)
            prev_uses = {}
        else:
            prev_uses = {}
            for j, b in enumerate(blocks):
                if b["type"] == "tool_use":
                    if b["id"] in prev_uses:
                        fail(ctx, f"messages.{k}.content.{j}", "`tool_use` ids must be unique")
                    prev_uses[b["id"]] = j
            if prev_uses:
                _unanswered(ctx, k, prev_uses, _next_user(turns, k))
    non_system = [(k, t) for k, t in enumerate(turns) if t[0] != "system"]
    if not non_system:
        return
    _, (last_role, last_blocks) = non_system[-1]
    if last_role == "assistant" and last_blocks and last_blocks[-1]["type"] != "server_tool_use":
        # (an assistant turn ending in a server tool use is a paused turn being resumed, not a prefill)
        if not prefill_supported(spec):
            fail(ctx, "", (
                "This model does not support assistant message prefill. The conversation must end with a user message."
            ))  # fmt: skip
        tail = last_blocks[-1]
        if tail["type"] == "text" and tail["text"] != tail["text"].rstrip():
            fail(ctx, "", "final assistant content cannot end with trailing whitespace")
    if thinking in ("enabled", "adaptive"):
        _thinking_history(ctx, non_system)
    _signatures(ctx, non_system)


def _next_user(turns: list[Turn], k: int) -> list[dict[str, Any]] | None:
    for role, blocks in turns[k + 1 :]:
        if role == "system":
            continue
        return blocks if role == "user" else None
    return None


def _unanswered(ctx: Ctx, k: int, uses: dict[str, int], answer: list[dict[str, Any]] | None) -> None:
    answered = {b["tool_use_id"] for b in answer or () if b["type"] == "tool_result"}
    missing = [i for i in uses if i not in answered]
    if missing:
        fail(ctx, f"messages.{k}", (
            f"`tool_use` ids were found without `tool_result` blocks immediately after: {', '.join(missing)}. "
            "Each `tool_use` block must have a corresponding `tool_result` block in the next message."
        ))  # fmt: skip


def _answers(ctx: Ctx, k: int, blocks: list[dict[str, Any]], uses: dict[str, int]) -> None:
    other_seen = False
    for j, b in enumerate(blocks):
        if b["type"] != "tool_result":
            other_seen = True
            continue
        if b["tool_use_id"] not in uses:
            fail(ctx, f"messages.{k}.content.{j}", (
                f"unexpected `tool_use_id` found in `tool_result` blocks: {b['tool_use_id']}. "
                "Each `tool_result` block must have a corresponding `tool_use` block in the previous message."
            ))  # fmt: skip
        if other_seen:
            fail(ctx, f"messages.{k}.content.{j}", (
                "`tool_result` blocks must come first in a `user` message that answers `tool_use` blocks."
            ))  # fmt: skip


def _thinking_history(ctx: Ctx, turns: list[tuple[int, Turn]]) -> None:
    for k, (role, blocks) in reversed(turns):
        if role != "assistant":
            continue
        if any(b["type"] == "tool_use" for b in blocks):
            first = blocks[0]["type"]
            if first not in ("thinking", "redacted_thinking"):
                fail(ctx, f"messages.{k}.content.0.type", (
                    f"Expected `thinking` or `redacted_thinking`, but found `{first}`. {_THINKING_HISTORY}"
                ))  # fmt: skip
        return


def _signatures(ctx: Ctx, turns: list[tuple[int, Turn]]) -> None:
    """The last assistant turn's thinking must come back as the fake signed it (real signatures pass)."""
    for k, (role, blocks) in reversed(turns):
        if role != "assistant":
            continue
        for j, b in enumerate(blocks):
            if b["type"] != "thinking":
                continue
            signature = b.get("signature")
            if isinstance(signature, str) and is_fake_signature(signature) and not verify_signature(
                b["thinking"], signature, THINKING_SECRET
            ):
                fail(ctx, f"messages.{k}.content.{j}", "Invalid `signature` in `thinking` block")
        return


def _check_2026(ctx: Ctx, role: str, b: dict[str, Any], path: str) -> None:
    if role == "assistant" and b["type"] == "document":
        fail(ctx, path, "`document` blocks are not allowed in `assistant` messages.")
    if role == "user":
        if b["type"] == "text" and b.get("citations"):
            fail(
                ctx,
                f"{path}.text.citations",
                "`citations` are not allowed on `text` blocks in `user` messages.",
            )
        if b["type"] == "search_result":
            for n, c in enumerate(b["content"]):
                if c.get("citations"):
                    fail(ctx, f"{path}.search_result.content.{n}.text.citations", (
                        "`citations` are not allowed on `text` blocks in `user` messages."
                    ))  # fmt: skip
