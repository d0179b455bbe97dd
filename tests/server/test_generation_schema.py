"""generate_from_schema / generate_tool_input: every output validates (jsonschema, draft 2020-12)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.real_traffic import INTERACTIONS, interactions

jsonschema = pytest.importorskip("jsonschema")

from fakeclaude.server.generation import (  # noqa: E402
    SchemaGenerationError,
    generate_from_schema,
    generate_tool_input,
)

Validator = jsonschema.Draft202012Validator
FORMATS = jsonschema.FormatChecker()  # the default checkers (email, uuid, date, ipv4, ipv6, …) …


# … plus strict checks for the formats whose checkers need optional packages
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value)
        and dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    )


def _time(value: object) -> bool:
    return not isinstance(value, str) or bool(
        re.fullmatch(r"\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value)
        and dt.time.fromisoformat(value.replace("Z", "+00:00"))
    )


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme in ("http", "https") and parts.netloc and " " not in value)


def _hostname(value: object) -> bool:
    label = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    return not isinstance(value, str) or bool(re.fullmatch(rf"{label}(?:\.{label})*", value))


FORMATS.checks("date-time", raises=ValueError)(_date_time)
FORMATS.checks("time", raises=ValueError)(_time)
FORMATS.checks("uri")(_uri)
FORMATS.checks("hostname")(_hostname)


def assert_valid(schema: Any, value: Any) -> None:
    errors = list(Validator(schema, format_checker=FORMATS).iter_errors(value))
    assert not errors, f"{json.dumps(value)[:400]}\n{errors[0].message}\nschema={json.dumps(schema)[:600]}"


# -- a strategy of realistic tool input schemas ------------------------------------------------
NAMES = st.sampled_from([
    "location", "city", "name", "email", "query", "url", "date", "start_date", "created_at", "id",
    "user_id", "count", "limit", "ticker", "price", "description", "title", "tags", "unit", "path",
    "command", "age", "latitude", "enabled", "options", "value", "items", "filters", "status", "x",
])
SIMPLE_PATTERNS = [
    r"^[A-Z]{3,5}$", r"^\d{3}-\d{4}$", r"^[a-z][a-z0-9_]*$", r"^(GET|POST|PUT)$", r"^[^\s@]+@[^\s@]+$",
    r"^\+?[0-9 ]{7,15}$", r"^v\d+\.\d+$", r"^[A-Za-z0-9_-]{1,64}$", r"[a-f0-9]{8}",
]
FORMAT_NAMES = ["date", "date-time", "time", "email", "uri", "uuid", "hostname", "ipv4", "ipv6"]


@st.composite
def string_schemas(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    kind = draw(st.sampled_from(["plain", "format", "pattern", "enum", "length"]))
    if kind == "format":
        schema["format"] = draw(st.sampled_from(FORMAT_NAMES))
    elif kind == "pattern":
        schema["pattern"] = draw(st.sampled_from(SIMPLE_PATTERNS))
    elif kind == "enum":
        schema["enum"] = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=5, unique=True))
    elif kind == "length":
        low = draw(st.integers(0, 30))
        schema["minLength"] = low
        schema["maxLength"] = low + draw(st.integers(0, 30))
    if draw(st.booleans()):
        schema["description"] = draw(st.sampled_from(["The city and state", "An email address", "Free text"]))
    return schema


@st.composite
def number_schemas(draw: st.DrawFn) -> dict[str, Any]:
    integer = draw(st.booleans())
    schema: dict[str, Any] = {"type": "integer" if integer else "number"}
    bound = st.integers(-1000, 1000) if integer else st.floats(-1e4, 1e4, allow_nan=False).map(lambda f: round(f, 3))
    low = draw(st.none() | bound)
    high = draw(st.none() | bound)
    if low is not None and high is not None and low > high:
        low, high = high, low
    if low is not None:
        schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if high is not None:
        exclusive_high = draw(st.booleans()) and (low is None or high > low + 1)
        schema["exclusiveMaximum" if exclusive_high else "maximum"] = high
        if "exclusiveMinimum" in schema and low is not None and high - low <= 1:
            schema["minimum"] = schema.pop("exclusiveMinimum")
    if draw(st.integers(0, 4)) == 0:
        multiple = draw(st.sampled_from([1, 2, 5, 10, 0.5, 0.25]) if integer else st.sampled_from([0.5, 0.25, 0.1, 2, 0.01]))
        lo = schema.get("minimum", schema.get("exclusiveMinimum"))
        hi = schema.get("maximum", schema.get("exclusiveMaximum"))
        if lo is None or hi is None or hi - lo >= 2 * max(multiple, 1) + 2:
            schema["multipleOf"] = multiple
    return schema


LEAVES = st.one_of(
    string_schemas(),
    number_schemas(),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.just({}),
    st.sampled_from([
        {"type": ["string", "null"]},
        {"type": ["integer", "string"]},
        {"const": "fixed"},
        {"enum": ["a", 1, None, True]},
        {"type": "string", "default": "celsius", "enum": ["celsius", "fahrenheit"]},
        {"type": "integer", "examples": [3, 4], "minimum": 0},
    ]),
)


def _objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        props = draw(st.dictionaries(NAMES, children, max_size=5))
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if props:
            schema["required"] = draw(st.lists(st.sampled_from(sorted(props)), unique=True))
        extra = draw(st.sampled_from(["absent", "false", "true", "schema"]))
        if extra != "absent":
            schema["additionalProperties"] = {"false": False, "true": True, "schema": {"type": "integer"}}[extra]
        return schema

    return build()


def _arrays(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": draw(children)}
        low = draw(st.integers(0, 3))
        if draw(st.booleans()):
            schema["minItems"] = low
        if draw(st.booleans()):
            schema["maxItems"] = low + draw(st.integers(0, 4))
        if draw(st.integers(0, 3)) == 0:
            schema["uniqueItems"] = True
            schema["items"] = draw(string_schemas().filter(lambda s: "enum" not in s and "maxLength" not in s))
        return schema

    return build()


def _disjoint_all_of(pair: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    """allOf of two objects that share no property (so that it stays satisfiable)."""
    first, second = ({k: v for k, v in s.items() if k != "additionalProperties"} for s in pair)
    taken = set(first["properties"])
    second["properties"] = {k: v for k, v in second["properties"].items() if k not in taken}
    second["required"] = [k for k in second.get("required", []) if k not in taken]
    return {"allOf": [first, second]}


def _combinators(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"anyOf": xs}),
        st.tuples(string_schemas().filter(lambda s: "enum" not in s), number_schemas()).map(
            lambda t: {"oneOf": [t[0], t[1]]}
        ),
        st.tuples(_objects(LEAVES), _objects(LEAVES)).map(_disjoint_all_of),
        children.map(lambda c: {"type": ["object", "null"], "properties": {"inner": c}}),
    )


SUBSCHEMAS = st.recursive(
    LEAVES, lambda children: st.one_of(_objects(children), _arrays(children), _combinators(children)),
    max_leaves=12,
)


@st.composite
def tool_input_schemas(draw: st.DrawFn) -> dict[str, Any]:
    schema = draw(_objects(SUBSCHEMAS))
    if draw(st.booleans()):  # move one property behind a $ref
        defs = {"Item": draw(SUBSCHEMAS)}
        schema["$defs"] = defs
        schema["properties"]["ref_prop"] = {"$ref": "#/$defs/Item"}
        if draw(st.booleans()):
            schema.setdefault("required", []).append("ref_prop")
    if draw(st.integers(0, 4)) == 0:  # a recursive tree
        schema.setdefault("$defs", {})["Node"] = {
            "type": "object",
            "properties": {"label": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
            "required": ["label", "children"],
        }
        schema["properties"]["tree"] = {"$ref": "#/$defs/Node"}
    return schema


@given(schema=tool_input_schemas(), seed=st.integers(0, 2**64 - 1))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_values_validate(schema: dict[str, Any], seed: int) -> None:
    Validator.check_schema(schema)
    value = generate_from_schema(schema, seed)
    assert_valid(schema, value)
    assert generate_from_schema(schema, seed) == value
    tool_input = generate_tool_input({"name": "t", "input_schema": schema}, seed)
    assert isinstance(tool_input, dict)
    assert_valid(schema, tool_input)


# -- hand-written tricky schemas ----------------------------------------------------------------
TRICKY: list[Any] = [
    {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 2},
    {"type": "number", "exclusiveMinimum": 0, "maximum": 0.001},
    {"type": "number", "multipleOf": 0.1, "minimum": 0, "maximum": 1},
    {"type": "integer", "multipleOf": 7, "minimum": 1000},
    {"type": "number", "minimum": 5000000},
    {"type": "integer", "maximum": -500},
    {"type": "string", "minLength": 40, "maxLength": 40},
    {"type": "string", "format": "email", "maxLength": 64},
    {"type": "string", "pattern": "^[A-Z]{2}-\\d{4}$", "minLength": 7},
    {"type": "string", "pattern": "^[a-z]+$", "minLength": 15},
    {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]},
    {"oneOf": [{"type": "object", "properties": {"kind": {"const": "a"}, "x": {"type": "integer"}},
                "required": ["kind", "x"]},
               {"type": "object", "properties": {"kind": {"const": "b"}, "y": {"type": "string"}},
                "required": ["kind", "y"]}]},
    {"type": "integer", "minimum": 0, "maximum": 10, "not": {"enum": [0, 1, 2, 3, 4, 5]}},
    {"type": "object", "properties": {"country": {"type": "string", "enum": ["US", "CA"]}},
     "required": ["country"],
     "if": {"properties": {"country": {"const": "US"}}},
     "then": {"properties": {"zip": {"type": "string", "pattern": "^\\d{5}$"}}, "required": ["zip"]},
     "else": {"properties": {"postal": {"type": "string", "pattern": "^[A-Z]\\d[A-Z] \\d[A-Z]\\d$"}},
              "required": ["postal"]}},
    {"type": "object", "patternProperties": {"^x-[a-z]+$": {"type": "integer"}}, "additionalProperties": False,
     "minProperties": 2},
    {"type": "object", "additionalProperties": {"type": "number"}, "propertyNames": {"pattern": "^[a-z]+$"}},
    {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
     "dependentRequired": {"a": ["b"]}, "required": ["a"]},
    {"type": "object", "properties": {"a": {"type": "integer"}}, "minProperties": 3},
    {"type": "array", "prefixItems": [{"type": "string", "format": "date"}, {"type": "integer"}], "items": False,
     "minItems": 2},
    {"type": "array", "items": {"type": "integer"}, "contains": {"type": "integer", "minimum": 100}},
    {"type": "array", "items": {"enum": ["a", "b", "c"]}, "uniqueItems": True, "minItems": 3},
    {"allOf": [{"type": "object", "properties": {"a": {"type": "integer", "minimum": 5}}, "required": ["a"]},
               {"properties": {"a": {"maximum": 6}, "b": {"type": "boolean"}}, "required": ["b"]}]},
    {"allOf": [{"type": ["string", "integer"]}, {"type": ["integer", "null"]}]},
    {"$ref": "#/definitions/T", "definitions": {"T": {"type": "string", "enum": ["x", "y"]}}},
    {"$defs": {"L": {"anyOf": [{"type": "null"}, {"type": "object", "properties": {
        "v": {"type": "integer"}, "next": {"$ref": "#/$defs/L"}}, "required": ["v", "next"]}]}},
     "$ref": "#/$defs/L"},
    {"type": "object", "properties": {"self": {"$ref": "#"}}, "required": ["self"], "maxProperties": 1,
     "anyOf": [{"required": ["self"]}, {"type": "null"}]},
    {"type": ["string", "null"], "format": "uuid"},
    {},
    True,
]


@pytest.mark.parametrize("schema", TRICKY, ids=lambda s: json.dumps(s)[:50])
def test_tricky_schemas(schema: Any) -> None:
    outputs = []
    for seed in range(40):
        try:
            value = generate_from_schema(schema, seed)
        except SchemaGenerationError:
            # only the self-referencing object below is allowed to give up (it has no finite instance)
            assert isinstance(schema, dict) and "self" in str(schema)
            continue
        assert_valid(schema, value)
        outputs.append(json.dumps(value, sort_keys=True))
    if schema not in ({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 2},) and outputs:
        assert len(set(outputs)) > 1 or len(outputs) <= 1 or "const" in str(schema)


def test_unsatisfiable_schema_raises_and_tool_input_falls_back() -> None:
    unsatisfiable: tuple[dict[str, Any], ...] = (
        {"type": "integer", "minimum": 5, "maximum": 4},
        {"not": {}},
        {"enum": []},
        {"oneOf": [{"type": "integer"}, {"type": "integer"}]},
        # endless recursion through either branch: must fail fast, not retry exponentially
        {
            "$defs": {
                "A": {
                    "anyOf": [
                        {"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}}, "required": ["a"]},
                        {"type": "object", "properties": {"b": {"$ref": "#/$defs/A"}}, "required": ["b"]},
                    ]
                }
            },
            "$ref": "#/$defs/A",
        },
    )
    for schema in unsatisfiable:
        with pytest.raises(SchemaGenerationError):
            generate_from_schema(schema, 1)
    assert generate_tool_input({"name": "t", "input_schema": {"type": "object", "properties": {
        "x": False}, "required": ["x"]}}, 1) == {}


def test_names_give_realistic_values() -> None:
    schema = {"type": "object", "properties": {
        "location": {"type": "string"}, "email": {"type": "string"}, "ticker": {"type": "string"},
        "start_date": {"type": "string"}, "count": {"type": "integer"}, "url": {"type": "string"},
    }, "required": ["location", "email", "ticker", "start_date", "count", "url"]}
    value = generate_from_schema(schema, 3)
    assert "," in value["location"] or value["location"] == "Singapore"
    assert "@" in value["email"]
    assert value["ticker"].isupper()
    dt.date.fromisoformat(value["start_date"])
    assert 1 <= value["count"] <= 20
    assert value["url"].startswith("http")


def test_determinism_and_variety() -> None:
    schema = {"type": "object", "properties": {"query": {"type": "string"}, "n": {"type": "integer"}},
              "required": ["query", "n"]}
    values = [json.dumps(generate_from_schema(schema, s)) for s in range(30)]
    assert values == [json.dumps(generate_from_schema(schema, s)) for s in range(30)]
    assert len(set(values)) >= 25


def test_optional_properties_are_a_seeded_subset() -> None:
    schema = {"type": "object", "properties": {k: {"type": "integer"} for k in "abcdefgh"}, "required": ["a"]}
    sizes = {len(generate_from_schema(schema, s)) for s in range(40)}
    assert min(sizes) >= 1 and len(sizes) > 3


# -- Anthropic-defined tools --------------------------------------------------------------------
BUILTIN_SHAPES: list[tuple[dict[str, Any], set[str]]] = [
    ({"type": "bash_20250124", "name": "bash"}, {"command"}),
    ({"type": "text_editor_20250728", "name": "str_replace_based_edit_tool"}, {"command", "path"}),
    ({"type": "text_editor_20250124", "name": "str_replace_editor"}, {"command", "path"}),
    ({"type": "computer_20250124", "name": "computer", "display_width_px": 800, "display_height_px": 600},
     {"action"}),
    ({"type": "memory_20250818", "name": "memory"}, {"command", "path"}),
    ({"type": "web_search_20250305", "name": "web_search"}, {"query"}),
    ({"type": "web_fetch_20250910", "name": "web_fetch"}, {"url"}),
    ({"type": "code_execution_20250522", "name": "code_execution"}, {"code"}),
    ({"type": "tool_search_tool_regex_20251119", "name": "tool_search_tool_regex"}, {"pattern"}),
    ({"type": "tool_search_tool_bm25_20251119", "name": "tool_search_tool_bm25"}, {"query"}),
]


@pytest.mark.parametrize(("tool", "keys"), BUILTIN_SHAPES, ids=[t["type"] for t, _ in BUILTIN_SHAPES])
def test_builtin_tool_inputs(tool: dict[str, Any], keys: set[str]) -> None:
    for seed in range(30):
        value = generate_tool_input(tool, seed)
        assert keys <= set(value), value
        assert value == generate_tool_input(tool, seed)
        assert all(isinstance(value[k], str) and value[k] for k in keys if k != "coordinate")
        if tool["name"] == "computer" and "coordinate" in value:
            x, y = value["coordinate"]
            assert 0 <= x < 800 and 0 <= y < 600
        if value.get("command") == "view":
            assert set(value) == {"command", "path"}


# -- real recorded requests ---------------------------------------------------------------------


def _recorded_tools() -> Iterator[dict[str, Any]]:
    for _row in interactions():
        body = _row.get("req_body")
        if isinstance(body, dict):
            for tool in body.get("tools") or ():
                if isinstance(tool, dict) and isinstance(tool.get("input_schema"), dict):
                    yield tool


@pytest.mark.skipif(not INTERACTIONS.is_file(), reason=f"recorded traffic not found at {INTERACTIONS}")
def test_recorded_tool_schemas() -> None:
    tools = list(_recorded_tools())
    unique = {json.dumps(t["input_schema"], sort_keys=True) for t in tools}
    assert len(tools) >= 700 and len(unique) >= 100  # 789 tools, 105 distinct schemas when written
    for index, tool in enumerate(tools):
        for seed in (index, index + 10_000):
            value = generate_tool_input(tool, seed)
            assert isinstance(value, dict)
            assert_valid(tool["input_schema"], value)
    print(f"validated generate_tool_input over {len(tools)} recorded tools ({len(unique)} distinct schemas)")
