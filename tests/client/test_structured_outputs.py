"""``messages.parse`` / ``stream(output_format=)`` on both clients: the same request, ``parsed_output`` read back.

The fake does not generate structured output yet, so the replies are scripted JSON texts.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from typing import Any, Literal

import anthropic
import pydantic
import pytest
from anthropic.lib._parse._transform import transform_schema as sdk_transform_schema

import fakeclaude
from fakeclaude import transform_schema
from fakeclaude.server import FakeClaude, Reply

from .dropin_support import MODEL, MODULES, async_client, sent_bodies, sync_client

QUESTION = [{"role": "user", "content": "Give me a city."}]
PARIS = '{"name": "Paris", "population": 2102650, "tags": ["capital"]}'


class City(pydantic.BaseModel):
    """A city."""

    name: str = pydantic.Field(min_length=1, description="Its name")
    population: int = pydantic.Field(ge=0)
    tags: list[str] = pydantic.Field(default_factory=list, max_length=3)


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Inner(pydantic.BaseModel):
    at: datetime.datetime
    site: str = pydantic.Field(json_schema_extra={"format": "uri-reference"})


class Everything(pydantic.BaseModel):
    color: Color
    kind: Literal["a", "b"]
    one: Literal["x"]
    maybe: Inner | None = None
    either: int | str
    pick: list[Inner] = pydantic.Field(min_length=1)
    many: list[int] = pydantic.Field(min_length=2)
    table: dict[str, float]


class ColorRoot(pydantic.RootModel[Color]):
    """A color, as a root model."""


class Described(pydantic.BaseModel):
    """Fields whose schema is a ``$ref`` with a description beside it (kept since SDK 2.17)."""

    color: Color = pydantic.Field(description="the colour")
    inner: Inner = pydantic.Field(description="where and when")
    root: ColorRoot


@dataclasses.dataclass
class Point:
    x: int
    y: int


@pytest.mark.parametrize("output_format", [City, Everything, Described, Point, list[int], int | None, Color], ids=str)
def test_schema_transformation_is_the_sdks(output_format: Any) -> None:
    schema = pydantic.TypeAdapter(output_format).json_schema()
    assert transform_schema(schema) == sdk_transform_schema(schema)
    assert list(transform_schema(schema)) == list(sdk_transform_schema(schema))


def test_schema_transformation_of_a_model_class_and_its_refusals() -> None:
    assert transform_schema(City) == sdk_transform_schema(City)
    with pytest.raises(ValueError, match="Schema must have a 'type'"):
        transform_schema({"description": "no type"})


@pytest.mark.parametrize("name", MODULES)
def test_parse_sends_the_schema_and_reads_parsed_output(name: str) -> None:
    fake = FakeClaude(seed=1)
    fake.reply(PARIS)
    fake.reply("Another one.")
    with sync_client(MODULES[name], fake) as client:
        message = client.messages.parse(
            model="claude-opus-4-6", max_tokens=200, messages=QUESTION, output_format=City, output_config={"effort": "low"}
        )
        # sent back, the parsed block is the text block the API sent (parsed_output is not)
        follow_up = [*QUESTION, {"role": "assistant", "content": message.content}, {"role": "user", "content": "More"}]
        client.messages.create(model=MODEL, max_tokens=20, messages=follow_up)
    assert message.parsed_output == City(name="Paris", population=2102650, tags=["capital"])
    assert isinstance(message.content[0].parsed_output, City) and message.content[0].text == PARIS
    assert message._request_id == fake.requests[0].request_id
    request, sent_back = fake.requests
    assert sent_back.body["messages"][1] == {"role": "assistant", "content": [{"type": "text", "text": PARIS}]}
    assert request.headers["x-stainless-helper"] == "messages.parse" and "stream" not in request.body
    assert request.body["output_config"] == {
        "effort": "low",
        "format": {"type": "json_schema", "schema": sdk_transform_schema(City)},
    }


def test_both_clients_send_the_same_parse_request() -> None:
    bodies = {}
    for name, module in MODULES.items():
        fake = FakeClaude(seed=3)
        fake.reply('{"color": "red", "kind": "a", "one": "x", "either": 1, "many": [1, 2], "table": {},'
                   ' "pick": [{"at": "2026-01-01T00:00:00Z", "site": "a/b"}]}')
        with sync_client(module, fake) as client:
            client.messages.parse(model=MODEL, max_tokens=300, messages=QUESTION, output_format=Everything)
        bodies[name] = sent_bodies(fake)
    assert bodies["fakeclaude"] == bodies["anthropic"]


@pytest.mark.parametrize("name", MODULES)
async def test_async_parse_and_async_stream(name: str) -> None:
    fake = FakeClaude(seed=1)
    fake.reply(PARIS)
    fake.reply(PARIS)
    async with async_client(MODULES[name], fake) as client:
        message = await client.messages.parse(model=MODEL, max_tokens=200, messages=QUESTION, output_format=City)
        async with client.messages.stream(model=MODEL, max_tokens=200, messages=QUESTION, output_format=City) as stream:
            texts = [t async for t in stream.text_stream]
            final = await stream.get_final_message()
    assert message.parsed_output == final.parsed_output == City(name="Paris", population=2102650, tags=["capital"])
    assert "".join(texts) == PARIS and len(texts) > 1  # streamed as several text deltas
    assert fake.requests[-1].body["output_config"]["format"]["schema"] == sdk_transform_schema(City)


@pytest.mark.parametrize("name", MODULES)
def test_stream_parses_each_text_block_when_it_stops(name: str) -> None:
    fake = FakeClaude(seed=1)
    fake.reply(PARIS)
    with sync_client(MODULES[name], fake) as client, client.messages.stream(
        model=MODEL, max_tokens=200, messages=QUESTION, output_format=City
    ) as stream:
        stops = [event.content_block for event in stream if event.type == "content_block_stop"]
        final = stream.get_final_message()
    assert stops[0].parsed_output == City(name="Paris", population=2102650, tags=["capital"])
    assert final.parsed_output == stops[0].parsed_output
    request = fake.requests[-1]
    assert request.headers["x-stainless-stream-helper"] == "messages" and request.body["stream"] is True


@pytest.mark.parametrize("name", MODULES)
def test_a_reply_that_is_not_the_schema_raises_a_validation_error(name: str) -> None:
    fake = FakeClaude(seed=1)
    # JSON outside the schema only comes back when the API makes no promise (a max_tokens cut, a refusal);
    # the fake refuses to serve it as an ordinary answer (the script fails).
    fake.reply(Reply(['{"name": "Paris"}'], stop_reason="max_tokens"))
    with sync_client(MODULES[name], fake) as client, pytest.raises(pydantic.ValidationError):
        client.messages.parse(model=MODEL, max_tokens=200, messages=QUESTION, output_format=City)


@pytest.mark.parametrize("name", MODULES)
def test_refusals_before_sending(name: str) -> None:
    fake = FakeClaude(seed=1)
    with sync_client(MODULES[name], fake) as client:
        with pytest.raises(TypeError, match="`output_format` must be a type"):
            client.messages.parse(model=MODEL, max_tokens=20, messages=QUESTION, output_format={"type": "object"})
        with pytest.raises(MODULES[name].AnthropicError, match=r"Both output_format and output_config\.format"):
            client.beta.messages.parse(
                model=MODEL, max_tokens=20, messages=QUESTION, output_format=City,
                output_config={"format": {"type": "json_schema", "schema": {"type": "object"}}},
            )
    assert fake.requests == []


@pytest.mark.parametrize("name", MODULES)
def test_beta_parse_and_count_tokens_with_an_output_format(name: str) -> None:
    fake = FakeClaude(seed=1)
    fake.reply(PARIS)
    with sync_client(MODULES[name], fake) as client:
        message = client.beta.messages.parse(model=MODEL, max_tokens=200, messages=QUESTION, output_format=City)
        count = client.messages.count_tokens(model=MODEL, messages=QUESTION, output_format=City)
    assert message.parsed_output.name == "Paris" and count.input_tokens > 0
    parse_request, count_request = fake.requests
    assert parse_request.headers["x-stainless-helper"] == "beta.messages.parse"
    assert count_request.body["output_config"]["format"]["schema"] == sdk_transform_schema(City)


def test_parse_over_loopback() -> None:
    fake = FakeClaude(seed=1)
    fake.reply(PARIS)
    with sync_client(fakeclaude, fake, loopback=True) as client:
        message = client.messages.parse(model=MODEL, max_tokens=200, messages=QUESTION, output_format=City)
    assert message.parsed_output == City(name="Paris", population=2102650, tags=["capital"])
    assert isinstance(message, fakeclaude.types.ParsedMessage) and not isinstance(message, anthropic.types.Message)
