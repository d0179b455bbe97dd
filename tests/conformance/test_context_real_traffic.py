"""The recorded real exchanges with context management or compaction, replayed against the fake.

Each gets the real verdict and shape: a 200, ``context_management.applied_edits`` as recorded, the
content block types (a ``compaction`` block first where the real answer had one), the ``usage.iterations``
entry types, the stop reason; a conversation that sends a compaction block back is counted from it
(the real API counted 239 and 136 tokens for prompts of 55k and a few hundred). Streams: the recorded
event sequence of a compaction (``content_block_start`` with ``content: null``, one ``compaction_delta``),
``context_management`` and ``usage.iterations`` on ``message_delta``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock
from tests.real_traffic import INTERACTIONS, absent_reason, interactions

pytestmark = pytest.mark.skipif(not INTERACTIONS.exists(), reason=absent_reason())


def _rows() -> list[dict[str, Any]]:
    out = []
    for row in interactions():
        url = httpx2.URL(row["url"])
        if url.host != "api.anthropic.com" or url.path != "/v1/messages" or not isinstance(row.get("req_body"), dict):
            continue
        answer = row.get("resp_json") or {}
        if row.get("resp_sse"):
            answer = next((e["data"] for e in row["resp_sse"] if e["event"] == "message_delta"), {})
        if "context_management" in answer:
            out.append(row)
    return out


def _send(row: Mapping[str, Any]) -> httpx2.Response:
    headers = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01", "content-type": "application/json"}
    beta = row.get("req_headers", {}).get("anthropic-beta")
    if beta:
        headers["anthropic-beta"] = ", ".join(beta) if isinstance(beta, list) else str(beta)
    fake = FakeClaude(seed=3, clock=FakeClock())
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="https://api.anthropic.com") as client:
        response = client.post("/v1/messages", params=dict(httpx2.URL(row["url"]).params), headers=headers,
                               content=json.dumps(row["req_body"]).encode())
        response.read()
        return response


def _events(raw: bytes) -> list[dict[str, Any]]:
    return [json.loads(line[len("data: "):]) for line in raw.decode().split("\n") if line.startswith("data: ")]


def _streamed(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The message a stream adds up to (content types, compaction text, stop, usage, context_management)."""
    message = dict(next(e["message"] for e in events if e["type"] == "message_start"))
    message["content"] = []
    for event in events:
        if event["type"] == "content_block_start":
            message["content"].append(dict(event["content_block"]))
        elif event["type"] == "content_block_delta" and event["delta"]["type"] == "compaction_delta":
            message["content"][event["index"]]["content"] = event["delta"]["content"]
        elif event["type"] == "message_delta":
            message.update(event["delta"])
            message["usage"] = {**message["usage"], **event["usage"]}
            if "context_management" in event:
                message["context_management"] = event["context_management"]
    return message


def test_every_recorded_context_management_exchange_agrees() -> None:
    rows = _rows()
    assert len(rows) >= 8, "the recordings with context_management shrank"
    compared = {"compaction": 0, "continued": 0, "streamed": 0}
    for row in rows:
        where = f"{row['repo']} {row['path']}#{row['idx']}"
        response = _send(row)
        assert response.status_code == 200, f"{where}: {response.text[:300]}"
        if row.get("resp_sse"):
            events = _events(response.content)
            real_events = [e["data"] for e in row["resp_sse"]]
            message, real = _streamed(events), _streamed(real_events)
            starts = [e["content_block"] for e in events if e["type"] == "content_block_start"]
            if starts and starts[0]["type"] == "compaction":
                assert starts[0] == {"type": "compaction", "content": None}, where
                deltas = [e["delta"]["type"] for e in events if e["type"] == "content_block_delta" and e["index"] == 0]
                assert deltas == ["compaction_delta"], where
            compared["streamed"] += 1
        else:
            message, real = response.json(), row["resp_json"]
        assert message["context_management"] == real["context_management"], where
        assert [b["type"] for b in message["content"]][:1] == [b["type"] for b in real["content"]][:1] or \
            real["content"][0]["type"] != "compaction", where
        if real["content"][0]["type"] == "compaction":
            assert isinstance(message["content"][0]["content"], str) and message["content"][0]["content"], where
            compared["compaction"] += 1
        real_iterations = [i["type"] for i in real["usage"].get("iterations") or []]
        assert [i["type"] for i in message["usage"].get("iterations") or []] == real_iterations, where
        if real_iterations:
            last = message["usage"]["iterations"][-1]
            assert (last["input_tokens"], last["output_tokens"]) == (message["usage"]["input_tokens"],
                                                                     message["usage"]["output_tokens"]), where
        if (real.get("stop_reason") or "end_turn") in ("end_turn", "compaction"):
            assert message["stop_reason"] == real["stop_reason"], where
        sent_back = any(b.get("type") == "compaction" for m in row["req_body"]["messages"] if isinstance(m["content"], list)
                        for b in m["content"])
        if sent_back:
            assert real["usage"]["input_tokens"] < 300 and message["usage"]["input_tokens"] < 300, where
            compared["continued"] += 1
    assert compared == {"compaction": 3, "continued": 2, "streamed": 2}, compared
