"""Context management (spec 2026 §7): the edits the API applies before the prompt reaches the model.

A request's ``context_management.edits`` run in order over the conversation the client sent (it keeps
sending the whole history; only the counted prompt changes):

- ``clear_tool_uses_20250919``: once ``trigger`` is reached (input tokens, default 100,000, or a number
  of tool uses), the oldest tool results (and their inputs, with ``clear_tool_inputs``) are replaced by
  :data:`CLEARED_TOOL_RESULT`, keeping the last ``keep`` tool uses (default 3) and every use of an
  ``exclude_tools`` tool. With ``clear_at_least``, nothing is cleared unless at least that many input
  tokens go. Reported as ``{"type", "cleared_tool_uses", "cleared_input_tokens"}``.
- ``clear_thinking_20251015``: thinking blocks of all but the last ``keep`` assistant turns with
  thinking (default 1; ``"all"`` keeps them all) are removed. Reported as ``{"type",
  "cleared_thinking_turns", "cleared_input_tokens"}`` (the thinking text's tokens; the token counter
  already leaves older turns' thinking out of the prompt, as the API does by default).
- ``compact_20260112``: once the prompt reaches ``trigger`` (default 150,000 input tokens), the whole
  conversation is summarized into a ``compaction`` block that opens the answer; the model then answers
  from the summary. With ``pause_after_compaction`` the answer stops after the block
  (``stop_reason: "compaction"``). No ``applied_edits`` entry (recorded: ``[]`` with a compaction).

The explicit beta ``compaction: {"type": "summarize", "instructions"?}`` compacts unconditionally and
answers with the block alone (``stop_reason: "compaction"``), signed: sent back, its signature must
verify with its content (``validation`` checks it).

A conversation that sends a compaction block back (with content; a null one is a no-op) is counted
from that block on: everything before it is dropped (recorded: 55k tokens before the block, 239 counted).

Usage (§7.5): with a compaction edit or the ``compaction`` field, ``usage.iterations`` lists a
``compaction`` entry (what summarizing read and wrote) when one ran, then the ``message`` entry; the
top-level counts are the ``message`` entry's. Decided here: a paused or explicit compaction, which
samples no message, reports the compaction entry's counts at the top level as well.

``context_management`` is on the answer when the request sent it, named the
``context-management-2025-06-27`` beta, or offered the memory tool on the beta surface (all recorded), ``applied_edits``
``[]`` when nothing applied. Streamed, it is a top-level key of ``message_delta``. ``count_tokens``
counts the edited prompt (never compacting) and, when ``context_management`` was sent, adds
``context_management.original_input_tokens`` (the unedited count).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalog import ModelSpec
from .generation import THINKING_SECRET, sign_thinking
from .tokens import PromptTokens, count_text_tokens, measure_prompt

__all__ = [
    "CLEARED_TOOL_RESULT",
    "COMPACTION_SECRET",
    "CONTEXT_MANAGEMENT_BETA",
    "ContextPlan",
    "DEFAULT_CLEAR_TRIGGER",
    "DEFAULT_COMPACT_TRIGGER",
    "DEFAULT_KEEP_TOOL_USES",
    "finish_context",
    "plan_context",
    "summarize",
]

CONTEXT_MANAGEMENT_BETA = "context-management-2025-06-27"
DEFAULT_CLEAR_TRIGGER = 100_000
DEFAULT_KEEP_TOOL_USES = 3
DEFAULT_COMPACT_TRIGGER = 150_000
CLEARED_TOOL_RESULT = "[This tool result was cleared to save context.]"
"""The placeholder a cleared tool result reads (the API's own text is not published)."""

COMPACTION_SECRET = THINKING_SECRET ^ 0xC0A1
"""The key explicit compaction blocks are signed with (a thinking signature never verifies as one)."""

CLEAR_TOOL_USES = "clear_tool_uses_20250919"
CLEAR_THINKING = "clear_thinking_20251015"
COMPACT = "compact_20260112"

Block = dict[str, Any]


@dataclass
class ContextPlan:
    """What the edits made of a request: the body the model sees, its count, and what the answer reports."""

    body: dict[str, Any]  # the edited body (for counting and caching; the client's body is untouched)
    prompt: PromptTokens
    changed: bool = False  # whether ``body`` differs from the request's
    applied_edits: list[dict[str, Any]] | None = None  # None: the answer carries no context_management
    compaction: Block | None = None  # the compaction block to open the answer with (content filled later)
    compaction_input: int = 0  # tokens the compaction iteration read
    pause: bool = False  # stop after the compaction block (pause_after_compaction or explicit)
    iterations: bool = False  # the answer reports usage.iterations


def _edits(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    config = body.get("context_management")
    edits = config.get("edits") if isinstance(config, Mapping) else None
    return [e for e in edits or [] if isinstance(e, Mapping)]


def _reports_context(body: Mapping[str, Any], betas: frozenset[str]) -> bool:
    if body.get("context_management") is not None or CONTEXT_MANAGEMENT_BETA in betas:
        return True
    return bool(betas) and any(isinstance(t, Mapping) and str(t.get("type", "")).startswith("memory_")
                               for t in body.get("tools") or [])


def _value(spec: object, default: int) -> int:
    if isinstance(spec, Mapping) and isinstance(spec.get("value"), int):
        return int(spec["value"])
    return default


def _blocks(message: Mapping[str, Any]) -> list[Any]:
    content = message.get("content")
    return content if isinstance(content, list) else []


def _after_last_compaction(messages: list[Any]) -> tuple[list[Any], bool]:
    """The messages from the last compaction block with content on (the block's turn cut before it)."""
    for i in range(len(messages) - 1, -1, -1):
        blocks = _blocks(messages[i]) if isinstance(messages[i], Mapping) else []
        for j in range(len(blocks) - 1, -1, -1):
            block = blocks[j]
            if isinstance(block, Mapping) and block.get("type") == "compaction" and block.get("content"):
                head = {**messages[i], "content": blocks[j:]}
                return [head, *messages[i + 1:]], i > 0 or j > 0
    return messages, False


def _as_counted(messages: list[Any]) -> list[Any]:
    """Compaction blocks read as their summary text (a null one is a no-op and counts nothing)."""
    out = []
    for message in messages:
        blocks = _blocks(message) if isinstance(message, Mapping) else []
        if not any(isinstance(b, Mapping) and b.get("type") == "compaction" for b in blocks):
            out.append(message)
            continue
        kept = [{"type": "text", "text": str(b["content"])} if b.get("type") == "compaction" else b
                for b in blocks if isinstance(b, Mapping) and (b.get("type") != "compaction" or b.get("content"))]
        out.append({**message, "content": kept or ""})
    return out


def _tool_uses(messages: list[Any]) -> list[tuple[int, int, str, str]]:
    """``(message index, block index, tool_use id, tool name)`` of each tool use, oldest first."""
    found = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping) or message.get("role") != "assistant":
            continue
        for j, block in enumerate(_blocks(message)):
            if isinstance(block, Mapping) and block.get("type") == "tool_use":
                found.append((i, j, str(block.get("id")), str(block.get("name"))))
    return found


def _clear_tool_uses(body: dict[str, Any], edit: Mapping[str, Any], spec: ModelSpec, total: int,
                     sizes: Mapping[str, tuple[int, int]] | None = None) -> dict[str, Any] | None:
    messages = body["messages"]
    uses = _tool_uses(messages)
    trigger = edit.get("trigger")
    if isinstance(trigger, Mapping) and trigger.get("type") == "tool_uses":
        if len(uses) < _value(trigger, 0):
            return None
    elif total < _value(trigger, DEFAULT_CLEAR_TRIGGER):
        return None
    keep = _value(edit.get("keep"), DEFAULT_KEEP_TOOL_USES)
    excluded = set(edit.get("exclude_tools") or ())
    candidates = [u for u in uses if u[3] not in excluded]
    cleared = candidates[: max(len(candidates) - keep, 0)]
    if not cleared:
        return None
    inputs = edit.get("clear_tool_inputs")
    def clear_input(name: str) -> bool:
        return bool(inputs) if isinstance(inputs, bool) or inputs is None else name in inputs

    ids = {u[2] for u in cleared}
    edited = copy.deepcopy(messages)
    for i, j, _, name in cleared:
        if clear_input(name):
            edited[i]["content"][j]["input"] = {}
    for message in edited:
        if message.get("role") != "user":
            continue
        for block in _blocks(message):
            if isinstance(block, dict) and block.get("type") == "tool_result" and block.get("tool_use_id") in ids:
                block["content"] = CLEARED_TOOL_RESULT
    after = measure_prompt({**body, "messages": edited}, spec, image_sizes=sizes).total
    gone = max(total - after, 0)
    if gone < _value(edit.get("clear_at_least"), 0):
        return None
    body["messages"] = edited
    return {"type": CLEAR_TOOL_USES, "cleared_tool_uses": len(cleared), "cleared_input_tokens": gone}


def _clear_thinking(body: dict[str, Any], edit: Mapping[str, Any], spec: ModelSpec) -> dict[str, Any] | None:
    keep_spec = edit.get("keep", {"type": "thinking_turns", "value": 1})
    if keep_spec == "all" or (isinstance(keep_spec, Mapping) and keep_spec.get("type") == "all"):
        return None
    keep = _value(keep_spec, 1)
    messages = body["messages"]
    turns = [i for i, m in enumerate(messages) if isinstance(m, Mapping) and m.get("role") == "assistant"
             and any(isinstance(b, Mapping) and b.get("type") in ("thinking", "redacted_thinking") for b in _blocks(m))]
    cleared = turns[: max(len(turns) - keep, 0)]
    if not cleared:
        return None
    edited = list(messages)
    tokens = 0
    for i in cleared:
        kept = []
        for block in _blocks(messages[i]):
            kind = block.get("type") if isinstance(block, Mapping) else None
            if kind == "thinking":
                tokens += count_text_tokens(str(block.get("thinking", "")), spec)
            elif kind == "redacted_thinking":
                tokens += len(str(block.get("data", ""))) // 8
            else:
                kept.append(block)
        edited[i] = {**messages[i], "content": kept or ""}
    body["messages"] = edited
    return {"type": CLEAR_THINKING, "cleared_thinking_turns": len(cleared), "cleared_input_tokens": tokens}


def summarize(body: Mapping[str, Any], instructions: str | None = None) -> str:
    """The fake's summary of a conversation: what was asked, what was answered, and the next step."""
    messages = [m for m in body.get("messages") or [] if isinstance(m, Mapping)]
    from .script import content_text  # the scripting module owns the one "text of a turn" helper

    users = [content_text(m.get("content")).strip() for m in messages if m.get("role") == "user"]
    users = [u for u in users if u]
    latest = users[-1] if users else ""
    if len(latest) > 240:  # its beginning and its end, where a long message usually puts the request
        latest = f"{latest[:120].rstrip()} ... {latest[-120:].lstrip()}"
    lines = [f"The conversation so far has {len(messages)} message(s)."]
    if len(users) > 1:
        first = users[0] if len(users[0]) <= 120 else users[0][:120].rstrip() + "..."
        lines.append(f"It began with the user writing: {first}")
    if latest:
        lines.append(f"The user's latest request: {latest}")
    if instructions and instructions.strip():
        lines.append(f"Summary written following the instructions: {instructions.strip()}")
    lines.append("Next step: answer the user's latest request.")
    return "\n\n".join(lines)


def plan_context(body: dict[str, Any], spec: ModelSpec, prompt: PromptTokens, betas: frozenset[str], *,
                 compact: bool = True, image_sizes: Mapping[str, tuple[int, int]] | None = None) -> ContextPlan:
    """Apply the request's edits and any compaction block it sends back; ``prompt`` is the body's own count.

    ``compact`` False leaves compaction out (``count_tokens`` counts, it never summarizes); ``image_sizes``
    is handed to the token counter (declared sizes of images given by URL or file id).
    """
    messages = body.get("messages") or []
    kept, dropped = _after_last_compaction(list(messages))
    has_compaction = any(isinstance(b, Mapping) and b.get("type") == "compaction"
                         for m in kept if isinstance(m, Mapping) for b in _blocks(m))
    edited: dict[str, Any] = {**body, "messages": _as_counted(kept) if has_compaction else kept}
    changed = dropped or has_compaction
    current = measure_prompt(edited, spec, image_sizes=image_sizes) if changed else prompt
    edits = _edits(body)
    plan = ContextPlan(edited, current, changed)
    if _reports_context(body, betas):
        plan.applied_edits = []
    for edit in edits:
        kind = edit.get("type")
        applied: dict[str, Any] | None = None
        if kind == CLEAR_TOOL_USES:
            applied = _clear_tool_uses(edited, edit, spec, current.total, image_sizes)
        elif kind == CLEAR_THINKING:
            applied = _clear_thinking(edited, edit, spec)
        elif kind == COMPACT and compact:
            plan.iterations = True
            if current.total >= _value(edit.get("trigger"), DEFAULT_COMPACT_TRIGGER):
                _compact(plan, edited, current.total, edit.get("instructions"), bool(edit.get("pause_after_compaction")))
            continue
        if applied is not None:
            assert plan.applied_edits is not None
            plan.applied_edits.append(applied)
            plan.changed = True
            current = measure_prompt(edited, spec, image_sizes=image_sizes)
    explicit = body.get("compaction")
    if isinstance(explicit, Mapping) and compact:
        plan.iterations = True
        _compact(plan, edited, current.total, explicit.get("instructions"), True)
        assert plan.compaction is not None
        plan.compaction["signature"] = sign_thinking(str(plan.compaction["content"]), COMPACTION_SECRET)
    if plan.compaction is not None:
        summary_body = {**edited, "messages": _as_counted([{"role": "assistant", "content": [plan.compaction]}])}
        plan.body = summary_body
        plan.changed = True
        current = measure_prompt(summary_body, spec, image_sizes=image_sizes)  # the model reads the summary alone
    elif plan.changed:
        current = measure_prompt(edited, spec, image_sizes=image_sizes)
    plan.prompt = current
    return plan


def _compact(plan: ContextPlan, body: Mapping[str, Any], total: int, instructions: object, pause: bool) -> None:
    text = instructions if isinstance(instructions, str) else None
    plan.compaction = {"type": "compaction", "content": summarize(body, text)}
    plan.compaction_input = total
    plan.pause = plan.pause or pause


def _iteration(kind: str, usage: Mapping[str, Any], output_tokens: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": kind}
    for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation"):
        if name in usage:
            entry[name] = copy.deepcopy(usage[name])
    entry["output_tokens"] = output_tokens
    return entry


def finish_context(message: dict[str, Any], plan: ContextPlan, spec: ModelSpec) -> None:
    """Add what the edits leave on the answer: the compaction block, the stop, iterations, applied edits."""
    usage = message["usage"]
    content: list[Block] = message["content"]
    compaction = next((b for b in content if b.get("type") == "compaction"), None)  # a scripted one wins
    if compaction is None and plan.compaction is not None:
        compaction = dict(plan.compaction)
        content.insert(0, compaction)
    if compaction is not None and plan.pause:
        message["content"] = [compaction]
        message["stop_reason"], message["stop_sequence"] = "compaction", None
    if plan.iterations or compaction is not None:
        summary_tokens = count_text_tokens(str(compaction.get("content") or ""), spec) if compaction else 0
        entries = []
        if compaction is not None:
            zero = {"cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                    "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}}
            entries.append(_iteration("compaction", {"input_tokens": plan.compaction_input or usage.get("input_tokens", 0),
                                                     **zero}, summary_tokens))
        if message["stop_reason"] == "compaction" and compaction is not None:
            for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation"):
                if name in entries[0]:
                    usage[name] = copy.deepcopy(entries[0][name])
            usage["output_tokens"] = summary_tokens
        else:
            entries.append(_iteration("message", usage, int(usage.get("output_tokens", 0))))
        usage["iterations"] = entries
    if plan.applied_edits is not None:
        message["context_management"] = {"applied_edits": list(plan.applied_edits)}

