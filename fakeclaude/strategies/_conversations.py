"""Conversations: ``messages`` lists the API accepts, with tool calls answered and breakpoints counted."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any, cast

from hypothesis import strategies as st

from fakeclaude.strategies._blocks import document_blocks, image_blocks, text_blocks, texts
from fakeclaude.strategies._options import as_dicts, check_bool_or_none, check_int_range
from fakeclaude.strategies._tools import tool_inputs
from fakeclaude.types.params import MessageParam

__all__ = ["MAX_CACHE_BREAKPOINTS", "conversations", "count_cache_breakpoints", "tool_use_ids"]

MAX_CACHE_BREAKPOINTS = 4
"""The API's limit on blocks with ``cache_control`` in one request (system, tools and messages together)."""

_BASE58 = "".join(c for c in string.ascii_letters + string.digits if c not in "0OIl")
_CACHEABLE = frozenset({"text", "image", "document", "tool_use", "tool_result"})


def tool_use_ids() -> st.SearchStrategy[str]:
    """Ids shaped like the API's (``toolu_`` and 24 base58 characters)."""
    return st.text(st.sampled_from(_BASE58), min_size=24, max_size=24).map(lambda s: f"toolu_01{s[:22]}")


def count_cache_breakpoints(body: Mapping[str, Any]) -> int:
    """Blocks with a ``cache_control`` in ``body`` (its system, tools and messages), as the API counts them."""

    def count(node: object) -> int:
        if isinstance(node, Mapping):
            own = 1 if node.get("cache_control") is not None else 0
            return own + sum(count(v) for k, v in node.items() if k != "cache_control")
        if isinstance(node, list):
            return sum(count(v) for v in node)
        return 0

    return sum(count(body.get(k)) for k in ("system", "tools", "messages")) + (
        1 if body.get("cache_control") is not None else 0
    )


def _signature(draw: st.DrawFn) -> str:
    return draw(st.text(st.sampled_from(string.ascii_letters + string.digits + "+/"), min_size=40, max_size=80)) + "=="


