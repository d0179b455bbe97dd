"""Structured outputs against the fake, driven by the official SDK: JSON from the schema, the API's refusals
of unsupported schema features, strict tools, the ``max_tokens`` cut, streams, thinking, and scripted replies
that could never be answered (an error in the test, not a served lie)."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import httpx2
import jsonschema
import pydantic
import pytest

from fakeclaude.server import FakeClaude, FakeClock, Reply, ScriptError, tool_use
from fakeclaude.server.catalog import resolve_model
from fakeclaude.server.tokens import count_request_tokens
from tests.real_traffic import INTERACTIONS, absent_reason, interactions

MODEL = "claude-sonnet-4-6"
HEADERS = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01", "content-type": "application/json"}


class Address(pydantic.BaseModel):
    street: str
    city: str


class Person(pydantic.BaseModel):
    name: str
    age: int
    email: str | None = None
    tags: list[str]
    home: Address


PERSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
                   "role": {"enum": ["admin", "user"]}, "nick": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    "required": ["name", "age", "role"],
    "additionalProperties": False,
}


def sdk(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-test", http_client=httpx2.Client(transport=fake.httpx2_transport()),
                               max_retries=0)


def post(fake: FakeClaude, body: dict[str, Any], *, betas: str | None = None, beta: bool = False) -> httpx2.Response:
    headers = {**HEADERS, **({"anthropic-beta": betas} if betas else {})}
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post("/v1/messages", params={"beta": "true"} if beta or betas else None,
                               headers=headers, content=json.dumps(body).encode())
        response.read()
        return response


def body(schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"model": MODEL, "max_tokens": 1024,
                           "messages": [{"role": "user", "content": "Describe a person."}], **extra}
    if schema is not None:
        out["output_config"] = {"format": {"type": "json_schema", "schema": schema}}
    return out


def refusal(fake: FakeClaude, request: dict[str, Any], **kwargs: Any) -> str:
    response = post(fake, request, **kwargs)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    return str(error["message"])


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=3, clock=FakeClock())


# ----- the official SDK's parse(), with nothing scripted ---------------------------------------------------
def test_sdk_parse_gets_a_parsed_model(fake: FakeClaude) -> None:
    message = sdk(fake).messages.parse(model=MODEL, max_tokens=1024, output_format=Person,
                                       messages=[{"role": "user", "content": "Invent a person."}])
    assert isinstance(message.parsed_output, Person)
    assert message.stop_reason == "end_turn" and [b.type for b in message.content] == ["text"]
    sent = fake.requests[-1].body["output_config"]["format"]
    assert sent["type"] == "json_schema" and sent["schema"]["additionalProperties"] is False


async def test_sdk_async_parse_gets_a_parsed_model(fake: FakeClaude) -> None:
    client = anthropic.AsyncAnthropic(api_key="sk-test", max_retries=0,
                                      http_client=httpx2.AsyncClient(transport=fake.httpx2_transport()))
    message = await client.messages.parse(model=MODEL, max_tokens=1024, output_format=Person,
                                          messages=[{"role": "user", "content": "Invent a person."}])
    assert isinstance(message.parsed_output, Person)
    assert isinstance(message.parsed_output.home, Address)


def test_sdk_stream_with_output_format_parses_the_final_message(fake: FakeClaude) -> None:
    with sdk(fake).messages.stream(model=MODEL, max_tokens=1024, output_format=Person,
                                   messages=[{"role": "user", "content": "Invent a person."}]) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) > 1, "the JSON arrives as several text deltas"
    assert isinstance(final.parsed_output, Person)
    assert "".join(pieces) == final.content[0].text


def test_sdk_beta_parse_gets_a_parsed_model(fake: FakeClaude) -> None:
    message = sdk(fake).beta.messages.parse(model=MODEL, max_tokens=1024, output_format=list[int],
                                            messages=[{"role": "user", "content": "Some numbers."}])
    assert isinstance(message.parsed_output, list) and all(isinstance(n, int) for n in message.parsed_output)


# ----- generation ------------------------------------------------------------------------------------------
def test_answer_is_json_valid_for_the_schema_and_deterministic_per_seed() -> None:
    texts = []
    for seed in (5, 5, 6):
        fake = FakeClaude(seed=seed, clock=FakeClock())
        message = post(fake, body(PERSON_SCHEMA)).json()
        assert [b["type"] for b in message["content"]] == ["text"]
        jsonschema.validate(json.loads(message["content"][0]["text"]), PERSON_SCHEMA)
        texts.append(message["content"][0]["text"])
    assert texts[0] == texts[1]
    unseeded = [post(FakeClaude(seed=s, clock=FakeClock()), body(PERSON_SCHEMA)).json()["content"][0]["text"]
                for s in range(7, 12)]
    assert len({texts[0], *unseeded}) > 1, "the seed changes the generated JSON"


def test_non_object_root_schema() -> None:
    schema = {"type": "array", "items": {"type": "integer"}}
    message = post(FakeClaude(seed=1), body(schema)).json()
    value = json.loads(message["content"][0]["text"])
    assert isinstance(value, list) and all(isinstance(n, int) for n in value)


def test_thinking_comes_first(fake: FakeClaude) -> None:
    request = body(PERSON_SCHEMA, max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 1024})
    message = post(fake, request).json()
    assert [b["type"] for b in message["content"]] == ["thinking", "text"]
    jsonschema.validate(json.loads(message["content"][1]["text"]), PERSON_SCHEMA)


def test_max_tokens_cuts_the_json(fake: FakeClaude) -> None:
    full = post(FakeClaude(seed=3), body(PERSON_SCHEMA)).json()["content"][0]["text"]
    jsonschema.validate(json.loads(full), PERSON_SCHEMA)
    cut = post(fake, body(PERSON_SCHEMA, max_tokens=4)).json()
    assert cut["stop_reason"] == "max_tokens" and cut["usage"]["output_tokens"] <= 4
    prefix = cut["content"][0]["text"]
    assert prefix and full.startswith(prefix) and prefix != full
    with pytest.raises(ValueError):
        json.loads(prefix)


def test_streamed_as_text_deltas(fake: FakeClaude) -> None:
    raw = post(fake, body(PERSON_SCHEMA, stream=True)).text
    deltas = [json.loads(line[6:])["delta"] for line in raw.splitlines()
              if line.startswith("data: ") and '"content_block_delta"' in line]
    assert len(deltas) > 1 and {d["type"] for d in deltas} == {"text_delta"}
    jsonschema.validate(json.loads("".join(d["text"] for d in deltas)), PERSON_SCHEMA)


def test_tools_first_then_json(fake: FakeClaude) -> None:
    weather = {"name": "get_weather", "description": "Weather for a city",
               "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
    question = [{"role": "user", "content": "What is the weather in Paris? Answer as JSON."}]
    first = post(fake, body(PERSON_SCHEMA, messages=question, tools=[weather])).json()
    assert [b["type"] for b in first["content"]] == ["tool_use"] and first["stop_reason"] == "tool_use"
    follow = [*question, {"role": "assistant", "content": first["content"]},
              {"role": "user", "content": [{"type": "tool_result", "tool_use_id": first["content"][0]["id"],
                                            "content": "sunny"}]}]
    second = post(fake, body(PERSON_SCHEMA, messages=follow, tools=[weather])).json()
    assert second["stop_reason"] == "end_turn"
    jsonschema.validate(json.loads(second["content"][0]["text"]), PERSON_SCHEMA)


def test_strict_tool_inputs_are_valid_for_their_schema(fake: FakeClaude) -> None:
    schema = {"type": "object", "additionalProperties": False, "required": ["when", "ids"],
              "properties": {"when": {"type": "string", "format": "date"},
                             "ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
                             "mode": {"enum": ["fast", "slow"]}}}
    tool = {"name": "book", "strict": True, "input_schema": schema}
    for seed in range(8):
        message = post(FakeClaude(seed=seed), body(tools=[tool], tool_choice={"type": "tool", "name": "book"})).json()
        jsonschema.validate(message["content"][0]["input"], schema, format_checker=jsonschema.FormatChecker())


# ----- the legacy beta spelling ----------------------------------------------------------------------------
def test_output_format_needs_its_beta(fake: FakeClaude) -> None:
    request = {**body(), "output_format": {"type": "json_schema", "schema": PERSON_SCHEMA}}
    assert refusal(fake, request, beta=True) == "output_format: Extra inputs are not permitted"
    message = post(fake, request, betas="structured-outputs-2025-11-13").json()
    jsonschema.validate(json.loads(message["content"][0]["text"]), PERSON_SCHEMA)


# ----- the API's refusals of unsupported schema features (spec 2026 §1.4) ------------------------------------
@pytest.mark.parametrize(("schema", "message"), [
    ({"type": "object", "properties": {"a": {"type": "string"}}},
     "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false"),
    ({"type": "object", "additionalProperties": False,
      "properties": {"n": {"type": "object", "properties": {}}}},
     "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false"),
    ({"type": "number", "minimum": 0, "maximum": 9},
     "output_config.format.schema: For 'number' type, properties maximum, minimum are not supported"),
    ({"type": "array", "items": {"type": "string"}, "maxItems": 3},
     "output_config.format.schema: For 'array' type, property 'maxItems' is not supported"),
    ({"type": "array", "items": {"type": "string"}, "minItems": 6},
     "output_config.format.schema: For 'array' type, 'minItems' values other than 0 or 1 are not supported (got: [6, ∞])"),
    ({"$defs": {"n": {"type": "object", "additionalProperties": False, "properties": {"k": {"$ref": "#/$defs/n"}}}},
      "$ref": "#/$defs/n"},
     "Schema is too complex for grammar compilation"),
])
def test_unsupported_schema_features_are_refused(fake: FakeClaude, schema: dict[str, Any], message: str) -> None:
    assert refusal(fake, body(schema)) == message


def test_too_many_optional_parameters_counted_over_format_and_strict_tools(fake: FakeClaude) -> None:
    def optional(n: int) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False,
                "properties": {f"p{i}": {"type": "string"} for i in range(n)}}
    tool = {"name": "t", "strict": True, "input_schema": optional(13)}
    assert post(fake, body(optional(11), tools=[tool])).status_code == 200
    text = refusal(fake, body(optional(12), tools=[tool]))
    assert text.startswith("Schemas contains too many optional parameters (25), which would make grammar") and \
        text.endswith("(limit: 24).")


def test_strict_tool_schemas_are_refused_with_their_path(fake: FakeClaude) -> None:
    plain = {"name": "a", "input_schema": {"type": "object", "properties": {"x": {"type": "integer", "minimum": 1}}}}
    strict = {"name": "b", "strict": True, "input_schema": {"type": "object", "properties": {"x": {"type": "string"}}}}
    assert post(fake, body(tools=[plain])).status_code == 200, "non-strict tools keep full JSON Schema"
    assert refusal(fake, body(tools=[plain, strict])) == (
        "tools.1.custom: For 'object' type, 'additionalProperties' must be explicitly set to false")


def test_output_format_refusals_carry_its_path(fake: FakeClaude) -> None:
    request = {**body(), "output_format": {"type": "json_schema", "schema": {"type": "object"}}}
    assert refusal(fake, request, betas="structured-outputs-2025-11-13") == (
        "output_format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false")


# ----- scripted replies must be possible answers: a failed script, as every script problem ---------------
def script_failure(fake: FakeClaude, response: httpx2.Response) -> str:
    """The non-retried 400 a failed script gets, and the failure kept for the test (the same message)."""
    assert response.status_code == 400, response.text
    assert response.headers["x-should-retry"] == "false"
    message = str(response.json()["error"]["message"])
    assert message.startswith("fakeclaude: the test's script failed: ")
    assert len(fake.failures) == 1 and str(fake.failures[0]) in message
    return message


def test_scripted_prose_for_a_format_fails_the_script_and_is_not_retried(fake: FakeClaude) -> None:
    fake.reply("Sure! Here is a person: Ada, 36.")
    client = sdk(fake).with_options(max_retries=2)
    with pytest.raises(anthropic.BadRequestError, match=r"content\.0 breaks the request's output_config\.format\.schema"):
        client.messages.parse(model=MODEL, max_tokens=1024, output_format=Person,
                              messages=[{"role": "user", "content": "Invent a person."}])
    assert len(fake.requests) == 1, "answered once: the SDK did not retry into a generated answer"
    assert fake.requests[0].verdict == "script-failed"
    with pytest.raises(Exception, match=r"breaks the request.s output_config\.format\.schema"):
        fake.verify()


def test_scripted_json_of_the_wrong_shape_fails_the_script(fake: FakeClaude) -> None:
    fake.reply(json.dumps({"name": "Ada"}))
    assert "does not match the schema" in script_failure(fake, post(fake, body(PERSON_SCHEMA)))


def test_scripted_valid_json_and_forced_refusals_are_served(fake: FakeClaude) -> None:
    fake.reply(json.dumps({"name": "Ada", "age": 36, "role": "admin"}))
    assert json.loads(post(fake, body(PERSON_SCHEMA)).json()["content"][0]["text"])["name"] == "Ada"
    fake.reply(Reply(["I can't help with that."], stop_reason="refusal"))
    assert post(fake, body(PERSON_SCHEMA)).json()["stop_reason"] == "refusal"
    fake.verify()


def test_scripted_input_breaking_a_strict_tool_fails_the_script(fake: FakeClaude) -> None:
    tool = {"name": "book", "strict": True, "input_schema": {
        "type": "object", "additionalProperties": False, "properties": {"n": {"type": "integer"}}, "required": ["n"]}}
    fake.reply(tool_use("book", {"n": "three"}))
    assert "strict tool 'book'" in script_failure(fake, post(fake, body(tools=[tool])))
    fake.reply(tool_use("book", {"n": 3}))
    assert post(fake, body(tools=[tool])).json()["content"][0]["input"] == {"n": 3}


def test_over_a_socket_the_mistake_is_the_same_non_retried_400_and_serve_raises_it(fake: FakeClaude) -> None:
    fake.reply("not json")
    with pytest.raises(ScriptError, match=r"breaks the request.s output_config\.format\.schema"), \
            fake.serve() as base_url:
        client = anthropic.Anthropic(api_key="sk-test", base_url=base_url, max_retries=2)
        with pytest.raises(anthropic.BadRequestError, match="fakeclaude: the test's script failed") as raised:
            client.messages.parse(model=MODEL, max_tokens=1024, output_format=Person,
                                  messages=[{"role": "user", "content": "Invent a person."}])
        assert raised.value.response.headers["x-should-retry"] == "false"
    assert len(fake.requests) == 1, "the 400 is not retried"


# ----- input tokens -----------------------------------------------------------------------------------------
def _recorded_input(row: dict[str, Any]) -> int | None:
    usage = (row.get("resp_json") or {}).get("usage")
    for event in row.get("resp_sse") or []:
        if usage is None and event.get("event") == "message_start":
            usage = event["data"]["message"]["usage"]
    if not usage:
        return None
    return int(usage["input_tokens"] + usage.get("cache_read_input_tokens", 0) + usage.get("cache_creation_input_tokens", 0))


@pytest.mark.skipif(not INTERACTIONS.exists(), reason=absent_reason())
def test_input_tokens_count_the_format_instructions_as_recorded() -> None:
    """The API injects format instructions (135 input tokens for a 20-token turn with a tiny schema)."""
    errors = []
    for row in interactions():
        body = row.get("req_body")
        if row["method"] != "POST" or not isinstance(body, dict) or "count_tokens" in row["url"]:
            continue
        fmt = (body.get("output_config") or {}).get("format") or body.get("output_format")
        status = row.get("status")
        ok = (status.get("code") if isinstance(status, dict) else status) == 200
        recorded = _recorded_input(row) if fmt and ok else None
        spec = resolve_model(str(body.get("model")))
        if recorded and spec is not None:
            errors.append(abs(count_request_tokens(body, spec) - recorded) / recorded)
    assert len(errors) >= 60
    errors.sort()
    assert errors[len(errors) // 2] < 0.06 and errors[-1] < 0.2, errors
