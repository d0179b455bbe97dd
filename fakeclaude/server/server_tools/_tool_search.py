"""tool_search (regex / bm25) over the tools offered with ``defer_loading: true`` (spec 2026 §6.5).

A deferred tool is not in the model's prompt, so it is never called until a ``tool_reference`` to it is in
the conversation (a tool-search result, a ``tool_result``'s content). When the prompt relates to deferred
tools, the model searches (regex ``{"pattern"}`` / bm25 ``{"query"}``), the result references the
matching tools (at most :data:`MAX_REFERENCES`), and the best one is called in the same response, as recorded.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..tool_policy import relevance
from ._context import Context

__all__ = ["MAX_REFERENCES", "is_search_tool", "loaded_tools", "search"]

Block = dict[str, Any]
MAX_REFERENCES = 5
_WORD = re.compile(r"[a-z0-9]+")


def is_search_tool(tool: Mapping[str, Any]) -> bool:
    """Whether ``tool`` is a tool-search tool (regex or bm25, dated or alias)."""
    return str(tool.get("type", "")).startswith(("tool_search_tool_regex", "tool_search_tool_bm25"))


def loaded_tools(messages: Sequence[Mapping[str, Any]]) -> set[str]:
    """The tool names a ``tool_reference`` anywhere in the conversation has loaded."""
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            if value.get("type") == "tool_reference" and isinstance(value.get("tool_name"), str):
                names.add(value["tool_name"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for message in messages:
        walk(message.get("content"))
    return names


def _text(tool: Mapping[str, Any]) -> str:
    return f"{tool.get('name', '')} {tool.get('description', '')} {json.dumps(tool.get('input_schema', {}))}"


def _words(text: str) -> list[str]:
    return _WORD.findall(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).replace("_", " ").lower())


def _bm25(query: str, tools: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    docs = [_words(_text(t)) for t in tools]
    terms = set(_words(query))
    average = sum(len(d) for d in docs) / max(len(docs), 1) or 1.0
    scored = []
    for order, (tool, doc) in enumerate(zip(tools, docs, strict=True)):
        score = 0.0
        for term in terms:
            count = doc.count(term)
            if not count:
                continue
            having = sum(1 for d in docs if term in d)
            idf = math.log(1 + (len(docs) - having + 0.5) / (having + 0.5))
            score += idf * count * 2.2 / (count + 1.2 * (0.25 + 0.75 * len(doc) / average))
        if score > 0:
            scored.append((-score, order, tool))
    return [tool for *_, tool in sorted(scored, key=lambda s: s[:2])]


def _regex(pattern: str, tools: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error:
        return []
    return [t for t in tools if compiled.search(f"{t.get('name', '')} {t.get('description', '')}")]


def search(ctx: Context, search_tool: Mapping[str, Any], deferred: Sequence[Mapping[str, Any]]) -> list[Block] | None:
    """The search's use and result blocks and the found tool names, or None when no deferred tool relates."""
    ranked = [t for t in deferred if any(relevance(t, ctx.prompt))]
    if not ranked:
        return None
    ranked.sort(key=lambda t: tuple(-n for n in relevance(t, ctx.prompt)))
    name = str(search_tool.get("name"))
    if name.startswith("tool_search_tool_regex") or str(search_tool.get("type", "")).startswith("tool_search_tool_regex"):
        best = ranked[0]
        said = {w for w in _words(ctx.prompt) if len(w) > 2}
        word = next((w for w in _words(str(best.get("name", ""))) if w in said), None) or \
            next((w for w in _words(str(best.get("description", ""))) if w in said), str(best.get("name")))
        tool_input: dict[str, Any] = {"pattern": re.escape(word)}
        found = _regex(tool_input["pattern"], deferred)
    else:
        words = [w for w in ctx.keywords(6)]
        tool_input = {"query": " ".join(words) or ctx.prompt[:80]}
        found = _bm25(tool_input["query"], deferred) or ranked
    names = [str(t.get("name")) for t in found[:MAX_REFERENCES]]
    if ranked[0].get("name") in names:  # the most relevant tool first: the one the model calls
        names.remove(str(ranked[0].get("name")))
        names.insert(0, str(ranked[0].get("name")))
    result = {"type": "tool_search_tool_result",
              "content": {"type": "tool_search_tool_search_result",
                          "tool_references": [{"type": "tool_reference", "tool_name": n} for n in names]}}
    return [ctx.use(str(search_tool.get("name")), tool_input), result]
