"""Simon Willison's ``llm`` with the ``llm-anthropic`` plugin against ``fakeclaude serve``.

The plugin's SDK client reads ``ANTHROPIC_BASE_URL``; the key is the harness's ``ANTHROPIC_API_KEY`` and
``LLM_USER_PATH`` keeps llm's database in the scenario's temporary directory. Scenarios use llm's Python
API, token counting its ``llm anthropic count`` command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import anthropic
import llm
import llm_anthropic
from _scenario import MODEL, NotApplicable, expect, main, scenario

HELLO = "Say hi in one short sentence."
LLM_MODEL = f"anthropic/{MODEL}"


def _model() -> llm.Model:
    return llm.get_model(LLM_MODEL)


@scenario("chat")
def chat() -> None:
    text = _model().prompt(HELLO, stream=False).text()
    expect(text.strip(), f"text {text!r}")


@scenario("stream")
def stream() -> None:
    pieces = list(_model().prompt(HELLO))
    expect(len(pieces) > 1 and "".join(pieces).strip(), f"streamed pieces {pieces!r}")


def get_weather(city: str) -> str:
    """Current weather in a city."""
    return f"Sunny and 21 C in {city}"


@scenario("tool_loop")
def tool_loop() -> None:
    chain = _model().chain("What is the weather in Paris? Use the get_weather tool.", tools=[get_weather])
    responses = list(chain.responses())
    text = responses[-1].text()
    calls = [call for response in responses for call in response.tool_calls()]
    expect(calls, "the chain finished without calling the tool")
    expect(text.strip(), "the chain's final answer has no text")


@scenario("structured_output")
def structured_output() -> None:
    schema = llm.schema_dsl("name, country, population int")
    data = json.loads(_model().prompt("Describe Paris.", schema=schema).text())
    expect(isinstance(data, dict) and set(data) == {"name", "country", "population"}, f"data {data!r}")
    expect(isinstance(data["population"], int), f"population {data['population']!r}")


@scenario("thinking")
def thinking() -> None:
    response = _model().prompt(HELLO, thinking=True)
    kinds = [event.type for event in response.stream_events() if event.chunk]
    expect(kinds and kinds[0] == "reasoning", f"stream event types {sorted(set(kinds))}, first {kinds[:1]}")
    expect(response.text().strip(), "no text after the reasoning")


@scenario("count_tokens")
def count_tokens() -> None:
    command = [str(Path(sys.executable).with_name("llm")), "anthropic", "count", "-m", LLM_MODEL, HELLO]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=os.environ)
    expect(result.returncode == 0, f"llm anthropic count exited {result.returncode}: {result.stderr.strip()}")
    expect(result.stdout.strip().isdigit() and int(result.stdout) > 0, f"printed {result.stdout!r}")


@scenario("error")
def error() -> None:
    # llm only knows the models its plugins register, so an unknown id goes through the plugin's own class.
    model = llm_anthropic.ClaudeMessages("claude-no-such-model")
    try:
        model.prompt(HELLO, key=os.environ["ANTHROPIC_API_KEY"]).text()
    except anthropic.NotFoundError as exc:
        expect(exc.status_code == 404, f"status {exc.status_code}")
        return
    raise AssertionError("an unknown model was answered")



@scenario("files")
def files() -> None:
    raise NotApplicable("llm sends attachments inline (base64); it has no Files API upload")


if __name__ == "__main__":
    main()
