"""The request TypedDicts and the validator agree: a field or value is accepted iff the wire model declares it.

Hypothesis builds blocks, tools and options from the TypedDicts in ``fakeclaude.types.params``: any
subset of a TypedDict's optional fields (with its required ones) is accepted, a field it does not
declare is refused with the API's ``Extra inputs are not permitted`` at that field, every value of a
Literal is accepted and any other string refused. Where the two disagree today the difference is
listed in ``KNOWN_DISAGREEMENTS`` (so a new one, or one fixed, fails here).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation import ValidationOptions, validate_create
from fakeclaude.server.validation._wire_model import field_names, literal_values, required_fields
from fakeclaude.types import params

OLD = "2023-06-01"
SCHEMA_ONLY = ValidationOptions(mode="lenient")
CACHE = {"type": "ephemeral"}
#: A valid value for every field the blocks and tools below declare.
SAMPLES: dict[str, Any] = {
    "type": None,  # set per TypedDict
    "text": "Hello",
    "cache_control": CACHE,
    "citations": None,
    "source": None,  # set per TypedDict
    "title": "A title",
    "context": "Some context",
    "content": [{"type": "text", "text": "found"}],
    "name": "get_weather",
    "description": "The weather",
    "input_schema": {"type": "object", "properties": {}},
    "strict": True,
    "defer_loading": False,
    "eager_input_streaming": False,
    "input_examples": [{}],
    "allowed_callers": ["direct"],
}
BLOCKS: dict[str, tuple[Any, dict[str, Any]]] = {
    "text": (params.TextBlockParam, {}),
    "document": (params.DocumentBlockParam, {"source": {"type": "text", "media_type": "text/plain", "data": "Hi"}}),
    "search_result": (params.SearchResultBlockParam, {"source": "https://example.com"}),
}
#: TypedDict fields the validator refuses today (the TypedDict follows newer SDKs; see the report of issue 9).
KNOWN_DISAGREEMENTS = {
    "ImageBlockParam": {"transformations"},
    "ToolUseBlockParam": {"toolset_name"},
    "ToolResultBlockParam": {"toolset_name"},
}
UNDECLARED = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


def body(**over: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}
    out.update(over)
    return out


def with_block(block: dict[str, Any]) -> dict[str, Any]:
    return body(messages=[{"role": "user", "content": [block]}])


def refused(b: dict[str, Any]) -> ApiError:
    with pytest.raises(ApiError) as info:
        validate_create(b, version=OLD, options=SCHEMA_ONLY)
    return info.value


def build(typed_dict: Any, tag: str | None, extra: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    out = {name: extra.get(name, SAMPLES[name]) for name in (*required_fields(typed_dict), *sorted(fields))}
    if tag is not None:
        out = {"type": tag, **out}
    return out


@pytest.mark.parametrize("tag", sorted(BLOCKS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_block_fields(tag: str, data: st.DataObject) -> None:
    typed_dict, extra = BLOCKS[tag]
    optional = sorted(field_names(typed_dict) - {"type", *required_fields(typed_dict)})
    chosen = data.draw(st.sets(st.sampled_from(optional)))
    block = build(typed_dict, tag, extra, chosen)
    validate_create(with_block(block), version=OLD, options=SCHEMA_ONLY)
    name = data.draw(UNDECLARED.filter(lambda n: n not in field_names(typed_dict)))
    error = refused(with_block({**block, name: "x"}))
    assert error.message == f"messages.0.content.0.{tag}.{name}: Extra inputs are not permitted"


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_custom_tool_fields(data: st.DataObject) -> None:
    optional = sorted(field_names(params.ToolParam) - {"type", *required_fields(params.ToolParam)})
    tool = build(params.ToolParam, None, {}, data.draw(st.sets(st.sampled_from(optional))))
    validate_create(body(tools=[tool]), version=OLD, options=SCHEMA_ONLY)
    name = data.draw(UNDECLARED.filter(lambda n: n not in field_names(params.ToolParam)))
    error = refused(body(tools=[{**tool, name: "x"}]))
    assert error.message == f"tools.0.custom.{name}: Extra inputs are not permitted"


#: Where each value list sits in a request, and the Literal alias it comes from.
VALUE_LISTS: dict[str, tuple[Any, Any]] = {
    "service_tier": (params.ServiceTier, lambda v: body(service_tier=v)),
    "speed": (params.Speed, lambda v: body(speed=v)),
    "output_config.effort": (params.OutputEffort, lambda v: body(output_config={"effort": v})),
    "cache_control.ttl": (params.CacheControlEphemeralParam.__annotations__["ttl"], lambda v: body(cache_control={**CACHE, "ttl": v})),
}


@pytest.mark.parametrize("path", sorted(VALUE_LISTS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_value_lists(path: str, data: st.DataObject) -> None:
    alias, make = VALUE_LISTS[path]
    values = literal_values(alias)
    assert values, path
    validate_create(make(data.draw(st.sampled_from(values))), version=OLD, options=SCHEMA_ONLY)
    other = data.draw(st.text(min_size=1, max_size=12).filter(lambda v: v not in values))
    assert refused(make(other)).message.startswith(f"{path}: Input should be ")


def test_image_media_types_come_from_the_wire_model() -> None:
    tiff = {"type": "base64", "media_type": "image/tiff", "data": "AAAA"}
    message = refused(with_block({"type": "image", "source": tiff})).message
    assert all(repr(v) in message for v in literal_values(params.ImageMediaType)), message


@pytest.mark.parametrize("name", sorted(KNOWN_DISAGREEMENTS))
def test_known_disagreements_are_exactly_these(name: str) -> None:
    from fakeclaude.server.validation import _blocks

    typed_dict = getattr(params, name)
    validator = {
        "ImageBlockParam": _blocks._F_IMAGE,
        "ToolUseBlockParam": _blocks._F_TOOL_USE,
        "ToolResultBlockParam": _blocks._F_TOOL_RESULT,
    }[name]
    assert field_names(typed_dict) - validator == KNOWN_DISAGREEMENTS[name]
    assert validator <= field_names(typed_dict)
