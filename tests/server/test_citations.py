"""Citations on documents and search results (spec 2026 §10) through the official SDK, unchanged.

Every cited_text is checked against the document it points into: the slice of a text document, the
text of a PDF page, the block of a custom-content document or search result. Streamed answers
accumulate (in the SDK) to the non-streamed message.
"""

from __future__ import annotations

import base64
from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.citations import MIXED_CITATIONS, pdf_page_texts, sentence_spans
from tests.server.pdf_support import build_pdf

MODEL = "claude-sonnet-4-6"
ON = {"enabled": True}
TEXT = "The grass is green. The sky is blue! Water boils at 100 degrees?\nSnow is white."
PAGES = ["Page one talks about apples.", "Page two (the second) talks about pears."]


def text_pdf(pages: list[str]) -> bytes:
    """A PDF whose pages show ``pages`` (read by pypdf, as the fake reads PDFs to count and cite them)."""
    return build_pdf(pages)


def documents() -> list[dict[str, Any]]:
    pdf = base64.b64encode(text_pdf(PAGES)).decode()
    return [
        {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": TEXT}, "title": "Facts",
         "citations": ON},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": pdf}, "citations": ON},
        {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "First block."},
                                                                        {"type": "text", "text": "Second block."}]},
         "title": "Blocks", "citations": ON},
    ]


SEARCH = {"type": "search_result", "source": "https://example.com/guide", "title": "Guide",
          "content": [{"type": "text", "text": "Step one: plan."}, {"type": "text", "text": "Step two: build."}],
          "citations": ON}


def sdk(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-test", http_client=httpx2.Client(transport=fake.httpx2_transport()),
                               max_retries=0)


def check_citation(citation: dict[str, Any], docs: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
    """cited_text really is the slice of the source the citation names."""
    kind = citation["type"]
    if kind == "search_result_location":
        result = results[citation["search_result_index"]]
        assert (citation["source"], citation["title"]) == (result["source"], result["title"])
        blocks = result["content"][citation["start_block_index"]:citation["end_block_index"]]
        assert citation["cited_text"] == "".join(b["text"] for b in blocks)
        return
    doc = docs[citation["document_index"]]
    assert citation["document_title"] == doc.get("title")
    source = doc["source"]
    if kind == "char_location":
        assert citation["cited_text"] == source["data"][citation["start_char_index"]:citation["end_char_index"]]
    elif kind == "page_location":
        pages = PAGES[citation["start_page_number"] - 1:citation["end_page_number"] - 1]
        assert citation["cited_text"] == " ".join(pages)
    elif kind == "content_block_location":
        blocks = source["content"][citation["start_block_index"]:citation["end_block_index"]]
        assert citation["cited_text"] == "".join(b["text"] for b in blocks)
    else:
        raise AssertionError(kind)


def test_pdf_pages_and_sentences_are_read() -> None:
    assert pdf_page_texts(text_pdf(PAGES)) == PAGES
    assert [TEXT[s:e] for s, e in sentence_spans(TEXT)] == [
        "The grass is green. ", "The sky is blue! ", "Water boils at 100 degrees?\n", "Snow is white."]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_document_kind_is_cited_where_its_text_is(seed: int) -> None:
    docs = documents()
    client = sdk(FakeClaude(seed=seed, clock=FakeClock()))
    answer = client.messages.create(model=MODEL, max_tokens=1024, messages=[
        {"role": "user", "content": [*docs, {"type": "text", "text": "What do these say?"}]}])  # type: ignore[list-item]
    cited = [b for b in answer.content if b.type == "text" and b.citations]
    kinds = [c.type for b in cited for c in b.citations or []]
    assert kinds == ["char_location", "page_location", "content_block_location"]
    assert [c.document_index for b in cited for c in b.citations or []] == [0, 1, 2]  # type: ignore[union-attr]
    for block in cited:
        for citation in block.citations or []:
            check_citation(citation.model_dump(), docs, [])
    assert answer.content[0].citations is None, "the answer opens with uncited text"


def test_search_results_cited_at_the_top_level_and_inside_tool_results() -> None:
    other = {**SEARCH, "source": "https://example.com/other", "title": "Other",
             "content": [{"type": "text", "text": "Only block."}]}
    tools = [{"name": "search", "description": "search the docs", "input_schema": {"type": "object"}}]
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": [SEARCH, {"type": "text", "text": "Use this and search more."}]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "search", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": [other]}]},
    ]
    answer = sdk(FakeClaude(seed=4, clock=FakeClock())).messages.create(
        model=MODEL, max_tokens=1024, messages=messages, tools=tools)  # type: ignore[arg-type]
    citations = [c.model_dump() for b in answer.content if b.type == "text" for c in b.citations or []]
    assert [c["search_result_index"] for c in citations] == [0, 1]
    for citation in citations:
        assert citation["type"] == "search_result_location"
        check_citation(citation, [], [SEARCH, other])


