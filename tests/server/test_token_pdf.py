"""Issue #13 cause 7: a PDF page costs its image share plus the text on it (``tokens._pdf``, via pypdf).

Checked on recorded requests (``../shared/real-traffic``): the same pydantic-ai request sent once with a
page reading "Dummy PDF file" and once with a page of 2,876 characters; the old flat page cost put the
text-heavy one 31.8% low. Built PDFs check the per-page text, the page cap, the digest cache and that a
malformed PDF falls back to the flat page cost (through the official SDK, never a 500).
"""

from __future__ import annotations

import base64
from typing import Any

import anthropic
import httpx2
import pytest

from benchmarks.token_pairs import Pair, open_pairs
from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.catalog import ModelSpec, resolve_model
from fakeclaude.server.tokens import _pdf, count_request_tokens, count_text_tokens
from fakeclaude.server.tokens._pdf import MAX_TEXT_PAGES, PAGE_TOKENS, pdf_page_texts, pdf_tokens
from tests.real_traffic import INTERACTIONS, absent_reason
from tests.server.pdf_support import build_pdf

MODEL = "claude-sonnet-4-5"
_HEAVY = "[tool_return_content-url_force_download-document-anthropic].yaml#2"
_LIGHT = "[tool_return_content-binary-document-anthropic].yaml#1"
recorded = pytest.mark.skipif(not INTERACTIONS.exists(), reason=absent_reason())


def _spec(model: str = MODEL) -> ModelSpec:
    spec = resolve_model(model)
    assert spec is not None
    return spec


def _pair(source_end: str) -> Pair:
    found = [p for p in open_pairs() if p.source.endswith(source_end)]
    assert found, source_end
    return found[0]


def _error(pair: Pair) -> float:
    return abs(count_request_tokens(pair.request, _spec(pair.model)) - pair.recorded) / pair.recorded


def _document_body(data: bytes) -> dict[str, Any]:
    source = {"type": "base64", "media_type": "application/pdf", "data": base64.b64encode(data).decode()}
    return {
        "model": MODEL,
        "max_tokens": 64,
        "messages": [
            {
                "role": "user",
                "content": [{"type": "document", "source": source}, {"type": "text", "text": "Sum up."}],
            }
        ],
    }


PROSE = "The quarterly report shows revenue growing in every region.\nCosts fell by a tenth.\n" * 20


@recorded
def test_a_text_heavy_recorded_page_costs_its_text() -> None:
    heavy, light = _pair(_HEAVY), _pair(_LIGHT)
    assert heavy.recorded - light.recorded > 1000  # same request, the page's text alone differs
    assert _error(heavy) < 0.15  # was 31.8% (a flat 1,590 per page)
    assert _error(light) < 0.02
    estimate = count_request_tokens(heavy.request, _spec()) - count_request_tokens(light.request, _spec())
    assert estimate > 500  # was 0


@recorded
def test_recorded_light_pages_keep_their_cost() -> None:
    pdfs = [
        p
        for p in open_pairs()
        if "application/pdf" in str(p.request) and "url_force_download" not in p.source
    ]
    assert len(pdfs) >= 15
    assert max(_error(p) for p in pdfs) < 0.03


def test_each_page_costs_the_image_share_plus_its_text() -> None:
    spec = _spec()
    data = build_pdf([PROSE, "", "Page three.\nThe end."])
    read = pdf_page_texts(data)
    assert read is not None and read[0] == 3
    assert "revenue growing" in read[1][0] and read[1][1] == ""
    tokens = pdf_tokens(data, lambda text: count_text_tokens(text, spec))
    assert tokens == 3 * PAGE_TOKENS + sum(count_text_tokens(t, spec) for t in read[1])
    assert tokens - 3 * PAGE_TOKENS > count_text_tokens(PROSE, spec) * 0.9
    light = count_request_tokens(_document_body(build_pdf(["", "", ""])), spec)
    assert count_request_tokens(_document_body(data), spec) - light == tokens - 3 * PAGE_TOKENS


def test_text_is_read_on_the_first_pages_only() -> None:
    data = build_pdf(["word " * 20] * (MAX_TEXT_PAGES + 5))
    read = pdf_page_texts(data)
    assert read is not None
    assert read[0] == MAX_TEXT_PAGES + 5 and len(read[1]) == MAX_TEXT_PAGES


def test_the_same_pdf_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = _pdf._read

    def counting(data: bytes) -> tuple[int, tuple[str, ...]] | None:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(_pdf, "_read", counting)
    data = build_pdf(["A page read once, whatever the number of turns that resend it."])
    first = pdf_page_texts(data)
    assert pdf_page_texts(bytes(bytearray(data))) == first  # equal bytes, another object
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("data", "pages"),
    [
        (b"%PDF-1.4\n not a pdf at all", 1),
        (build_pdf(["cut short"] * 2)[:120], 2),  # its page tree survives the cut
        (b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 4 >> endobj\n%%EOF", 4),
    ],
    ids=["garbage", "truncated", "page-tree-only"],
)
def test_a_malformed_pdf_costs_the_flat_page_cost(data: bytes, pages: int) -> None:
    assert pdf_tokens(data, lambda text: 10**6) == pages * PAGE_TOKENS


def test_a_malformed_pdf_through_the_sdk_is_counted_not_a_500() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock())
    client = anthropic.Anthropic(
        api_key="sk-test", http_client=httpx2.Client(transport=fake.httpx2_transport()), max_retries=0
    )
    body = _document_body(b"%PDF-1.7\n%\xe2\xe3 broken xref \x00\x01" * 50)
    counted = client.messages.count_tokens(model=MODEL, messages=body["messages"])
    assert counted.input_tokens == count_request_tokens(body, _spec())
    assert PAGE_TOKENS < counted.input_tokens < PAGE_TOKENS + 50
    heavy = _document_body(build_pdf([PROSE]))
    answered = client.messages.create(model=MODEL, max_tokens=16, messages=heavy["messages"])
    assert answered.usage.input_tokens == count_request_tokens(heavy, _spec()) > PAGE_TOKENS + 300
