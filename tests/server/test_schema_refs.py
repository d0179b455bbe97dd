"""One reading of ``$ref`` for every part of the fake: structured-output checks, value checks and generation."""

from __future__ import annotations

import json
from typing import Any

import httpx2

from fakeclaude.server import FakeClaude
from fakeclaude.server.schema import matches

#: JSON pointers with an escaped key (``%20``, RFC 6901 §6) and an array index.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"a": {"$ref": "#/$defs/a%20b"}, "b": {"$ref": "#/$defs/list/1"}},
    "required": ["a", "b"],
    "additionalProperties": False,
    "$defs": {"a b": {"type": "string"}, "list": [{"type": "string"}, {"type": "integer"}]},
}


def test_structured_outputs_follow_the_refs_the_checker_follows() -> None:
    body = {"model": "claude-opus-4-8", "max_tokens": 256, "messages": [{"role": "user", "content": "Hi"}],
            "output_config": {"format": {"type": "json_schema", "schema": SCHEMA}}}
    fake = FakeClaude()
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake.local") as client:
        reply = client.post("/v1/messages", json=body, headers={"x-api-key": "k", "anthropic-version": "2023-06-01"})
    assert reply.status_code == 200, reply.text
    answer = json.loads(reply.json()["content"][0]["text"])
    assert matches(SCHEMA, answer, SCHEMA) and isinstance(answer["b"], int)
