"""web_search: queries derived from the prompt, seeded hits, and answer text cited on them (spec 2026 §6.2).

The answer after the hits is split into text blocks as recorded: an uncited opening, then one cited block
per hit used (``web_search_result_location`` with ``cited_text`` at most 150 characters, then ``...`` when
longer), joined by uncited separators, and an uncited closing sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..generation import generate_text
from ..generation._rng import faker_for
from ._blocks import encrypted_blob, tool_error, web_search_result
from ._context import Context

__all__ = ["CITED_TEXT_LIMIT", "CUE", "cited_answer", "hits", "queries", "search_result", "strip_private"]

Block = dict[str, Any]
CUE = ("search web internet online latest current recent today tomorrow yesterday news price weather look lookup "
       "happen event history stock score")
CITED_TEXT_LIMIT = 150
_AGES = (None, "1 day ago", "3 days ago", "2 weeks ago", "December 24, 2025", "1 month ago")
_SITES = ("en.wikipedia.org/wiki", "www.reuters.com/world", "www.bbc.com/news", "apnews.com/article",
          "www.nytimes.com/2026", "www.theguardian.com/world")


def queries(ctx: Context) -> list[str]:
    """The queries the model makes: the scripted ones, else one made of the prompt's words."""
    scripted = ctx.script.search_queries
    if scripted:
        return list(scripted)
    words = ctx.keywords(6)
    return [" ".join(words) if words else (ctx.prompt.strip()[:80] or "latest news")]


def hits(ctx: Context, query: str) -> list[Block]:
    """The search's hits (each with the fake-only ``text`` citations quote): scripted, else seeded."""
    scripted = ctx.script.results_for(query)
    if scripted is not None:
        return [_normalised(dict(item)) for item in scripted]
    rnd = ctx.rng("web_search", query)
    fake = faker_for(rnd)
    slug = "-".join(query.lower().split()[:4]) or "results"
    out = []
    for n in range(rnd.randint(3, 5)):
        site = _SITES[(n + rnd.randrange(len(_SITES))) % len(_SITES)]
        title = f"{query.title()[:60]} - {fake.company()}" if n else query.title()[:80]
        text = f"{query.capitalize()}: " + " ".join(fake.sentences(nb=rnd.randint(2, 4)))
        out.append(web_search_result(title, f"https://{site}/{slug}-{n + 1}", page_age=rnd.choice(_AGES),
                                     encrypted_content=encrypted_blob("page", ctx.seed, query, n, size=180),
                                     text=text))
    return out


def _normalised(item: Block) -> Block:
    item.setdefault("type", "web_search_result")
    item.setdefault("title", str(item.get("url", "")))
    item.setdefault("url", "https://example.com/")
    item.setdefault("encrypted_content", encrypted_blob("page", str(item["url"])))
    item.setdefault("page_age", None)
    return item


def strip_private(item: Mapping[str, Any]) -> Block:
    """A hit as the wire has it (without the fake's ``text``)."""
    return {k: v for k, v in item.items() if k != "text"}


def search_result(ctx: Context, query: str, found: Sequence[Block], *, exceeded: bool = False) -> Block:
    """The ``web_search_tool_result`` content of one search (``max_uses_exceeded`` when over the limit)."""
    if exceeded:
        return {"type": "web_search_tool_result", "content": tool_error("web_search_tool_result", "max_uses_exceeded")}
    return {"type": "web_search_tool_result", "content": [strip_private(h) for h in found]}


def _cited_text(text: str) -> str:
    return text if len(text) <= CITED_TEXT_LIMIT else text[:CITED_TEXT_LIMIT] + "..."


def citation(hit: Mapping[str, Any], seed: int) -> Block:
    """The ``web_search_result_location`` citation of ``hit``."""
    quoted = str(hit.get("text") or hit.get("title") or "")
    return {"type": "web_search_result_location", "cited_text": _cited_text(quoted), "url": hit.get("url"),
            "title": hit.get("title"), "encrypted_index": encrypted_blob("index", seed, str(hit.get("url")), size=64)}


def cited_answer(ctx: Context, found: Sequence[Block]) -> list[Block]:
    """The answer's text blocks: an opening, one cited claim per hit (at most two), a closing."""
    blocks: list[Block] = [{"type": "text", "text": "Based on the search results:\n\n- "}]
    used = list(found)[:2]
    for n, hit in enumerate(used):
        claim = generate_text(ctx.seed ^ (0x5EA2C + n), prompt=str(hit.get("text") or hit.get("title") or ""),
                              min_words=4, max_words=10)
        blocks.append({"type": "text", "text": claim.rstrip("."), "citations": [citation(hit, ctx.seed)]})
        if n < len(used) - 1:
            blocks.append({"type": "text", "text": "\n- "})
    closing = generate_text(ctx.seed ^ 0xC105E, prompt=ctx.prompt, min_words=4, max_words=12)
    if used:
        blocks.append({"type": "text", "text": "\n\n" + closing})
    else:
        blocks = [{"type": "text", "text": "The search did not return any results. " + closing}]
    return blocks
