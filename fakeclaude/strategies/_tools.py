"""Tools: definitions with valid JSON Schemas of varied shape, inputs that satisfy a schema, choices.

:func:`tool_inputs` understands the JSON Schema keywords tool definitions use in practice (listed in
:data:`SUPPORTED_KEYWORDS`); a schema with any other keyword is refused when the strategy is made, not
halfway through a test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from fakeclaude.strategies._blocks import texts
from fakeclaude.strategies._options import check_bool_or_none, check_int_range
from fakeclaude.types.params import ToolChoiceParam, ToolParam

__all__ = ["SUPPORTED_KEYWORDS", "tool_choices", "tool_definitions", "tool_inputs", "tool_names"]

_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$schema", "$comment", "$id"})
SUPPORTED_KEYWORDS = frozenset(
    {
        "type", "enum", "const", "anyOf", "oneOf", "properties", "required", "additionalProperties",
        "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    }
) | _ANNOTATIONS  # fmt: skip
"""The keywords :func:`tool_inputs` generates values for (annotations such as ``description`` are ignored)."""

_FORMATS = ("date", "date-time", "email", "uri")
_JSON_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")
_KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)


def tool_names() -> st.SearchStrategy[str]:
    """Names the API takes for custom tools (``^[a-zA-Z0-9_-]{1,128}$``), mostly snake_case."""
    return st.from_regex(r"[a-z][a-z0-9_]{0,24}", fullmatch=True) | st.from_regex(
        r"[a-zA-Z0-9_-]{1,64}", fullmatch=True
    )


# ----- schemas ---------------------------------------------------------------------------------------------
def _leaf_schemas() -> st.SearchStrategy[dict[str, Any]]:
    bounded_int = st.tuples(st.integers(-100, 100), st.integers(0, 100)).map(
        lambda p: {"type": "integer", "minimum": p[0], "maximum": p[0] + p[1]}
    )
    bounded_str = st.tuples(st.integers(0, 5), st.integers(0, 10)).map(
        lambda p: {"type": "string", "minLength": p[0], "maxLength": p[0] + p[1]}
    )
    return st.one_of(
        st.just({"type": "string"}),
        bounded_str,
        st.sampled_from([{"type": "string", "format": f} for f in _FORMATS]),
        st.just({"type": "string", "pattern": "^[A-Z]{2}-[0-9]{3}$"}),
        st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4, unique=True).map(
            lambda values: {"type": "string", "enum": values}
        ),
        st.just({"type": "integer"}),
        bounded_int,
        st.just({"type": "number", "minimum": 0, "exclusiveMaximum": 1}),
        st.just({"type": "number"}),
        st.just({"type": "boolean"}),
        st.just({"type": ["string", "null"]}),
        st.just({"const": "fixed"}),
    )


def _schemas(max_depth: int) -> st.SearchStrategy[dict[str, Any]]:
    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        arrays = st.tuples(inner, st.integers(0, 2), st.integers(0, 3)).map(
            lambda p: {"type": "array", "items": p[0], "minItems": p[1], "maxItems": p[1] + p[2]}
        )
        union = st.tuples(inner, inner).map(lambda p: {"anyOf": [p[0], p[1]]})
        return arrays | union | _object_schemas(inner, 3)

    return st.recursive(_leaf_schemas(), extend, max_leaves=max_depth * 3)


@st.composite
def _object_schema(draw: st.DrawFn, children: st.SearchStrategy[dict[str, Any]], max_properties: int) -> dict[str, Any]:
    names: list[str] = draw(st.lists(_KEYS, max_size=max_properties, unique=True))
    schema: dict[str, Any] = {"type": "object", "properties": {n: draw(children) for n in names}}
    if draw(st.booleans()) and names:
        schema["required"] = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    if draw(st.booleans()):
        schema["additionalProperties"] = False
    if draw(st.booleans()) and names:
        schema["properties"][names[0]]["description"] = draw(texts(max_size=40))
    return schema


def _object_schemas(children: st.SearchStrategy[dict[str, Any]], max_properties: int) -> st.SearchStrategy[dict[str, Any]]:
    return _object_schema(children, max_properties)


@st.composite
def _tool(draw: st.DrawFn, max_properties: int, max_depth: int, descriptions: bool | None) -> dict[str, Any]:
    tool: dict[str, Any] = {"name": draw(tool_names())}
    if descriptions is not False and (descriptions or draw(st.booleans())):
        tool["description"] = draw(texts(max_size=120))
    tool["input_schema"] = draw(_object_schemas(_schemas(max_depth), max_properties))
    return tool


def tool_definitions(
    *, max_properties: int = 4, max_depth: int = 2, descriptions: bool | None = None
) -> st.SearchStrategy[ToolParam]:
    """Custom tools ``{"name", "description"?, "input_schema"}`` whose ``input_schema`` is a valid JSON
    Schema object of varied shape: strings (lengths, enums, formats, patterns), integers and numbers
    with bounds, booleans, nullable types, ``const``, arrays, ``anyOf`` and nested objects, with
    ``required`` and ``additionalProperties``, up to ``max_depth`` levels deep.

        >>> tool = tool_definitions().example()
        >>> tool["input_schema"]["type"]
        'object'
    """
    check_int_range("max_properties", max_properties, 0, 20)
    check_int_range("max_depth", max_depth, 1, 5)
    check_bool_or_none("descriptions", descriptions)
    return cast("st.SearchStrategy[ToolParam]", _tool(max_properties, max_depth, descriptions))


# ----- values for a schema --------------------------------------------------------------------------------
def _check_schema(schema: object, where: str) -> None:
    if isinstance(schema, bool):
        return
    if not isinstance(schema, Mapping):
        raise InvalidArgument(f"{where}: a JSON Schema must be an object or a boolean, not {schema!r}")
    for keyword in schema:
        if keyword not in SUPPORTED_KEYWORDS:
            raise InvalidArgument(f"{where}: tool_inputs() does not support the keyword {keyword!r}")
    kinds = schema.get("type")
    for kind in kinds if isinstance(kinds, list) else [kinds] if kinds is not None else []:
        if kind not in _JSON_TYPES:
            raise InvalidArgument(f"{where}.type: {kind!r} is not a JSON type")
    if "format" in schema and schema["format"] not in _FORMATS:
        raise InvalidArgument(f"{where}.format: {schema['format']!r} is not one of {', '.join(_FORMATS)}")
    for name, sub in dict(schema.get("properties") or {}).items():
        _check_schema(sub, f"{where}.properties.{name}")
    for keyword in ("items", "additionalProperties"):
        if keyword in schema:
            _check_schema(schema[keyword], f"{where}.{keyword}")
    for keyword in ("anyOf", "oneOf"):
        for i, sub in enumerate(schema.get(keyword) or []):
            _check_schema(sub, f"{where}.{keyword}.{i}")


def _strings(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    fmt = schema.get("format")
    if fmt == "date":
        return st.dates().map(dt.date.isoformat)
    if fmt == "date-time":
        return st.datetimes(timezones=st.just(dt.UTC)).map(lambda d: d.isoformat().replace("+00:00", "Z"))
    if fmt == "email":
        return st.emails()
    if fmt == "uri":
        return st.from_regex(r"https://[a-z]{1,10}\.example\.com/[a-z0-9]{0,10}", fullmatch=True)
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    if "pattern" in schema:
        out: st.SearchStrategy[str] = st.from_regex(schema["pattern"], fullmatch=True)
        return out.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))
    return st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=low,
                   max_size=low + 20 if high is None else int(high))  # fmt: skip


def _numbers(schema: Mapping[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    low, high = schema.get("minimum"), schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if integer:
        lo = None if low is None and xlow is None else max(v for v in (low, None if xlow is None else xlow + 1) if v is not None)
        hi = None if high is None and xhigh is None else min(v for v in (high, None if xhigh is None else xhigh - 1) if v is not None)
        return st.integers(None if lo is None else int(lo), None if hi is None else int(hi))  # fmt: skip
    return st.floats(
        min_value=xlow if low is None else low, max_value=xhigh if high is None else high,
        exclude_min=low is None and xlow is not None, exclude_max=high is None and xhigh is not None,
        allow_nan=False, allow_infinity=False,
    )  # fmt: skip


@st.composite
def _objects(draw: st.DrawFn, schema: Mapping[str, Any]) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    out: dict[str, Any] = {}
    for name, sub in properties.items():
        if name in required or draw(st.booleans()):
            out[name] = draw(_values(sub))
    extra = schema.get("additionalProperties")
    for name in sorted(required - set(out)):  # required without a property schema: as extra properties are
        out[name] = draw(_values(extra if isinstance(extra, Mapping) else True))
    if isinstance(extra, Mapping) and draw(st.booleans()):
        key = draw(_KEYS.filter(lambda k: k not in properties))
        out[key] = draw(_values(extra))
    return out


def _values(schema: object) -> st.SearchStrategy[Any]:
    if schema is True or schema == {}:
        return st.none() | st.booleans() | st.integers(-100, 100) | st.text(max_size=10)
    if schema is False:
        raise InvalidArgument("the schema False accepts no value")
    assert isinstance(schema, Mapping)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(list(schema["enum"]))
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return st.one_of([_values(sub) for sub in schema[keyword]])
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return st.one_of([_values({**schema, "type": kind}) for kind in kinds])
    if kinds == "object" or (kinds is None and "properties" in schema):
        return _objects(schema)
    if kinds == "array":
        low = int(schema.get("minItems", 0))
        high = schema.get("maxItems")
        return st.lists(_values(schema.get("items", True)), min_size=low,
                        max_size=low + 4 if high is None else int(high), unique=bool(schema.get("uniqueItems")))  # fmt: skip
    if kinds == "string":
        return _strings(schema)
    if kinds in ("integer", "number"):
        return _numbers(schema, kinds == "integer")
    if kinds == "boolean":
        return st.booleans()
    if kinds == "null":
        return st.none()
    return _values(True)


def tool_inputs(schema: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Inputs that satisfy ``schema`` (a tool's ``input_schema``, an object schema), for ``tool_use``
    blocks and for testing your tool handlers.

        >>> schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
        >>> "city" in tool_inputs(schema).example()
        True
    """
    _check_schema(schema, "schema")
    if schema.get("type") not in ("object", None):
        raise InvalidArgument(f"a tool's input schema is an object schema, not type {schema.get('type')!r}")
    return _objects(schema)


