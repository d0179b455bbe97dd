"""pydantic-ai's ``Agent`` with an ``AnthropicModel`` against ``fakeclaude serve``.

The provider's SDK client reads ``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_API_KEY``; retries are off so a
failure is reported at once.
"""

from __future__ import annotations

import os
from typing import Any

import pydantic
from _scenario import MODEL, expect, main, scenario
from pydantic_ai import Agent, NativeOutput
from pydantic_ai.exceptions import ModelHTTPError, UsageLimitExceeded
from pydantic_ai.messages import ModelResponse, TextPart, ThinkingPart, ToolCallPart
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.providers.anthropic import AnthropicProvider
from pydantic_ai.usage import UsageLimits

HELLO = "Say hi in one short sentence."


def _agent(model: str = MODEL, **options: Any) -> Agent[None, Any]:
    from anthropic import AsyncAnthropic

    client = AsyncAnthropic(base_url=os.environ["ANTHROPIC_BASE_URL"], max_retries=0)
    return Agent(AnthropicModel(model, provider=AnthropicProvider(anthropic_client=client)), **options)


@scenario("chat")
def chat() -> None:
    result = _agent().run_sync(HELLO)
    expect(isinstance(result.output, str) and result.output.strip(), f"output {result.output!r}")


@scenario("stream")
def stream() -> None:
    result = _agent().run_stream_sync(HELLO)
    pieces = list(result.stream_text(delta=True))
    expect(pieces and "".join(pieces).strip(), f"streamed pieces {pieces!r}")


@scenario("tool_loop")
def tool_loop() -> None:
    agent = _agent()
    calls: list[str] = []

    @agent.tool_plain
    def get_weather(city: str) -> str:
        """Current weather in a city."""
        calls.append(city)
        return f"Sunny and 21 C in {city}"

    result = agent.run_sync("What is the weather in Paris? Use the get_weather tool.")
    called = [part for message in result.all_messages() if isinstance(message, ModelResponse)
              for part in message.parts if isinstance(part, ToolCallPart)]
    expect(calls and called, "the agent finished without calling the tool")
    expect(isinstance(result.output, str) and result.output.strip(), f"final output {result.output!r}")


class City(pydantic.BaseModel):
    name: str
    country: str
    population: int


@scenario("structured_output")
def structured_output() -> None:
    result = _agent(output_type=NativeOutput(City)).run_sync("Describe Paris.")
    expect(isinstance(result.output, City), f"output {result.output!r}")


@scenario("thinking")
def thinking() -> None:
    result = _agent(model_settings={"thinking": True, "max_tokens": 4096}).run_sync(HELLO)
    response = result.all_messages()[-1]
    expect(isinstance(response, ModelResponse), f"last message {response!r}")
    kinds = [type(part).__name__ for part in response.parts]
    expect(response.parts and isinstance(response.parts[0], ThinkingPart), f"parts {kinds}")
    expect(any(isinstance(part, TextPart) for part in response.parts), f"no text part: {kinds}")


@scenario("count_tokens")
def count_tokens() -> None:
    # count_tokens_before_request asks the count_tokens endpoint first; a 1-token limit must then trip.
    try:
        _agent().run_sync(HELLO, usage_limits=UsageLimits(input_tokens_limit=1, count_tokens_before_request=True))
    except UsageLimitExceeded as exc:
        expect("input_tokens" in str(exc), f"limit message {exc}")
        return
    raise AssertionError("a 1-token input limit did not trip after counting tokens")


@scenario("error")
def error() -> None:
    try:
        _agent("claude-no-such-model").run_sync(HELLO)
    except ModelHTTPError as exc:
        expect(exc.status_code == 404, f"status {exc.status_code}: {exc}")
        return
    raise AssertionError("an unknown model was answered")



PDF = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n"


@scenario("files")
def files() -> None:
    # pydantic-ai refers to uploaded files (UploadedFile); the upload itself is the provider SDK's call.
    from anthropic import Anthropic
    from pydantic_ai.messages import UploadedFile

    sdk = Anthropic(base_url=os.environ["ANTHROPIC_BASE_URL"], max_retries=0)
    uploaded = sdk.beta.files.upload(file=("report.pdf", PDF, "application/pdf"))
    expect(uploaded.id in [f.id for f in sdk.beta.files.list()], "the upload is not listed")
    result = _agent().run_sync(["Summarise this document in one sentence.",
                                UploadedFile(file_id=uploaded.id, provider_name="anthropic",
                                             media_type="application/pdf")])
    expect(isinstance(result.output, str) and result.output.strip(), f"output {result.output!r}")
    sent = [part for message in result.all_messages() for part in getattr(message, "parts", [])]
    expect(sent, "no messages recorded")
    expect(sdk.beta.files.delete(uploaded.id).id == uploaded.id, "delete answered another id")


if __name__ == "__main__":
    main()
