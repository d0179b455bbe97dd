"""``client.beta.messages.tool_runner`` with ``@beta_tool`` tools, to a final answer, on both clients.

These run the full-history loop (``thread=False`` on both clients), whose requests show the whole
conversation; the threaded default is tested in ``test_threads.py``.
"""

from __future__ import annotations

import logging
from typing import Any

import anthropic
import pydantic
import pytest

import fakeclaude
from fakeclaude.lib.tools import ToolError
from fakeclaude.server import FakeClaude, tool_use

from .dropin_support import MODEL, MODULES, async_client, sent_bodies, sync_client

QUESTION = [{"role": "user", "content": "What is the weather in Paris, in celsius?"}]
FULL_HISTORY = {"thread": False}  # both runners thread by default; these tests read the whole conversation


def _tools(module: Any) -> list[Any]:
    @module.beta_tool
    def get_weather(city: str, unit: str = "c") -> str:
        """The current weather in a city.

        Args:
            city: The city's name.
            unit: "c" or "f".
        """
        return f"Sunny, 21 degrees {unit} in {city}"

    @module.beta_tool(name="convert")
    def to_fahrenheit(celsius: float) -> str:
        """Celsius to Fahrenheit."""
        return str(celsius * 9 / 5 + 32)

    return [get_weather, to_fahrenheit]


def _script(fake: FakeClaude) -> None:
    fake.reply(tool_use("get_weather", {"city": "Paris"}))
    fake.reply(tool_use("convert", {"celsius": 21}), tool_use("get_weather", {"city": "Lyon", "unit": "f"}))
    fake.reply("It is sunny and 21 degrees in Paris.")


def _extra(name: str) -> dict[str, Any]:
    return FULL_HISTORY


def test_beta_tool_definitions_are_the_sdks() -> None:
    assert [t.to_dict() for t in _tools(fakeclaude)] == [t.to_dict() for t in _tools(anthropic)]
    tool = _tools(fakeclaude)[0]
    assert tool("Rome") == "Sunny, 21 degrees c in Rome"
    assert tool.call({"city": "Rome", "unit": "f"}) == "Sunny, 21 degrees f in Rome"
    with pytest.raises(ValueError, match="Invalid arguments for function get_weather"):
        tool.call({"unit": "f"})


@pytest.mark.parametrize("name", MODULES)
def test_runner_reaches_the_final_answer(name: str) -> None:
    fake = FakeClaude(seed=7)
    _script(fake)
    with sync_client(MODULES[name], fake) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=500, messages=QUESTION, tools=_tools(MODULES[name]), betas=["b-1"], **_extra(name)
        )
        replies = list(runner)
        final = runner.until_done()
    assert [r.stop_reason for r in replies] == ["tool_use", "tool_use", "end_turn"]
    assert final.content[0].text == "It is sunny and 21 degrees in Paris."
    last = sent_bodies(fake)[-1]["messages"]
    assert [m["role"] for m in last] == ["user", "assistant", "user", "assistant", "user"]
    results = last[4]["content"]
    assert [r["content"] for r in results] == ["69.8", "Sunny, 21 degrees f in Lyon"]
    assert [r["tool_use_id"] for r in results] == [b.id for b in replies[1].content]
    for request in fake.requests:
        assert request.headers["x-stainless-helper"] == "BetaToolRunner"
        assert request.headers["anthropic-beta"] == "b-1"


def test_both_runners_send_the_same_requests() -> None:
    bodies = {}
    for name, module in MODULES.items():
        fake = FakeClaude(seed=7)
        _script(fake)
        with sync_client(module, fake) as client:
            client.beta.messages.tool_runner(
                model=MODEL, max_tokens=500, messages=QUESTION, tools=_tools(module), **_extra(name)
            ).until_done()
        bodies[name] = sent_bodies(fake)
    assert len(bodies["fakeclaude"]) == 3 and bodies["fakeclaude"] == bodies["anthropic"]


