"""The recorded exchanges that used server tools or MCP, sent to the fake: the same tool, in the real shapes.

For every recorded 200 answer with a ``server_tool_use`` / ``mcp_tool_use``, the recorded request goes to
the fake (unscripted). The fake must accept it, and most of the time use the same tool first
(:data:`SAME_TOOL_FLOOR`; the misses are prompts only a real model would read as a reason to search, and
continuations the fake ends sooner). Every block the fake answers has a type and keys seen in the recordings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.http import HttpRequest
from tests.conformance._files import stand_in_files
from tests.real_traffic import INTERACTIONS, absent_reason, interactions

pytestmark = pytest.mark.skipif(not INTERACTIONS.exists(), reason=absent_reason())

SAME_TOOL_FLOOR = 0.85
_USES = ("server_tool_use", "mcp_tool_use")
_FIRST_SERVER = ("server_tool_use", "mcp_tool_use", "web_search_tool_result")


def _blocks(record: dict[str, Any]) -> list[dict[str, Any]]:
    if record.get("resp_json"):
        return list(record["resp_json"].get("content") or [])
    out = []
    for event in record.get("resp_sse") or []:
        data = event["data"] if isinstance(event["data"], dict) else json.loads(event["data"] or "{}")
        if data.get("type") == "content_block_start":
            out.append(data["content_block"])
    return out


def _recorded() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    found = []
    for record in interactions():
        url = record.get("url", "")
        if record.get("status") != 200 or not url.split("?")[0].endswith("/v1/messages"):
            continue
        blocks = _blocks(record)
        if any(b.get("type") in _USES for b in blocks):
            found.append((record, blocks))
    return found


def _first_server(blocks: list[dict[str, Any]]) -> tuple[str, str | None] | None:
    return next(((b["type"], b.get("name")) for b in blocks if b.get("type") in _FIRST_SERVER), None)


def _keys_by_type(records: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = defaultdict(set)
    for _, blocks in records:
        for block in blocks:
            keys[str(block.get("type"))] |= set(block)
    return keys


def test_recorded_server_tool_exchanges_get_the_same_tool_in_the_real_shapes() -> None:
    records = _recorded()
    assert len(records) >= 70
    recorded_keys = _keys_by_type(records)
    fake = FakeClaude(seed=0, clock=FakeClock())
    same, shapes = 0, []
    for record, blocks in records:
        body = {k: v for k, v in record["req_body"].items() if k != "stream"}
        stand_in_files(fake, body)  # the account's files a recording names are not recorded
        headers = {"x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json"}
        beta = record["req_headers"].get("anthropic-beta")
        if beta:
            headers["anthropic-beta"] = beta[0]
        query = {"beta": "true"} if "beta=true" in record["url"] else {}
        reply = fake.engine.handle(HttpRequest("POST", "/v1/messages", query, headers, json.dumps(body).encode()))
        assert reply.status == 200, (record["path"], reply.body[:300])
        answer = json.loads(reply.body)
        same += _first_server(answer["content"]) == _first_server(blocks)
        for block in answer["content"]:
            kind = str(block["type"])
            if kind in recorded_keys and not set(block) <= recorded_keys[kind] | {"citations"}:
                shapes.append((record["path"], kind, sorted(set(block) - recorded_keys[kind])))
        if any(b.get("type") in _USES for b in answer["content"]):
            assert "server_tool_use" in answer["usage"], record["path"]
    assert not shapes
    assert same / len(records) >= SAME_TOOL_FLOOR, f"{same}/{len(records)} used the recorded tool first"
