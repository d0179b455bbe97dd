"""The default for unscripted tool calls is safe for agents that execute tools: a tool only when the last user
turn asks for it, one call unless parallel calls are asked for, text otherwise; forced choices still force and
loops end. The old call-every-tool behaviour stays available (``tool_policy="every"``, ``serve --tool-policy``)."""

from __future__ import annotations

from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.cli import main
from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.tool_policy import choose_tools, relevance

MODEL = "claude-sonnet-4-6"


def tool(name: str, description: str, **props: Any) -> dict[str, Any]:
    properties = {key: {"type": "string", "description": value} for key, value in props.items()}
    return {"name": name, "description": description,
            "input_schema": {"type": "object", "properties": properties, "required": list(properties)}}


# Ten tools shaped like a coding agent's (names and long descriptions, written for this test).
AGENT_TOOLS = [
    tool("Bash", "Executes a given bash command in a persistent shell session with optional timeout. Use it for "
         "terminal operations like git, npm and docker; do not use it to read or write files.", command="the command"),
    tool("Read", "Reads a file from the local filesystem. The file_path parameter must be an absolute path. "
         "By default it reads up to 2000 lines from the beginning of the file.", file_path="absolute path"),
    tool("Write", "Writes a file to the local filesystem, overwriting the existing file if there is one.",
         file_path="absolute path", content="the content"),
    tool("Edit", "Performs exact string replacements in files. The edit will fail if old_string is not unique.",
         file_path="path", old_string="text", new_string="text"),
    tool("Glob", "Fast file pattern matching tool that works with any codebase size, returns matching file paths "
         "sorted by modification time.", pattern="glob pattern"),
    tool("Grep", "A powerful search tool built on ripgrep; supports full regex syntax and filters files by glob.",
         pattern="regex"),
    tool("Task", "Launch a new agent to handle complex, multi-step tasks autonomously.", prompt="the task"),
    tool("TodoWrite", "Create and manage a structured task list for your current coding session.", todos="items"),
    tool("WebFetch", "Fetches content from a specified URL and processes it using an AI model.", url="the URL"),
    tool("WebSearch", "Allows searching the web and using the results to inform responses with current events.",
         query="the query"),
]
WEATHER = tool("get_weather", "Get the current weather in a given city", city="the city")
TIME = tool("get_time", "Get the current local time in a given city", city="the city")


def sdk(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-test", http_client=httpx2.Client(transport=fake.httpx2_transport()),
                               max_retries=0)


def ask(fake: FakeClaude, text: str, tools: list[dict[str, Any]], **extra: Any) -> anthropic.types.Message:
    return sdk(fake).messages.create(model=MODEL, max_tokens=512, tools=tools,  # type: ignore[arg-type]
                                     messages=[{"role": "user", "content": text}], **extra)


def calls(message: anthropic.types.Message) -> list[str]:
    return [b.name for b in message.content if b.type == "tool_use"]


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=4, clock=FakeClock())


def test_say_hi_with_ten_agent_tools_gets_text(fake: FakeClaude) -> None:
    message = ask(fake, "say hi", AGENT_TOOLS)
    assert calls(message) == [] and message.stop_reason == "end_turn"
    assert [b.type for b in message.content] == ["text"]


@pytest.mark.parametrize(("text", "expected"), [
    ("What's the weather in Paris?", ["get_weather"]),
    ("What time is it in Tokyo right now?", ["get_time"]),
    ("Please read the file /repo/README.md", ["Read"]),
    ("Search the web for the latest Python release", ["WebSearch"]),
    ("Tell me a joke about penguins", []),
])
def test_a_tool_is_called_only_when_the_turn_asks_for_it(fake: FakeClaude, text: str, expected: list[str]) -> None:
    message = ask(fake, text, [*AGENT_TOOLS, WEATHER, TIME])
    assert calls(message) == expected
    assert message.stop_reason == ("tool_use" if expected else "end_turn")


def test_parallel_calls_only_when_asked(fake: FakeClaude) -> None:
    one = ask(fake, "What is the weather and the time in Rome?", [WEATHER, TIME])
    assert len(calls(one)) == 1
    both = ask(fake, "In parallel, get the weather and the time in Rome.", [WEATHER, TIME])
    assert sorted(calls(both)) == ["get_time", "get_weather"]
    single = ask(fake, "In parallel, get the weather and the time in Rome.", [WEATHER, TIME],
                 tool_choice={"type": "auto", "disable_parallel_tool_use": True})
    assert len(calls(single)) == 1


def test_forced_tool_choice_still_forces(fake: FakeClaude) -> None:
    assert calls(ask(fake, "say hi", AGENT_TOOLS, tool_choice={"type": "tool", "name": "Glob"})) == ["Glob"]
    assert calls(ask(fake, "say hi", AGENT_TOOLS, tool_choice={"type": "any"})) == ["Bash"]
    assert calls(ask(fake, "read a file", AGENT_TOOLS, tool_choice={"type": "any"})) == ["Read"]
    assert calls(ask(fake, "What's the weather?", [WEATHER], tool_choice={"type": "none"})) == []


def test_an_agent_loop_terminates(fake: FakeClaude) -> None:
    messages: list[Any] = [{"role": "user", "content": "What's the weather in Oslo?"}]
    for _ in range(5):
        reply = sdk(fake).messages.create(model=MODEL, max_tokens=512, tools=[WEATHER],  # type: ignore[list-item]
                                          messages=messages)
        if reply.stop_reason != "tool_use":
            break
        messages += [{"role": "assistant", "content": reply.content},
                     {"role": "user", "content": [{"type": "tool_result", "tool_use_id": b.id, "content": "cold"}
                                                  for b in reply.content if b.type == "tool_use"]}]
    assert reply.stop_reason == "end_turn" and len(messages) == 3


def test_deferred_tools_are_not_called_unless_forced(fake: FakeClaude) -> None:
    deferred = {**WEATHER, "defer_loading": True}
    assert calls(ask(fake, "What's the weather in Paris?", [deferred, TIME])) == []
    assert calls(ask(fake, "say hi", [deferred], tool_choice={"type": "tool", "name": "get_weather"})) == ["get_weather"]


def test_every_policy_keeps_the_old_behaviour() -> None:
    fake = FakeClaude(seed=4, tool_policy="every")
    assert sorted(calls(ask(fake, "say hi", [WEATHER, TIME]))) == ["get_time", "get_weather"]


def test_relevance_rule() -> None:
    assert relevance(WEATHER, "weather in Paris") == (1, 1)
    assert relevance({"name": "TodoWrite"}, "write my todo list") == (2, 0)
    assert relevance(AGENT_TOOLS[0], "hello there") == (0, 0)
    assert choose_tools([WEATHER, TIME], {"type": "auto"}, "weather please", answered=True) == []


def test_serve_accepts_the_tool_policy_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[FakeClaude] = []

    def fake_serve_forever(engine: Any, host: str, port: int, **kwargs: Any) -> None:
        built.append(engine)

    monkeypatch.setattr("fakeclaude.server.adapters.runner.serve_forever", fake_serve_forever)
    assert main(["serve", "--port", "0", "--tool-policy", "every"]) == 0
    assert built[0].config.tool_policy == "every"
    with pytest.raises(SystemExit):
        main(["serve", "--tool-policy", "sometimes"])
