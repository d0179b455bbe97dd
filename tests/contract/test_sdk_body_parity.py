"""For the same call, ``fakeclaude.Anthropic`` and the official SDK send the same JSON body.

Both clients run unchanged over an ``httpx2.MockTransport`` that records each request and answers with
an API-shaped reply (a Message, or a stream of its events); bodies are compared as parsed JSON, so
key order does not matter. The calls are ``messages.create`` (plain and streamed), ``messages.stream``
and ``messages.count_tokens``, with parameters from ``fakeclaude.strategies``.
"""

from __future__ import annotations

import json
import os
from typing import Any

import anthropic
import httpx2
import pytest
from hypothesis import given, settings

import fakeclaude
from fakeclaude.strategies import count_tokens_params, create_params
from fakeclaude.streaming import encode_event

PROPERTIES = settings(settings.get_profile(os.environ.get("FAKECLAUDE_PROPERTY_PROFILE", "contract")))
MESSAGE = {
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "claude-sonnet-4-6",
    "content": [{"type": "text", "text": "Hi."}], "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 9, "output_tokens": 2},
}  # fmt: skip
EVENTS = [
    ("message_start", {"type": "message_start", "message": {**MESSAGE, "content": [], "stop_reason": None}}),
    ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi."}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                       "usage": {"output_tokens": 2}}),
    ("message_stop", {"type": "message_stop"}),
]  # fmt: skip


class Recorder:
    """A mock Messages API: keeps every request body, answers as the API would."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        headers = {"request-id": "req_011CUR4k1f8ZWmq7Xv5t"}
        if request.url.path.endswith("/count_tokens"):
            return httpx2.Response(200, json={"input_tokens": 9}, headers=headers)
        if body.get("stream"):
            raw = b"".join(encode_event(name, data) for name, data in EVENTS)
            return httpx2.Response(200, content=raw, headers={**headers, "content-type": "text/event-stream"})
        return httpx2.Response(200, json=MESSAGE, headers=headers)


def clients() -> tuple[Recorder, anthropic.Anthropic, Recorder, fakeclaude.Anthropic]:
    theirs, ours = Recorder(), Recorder()
    sdk = anthropic.Anthropic(api_key="sk-ant-x", max_retries=0,
                              http_client=httpx2.Client(transport=httpx2.MockTransport(theirs)))  # fmt: skip
    fc = fakeclaude.Anthropic(api_key="sk-ant-x", max_retries=0,
                              http_client=httpx2.Client(transport=httpx2.MockTransport(ours)))  # fmt: skip
    return theirs, sdk, ours, fc


def call(client: Any, kind: str, body: dict[str, Any]) -> None:
    if kind == "stream helper":
        with client.messages.stream(**{k: v for k, v in body.items() if k != "stream"}) as stream:
            stream.get_final_message()
    elif kind == "count_tokens":
        client.messages.count_tokens(**body)
    else:
        result = client.messages.create(**body)
        if body.get("stream"):
            for _ in result:
                pass


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")  # the SDK's model notices
@PROPERTIES
@given(create_params(stream=None, api_version="2026-10-21"))
def test_create_sends_the_same_body_as_the_sdk(body: dict[str, Any]) -> None:
    theirs, sdk, ours, fc = clients()
    for kind in ("create", "stream helper"):
        call(sdk, kind, body)
        call(fc, kind, body)
    assert ours.bodies == theirs.bodies
    assert ours.bodies[0] == body  # and it is the body the app passed


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
@PROPERTIES
@given(count_tokens_params())
def test_count_tokens_sends_the_same_body_as_the_sdk(body: dict[str, Any]) -> None:
    theirs, sdk, ours, fc = clients()
    call(sdk, "count_tokens", body)
    call(fc, "count_tokens", body)
    assert ours.bodies == theirs.bodies == [body]
