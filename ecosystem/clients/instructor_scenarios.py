"""instructor over the official SDK's ``Anthropic`` client against ``fakeclaude serve``.

Structured output uses ``Mode.JSON_SCHEMA`` (the API's own structured outputs, ``output_config.format``);
the other scenarios use instructor's default ``Mode.TOOLS`` (a forced tool call), so each scenario tests
one feature. Streaming is instructor's ``create_partial`` (partial objects as the JSON arrives).
"""

from __future__ import annotations

import warnings
from typing import Any

import anthropic
import instructor
import pydantic
from _scenario import MODEL, NeedsRealModel, NotApplicable, expect, main, scenario
from instructor.core import InstructorRetryException

HELLO: list[Any] = [{"role": "user", "content": "Say hi in one short sentence."}]
PARIS: list[Any] = [{"role": "user", "content": "Describe Paris."}]


class City(pydantic.BaseModel):
    name: str
    country: str
    population: int


def _client(mode: instructor.Mode = instructor.Mode.TOOLS) -> Any:
    return instructor.from_anthropic(anthropic.Anthropic(max_retries=0), mode=mode)


@scenario("chat")
def chat() -> None:
    message = _client().create(model=MODEL, max_tokens=256, messages=HELLO, response_model=None)
    text = "".join(block.text for block in message.content if block.type == "text")
    expect(text.strip(), f"no text: {message.content!r}")


@scenario("stream")
def stream() -> None:
    partials = list(_client().create_partial(model=MODEL, max_tokens=512, messages=PARIS, response_model=City))
    expect(partials, "no partial objects")
    City.model_validate(partials[-1].model_dump())


@scenario("tool_loop")
def tool_loop() -> None:
    raise NotApplicable("instructor uses tools only to extract a response_model; it runs no tool loop")


@scenario("structured_output")
def structured_output() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            city = _client(instructor.Mode.JSON_SCHEMA).create(model=MODEL, max_tokens=512, messages=PARIS,
                                                               response_model=City, max_retries=0)
        except InstructorRetryException as exc:
            fallback = [str(w.message) for w in caught if "falling back to JSON mode" in str(w.message)]
            if fallback:  # the schema went into the system prompt as prose: nothing on the wire enforces it
                raise NeedsRealModel(
                    f"instructor[anthropic] pins anthropic {anthropic.__version__}, whose messages.create has no "
                    f"output_format, so instructor falls back to the schema as instructions in the system prompt "
                    f"(warning: {fallback[0]!r}); only a model follows them") from exc
            raise
    expect(isinstance(city, City), f"got {city!r}")


@scenario("thinking")
def thinking() -> None:
    city, message = _client().create_with_completion(
        model=MODEL, max_tokens=4096, messages=PARIS, response_model=City, max_retries=0,
        thinking={"type": "enabled", "budget_tokens": 1024})
    kinds = [block.type for block in message.content]
    expect(kinds and kinds[0] == "thinking", f"content blocks {kinds}")
    expect(isinstance(city, City), f"got {city!r}")


@scenario("count_tokens")
def count_tokens() -> None:
    raise NotApplicable("instructor has no token counting")


@scenario("error")
def error() -> None:
    try:
        _client().create(model="claude-no-such-model", max_tokens=64, messages=PARIS, response_model=City,
                         max_retries=0)
    except anthropic.NotFoundError as exc:
        expect(exc.status_code == 404, f"status {exc.status_code}")
        return
    except InstructorRetryException as exc:  # instructor's own type, wrapping the SDK's
        cause = exc.__cause__ or exc.__context__
        expect(isinstance(cause, anthropic.NotFoundError), f"{type(exc).__name__} caused by {cause!r}")
        return
    raise AssertionError("an unknown model was answered")



@scenario("files")
def files() -> None:
    raise NotApplicable("instructor patches a client to extract a response_model; it has no Files API of its own")


if __name__ == "__main__":
    main()