@pytest.mark.parametrize("name", MODULES)
async def test_async_runner_with_async_tools(name: str) -> None:
    module = MODULES[name]
    fake = FakeClaude(seed=7)
    fake.reply(tool_use("lookup", {"city": "Paris"}))
    fake.reply("Paris has 2.1 million people.")

    @module.beta_async_tool
    async def lookup(city: str) -> str:
        """Look a city up."""
        return f"{city}: 2.1 million"

    async with async_client(module, fake) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=500, messages=QUESTION, tools=[lookup], **_extra(name)
        )
        replies = [message async for message in runner]
    assert replies[-1].content[0].text == "Paris has 2.1 million people."
    assert sent_bodies(fake)[-1]["messages"][2]["content"][0]["content"] == "Paris: 2.1 million"


@pytest.mark.parametrize("name", MODULES)
def test_streaming_runner_yields_a_stream_per_turn(name: str) -> None:
    fake = FakeClaude(seed=7)
    _script(fake)
    with sync_client(MODULES[name], fake) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=500, messages=QUESTION, tools=_tools(MODULES[name]), stream=True, **_extra(name)
        )
        texts = ["".join(stream.text_stream) for stream in runner]
    assert texts == ["", "", "It is sunny and 21 degrees in Paris."]
    assert all(r.body["stream"] is True for r in fake.requests)
    assert fake.requests[0].headers["x-stainless-stream-helper"] == "beta.messages"


@pytest.mark.parametrize("name", MODULES)
def test_tool_failures_are_sent_as_error_results(name: str, caplog: pytest.LogCaptureFixture) -> None:
    module = MODULES[name]
    fake = FakeClaude(seed=7)
    fake.reply(tool_use("fragile", {"how": "tool_error"}), tool_use("fragile", {"how": "crash"}), tool_use("missing", {}))
    fake.reply("Done.")

    @module.beta_tool
    def fragile(how: str) -> str:
        """Fails."""
        if how == "tool_error":
            raise (ToolError if module is fakeclaude else anthropic.lib.tools.ToolError)("not allowed")
        raise RuntimeError("boom")

    with sync_client(module, fake) as client, pytest.warns(UserWarning, match="Tool 'missing' not found"), \
            caplog.at_level(logging.CRITICAL):
        client.beta.messages.tool_runner(
            model=MODEL, max_tokens=500, messages=QUESTION, tools=[fragile], **_extra(name)
        ).until_done()
    results = sent_bodies(fake)[-1]["messages"][2]["content"]
    assert [(r["content"], r.get("is_error")) for r in results] == [
        ("not allowed", True),
        ("RuntimeError('boom')", True),
        ("Error: Tool 'missing' not found", True),
    ]


@pytest.mark.parametrize("name", MODULES)
def test_max_iterations_stops_the_run(name: str) -> None:
    fake = FakeClaude(seed=7)
    _script(fake)
    with sync_client(MODULES[name], fake) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=500, messages=QUESTION, tools=_tools(MODULES[name]), max_iterations=1, **_extra(name)
        )
        only = list(runner)
    assert len(only) == 1 and len(fake.requests) == 1


@pytest.mark.parametrize("name", MODULES)
def test_the_application_may_answer_a_tool_call_itself(name: str) -> None:
    fake = FakeClaude(seed=7)
    fake.reply(tool_use("get_weather", {"city": "Paris"}))
    fake.reply("Rainy then.")
    with sync_client(MODULES[name], fake) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=500, messages=QUESTION, tools=_tools(MODULES[name]), **_extra(name)
        )
        for message in runner:
            if message.stop_reason == "tool_use":
                computed = runner.generate_tool_call_response()
                assert computed["content"][0]["content"] == "Sunny, 21 degrees c in Paris"
                call = message.content[0]
                own = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "Rain"}]}
                runner.append_messages(message, own)
    sent = sent_bodies(fake)[-1]["messages"]
    assert len(sent) == 3 and sent[2]["content"][0]["content"] == "Rain"


def test_runner_with_an_output_format_and_over_loopback() -> None:
    class Answer(pydantic.BaseModel):
        city: str
        degrees: int

    fake = FakeClaude(seed=7)
    fake.reply(tool_use("get_weather", {"city": "Paris"}))
    fake.reply('{"city": "Paris", "degrees": 21}')
    with sync_client(fakeclaude, fake, loopback=True) as client:
        final = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=500, messages=QUESTION, tools=_tools(fakeclaude), output_format=Answer,
            **FULL_HISTORY,
        ).until_done()
    assert final.parsed_output == Answer(city="Paris", degrees=21)
    assert "format" in fake.requests[-1].body["output_config"]
    assert fake.requests[-1].query == {}  # as the SDK (2.17) sends it: no ?beta=true


