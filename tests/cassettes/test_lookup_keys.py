"""A cassette's lookup of a request: the content encoding read however the headers come, the key kept."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx2
import pytest
from multidict import CIMultiDict

from fakeclaude.cassettes import store
from fakeclaude.cassettes.matching import content_encoding, decoded_body, decoded_request_body
from fakeclaude.cassettes.store import ClaudeCassette

BODY = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 8, "messages": [{"role": "user", "content": "Hi"}]}).encode()


@pytest.mark.parametrize("headers", [
    {"Content-Encoding": " GZIP "}, {"content-encoding": "gzip"},
    httpx2.Headers({"Content-Encoding": "gzip"}), CIMultiDict({"CONTENT-ENCODING": "gzip"}),
])
def test_the_content_encoding_is_found_in_any_case_and_undone(headers: object) -> None:
    assert content_encoding(headers) == "gzip"
    assert decoded_body(gzip.compress(BODY), content_encoding(headers)) == BODY
    body, stored = decoded_request_body(gzip.compress(BODY), headers)
    assert body == BODY and not {k.lower() for k in stored} & {"content-encoding", "content-length"}


def test_no_or_an_unknown_encoding_keeps_the_body_as_sent() -> None:
    assert content_encoding(httpx2.Headers({"content-type": "application/json"})) == ""
    assert decoded_body(BODY, "") is BODY and decoded_body(BODY, "br-unknown") is BODY
    assert decoded_body(b"not gzip", "gzip") == b"not gzip"


def test_a_cassette_computes_a_request_key_once_and_keeps_the_last_ones(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = store.request_key
    monkeypatch.setattr(store, "request_key", lambda *args, **kw: calls.append(args[2]) or real(*args, **kw))
    cassette = ClaudeCassette(tmp_path / "c.yaml", record_mode="none")
    uri = "https://api.anthropic.com/v1/messages"
    keys = [cassette.key("POST", uri, BODY) for _ in range(5)]
    assert len(calls) == 1 and keys == [real("POST", uri, BODY, cassette.match_names, cassette.ignore,
                                             scrub=cassette.scrubber.text)] * 5
    cassette.key("POST", uri + "?beta=true", BODY)
    assert len(calls) == 2  # another request: a key of its own (equal here: the query is not matched by default)
    big = json.dumps({"messages": [{"role": "user", "content": "x" * (store._KEPT_BODY_BYTES + 1)}]}).encode()
    cassette.key("POST", uri, big), cassette.key("POST", uri, big)
    assert len(calls) == 4  # a large body's key is not kept
    for n in range(store._KEPT_KEYS + 5):
        cassette.key("POST", uri, json.dumps({"n": n}).encode())
    assert len(cassette._keys) == store._KEPT_KEYS
