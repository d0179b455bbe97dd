"""Citations on documents and search results (spec 2026 §10): what an unscripted answer cites, and how.

Citable sources are the request's ``document`` blocks with ``citations: {"enabled": true}`` and its
``search_result`` blocks with citations enabled (at the top level of a user turn or inside a
``tool_result``'s content). Each kind is cited by its own location:

- a plain-text document (``source.type: "text"``): ``char_location``, the document cut into sentences;
  ``start_char_index`` / ``end_char_index`` 0-based, end exclusive, so ``data[start:end] == cited_text``;
- a PDF (``base64``): ``page_location``, pages 1-based and end exclusive; ``cited_text`` is the page's
  text as read by :func:`pdf_page_texts` (a PDF whose text cannot be read, or a ``url`` / ``file``
  source, is not cited: the fake has no bytes or no text for it);
- a custom-content document (``source.type: "content"``): ``content_block_location``, block indices
  0-based, end exclusive, ``cited_text`` the cited block's text (a string content is one block);
- a search result: ``search_result_location`` with its ``source``, ``title``, ``search_result_index``
  and block indices into its ``content``.

``document_index`` counts every document of the request, citable or not, in order (0-based);
``search_result_index`` likewise counts every search result. ``document_title`` is the document's
``title`` or null.

An answer that draws on them is split: an opening text block without citations, then one text block
per cited passage carrying one citation, then a closing text block (the API splits answers the same way).

Rules: citations must be enabled on all documents or on none (:data:`MIXED_CITATIONS`, a decision: the
API's text is not published; search results are a separate group under the same rule, with the same
text). Citations with structured outputs and user text blocks carrying citations (2026-10-21) are
refused by ``validation``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fakeclaude.server.tokens._pdf import pdf_page_texts as read_pdf_pages

__all__ = [
    "MIXED_CITATIONS",
    "Source",
    "citable_sources",
    "citation_problems",
    "cited_answer",
    "mixed_citations",
    "pdf_page_texts",
    "sentence_spans",
]

MIXED_CITATIONS = "Citations must be enabled on all documents or on none of them."
"""The 400 text for a request mixing documents with and without citations (spec 2026 §13 open point 1)."""

_MAX_CITED = 4
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)\s*")

Block = dict[str, Any]


@dataclass(frozen=True)
class Source:
    """One citable source of a request and the passages it can be cited by (``citation`` dicts)."""

    kind: str  # "document" or "search_result"
    passages: tuple[Block, ...]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text`` (trailing spaces included, as the API's chunks are)."""
    spans = []
    for match in _SENTENCE.finditer(text):
        if match.group().strip():
            spans.append((match.start(), match.end()))
    return spans


def _enabled(block: Mapping[str, Any]) -> bool:
    config = block.get("citations")
    return isinstance(config, Mapping) and config.get("enabled") is True


