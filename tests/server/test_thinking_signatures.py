"""Thinking blocks sent back in a tool loop: the fake's own signatures are checked, real ones pass."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeclaude.server import FakeClaude, FakeClock, text, thinking, tool_use
from fakeclaude.server.generation import THINKING_SECRET, sign_thinking, verify_signature

from .conftest import body_of, call

MODEL = "claude-sonnet-4-5"
WEATHER = {"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                                                   "required": ["city"]}}
QUESTION = {"role": "user", "content": "Weather in Paris?"}
THINK = {"type": "enabled", "budget_tokens": 2000}
TAMPERED = "messages.1.content.0: Invalid `signature` in `thinking` block"


def ask(fake: FakeClaude, messages: list[dict[str, Any]], **extra: Any) -> Any:
    body = {"model": MODEL, "max_tokens": 4000, "thinking": THINK, "tools": [WEATHER], "messages": messages, **extra}
    return call(fake, "POST", "/v1/messages", body)


def tool_loop(fake: FakeClaude, **extra: Any) -> list[dict[str, Any]]:
    """The first turn's content, answered by a tool call (thinking first)."""
    reply = ask(fake, [QUESTION], **extra)
    assert reply.status == 200, reply.body
    content: list[dict[str, Any]] = body_of(reply)["content"]
    assert content[0]["type"] == "thinking" and content[-1]["type"] == "tool_use"
    return content


def follow_up(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    use = content[-1]
    result = {"type": "tool_result", "tool_use_id": use["id"], "content": "18 C and sunny"}
    return [QUESTION, {"role": "assistant", "content": content}, {"role": "user", "content": [result]}]


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=3, clock=FakeClock())


def test_thinking_sent_back_unchanged_is_accepted(fake: FakeClaude) -> None:
    assert ask(fake, follow_up(tool_loop(fake))).status == 200


def test_thinking_sent_back_to_another_fake_is_accepted(fake: FakeClaude) -> None:
    assert ask(FakeClaude(seed=99, clock=FakeClock()), follow_up(tool_loop(fake))).status == 200


@pytest.mark.parametrize("edit", ["text", "signature"])
def test_tampered_thinking_gets_the_api_error(fake: FakeClaude, edit: str) -> None:
    content = tool_loop(fake)
    block = dict(content[0])
    if edit == "text":
        block["thinking"] = block["thinking"] + " Also, I like turtles."
    else:
        signature = block["signature"]
        # base64 character 40 is byte 30 of the envelope: inside the MAC
        block["signature"] = signature[:40] + ("A" if signature[40] != "A" else "B") + signature[41:]
    reply = ask(fake, follow_up([block, *content[1:]]))
    assert reply.status == 400
    assert body_of(reply)["error"] == {"type": "invalid_request_error", "message": TAMPERED}


def test_omitted_display_comes_back_empty_and_is_accepted(fake: FakeClaude) -> None:
    content = tool_loop(fake, thinking={**THINK, "display": "omitted"})
    assert content[0]["thinking"] == "" and content[0]["signature"]
    assert ask(fake, follow_up(content), thinking={**THINK, "display": "omitted"}).status == 200


def test_real_signatures_are_not_checked(fake: FakeClaude) -> None:
    content = tool_loop(fake)
    real = {"type": "thinking", "thinking": "anything at all", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}
    assert ask(fake, follow_up([real, *content[1:]])).status == 200


def test_scripted_thinking_text_is_signed_as_scripted(fake: FakeClaude) -> None:
    fake.reply(thinking("The user wants Paris weather; call the tool."), text("Checking."),
               tool_use("get_weather", {"city": "Paris"}))
    content = tool_loop(fake)
    assert content[0]["thinking"] == "The user wants Paris weather; call the tool."
    assert ask(fake, follow_up(content)).status == 200


def test_thinking_cut_by_max_tokens_is_signed_as_cut(fake: FakeClaude) -> None:
    fake.reply(thinking("word " * 2000), text("Done."))
    reply = call(fake, "POST", "/v1/messages", {"model": MODEL, "max_tokens": 1100, "thinking": {**THINK, "budget_tokens": 1024},
                                                 "messages": [QUESTION]})
    message = body_of(reply)
    assert message["stop_reason"] == "max_tokens"
    block = message["content"][0]
    assert block["type"] == "thinking" and len(block["thinking"]) < len("word " * 2000)
    history = [QUESTION, {"role": "assistant", "content": [block]}]
    assert call(fake, "POST", "/v1/messages", {"model": MODEL, "max_tokens": 1100, "thinking": {**THINK, "budget_tokens": 1024},
                                               "messages": [*history, {"role": "user", "content": "go on"}]}).status == 200


@given(data=st.data())
@settings(max_examples=200, deadline=None)
def test_any_changed_character_of_a_signature_is_caught(data: st.DataObject) -> None:
    thinking_text = "Let me think about the weather in Paris."
    signature = sign_thinking(thinking_text, THINKING_SECRET)
    assert "=" not in signature  # no spare bits in the last character: every character change changes a byte
    position = data.draw(st.integers(0, len(signature) - 1))
    replacement = data.draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
    changed = signature[:position] + replacement + signature[position + 1:]
    assert verify_signature(thinking_text, changed, THINKING_SECRET) == (changed == signature)
    assert verify_signature("", changed, THINKING_SECRET) == (changed == signature)
