"""Which offered tools an unscripted answer calls: a default that is safe for agents that run tools.

``"relevant"`` (the default): with ``tool_choice`` ``auto`` (or none given) a tool is called only when
the last user turn plausibly asks for it, and then one call, unless the turn asks for parallel calls;
otherwise the answer is text. After a ``tool_result`` the answer is text, so agent loops end. A forced
``tool_choice`` still forces: ``tool`` calls the named tool, ``any`` the most relevant tool (the first
offered when none relates). ``disable_parallel_tool_use`` always means one call. Tools offered with
``defer_loading: true`` are not in the model's prompt until a tool search or ``tool_addition`` loads
them, so they are never called unless ``tool_choice`` names them (or ``any`` leaves nothing else). So an agent asked "say
hi" with ten tools gets text, never a shell command.

``"every"``: the earlier behaviour (pydantic-ai's TestModel): every offered client tool is called once,
in parallel, with schema-valid inputs, then text after the results.

The relevance rule, kept simple so a test author can predict it: the words of the last user text
(lower-cased, split on anything not a letter or digit, with a plural ``s``/``es`` and ``ing``/``ed``
endings removed, common words dropped) are compared with the words of each tool's name (split on ``_``,
``-``, ``.`` and camelCase) and of its description. A tool is relevant when a name word occurs in the
text, or when at least :data:`DESCRIPTION_MATCHES` distinct words of four letters or more of its
description do; tools are ranked by name matches, then description matches, then offer order. Parallel
calls are asked for when the text contains one of :data:`PARALLEL_CUES`; then every relevant tool is
called.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

__all__ = ["DESCRIPTION_MATCHES", "PARALLEL_CUES", "TOOL_POLICIES", "ToolPolicy", "choose_tools", "relevance"]

ToolPolicy = Literal["relevant", "every"]
TOOL_POLICIES: tuple[ToolPolicy, ...] = ("relevant", "every")
DESCRIPTION_MATCHES = 2
PARALLEL_CUES = ("in parallel", "parallel", "at the same time", "simultaneously", "all the tools",
                 "every tool", "each tool", "all tools")

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_STOP = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for", "from", "get",
    "give", "has", "have", "hello", "hey", "hi", "how", "i", "if", "in", "is", "it", "its", "me", "my",
    "no", "not", "of", "on", "or", "please", "say", "set", "show", "tell", "thank", "thanks", "that",
    "the", "their", "them", "then", "there", "these", "this", "to", "tool", "tools", "use", "using",
    "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
    "yes", "ok", "okay",
))  # fmt: skip


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _words(text: str, *, min_length: int = 1) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if len(w) >= min_length and w not in _STOP}


def _name_words(name: str) -> set[str]:
    spaced = _CAMEL.sub(" ", name).replace("_", " ").replace("-", " ").replace(".", " ")
    return _words(spaced, min_length=2)


def relevance(tool: Mapping[str, Any], text: str) -> tuple[int, int]:
    """``(name words, description words)`` of ``tool`` found in ``text``; relevant when either counts."""
    said = _words(text)
    name_hits = len(_name_words(str(tool.get("name", ""))) & said)
    description = tool.get("description")
    described = _words(description, min_length=4) if isinstance(description, str) else set()
    return name_hits, len(described & said)


def _relevant(tools: Sequence[Mapping[str, Any]], text: str) -> list[Mapping[str, Any]]:
    scored = []
    for order, tool in enumerate(tools):
        names, described = relevance(tool, text)
        if names or described >= DESCRIPTION_MATCHES:
            scored.append((-names, -described, order, tool))
    return [tool for *_, tool in sorted(scored, key=lambda item: item[:3])]


def _parallel_asked(text: str) -> bool:
    lowered = text.lower()
    return any(cue in lowered for cue in PARALLEL_CUES)


def choose_tools(
    tools: Sequence[Mapping[str, Any]], choice: Mapping[str, Any], text: str, *, answered: bool,
    policy: ToolPolicy = "relevant",
) -> list[Mapping[str, Any]]:
    """The client tools an unscripted answer calls, in order (empty: answer with text).

    ``tools`` are the offered client tools, ``choice`` the request's ``tool_choice``, ``text`` the last user
    turn's text and ``answered`` whether that turn carries ``tool_result`` blocks.
    """
    kind = choice.get("type", "auto")
    single = bool(choice.get("disable_parallel_tool_use"))
    if not tools or kind == "none":
        return []
    if kind == "tool":
        return [t for t in tools if t.get("name") == choice.get("name")][:1]
    tools = [t for t in tools if not t.get("defer_loading")] or ([] if kind == "auto" else list(tools))
    if not tools:
        return []
    if policy == "every":
        if kind == "auto" and answered:
            return []
        return list(tools[:1] if single else tools)
    if kind == "auto" and answered:
        return []
    relevant = _relevant(tools, text)
    if kind == "any" and not relevant:
        relevant = list(tools[:1])
    if single or not _parallel_asked(text):
        return relevant[:1]
    return relevant
