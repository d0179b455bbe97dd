"""Regressions for what the Schemathesis run against the mirror (tests/contract/test_schemathesis.py) found,
each reproduced here directly on the served fake."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from fakeclaude.server import FakeClaude

HEADERS = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01"}


@pytest.fixture(scope="module")
def http() -> Iterator[httpx2.Client]:
    with FakeClaude(seed=0).serve() as base_url, httpx2.Client(base_url=base_url, headers=HEADERS, timeout=10) as client:
        yield client


@pytest.mark.parametrize("path", [
    "/v1/messages/batches/msgbatch_x%0A",  # a newline in a batch id
    "/v1/messages/batches/msgbatch_%0Ax/results",
    "/v1/models/claude%0Ax",  # and in a model id
    "/v1/models/claude%0Dx",  # a carriage return
    "/%0A",
])
def test_a_path_with_a_line_break_gets_the_apis_404(http: httpx2.Client, path: str) -> None:
    """aiohttp's catch-all route did not match a decoded line break, so its own text/plain 404 answered."""
    response = http.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.headers["request-id"].startswith("req_")
    body = response.json()
    assert body["type"] == "error" and body["error"]["type"] == "not_found_error"


@pytest.mark.parametrize("kind", ["tool_search_tool_bm25", "tool_search_tool_regex"])
@pytest.mark.parametrize("path", ["/v1/messages", "/v1/messages/count_tokens"])
def test_the_undated_tool_search_types_are_accepted(http: httpx2.Client, kind: str, path: str) -> None:
    """The tool search tools' undated ``type`` aliases (messages-api-2026.md §6.1; in the mirror's enum too)
    got the tagged-union 400 meant for unknown types."""
    body = {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Find a tool"}],
            "tools": [{"type": kind, "name": kind}]}
    if path == "/v1/messages":
        body["max_tokens"] = 64
    response = http.post(path, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["type" if path == "/v1/messages" else "input_tokens"]


CITATION = {"type": "web_search_result_location", "cited_text": "Paris is the capital.", "url": "https://example.com",
            "title": "Capitals", "encrypted_index": "Eo8BCioIAhgB"}


def _cited(citation: dict[str, object]) -> dict[str, object]:
    text = {"type": "text", "text": "Paris is the capital.", "citations": [citation]}
    return {"model": "claude-sonnet-4-5", "max_tokens": 32,
            "messages": [{"role": "user", "content": "Capital?"}, {"role": "assistant", "content": [text]},
                         {"role": "user", "content": "Thanks"}]}


def test_a_citation_with_its_fields_is_accepted(http: httpx2.Client) -> None:
    response = http.post("/v1/messages", json=_cited(CITATION))
    assert response.status_code == 200, response.text


def test_a_citation_missing_a_required_field_is_refused(http: httpx2.Client) -> None:
    """A citation was checked for its ``type`` only, so one without ``url`` got a 200."""
    citation = {k: v for k, v in CITATION.items() if k != "url"}
    response = http.post("/v1/messages", json=_cited(citation))
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "invalid_request_error",
        "message": "messages.1.content.0.text.citations.0.web_search_result_location.url: Field required",
    }


def test_a_citation_of_an_unknown_type_is_refused(http: httpx2.Client) -> None:
    response = http.post("/v1/messages", json=_cited({**CITATION, "type": "footnote"}))
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(
        "messages.1.content.0.text.citations.0: Input tag 'footnote' found using 'type' does not match any of the "
        "expected tags: 'char_location', ")
