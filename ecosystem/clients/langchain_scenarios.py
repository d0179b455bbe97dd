"""langchain-anthropic's ``ChatAnthropic`` against ``fakeclaude serve`` (base URL from ``ANTHROPIC_BASE_URL``)."""

from __future__ import annotations

from typing import Any

import anthropic
import pydantic
from _scenario import MODEL, NotApplicable, expect, main, scenario
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool

HELLO = "Say hi in one short sentence."


def _model(**options: Any) -> ChatAnthropic:
    return ChatAnthropic(model=MODEL, max_retries=0, **options)


@scenario("chat")
def chat() -> None:
    answer = _model().invoke(HELLO)
    expect(isinstance(answer, AIMessage) and answer.text.strip(), f"no text: {answer!r}")


@scenario("stream")
def stream() -> None:
    chunks = list(_model().stream(HELLO))
    text = "".join(chunk.text for chunk in chunks)
    expect(len(chunks) > 1 and text.strip(), f"{len(chunks)} chunk(s), text {text!r}")


@tool
def get_weather(city: str) -> str:
    """Current weather in a city."""
    return f"Sunny and 21 C in {city}"


@scenario("tool_loop")
def tool_loop() -> None:
    model = _model().bind_tools([get_weather])
    messages: list[BaseMessage] = [HumanMessage("What is the weather in Paris? Use the get_weather tool.")]
    calls = 0
    for _ in range(5):
        answer = model.invoke(messages)
        messages.append(answer)
        if not answer.tool_calls:
            break
        for call in answer.tool_calls:
            calls += 1
            messages.append(ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"]))
    else:
        raise AssertionError("no final answer after 5 rounds of tool calls")
    expect(calls, "the model never called the tool")
    expect(messages[-1].text.strip(), "the final answer has no text")


class City(pydantic.BaseModel):
    name: str
    country: str
    population: int


@scenario("structured_output")
def structured_output() -> None:
    structured = _model().with_structured_output(City, method="json_schema")
    city = structured.invoke("Describe Paris.")
    expect(isinstance(city, City), f"got {city!r}")


@scenario("thinking")
def thinking() -> None:
    answer = _model(max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024}).invoke(HELLO)
    kinds = [block.get("type") for block in answer.content if isinstance(block, dict)]
    expect(kinds and kinds[0] == "thinking", f"content blocks {kinds}")
    expect(answer.text.strip(), "no text after the thinking")


@scenario("count_tokens")
def count_tokens() -> None:
    counted = _model().get_num_tokens_from_messages([HumanMessage(HELLO)])
    expect(counted > 0, f"{counted} tokens")


@scenario("error")
def error() -> None:
    try:
        ChatAnthropic(model="claude-no-such-model", max_retries=0).invoke(HELLO)
    except anthropic.NotFoundError as exc:
        expect(exc.status_code == 404, f"status {exc.status_code}")
        return
    raise AssertionError("an unknown model was answered")



@scenario("files")
def files() -> None:
    raise NotApplicable("langchain-anthropic's ChatAnthropic has no Files API client (uploads go through the anthropic SDK)")


if __name__ == "__main__":
    main()