def test_runner_refuses_a_thread_it_cannot_keep() -> None:
    client = FakeClaude().client()
    with pytest.raises(TypeError, match="thread=False"):
        client.beta.messages.tool_runner(
            model=MODEL, max_tokens=10, messages=QUESTION, tools=[], thread={"type": "create"}  # type: ignore[typeddict-item]
        )


def _eager_run(module: Any, *, hold: str | None = None, read: bool = True) -> tuple[list[Any], list[Any], Any]:
    """One eager streaming run: what happened, in order (events read, tools run), the calls held at the end of
    the first reply, and the conversation sent."""
    seen: list[Any] = []

    @module.beta_tool
    def get_weather(city: str) -> str:
        """The weather in a city."""
        seen.append(("ran", city))
        return f"Sunny in {city}"

    @module.beta_tool
    def delete_file(path: str) -> str:
        """Delete a file."""
        seen.append(("ran", path))
        return "deleted"

    fake = FakeClaude(seed=4)
    fake.reply(tool_use("get_weather", {"city": "Paris"}), tool_use("delete_file", {"path": "/tmp/x"}),
               tool_use("get_weather", {"city": "Rome"}))
    fake.reply("Done.")
    held: list[Any] = []
    with sync_client(module, fake) as client:
        runner = client.beta.messages.tool_runner(model=MODEL, max_tokens=300, messages=QUESTION, stream=True,
                                                  run_tools_eagerly=True, tools=[get_weather, delete_file])
        for stream in runner:
            for event in stream if read else ():
                seen.append(event.type)
                if hold and event.type == "content_block_start" and event.content_block.type == "tool_use" \
                        and event.content_block.name == hold:
                    runner.defer_tool_call(event.content_block)
            held.append([call.name for call in runner.deferred_tool_calls])
            seen.append("reply done")
    return seen, held, sent_bodies(fake)[-1]["messages"]


@pytest.mark.parametrize(("hold", "read"), [(None, True), ("delete_file", True), (None, False)])
def test_run_tools_eagerly_runs_each_call_while_the_reply_streams_as_the_sdk(hold: str | None, read: bool) -> None:
    """Each call runs once the model moved on from it (the next block's start, or ``stop_reason: tool_use``),
    when the event after that one is asked for; a held call (``defer_tool_call``) and the rest run with the tool
    response, whose results reuse those that ran. Unread streams run their calls as ``get_final_message`` reads."""
    ours, theirs = _eager_run(fakeclaude, hold=hold, read=read), _eager_run(anthropic, hold=hold, read=read)
    assert ours == theirs
    seen, held, sent = ours
    ran = [item for item in seen if isinstance(item, tuple)]
    assert ran == [("ran", "Paris"), ("ran", "/tmp/x"), ("ran", "Rome")] if hold is None else \
        [("ran", "Paris"), ("ran", "Rome"), ("ran", "/tmp/x")]
    if read and hold is None:  # Paris ran after the next block started, before the event after it was handed over
        assert seen.index(("ran", "Paris")) == seen.index("content_block_start", 2) + 1
    assert held[0] == ([hold] if hold else []) and held[1] == []
    assert [block["content"] for block in sent[-1]["content"]] == ["Sunny in Paris", "deleted", "Sunny in Rome"]


def test_run_tools_eagerly_needs_a_stream() -> None:
    for module in (anthropic, fakeclaude):
        client = module.Anthropic(api_key="k")
        with pytest.raises(ValueError, match="mutually exclusive"):
            client.beta.messages.tool_runner(model=MODEL, max_tokens=10, messages=QUESTION, tools=[], run_tools_eagerly=True)


async def _async_eager_run(module: Any) -> list[Any]:
    seen: list[Any] = []

    @module.beta_async_tool
    async def get_weather(city: str) -> str:
        """The weather in a city."""
        seen.append(("ran", city))
        return f"Sunny in {city}"

    fake = FakeClaude(seed=4)
    fake.reply(tool_use("get_weather", {"city": "Paris"}), tool_use("get_weather", {"city": "Rome"}))
    fake.reply("Done.")
    async with async_client(module, fake) as client:
        runner = client.beta.messages.tool_runner(model=MODEL, max_tokens=300, messages=QUESTION, stream=True,
                                                  run_tools_eagerly=True, tools=[get_weather])
        async for stream in runner:
            async for event in stream:
                seen.append(event.type)
    return seen