@st.composite
def _user_turn(
    draw: st.DrawFn, answers: list[str], images: bool | None, documents: bool | None
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for use_id in answers:
        result: dict[str, Any] = {"type": "tool_result", "tool_use_id": use_id}
        content = draw(st.none() | texts(max_size=60) | st.lists(as_dicts(text_blocks()), min_size=1, max_size=2))
        if content is not None:
            result["content"] = content
        if draw(st.booleans()):
            result["is_error"] = draw(st.booleans())
        blocks.append(result)
    if images is not False and (images or draw(st.integers(0, 3)) == 0):
        blocks.append(draw(as_dicts(image_blocks())))
    if documents is not False and (documents or draw(st.integers(0, 3)) == 0):
        blocks.append(draw(as_dicts(document_blocks())))
    if not blocks and draw(st.booleans()):
        return {"role": "user", "content": draw(texts())}
    if not blocks or draw(st.booleans()):
        blocks.append(draw(as_dicts(text_blocks())))
    return {"role": "user", "content": blocks}


@st.composite
def _assistant_turn(
    draw: st.DrawFn, tools: Sequence[Mapping[str, Any]], ids: set[str], thinking: bool, final: bool
) -> dict[str, Any]:
    if final:  # a prefill: text the answer continues, no trailing whitespace, no tool call
        text = draw(texts(trailing_whitespace=False))
        return {"role": "assistant", "content": text if draw(st.booleans()) else [{"type": "text", "text": text}]}
    blocks: list[dict[str, Any]] = []
    calls = draw(st.integers(0, 2)) if tools else 0
    if draw(st.booleans()) or not calls:
        blocks.append(draw(as_dicts(text_blocks())))
    for _ in range(calls):
        tool = draw(st.sampled_from(list(tools)))
        use_id = draw(tool_use_ids().filter(lambda i: i not in ids))
        ids.add(use_id)
        blocks.append({"type": "tool_use", "id": use_id, "name": tool["name"],
                       "input": draw(tool_inputs(tool["input_schema"]))})  # fmt: skip
    if calls and thinking:
        blocks.insert(0, {"type": "thinking", "thinking": draw(texts()), "signature": _signature(draw)})
    if len(blocks) == 1 and blocks[0]["type"] == "text" and draw(st.booleans()):
        return {"role": "assistant", "content": blocks[0]["text"]}
    return {"role": "assistant", "content": blocks}


def _mark_breakpoints(draw: st.DrawFn, messages: list[dict[str, Any]], limit: int) -> None:
    blocks = [b for m in messages if isinstance(m["content"], list) for b in m["content"] if b["type"] in _CACHEABLE]
    blocks = [b for b in blocks if "cache_control" not in b]
    room = limit - sum(1 for m in messages if isinstance(m["content"], list) for b in m["content"] if "cache_control" in b)
    if room <= 0 or not blocks:
        return
    chosen = draw(st.lists(st.sampled_from(range(len(blocks))), max_size=min(room, len(blocks)), unique=True))
    for index in chosen:
        blocks[index]["cache_control"] = {"type": "ephemeral"}


@st.composite
def _conversation(
    draw: st.DrawFn,
    min_turns: int,
    max_turns: int,
    tools: Sequence[Mapping[str, Any]],
    prefill: bool | None,
    images: bool | None,
    documents: bool | None,
    thinking: bool,
    max_cache_breakpoints: int,
) -> list[dict[str, Any]]:
    low, high = min_turns, max_turns
    count = draw(st.integers(low, high))
    ends_assistant = count % 2 == 0
    if (prefill is True and not ends_assistant) or (prefill is False and ends_assistant):
        count = count + 1 if count + 1 <= high else count - 1
    messages: list[dict[str, Any]] = []
    ids: set[str] = set()
    answers: list[str] = []
    for i in range(count):
        if i % 2 == 0:
            messages.append(draw(_user_turn(answers, images, documents)))
        else:
            turn = draw(_assistant_turn(tools, ids, thinking, final=i == count - 1))
            content = turn["content"]
            answers = [b["id"] for b in content if b["type"] == "tool_use"] if isinstance(content, list) else []
            messages.append(turn)
        if i % 2 == 0:
            answers = []
    _same_citations(messages)
    if max_cache_breakpoints:
        _mark_breakpoints(draw, messages, max_cache_breakpoints)
    return messages


def _same_citations(messages: list[dict[str, Any]]) -> None:
    """Citations on all documents or on none, as the API requires: the first document decides."""
    docs = [b for m in messages if isinstance(m["content"], list) for b in m["content"] if b["type"] == "document"]
    if not docs:
        return
    enabled = "citations" in docs[0]
    for doc in docs[1:]:
        if enabled:
            doc["citations"] = {"enabled": True}
        else:
            doc.pop("citations", None)


def conversations(
    *,
    min_turns: int = 1,
    max_turns: int = 5,
    tools: Sequence[Mapping[str, Any]] = (),
    prefill: bool | None = False,
    images: bool | None = None,
    documents: bool | None = None,
    thinking: bool = False,
    max_cache_breakpoints: int = 0,
) -> st.SearchStrategy[list[MessageParam]]:
    """``messages`` lists the API accepts: ``min_turns``..``max_turns`` messages alternating from a user
    turn; every ``tool_use`` (of one of ``tools``, with an input valid for its schema and a unique id) is
    answered by its ``tool_result`` first thing in the next user turn; ``prefill`` True ends on an
    assistant turn the answer continues (text without trailing whitespace), False on a user turn, None
    either; ``images`` / ``documents`` put real images and PDFs in user turns (True: in every user turn,
    None: in some); ``thinking`` starts each assistant turn that calls tools with a thinking block, as
    extended thinking requires; up to ``max_cache_breakpoints`` blocks get a ``cache_control``.

        >>> messages = conversations(max_turns=3).example()
        >>> messages[0]["role"], messages[-1]["role"]
        ('user', 'user')
    """
    check_int_range("min_turns", min_turns, 1)
    check_int_range("max_turns", max_turns, min_turns, 50)
    check_bool_or_none("prefill", prefill)
    check_bool_or_none("images", images)
    check_bool_or_none("documents", documents)
    check_int_range("max_cache_breakpoints", max_cache_breakpoints, 0, MAX_CACHE_BREAKPOINTS)
    if prefill is True and max_turns < 2:
        from hypothesis.errors import InvalidArgument

        raise InvalidArgument("prefill=True needs max_turns >= 2 (a user turn, then the prefill)")
    if prefill is not None and min_turns == max_turns and (min_turns % 2 == 0) != prefill:
        from hypothesis.errors import InvalidArgument

        raise InvalidArgument(f"{min_turns} turns cannot end on {'an assistant' if prefill else 'a user'} turn")
    for tool in tools:
        tool_inputs(tool["input_schema"])  # refuse a schema inputs cannot be made for, now
    made = _conversation(min_turns, max_turns, tuple(tools), prefill, images, documents, thinking, max_cache_breakpoints)
    return cast("st.SearchStrategy[list[MessageParam]]", made)
