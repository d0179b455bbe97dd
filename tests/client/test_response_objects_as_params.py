"""A response's content goes back into ``messages`` as it is, on both clients: multi-turn tool loops."""

from __future__ import annotations

from typing import Any

import anthropic
import pytest

import fakeclaude
from fakeclaude.client._body import encode_body
from fakeclaude.server import FakeClaude, text, thinking, tool_use

from .dropin_support import MODEL, MODULES, async_client, sent_bodies, sync_client

WEATHER = {
    "name": "get_weather",
    "description": "The current weather in a city.",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
THINK = {"type": "enabled", "budget_tokens": 1024}
QUESTION = {"role": "user", "content": "What is the weather in Paris?"}


def _script(fake: FakeClaude) -> None:
    fake.reply(thinking("The user wants the weather."), text("Let me look."), tool_use("get_weather", {"city": "Paris"}))
    fake.reply("It is sunny in Paris.")


def _tool_results(message: Any) -> dict[str, Any]:
    calls = [block for block in message.content if block.type == "tool_use"]
    return {"role": "user", "content": [{"type": "tool_result", "tool_use_id": c.id, "content": "sunny"} for c in calls]}


@pytest.mark.parametrize("name", MODULES)
def test_tool_loop_sends_the_reply_blocks_back(name: str) -> None:
    fake = FakeClaude(seed=5)
    _script(fake)
    with sync_client(MODULES[name], fake) as client:
        messages: list[Any] = [QUESTION]
        first = client.messages.create(model=MODEL, max_tokens=2000, messages=messages, tools=[WEATHER], thinking=THINK)
        assert first.stop_reason == "tool_use"
        messages += [{"role": "assistant", "content": first.content}, _tool_results(first)]
        final = client.messages.create(model=MODEL, max_tokens=2000, messages=messages, tools=[WEATHER], thinking=THINK)
    assert final.stop_reason == "end_turn" and final.content[-1].text == "It is sunny in Paris."
    sent_back = sent_bodies(fake)[1]["messages"][1]
    # exactly what the API sent: the thinking signature kept (the fake checks it), no field the wire lacked
    assert sent_back == {"role": "assistant", "content": [b.model_dump(mode="json", exclude_unset=True) for b in first.content]}
    assert [b["type"] for b in sent_back["content"]] == ["thinking", "text", "tool_use"]
    assert "citations" not in sent_back["content"][1] and sent_back["content"][0]["signature"]


@pytest.mark.parametrize("name", MODULES)
async def test_async_tool_loop_sends_the_reply_blocks_back(name: str) -> None:
    fake = FakeClaude(seed=5)
    _script(fake)
    async with async_client(MODULES[name], fake) as client:
        messages: list[Any] = [QUESTION]
        first = await client.messages.create(model=MODEL, max_tokens=2000, messages=messages, tools=[WEATHER], thinking=THINK)
        messages += [{"role": "assistant", "content": first.content}, _tool_results(first)]
        final = await client.messages.create(model=MODEL, max_tokens=2000, messages=messages, tools=[WEATHER], thinking=THINK)
    assert final.content[-1].text == "It is sunny in Paris."
    assert sent_bodies(fake)[1]["messages"][1]["content"][2]["id"] == first.content[2].id


def test_both_clients_send_the_same_bytes_back() -> None:
    """The same conversation, replayed by each client against a fake with the same seed, gives equal bodies."""
    bodies = {}
    for name, module in MODULES.items():
        fake = FakeClaude(seed=9)
        _script(fake)
        with sync_client(module, fake) as client:
            first = client.messages.create(model=MODEL, max_tokens=2000, messages=[QUESTION], tools=[WEATHER], thinking=THINK)
            client.messages.create(model=MODEL, max_tokens=2000, tools=[WEATHER], thinking=THINK,
                                   messages=[QUESTION, {"role": "assistant", "content": first.content}, _tool_results(first)])
        bodies[name] = sent_bodies(fake)
    assert bodies["fakeclaude"] == bodies["anthropic"]


def test_sdk_objects_go_back_through_fakeclaude_and_the_other_way() -> None:
    fake = FakeClaude(seed=2)
    _script(fake)
    with sync_client(anthropic, fake) as sdk, sync_client(fakeclaude, fake) as ours:
        first = sdk.messages.create(model=MODEL, max_tokens=2000, messages=[QUESTION], tools=[WEATHER], thinking=THINK)
        final = ours.messages.create(model=MODEL, max_tokens=2000, tools=[WEATHER], thinking=THINK,
                                     messages=[QUESTION, {"role": "assistant", "content": first.content}, _tool_results(first)])
    assert final.content[-1].text == "It is sunny in Paris."  # type: ignore[union-attr]
    assert sent_bodies(fake)[1]["messages"][1]["content"][0]["signature"] == first.content[0].signature


def test_a_whole_message_and_to_param_are_accepted() -> None:
    fake = FakeClaude(seed=4)
    fake.reply("Paris.")
    fake.reply("Yes.")
    with sync_client(fakeclaude, fake) as client:
        first = client.messages.create(model=MODEL, max_tokens=50, messages=[QUESTION])
        client.messages.create(model=MODEL, max_tokens=50, messages=[QUESTION, first.to_param(), {"role": "user", "content": "Sure?"}])
    assert sent_bodies(fake)[1]["messages"][1] == {"role": "assistant", "content": [{"type": "text", "text": "Paris."}]}


def test_body_encoding_matches_the_sdk_and_refuses_what_json_refuses() -> None:
    from anthropic._utils._json import openapi_dumps

    block = anthropic.types.TextBlock.model_validate({"type": "text", "text": "hi", "citations": None})
    body = {"messages": [{"role": "assistant", "content": (b for b in [block])}], "n": (1, 2), "s": {"x"}}
    assert encode_body(body) == openapi_dumps({**body, "messages": [{"role": "assistant", "content": [block]}]})
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):
        encode_body({"x": object()})