def tool_choices(
    tools: Sequence[Mapping[str, Any]], *, forced: bool | None = None
) -> st.SearchStrategy[ToolChoiceParam]:
    """``tool_choice`` values valid for ``tools``: ``auto`` and ``none`` always, ``any`` and ``tool``
    (naming one of ``tools``) when there are tools; ``forced`` True gives only ``any``/``tool`` (which
    extended thinking refuses), False only ``auto``/``none``, None any of them.

        >>> tool_choices([{"name": "get_weather", "input_schema": {"type": "object"}}], forced=True).example()["type"] in ("any", "tool")
        True
    """
    check_bool_or_none("forced", forced)
    names = [t["name"] for t in tools if isinstance(t, Mapping) and isinstance(t.get("name"), str)]
    if forced and not names:
        raise InvalidArgument("forced=True needs at least one named tool")
    parallel = st.none() | st.booleans()

    def choice(kind: str, name: str | None, no_parallel: bool | None) -> dict[str, Any]:
        out: dict[str, Any] = {"type": kind}
        if name is not None:
            out["name"] = name
        if no_parallel is not None and kind != "none":
            out["disable_parallel_tool_use"] = no_parallel
        return out

    options: list[st.SearchStrategy[Any]] = []
    if not forced:
        options += [st.builds(choice, st.just("auto"), st.none(), parallel), st.just({"type": "none"})]
    if names and forced is not False:
        options += [
            st.builds(choice, st.just("any"), st.none(), parallel),
            st.builds(choice, st.just("tool"), st.sampled_from(names), parallel),
        ]
    return cast("st.SearchStrategy[ToolChoiceParam]", st.one_of(options))
