"""litellm's OpenAI-shaped ``completion`` with an ``anthropic/`` model against ``fakeclaude serve``.

litellm reads the base URL from ``ANTHROPIC_BASE_URL``; its price list is the bundled copy
(``LITELLM_LOCAL_MODEL_COST_MAP``, set by the harness), so nothing is fetched at import.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import litellm
import pydantic
from _scenario import MODEL, NotApplicable, expect, main, scenario

LITELLM_MODEL = f"anthropic/{MODEL}"
HELLO = [{"role": "user", "content": "Say hi in one short sentence."}]


def _complete(**options: Any) -> Any:
    return litellm.completion(model=options.pop("model", LITELLM_MODEL), max_tokens=options.pop("max_tokens", 512),
                              num_retries=0, **options)


@scenario("chat")
def chat() -> None:
    response = _complete(messages=HELLO)
    content = response.choices[0].message.content
    expect(isinstance(content, str) and content.strip(), f"content {content!r}")


@scenario("stream")
def stream() -> None:
    pieces = [chunk.choices[0].delta.content for chunk in _complete(messages=HELLO, stream=True)
              if chunk.choices and chunk.choices[0].delta.content]
    expect(pieces and "".join(pieces).strip(), f"streamed pieces {pieces!r}")


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


@scenario("tool_loop")
def tool_loop() -> None:
    messages: list[Any] = [{"role": "user", "content": "What is the weather in Paris? Use the get_weather tool."}]
    calls = 0
    for _ in range(5):
        message = _complete(messages=messages, tools=[WEATHER_TOOL]).choices[0].message
        messages.append(message.model_dump(exclude_none=True))
        if not message.tool_calls:
            break
        for call in message.tool_calls:
            calls += 1
            city = json.loads(call.function.arguments or "{}").get("city", "?")
            messages.append({"role": "tool", "tool_call_id": call.id, "content": f"Sunny and 21 C in {city}"})
    else:
        raise AssertionError("no final answer after 5 rounds of tool calls")
    expect(calls, "the model never called the tool")
    expect((message.content or "").strip(), "the final answer has no text")


class City(pydantic.BaseModel):
    name: str
    country: str
    population: int


@scenario("structured_output")
def structured_output() -> None:
    response = _complete(messages=[{"role": "user", "content": "Describe Paris."}], response_format=City)
    City.model_validate_json(response.choices[0].message.content or "")


@scenario("thinking")
def thinking() -> None:
    response = _complete(messages=HELLO, max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024})
    message = response.choices[0].message
    blocks = getattr(message, "thinking_blocks", None) or []
    expect(blocks and getattr(message, "reasoning_content", None), f"no thinking: blocks {blocks!r}")
    expect((message.content or "").strip(), "no text after the thinking")


@scenario("count_tokens")
def count_tokens() -> None:
    counted = asyncio.run(litellm.acount_tokens(model=LITELLM_MODEL, messages=HELLO))
    expect(counted.total_tokens > 0, f"{counted.total_tokens} tokens")
    # litellm falls back to a local tokenizer when the API call fails; only the API's count is a pass.
    expect(not getattr(counted, "error", None), f"the count_tokens call failed: {counted!r}")
    expect("anthropic" in str(counted.tokenizer_type).lower(), f"counted locally: {counted!r}")


@scenario("error")
def error() -> None:
    try:
        _complete(model="anthropic/claude-no-such-model", messages=HELLO)
    except litellm.NotFoundError as exc:
        expect(exc.status_code == 404, f"status {exc.status_code}")
        return
    raise AssertionError("an unknown model was answered")



@scenario("files")
def files() -> None:
    raise NotApplicable("litellm's Python API has no Anthropic Files upload (its docs route uploads through the proxy's /anthropic passthrough)")


if __name__ == "__main__":
    main()