def _user_blocks(body: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every document and search_result block of the user turns, in order (tool results opened)."""
    for message in body.get("messages") or []:
        if not isinstance(message, Mapping) or message.get("role") != "user":
            continue
        content = message.get("content")
        for block in content if isinstance(content, list) else ():
            if not isinstance(block, Mapping):
                continue
            if block.get("type") in ("document", "search_result"):
                yield block
            elif block.get("type") == "tool_result" and isinstance(block.get("content"), list):
                for inner in block["content"]:
                    if isinstance(inner, Mapping) and inner.get("type") in ("document", "search_result"):
                        yield inner


def mixed_citations(body: Mapping[str, Any]) -> bool:
    """Whether some documents (or some search results) enable citations and others do not (a 400)."""
    for kind in ("document", "search_result"):
        states = {_enabled(b) for b in _user_blocks(body) if b.get("type") == kind}
        if len(states) > 1:
            return True
    return False


def _texts_of(content: object) -> list[str]:
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [str(b.get("text", "")) if isinstance(b, Mapping) and b.get("type") == "text" else ""
                for b in content]
    return []


def _document_passages(block: Mapping[str, Any], index: int) -> list[Block]:
    source = block.get("source") if isinstance(block.get("source"), Mapping) else {}
    assert isinstance(source, Mapping)
    head = {"document_index": index, "document_title": block.get("title")}
    kind = source.get("type")
    if kind == "text":
        data = str(source.get("data", ""))
        return [{"type": "char_location", "cited_text": data[s:e], **head, "start_char_index": s, "end_char_index": e}
                for s, e in sentence_spans(data)]
    if kind == "content":
        return [{"type": "content_block_location", "cited_text": text, **head, "start_block_index": k,
                 "end_block_index": k + 1} for k, text in enumerate(_texts_of(source.get("content"))) if text.strip()]
    if kind == "base64":
        try:
            raw = base64.b64decode(str(source.get("data", "")), validate=False)
        except (binascii.Error, ValueError):
            return []
        return [{"type": "page_location", "cited_text": text, **head, "start_page_number": page,
                 "end_page_number": page + 1} for page, text in enumerate(pdf_page_texts(raw), 1) if text.strip()]
    return []  # url and file sources: the fake has not the bytes to cite


def _search_passages(block: Mapping[str, Any], index: int) -> list[Block]:
    head = {"source": block.get("source"), "title": block.get("title"), "search_result_index": index}
    return [{"type": "search_result_location", "cited_text": text, **head, "start_block_index": k,
             "end_block_index": k + 1} for k, text in enumerate(_texts_of(block.get("content"))) if text.strip()]


def citable_sources(body: Mapping[str, Any]) -> list[Source]:
    """The request's sources with citations enabled, each with the passages it can be cited by."""
    out: list[Source] = []
    documents = results = 0
    for block in _user_blocks(body):
        if block.get("type") == "document":
            if _enabled(block):
                out.append(Source("document", tuple(_document_passages(block, documents))))
            documents += 1
        else:
            if _enabled(block):
                out.append(Source("search_result", tuple(_search_passages(block, results))))
            results += 1
    return [s for s in out if s.passages]


def _all_sources(body: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    blocks = list(_user_blocks(body))
    return [b for b in blocks if b.get("type") == "document"], [b for b in blocks if b.get("type") == "search_result"]


def _citation_problem(citation: Mapping[str, Any], docs: list[Mapping[str, Any]], results: list[Mapping[str, Any]]) -> str | None:
    kind = citation.get("type")
    if kind == "search_result_location":
        index, group, name = citation.get("search_result_index"), results, "search result"
    elif kind in ("char_location", "page_location", "content_block_location"):
        index, group, name = citation.get("document_index"), docs, "document"
    else:
        return None  # web search and future kinds: not checked here
    if not isinstance(index, int) or not 0 <= index < len(group):
        return f"a {kind} citation points to {name} {index!r}, but the request has {len(group)} {name}(s)"
    if not _enabled(group[index]):
        return f"a {kind} citation cites {name} {index}, which does not enable citations"
    if kind == "char_location":
        source = group[index].get("source") or {}
        data = str(source.get("data", "")) if isinstance(source, Mapping) and source.get("type") == "text" else None
        start, end = citation.get("start_char_index"), citation.get("end_char_index")
        if data is not None and isinstance(start, int) and isinstance(end, int) and data[start:end] != citation.get("cited_text"):
            return (f"a char_location citation's cited_text {citation.get('cited_text')!r} is not characters "
                    f"{start}-{end} of document {index} ({data[start:end]!r})")
    return None


def citation_problems(body: Mapping[str, Any], blocks: list[Block]) -> list[str]:
    """Why the citations of a scripted answer could not be the API's for ``body`` (empty when they could):
    an index outside the request's documents or search results, a source without citations enabled, a
    ``char_location`` whose ``cited_text`` is not that slice of the document."""
    docs, results = _all_sources(body)
    problems = []
    for block in blocks:
        citations = block.get("citations") if block.get("type") == "text" else None
        for citation in citations if isinstance(citations, list) else ():
            if isinstance(citation, Mapping):
                problem = _citation_problem(citation, docs, results)
                if problem:
                    problems.append(problem)
    return problems


def cited_answer(sources: Sequence[Source], seed: int, opening: str, closing: str) -> list[Block]:
    """An answer split into text blocks citing passages of ``sources`` (:func:`citable_sources`, not empty).

    Picks one passage from each of the first four sources, spread over the sources, deterministically from ``seed``.
    """
    picked: list[Block] = []
    for n, source in enumerate(sources[:_MAX_CITED]):
        passages = source.passages
        picked.append(dict(passages[(seed + n) % len(passages)]))
    blocks: list[Block] = [{"type": "text", "text": opening.rstrip() + " "}]
    for citation in picked:
        said = " ".join(str(citation["cited_text"]).split())
        blocks.append({"type": "text", "text": f"The source says: {said} ", "citations": [citation]})
    blocks.append({"type": "text", "text": closing})
    return blocks


# ----- PDF text, page by page: the token module's reader (pypdf), one for counting and citing --------------
def pdf_page_texts(raw: bytes) -> list[str]:
    """The text each page of a PDF shows, in page order (empty strings where none can be read; an
    unreadable PDF has no citable pages)."""
    read = read_pdf_pages(raw)
    return [] if read is None else [text.strip() for text in read[1]]
