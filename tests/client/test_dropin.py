"""Code written for the official SDK runs on fakeclaude by changing the import, and does the same.

``SCENARIO`` is an application written against ``anthropic``: a multi-turn chat sending replies back,
structured output (parse and stream), the tool runner with ``@beta_tool`` tools, ``with_streaming_response``
and an error. It runs as written, then with its ``from anthropic`` lines changed to ``from fakeclaude``,
against two fakes with the same seed over loopback: the requests each fake received, and what the
application saw, must be the same.
"""

from __future__ import annotations

import textwrap
from typing import Any

from fakeclaude.server import FakeClaude, tool_use

SCENARIO = textwrap.dedent(
    '''
    import pydantic
    from anthropic import Anthropic, AsyncAnthropic, NotFoundError, beta_tool
    from anthropic.lib.tools import ToolError

    MODEL = "claude-haiku-4-5-20251001"


    class City(pydantic.BaseModel):
        name: str
        population: int


    @beta_tool
    def get_weather(city: str) -> str:
        """The weather in a city.

        Args:
            city: The city's name.
        """
        if city == "Atlantis":
            raise ToolError("no such city")
        return f"Sunny in {city}"


    def main(base_url: str) -> list:
        seen = []
        client = Anthropic(api_key="sk-ant-test", base_url=base_url, max_retries=0)
        history = [{"role": "user", "content": "Hello!"}]
        first = client.messages.create(model=MODEL, max_tokens=100, messages=history)
        history += [{"role": "assistant", "content": first.content}, {"role": "user", "content": "Tell me more."}]
        second = client.messages.create(model=MODEL, max_tokens=100, messages=history)
        seen.append([first.content[0].text, second.content[0].text, second.usage.input_tokens])

        city = client.messages.parse(model=MODEL, max_tokens=100, messages=history, output_format=City)
        with client.messages.stream(model=MODEL, max_tokens=100, messages=history, output_format=City) as stream:
            streamed = stream.get_final_message()
        seen.append([city.parsed_output, streamed.parsed_output])

        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=300, messages=[{"role": "user", "content": "Weather?"}],
            tools=[get_weather], thread=False,
        )
        seen.append([block.type for message in runner for block in message.content])
        seen.append(runner.until_done().content[0].text)

        with client.messages.with_streaming_response.create(model=MODEL, max_tokens=20, messages=history) as raw:
            seen.append([raw.status_code, raw.parse().id])
        try:
            client.models.retrieve("claude-none")
        except NotFoundError as exc:
            seen.append([exc.status_code, exc.body["error"]["type"]])
        return seen
    '''
)


def _run(source: str, fake: FakeClaude) -> list[Any]:
    namespace: dict[str, Any] = {"__name__": "scenario"}
    exec(compile(source, "scenario.py", "exec"), namespace)
    fake.reply("Hi!")
    fake.reply("More.")
    fake.reply('{"name": "Paris", "population": 2102650}')
    fake.reply('{"name": "Rome", "population": 2873000}')
    fake.reply(tool_use("get_weather", {"city": "Paris"}), tool_use("get_weather", {"city": "Atlantis"}))
    fake.reply("Sunny in Paris; Atlantis is not a city.")
    with fake.serve() as base_url:
        result: list[Any] = namespace["main"](base_url)
    return result


def test_sdk_code_runs_unchanged_on_fakeclaude() -> None:
    ported = SCENARIO.replace("from anthropic", "from fakeclaude")
    assert ported != SCENARIO and "anthropic" not in ported.replace("sk-ant", "")
    sdk_fake, ours_fake = FakeClaude(seed=21), FakeClaude(seed=21)
    sdk_seen = _run(SCENARIO, sdk_fake)
    ours_seen = _run(ported, ours_fake)
    assert ours_seen[1][0].name == "Paris" and ours_seen[1][1].name == "Rome"
    assert ours_seen[2] == ["tool_use", "tool_use", "text"] and ours_seen[-1] == [404, "not_found_error"]
    assert [str(x) for x in ours_seen] == [str(x) for x in sdk_seen]
    # the fake saw the same conversation from both (headers differ: user agent, API version)
    assert [(r.method, r.path, r.body) for r in ours_fake.requests] == [
        (r.method, r.path, r.body) for r in sdk_fake.requests
    ]
    results = ours_fake.requests[-3].body["messages"][-1]["content"]
    assert [r.get("is_error", False) for r in results] == [False, True]
