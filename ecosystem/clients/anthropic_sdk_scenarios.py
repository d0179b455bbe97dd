"""The official Python SDK (``anthropic``) against ``fakeclaude serve``, used as its documentation shows.

Also the script the project's smoke test runs with its own .venv (no extra installs).
"""

from __future__ import annotations

from typing import Any

import anthropic
import pydantic
from _scenario import MODEL, NotApplicable, expect, main, scenario

HELLO: list[Any] = [{"role": "user", "content": "Say hi in one short sentence."}]


def _client() -> anthropic.Anthropic:
    return anthropic.Anthropic(max_retries=0)  # ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY from the env


def _text(message: Any) -> str:
    return "".join(block.text for block in message.content if block.type == "text")


@scenario("chat")
def chat() -> None:
    message = _client().messages.create(model=MODEL, max_tokens=256, messages=HELLO)
    expect(_text(message).strip(), f"no text in the answer: {message.content!r}")
    expect(message.stop_reason == "end_turn", f"stop_reason {message.stop_reason!r}")


@scenario("stream")
def stream() -> None:
    with _client().messages.stream(model=MODEL, max_tokens=256, messages=HELLO) as events:
        pieces = list(events.text_stream)
        final = events.get_final_message()
    expect(pieces, "no text deltas")
    expect("".join(pieces) == _text(final), "the deltas do not assemble to the final message's text")


@scenario("tool_loop")
def tool_loop() -> None:
    if not hasattr(anthropic, "beta_tool"):
        raise NotApplicable(f"anthropic {anthropic.__version__} has no tool runner")
    calls: list[str] = []

    @anthropic.beta_tool
    def get_weather(city: str) -> str:
        """Current weather in a city.

        Args:
            city: the city's name
        """
        calls.append(city)
        return f"Sunny and 21 C in {city}"

    runner = _client().beta.messages.tool_runner(
        model=MODEL, max_tokens=512, tools=[get_weather], max_iterations=5,
        messages=[{"role": "user", "content": "What is the weather in Paris? Use the get_weather tool."}])
    final = runner.until_done()
    expect(calls, "the tool runner finished without calling the tool")
    expect(final.stop_reason == "end_turn" and _text(final).strip(),
           f"no final text answer: stop_reason {final.stop_reason!r}")


class City(pydantic.BaseModel):
    name: str
    country: str
    population: int


@scenario("structured_output")
def structured_output() -> None:
    client = _client()
    if not hasattr(client.messages, "parse"):
        raise NotApplicable(f"anthropic {anthropic.__version__} has no messages.parse")
    message = client.messages.parse(model=MODEL, max_tokens=512, output_format=City,
                                    messages=[{"role": "user", "content": "Describe Paris as JSON."}])
    expect(isinstance(message.parsed_output, City), f"parsed_output is {message.parsed_output!r}")


@scenario("thinking")
def thinking() -> None:
    message = _client().messages.create(model=MODEL, max_tokens=2048, messages=HELLO,
                                        thinking={"type": "enabled", "budget_tokens": 1024})
    kinds = [block.type for block in message.content]
    expect(kinds and kinds[0] == "thinking", f"content starts with {kinds}")
    expect(_text(message).strip(), "no text after the thinking")


@scenario("count_tokens")
def count_tokens() -> None:
    counted = _client().messages.count_tokens(model=MODEL, messages=HELLO)
    expect(counted.input_tokens > 0, f"input_tokens {counted.input_tokens}")


@scenario("error")
def error() -> None:
    try:
        _client().messages.create(model="claude-no-such-model", max_tokens=16, messages=HELLO)
    except anthropic.NotFoundError as exc:
        expect(exc.status_code == 404, f"status {exc.status_code}")
        return
    raise AssertionError("an unknown model was answered")



PDF = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n"


@scenario("files")
def files() -> None:
    client = _client()
    api = getattr(client, "files", None) or client.beta.files  # GA since 0.124; beta before
    uploaded = api.upload(file=("report.pdf", PDF, "application/pdf"))
    expect(uploaded.id.startswith("file_") and uploaded.size_bytes == len(PDF), f"upload answered {uploaded!r}")
    expect(uploaded.id in [f.id for f in api.list()], "the upload is not listed")
    message = client.messages.create(model=MODEL, max_tokens=256, messages=[{"role": "user", "content": [
        {"type": "document", "source": {"type": "file", "file_id": uploaded.id}},
        {"type": "text", "text": "Summarise this document in one sentence."}]}])
    expect(_text(message).strip(), f"no text in the answer: {message.content!r}")
    expect(api.delete(uploaded.id).id == uploaded.id, "delete answered another id")


if __name__ == "__main__":
    main()