async def test_run_tools_eagerly_on_the_async_runner_as_the_sdk() -> None:
    ours, theirs = await _async_eager_run(fakeclaude), await _async_eager_run(anthropic)
    assert ours == theirs
    assert ours.index(("ran", "Paris")) == ours.index("content_block_start", 2) + 1


def _changing_tools_run(module: Any, threaded: bool) -> tuple[list[Any], list[Any]]:
    """A run whose tools change between replies: the requests' messages, and the tool results sent."""
    @module.beta_tool
    def get_weather(city: str) -> str:
        """The weather in a city."""
        return f"Sunny in {city}"

    @module.beta_tool
    def convert(celsius: float) -> str:
        """Celsius to Fahrenheit."""
        return str(celsius * 9 / 5 + 32)

    fake = FakeClaude(seed=4)
    fake.reply(tool_use("get_weather", {"city": "Paris"}))
    fake.reply(tool_use("convert", {"celsius": 21}))
    fake.reply("70 degrees.")
    with sync_client(module, fake) as client, pytest.warns(UserWarning, match="not found in tool runner"):
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=300, messages=QUESTION, tools=[get_weather],
            betas=["mid-conversation-tool-changes-2026-07-01", "inline-tools-2026-09-15"],
            **({} if threaded else FULL_HISTORY))
        for number, message in enumerate(runner):
            if number == 0:
                runner.add_tools(convert, {"type": "web_search_20250305", "name": "web_search"})
                runner.remove_tools("get_weather")  # its call in this reply now gets the unknown-tool result
            assert message.stop_reason in ("tool_use", "end_turn")
    bodies = sent_bodies(fake)
    results = [block for body in bodies for m in body["messages"] if m["role"] == "user" and isinstance(m["content"], list)
               for block in m["content"] if block.get("type") == "tool_result"]
    return [body["messages"] for body in bodies], results


@pytest.mark.parametrize("threaded", [True, False])
def test_add_tools_and_remove_tools_change_the_tools_mid_run_as_the_sdk(threaded: bool) -> None:
    """``add_tools`` / ``remove_tools`` send ``tool_addition`` / ``tool_removal`` blocks in a system turn before
    the next request, and change what runs at once (a removed tool's call gets the unknown-tool result)."""
    ours, theirs = _changing_tools_run(fakeclaude, threaded), _changing_tools_run(anthropic, threaded)
    assert ours == theirs
    messages, results = ours
    system = [m for m in messages[1] if m["role"] == "system"]
    assert [block["type"] for block in system[0]["content"]] == ["tool_addition", "tool_addition", "tool_removal"]
    assert results[0]["is_error"] is True and results[-1]["content"] == "69.8"


async def _async_changing_tools_run(module: Any) -> list[Any]:
    @module.beta_async_tool
    async def get_weather(city: str) -> str:
        """The weather in a city."""
        return f"Sunny in {city}"

    @module.beta_async_tool
    async def convert(celsius: float) -> str:
        """Celsius to Fahrenheit."""
        return str(celsius * 9 / 5 + 32)

    fake = FakeClaude(seed=4)
    fake.reply(tool_use("get_weather", {"city": "Paris"}))
    fake.reply(tool_use("convert", {"celsius": 21}))
    fake.reply("70 degrees.")
    async with async_client(module, fake) as client:
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=300, messages=QUESTION, tools=[get_weather], stream=True,
            betas=["mid-conversation-tool-changes-2026-07-01", "inline-tools-2026-09-15"])
        number = 0
        async for stream in runner:
            await stream.get_final_message()
            if number == 0:
                runner.add_tools(convert)
                runner.remove_tools(get_weather)
            number += 1
    return [body["messages"] for body in sent_bodies(fake)]


async def test_add_tools_and_remove_tools_on_the_async_streaming_runner_as_the_sdk() -> None:
    with pytest.warns(UserWarning, match="not found in tool runner"):
        ours, theirs = await _async_changing_tools_run(fakeclaude), await _async_changing_tools_run(anthropic)
    assert ours == theirs and [m["role"] for m in ours[1]] == ["user", "system"]
