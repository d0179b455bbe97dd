"""web_fetch: the model fetches a URL of the conversation; the page comes back as a document (spec 2026 §6.3).

A URL that did not appear in the context (user turns, earlier tool results) gets the
``url_not_in_prior_context`` error result, as the API allows only those. Citations on the answer
(``char_location`` on the fetched document) only when the tool has ``citations: {"enabled": true}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..generation import generate_text
from ..generation._rng import faker_for
from ._blocks import tool_error
from ._context import Context
from ._script import FetchedPage

__all__ = ["CUE", "URL", "answer", "fetch_result", "target_url"]

Block = dict[str, Any]
CUE = "fetch read open page website article link url http https download content"
URL = re.compile(r"https?://[^\s\"'<>)\]]+")


def _context_urls(ctx: Context) -> list[str]:
    found: list[str] = []
    for message in ctx.request.messages:
        found += [u.rstrip(".,;:!?") for u in URL.findall(json.dumps(message.get("content"), ensure_ascii=False))]
    return found


def target_url(ctx: Context) -> str:
    """The URL the model fetches: the last one of the last user turn, else a made-up one."""
    urls = [str(u).rstrip(".,;:!?") for u in URL.findall(ctx.prompt)]
    if urls:
        return urls[-1]
    words = ctx.keywords(3)
    return "https://www." + ("-".join(w.lower() for w in words) or "example") + ".com/"


def _page(ctx: Context, url: str) -> FetchedPage:
    scripted = ctx.script.page_for(url)
    if scripted is not None:
        return scripted
    rnd = ctx.rng("web_fetch", url)
    fake = faker_for(rnd)
    title = " ".join(w.capitalize() for w in fake.words(nb=3))
    return FetchedPage(text=f"{title}\n\n" + "\n\n".join(fake.paragraph(nb_sentences=4) for _ in range(3)), title=title)


def fetch_result(ctx: Context, url: str, *, exceeded: bool = False) -> tuple[Block, FetchedPage | None]:
    """The ``web_fetch_tool_result`` of fetching ``url`` and the page it returned (None on an error)."""
    if exceeded:
        return {"type": "web_fetch_tool_result", "content": tool_error("web_fetch_tool_result", "max_uses_exceeded")}, None
    if url not in _context_urls(ctx):
        error = tool_error("web_fetch_tool_result", "url_not_in_prior_context")
        return {"type": "web_fetch_tool_result", "content": error}, None
    page = _page(ctx, url)
    if page.error_code is not None:
        return {"type": "web_fetch_tool_result", "content": tool_error("web_fetch_tool_result", page.error_code)}, None
    document: Block = {"type": "document", "source": {"type": "text", "media_type": page.media_type, "data": page.text}}
    if page.title is not None:
        document["title"] = page.title
    content = {"type": "web_fetch_result", "url": url, "retrieved_at": ctx.timestamp(), "content": document}
    return {"type": "web_fetch_tool_result", "content": content}, page


def answer(ctx: Context, tool: Mapping[str, Any], page: FetchedPage | None) -> list[Block]:
    """The text after the fetch, cited on the document when the tool enables citations."""
    if page is None:
        return [{"type": "text", "text": "I could not fetch that page. "
                 + generate_text(ctx.seed ^ 0xFE7C, prompt=ctx.prompt, min_words=6, max_words=16)}]
    summary = generate_text(ctx.seed ^ 0xFE7C, prompt=page.text[:400], min_words=8, max_words=30)
    enabled = isinstance(tool.get("citations"), Mapping) and tool["citations"].get("enabled") is True
    if not enabled:
        return [{"type": "text", "text": summary}]
    quoted = page.text.split("\n\n")[-1][:300] or page.text[:300]
    start = page.text.find(quoted)
    citation = {"type": "char_location", "cited_text": quoted, "document_index": 0, "document_title": page.title,
                "start_char_index": max(start, 0), "end_char_index": max(start, 0) + len(quoted)}
    return [{"type": "text", "text": "According to the page, "},
            {"type": "text", "text": summary, "citations": [citation]}]