def test_streamed_citations_accumulate_to_the_message_over_a_socket() -> None:
    docs = documents()
    kwargs: dict[str, Any] = {"model": MODEL, "max_tokens": 1024, "messages": [
        {"role": "user", "content": [*docs, SEARCH, {"type": "text", "text": "Summarize."}]}]}
    plain = sdk(FakeClaude(seed=5, clock=FakeClock())).messages.create(**kwargs)
    fake = FakeClaude(seed=5, clock=FakeClock())
    with fake.serve() as base_url:
        client = anthropic.Anthropic(api_key="sk-test", base_url=base_url, max_retries=0)
        with client.messages.stream(**kwargs) as stream:
            events = list(stream)
            streamed = stream.get_final_message()
    assert streamed.model_dump() == plain.model_dump()
    cited_starts = [e.index for e in events if e.type == "content_block_start" and e.content_block.type == "text"
                    and e.content_block.citations == []]
    assert len(cited_starts) == 4
    for index in cited_starts:  # citations_delta before the text of the block
        deltas = [e.delta.type for e in events if e.type == "content_block_delta" and e.index == index]
        assert deltas[0] == "citations_delta" and deltas.count("citations_delta") == 1
        assert set(deltas[1:]) == {"text_delta"}


def test_scripted_citations_are_streamed_as_given() -> None:
    fake = FakeClaude(seed=6, clock=FakeClock())
    citation = {"type": "char_location", "cited_text": "The grass is green. ", "document_index": 0,
                "document_title": "Facts", "start_char_index": 0, "end_char_index": 20}
    fake.reply({"type": "text", "text": "Grass is green.", "citations": [citation]})
    with sdk(fake).messages.stream(model=MODEL, max_tokens=64, messages=[
            {"role": "user", "content": [documents()[0], {"type": "text", "text": "Color?"}]}]) as stream:  # type: ignore[list-item]
        message = stream.get_final_message()
    assert message.content[0].citations[0].model_dump(exclude_none=True) == citation  # type: ignore[index]


def test_mixed_citations_and_citations_with_structured_outputs_are_refused() -> None:
    client = sdk(FakeClaude(seed=7, clock=FakeClock()))
    docs = documents()
    docs[1] = {**docs[1], "citations": {"enabled": False}}
    with pytest.raises(anthropic.BadRequestError) as mixed:
        client.messages.create(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": [*docs, {"type": "text", "text": "?"}]}])  # type: ignore[list-item]
    assert mixed.value.body["error"]["message"] == MIXED_CITATIONS  # type: ignore[index]
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": False}
    with pytest.raises(anthropic.BadRequestError) as structured:
        client.messages.create(model=MODEL, max_tokens=64, output_config={"format": {"type": "json_schema", "schema": schema}},
                               messages=[{"role": "user", "content": [documents()[0], {"type": "text", "text": "?"}]}])  # type: ignore[list-item]
    assert "Citations are not supported together with structured outputs." in str(structured.value)


def test_no_citations_without_enabled_sources() -> None:
    doc = {**documents()[0], "citations": {"enabled": False}}
    answer = sdk(FakeClaude(seed=8, clock=FakeClock())).messages.create(
        model=MODEL, max_tokens=256, messages=[{"role": "user", "content": [doc, {"type": "text", "text": "?"}]}])  # type: ignore[list-item]
    assert [b.type for b in answer.content] == ["text"] and not answer.content[0].citations  # type: ignore[union-attr]


def test_api_2026_refuses_user_text_with_citations() -> None:
    fake = FakeClaude(seed=9, clock=FakeClock())
    cite = {"type": "char_location", "cited_text": "The grass is green. ", "document_index": 0, "document_title": "Facts",
            "start_char_index": 0, "end_char_index": 20}
    body = {"model": MODEL, "max_tokens": 16, "messages": [
        {"role": "user", "content": [documents()[0], {"type": "text", "text": "Echo", "citations": [cite]}]}]}
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        old = client.post("/v1/messages", json=body, headers={"x-api-key": "k", "anthropic-version": "2023-06-01"})
        new = client.post("/v1/messages", json=body, headers={"x-api-key": "k", "anthropic-version": "2026-10-21"})
    assert old.status_code == 200, old.text
    assert new.status_code == 400
    assert new.json()["error"]["message"] == (
        "messages.0.content.1.text.citations: `citations` are not allowed on `text` blocks in `user` messages.")


@pytest.mark.parametrize(("change", "problem"), [
    ({"cited_text": "The sky is blue! "}, "is not characters 0-20 of document 0"),
    ({"document_index": 3}, "points to document 3, but the request has 1 document(s)"),
])
def test_a_scripted_citation_the_api_could_not_send_fails_the_script(change: dict[str, Any], problem: str) -> None:
    fake = FakeClaude(seed=6, clock=FakeClock())
    citation = {"type": "char_location", "cited_text": "The grass is green. ", "document_index": 0,
                "document_title": "Facts", "start_char_index": 0, "end_char_index": 20, **change}
    fake.reply({"type": "text", "text": "Grass is green.", "citations": [citation]})
    with pytest.raises(anthropic.BadRequestError, match="the test's script failed") as caught:
        sdk(fake).messages.create(model=MODEL, max_tokens=64, messages=[
            {"role": "user", "content": [documents()[0], {"type": "text", "text": "Color?"}]}])  # type: ignore[list-item]
    assert problem in str(caught.value)
