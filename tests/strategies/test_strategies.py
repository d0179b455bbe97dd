"""The strategies keep their promises: shapes, options checked eagerly, ``st.from_type``, optional import."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import jsonschema
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import fakeclaude.strategies as fs
from fakeclaude.contract import validate_request
from fakeclaude.types import params as p

PROPERTIES = settings(settings.get_profile(os.environ.get("FAKECLAUDE_PROPERTY_PROFILE", "contract")))


# ----- tools ----------------------------------------------------------------------------------------------------
@PROPERTIES
@given(st.data())
def test_tool_schemas_are_valid_json_schema_and_inputs_satisfy_them(data: st.DataObject) -> None:
    tool = data.draw(fs.tool_definitions(max_depth=3))
    schema = tool["input_schema"]
    jsonschema.Draft202012Validator.check_schema(schema)
    value = data.draw(fs.tool_inputs(schema))
    jsonschema.validate(value, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("schema", [
    {"type": "object", "properties": {"q": {"type": "string", "minLength": 3, "maxLength": 5}}, "required": ["q"]},
    {"type": "object", "properties": {"n": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3}}, "required": ["n"]},
    {"type": "object", "properties": {"x": {"type": "number", "minimum": -1, "maximum": 1}}, "required": ["x"]},
    {"type": "object", "properties": {"tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "uniqueItems": True,
                                               "minItems": 1}}, "required": ["tags"]},
    {"type": "object", "properties": {"when": {"type": "string", "format": "date-time"}}, "required": ["when"],
     "additionalProperties": False},
    {"type": "object", "properties": {"v": {"oneOf": [{"type": "null"}, {"type": "boolean"}]}}, "required": ["v"]},
    {"type": "object", "additionalProperties": {"type": "integer"}, "required": ["free"]},
])  # fmt: skip
def test_tool_inputs_satisfy_hand_written_schemas(schema: dict[str, Any]) -> None:
    @PROPERTIES
    @given(fs.tool_inputs(schema))
    def check(value: dict[str, Any]) -> None:
        jsonschema.validate(value, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    check()


@PROPERTIES
@given(st.lists(fs.tool_definitions(), min_size=1, max_size=3).flatmap(lambda tools: st.tuples(st.just(tools), fs.tool_choices(tools))))
def test_tool_choices_name_offered_tools(case: tuple[list[Any], dict[str, Any]]) -> None:
    tools, choice = case
    assert choice["type"] in ("auto", "any", "tool", "none")
    if choice["type"] == "tool":
        assert choice["name"] in [t["name"] for t in tools]


# ----- conversations --------------------------------------------------------------------------------------------
@PROPERTIES
@given(st.data())
def test_conversations_alternate_and_answer_every_tool_call(data: st.DataObject) -> None:
    tools = data.draw(st.lists(fs.tool_definitions(), min_size=1, max_size=2, unique_by=lambda t: t["name"]))
    prefill = data.draw(st.none() | st.booleans())
    limit = data.draw(st.integers(0, 4))
    messages = data.draw(fs.conversations(tools=tools, prefill=prefill, thinking=True, max_cache_breakpoints=limit))
    roles = [m["role"] for m in messages]
    assert roles == ["user", "assistant"] * (len(roles) // 2) + ["user"] * (len(roles) % 2)
    if prefill is not None:
        assert (roles[-1] == "assistant") == prefill
    seen: set[str] = set()
    for i, m in enumerate(messages):
        blocks = m["content"] if isinstance(m["content"], list) else [{"type": "text", "text": m["content"]}]
        calls = [b["id"] for b in blocks if b["type"] == "tool_use"]
        assert not seen & set(calls) and len(set(calls)) == len(calls)
        seen |= set(calls)
        if calls:
            assert blocks[0]["type"] == "thinking"  # extended thinking's rule for tool-calling turns
            answer = messages[i + 1]["content"]
            results = [b["tool_use_id"] for b in answer[: len(calls)]]
            assert sorted(results) == sorted(calls) and all(b["type"] == "tool_result" for b in answer[: len(calls)])
        assert all(b.get("text") != "" for b in blocks)
    if roles[-1] == "assistant":
        last = messages[-1]["content"]
        text = last if isinstance(last, str) else last[-1]["text"]
        assert text == text.rstrip() and text
    assert fs.count_cache_breakpoints({"messages": messages}) <= limit


# ----- options are checked when the strategy is made -------------------------------------------------------------
@pytest.mark.parametrize(("make", "text"), [
    (lambda: fs.texts(min_size=0), "min_size=0 must be at least 1"),
    (lambda: fs.text_blocks(cache_control="yes"), "cache_control='yes' must be True (always), False (never) or None (either)"),
    (lambda: fs.images(media_types=["image/tiff"]), "media_types: 'image/tiff' is not one of"),
    (lambda: fs.images(max_side=5000), "max_side=5000 must be between 1 and 2000"),
    (lambda: fs.image_blocks(sources=[]), "sources must name at least one of 'base64', 'url'"),
    (lambda: fs.document_blocks(max_pages=101), "max_pages=101 must be between 1 and 100"),
    (lambda: fs.tool_definitions(max_depth=0), "max_depth=0 must be between 1 and 5"),
    (lambda: fs.tool_inputs({"type": "object", "properties": {"a": {"$ref": "#/x"}}}),
     "schema.properties.a: tool_inputs() does not support the keyword '$ref'"),
    (lambda: fs.tool_inputs({"type": "array"}), "a tool's input schema is an object schema, not type 'array'"),
    (lambda: fs.tool_choices([], forced=True), "forced=True needs at least one named tool"),
    (lambda: fs.thinking_configs(max_tokens=1024, kinds=["enabled"]), "max_tokens=1024: enabled thinking needs max_tokens > 1024"),
    (lambda: fs.thinking_configs(kinds=["sometimes"]), "kinds: 'sometimes' is not one of"),
    (lambda: fs.conversations(max_turns=1, prefill=True), "prefill=True needs max_turns >= 2"),
    (lambda: fs.conversations(min_turns=3, max_turns=3, prefill=True), "3 turns cannot end on an assistant turn"),
    (lambda: fs.conversations(max_cache_breakpoints=5), "max_cache_breakpoints=5 must be between 0 and 4"),
    (lambda: fs.create_params(models=["claude-nope"]), "'claude-nope' is not a current model id or alias"),
    (lambda: fs.create_params(api_version="2024-01-01"), "api_version='2024-01-01' must be one of"),
    (lambda: fs.create_params(thinking=True, prefill=True), "the API refuses a prefill with extended thinking"),
    (lambda: fs.create_params(prefill=True, models=["claude-opus-4-6"]), "none of the models allows a prefill"),
    (lambda: fs.create_params(sampling=True, api_version="2026-10-21"), "sampling=True needs api_version='2023-06-01'"),
    (lambda: fs.count_tokens_params(stream=True), "takes no stream knob"),
    (lambda: fs.batch_params(stream=False), "batch requests do not stream"),
    (lambda: fs.batch_params(max_requests=0), "max_requests=0 must be between 1 and 100"),
    (lambda: fs.invalid_create_params(rules=["made up"]), "rules: 'made up' is not one of"),
    (lambda: fs.message_responses(max_blocks=-1), "max_blocks=-1 must be between 0 and 20"),
])  # fmt: skip
def test_bad_options_are_refused_when_the_strategy_is_made(make: Any, text: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        make()
    assert text in str(raised.value)


# ----- st.from_type ---------------------------------------------------------------------------------------------
def _adapter(kind: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(kind)


@pytest.mark.parametrize("kind", [*fs._register.REGISTERED, p.MessageParam, p.ToolChoiceParam, p.ThinkingConfigParam,
                                  p.MessageCreateParams], ids=lambda k: getattr(k, "__name__", str(k)))  # fmt: skip
def test_from_type_draws_values_of_the_type(kind: Any) -> None:
    adapter = _adapter(kind)

    @settings(PROPERTIES, max_examples=10)
    @given(st.from_type(kind))
    def check(value: Any) -> None:
        assert adapter.dump_python(adapter.validate_python(value), mode="json") == value

    check()


@settings(PROPERTIES, max_examples=15)
@given(st.from_type(p.MessageCreateParamsNonStreaming), st.from_type(p.MessageCountTokensParams),
       st.from_type(p.BatchCreateParams))  # fmt: skip
def test_from_type_bodies_are_accepted(create: Any, count: Any, batch: Any) -> None:
    assert validate_request(create) == []
    assert validate_request(count, endpoint="count_tokens") == []
    assert validate_request(batch, endpoint="batches") == []


def test_every_request_typeddict_with_rules_is_registered() -> None:
    registered = set(fs._register.REGISTERED)
    for name in ("MessageCreateParamsNonStreaming", "MessageCreateParamsStreaming", "MessageCountTokensParams",
                 "UserMessageParam", "AssistantMessageParam", "TextBlockParam", "ImageBlockParam",
                 "DocumentBlockParam", "ToolParam", "ThinkingConfigEnabledParam", "ToolChoiceToolParam"):  # fmt: skip
        assert getattr(p, name) in registered, name


# ----- packaging ------------------------------------------------------------------------------------------------
def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_importing_fakeclaude_does_not_import_hypothesis() -> None:
    done = _python("import sys, fakeclaude, fakeclaude.contract; print('hypothesis' in sys.modules)")
    assert done.stdout.strip() == "False", done.stderr


def test_without_hypothesis_the_import_error_names_the_extra() -> None:
    done = _python("import sys; sys.modules['hypothesis'] = None\n"
                   "try:\n    import fakeclaude.strategies\nexcept ImportError as e:\n    print(e)")  # fmt: skip
    assert done.stdout.strip() == (
        "fakeclaude.strategies needs Hypothesis, which is an optional extra: pip install 'fakeclaude[hypothesis]'"
    ), done.stderr


def test_all_is_sorted_and_complete() -> None:
    public = {n for n in dir(fs) if not n.startswith("_") and n not in ("annotations", "hypothesis")}
    assert list(fs.__all__) == sorted(fs.__all__, key=lambda n: (not n.isupper(), n))
    assert set(fs.__all__) == public - {"register_type_strategies"} | set()
    for name in fs.__all__:
        assert getattr(fs, name).__doc__, name
