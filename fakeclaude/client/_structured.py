"""Structured outputs on the client side: ``output_format=T`` to ``output_config.format``, and answers to ``T``.

What the official SDK does, rule by rule:

- ``output_format`` must be a type (a pydantic model, a dataclass, ``list[int]``...): a mapping raises
  ``TypeError`` (a schema dict goes in ``output_config={"format": ...}``), a type pydantic cannot describe
  raises ``TypeError`` too. The beta namespace also refuses ``output_format`` together with
  ``output_config.format`` (``AnthropicError``); the GA one lets ``output_format`` win.
- The JSON schema is ``TypeAdapter(T).json_schema()`` made to fit what the API accepts
  (:func:`transform_schema`), and sent as ``output_config.format = {"type": "json_schema", "schema": ...}``
  beside any other ``output_config`` key (``effort`` is kept).
- Every text block of the answer is validated as ``T`` into its ``parsed_output``
  (:func:`fakeclaude.types.parsed_message.to_parsed_message`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from typing import Any, Final

import pydantic

from .._exceptions import AnthropicError

__all__ = [
    "SUPPORTED_STRING_FORMATS",
    "check_output_conflict",
    "merge_output_format",
    "output_format_param",
    "transform_schema",
]

SUPPORTED_STRING_FORMATS: Final = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)
"""String ``format`` values the API's structured outputs accept; others move into the description."""

_PRIMITIVES = (str, int, float, bool, type(None))


def _is_primitive(value: object) -> bool:
    return isinstance(value, _PRIMITIVES)


def transform_schema(json_schema: type[pydantic.BaseModel] | Mapping[str, Any]) -> dict[str, Any]:
    """A JSON schema reduced to the subset structured outputs accept, as the SDK reduces it.

    ``$defs`` are transformed and kept, a ``$ref`` node keeps only the reference and its ``description``, ``oneOf`` becomes
    ``anyOf``, a primitive ``enum`` / ``const`` replaces ``type``, every object gets
    ``additionalProperties: false`` (its ``properties`` transformed, ``required`` kept), a string keeps a
    supported ``format``, an array its ``items`` and a ``minItems`` of 0 or 1. Every other keyword is
    removed and appended to the ``description`` as ``{key: value, ...}``, for the model to follow.
    """
    if inspect.isclass(json_schema) and issubclass(json_schema, pydantic.BaseModel):
        json_schema = json_schema.model_json_schema()
    rest = dict(json_schema)
    out: dict[str, Any] = {}

    defs = rest.pop("$defs", None)
    if defs is not None:
        out["$defs"] = {name: transform_schema(schema) for name, schema in defs.items()}
    ref = rest.pop("$ref", None)
    if ref is not None:  # the reference, and the description written beside it (SDK 2.17 keeps it)
        out["$ref"] = ref
        if rest.get("description") is not None:
            out["description"] = rest["description"]
        return out

    type_ = rest.pop("type", None)
    any_of, one_of, all_of = rest.pop("anyOf", None), rest.pop("oneOf", None), rest.pop("allOf", None)
    enum = rest.get("enum")
    if isinstance(enum, list) and enum and all(_is_primitive(v) for v in enum):
        out["enum"] = list(rest.pop("enum"))
    if "const" in rest and _is_primitive(rest["const"]):
        out["const"] = rest.pop("const")
    literal = "enum" in out or "const" in out
    if literal:
        type_ = None

    if isinstance(any_of, list):
        out["anyOf"] = [transform_schema(variant) for variant in any_of]
    elif isinstance(one_of, list):
        out["anyOf"] = [transform_schema(variant) for variant in one_of]
    elif isinstance(all_of, list):
        out["allOf"] = [transform_schema(variant) for variant in all_of]
    elif not literal:
        if type_ is None:
            raise ValueError(
                "Schema must have a 'type', 'anyOf', 'oneOf', or 'allOf' field, "
                "or a 'const' or non-empty 'enum' of strings, numbers, booleans, or null."
            )
        out["type"] = type_

    for key in ("description", "title"):
        value = rest.pop(key, None)
        if value is not None:
            out[key] = value

    if type_ == "object":
        out["properties"] = {name: transform_schema(prop) for name, prop in rest.pop("properties", {}).items()}
        rest.pop("additionalProperties", None)
        out["additionalProperties"] = False
        required = rest.pop("required", None)
        if required is not None:
            out["required"] = list(required) if isinstance(required, list | tuple) else required
    elif type_ == "string":
        fmt = rest.pop("format", None)
        if fmt in SUPPORTED_STRING_FORMATS:
            out["format"] = fmt
        elif fmt:
            rest["format"] = fmt  # unsupported: described instead
    elif type_ == "array":
        items = rest.pop("items", None)
        if items is not None:
            out["items"] = transform_schema(items)
        min_items = rest.pop("minItems", None)
        if min_items in (0, 1) and not isinstance(min_items, bool):
            out["minItems"] = min_items
        elif min_items is not None:
            rest["minItems"] = min_items

    if rest:
        described = ", ".join(f"{key}: {value}" for key, value in rest.items())
        description = out.get("description")
        out["description"] = (f"{description}\n\n" if description is not None else "") + "{" + described + "}"
    return out


@functools.lru_cache(maxsize=256)
def _cached_schema(output_format: Any) -> dict[str, Any]:
    return transform_schema(pydantic.TypeAdapter(output_format).json_schema())


def output_format_param(output_format: Any) -> dict[str, Any]:
    """The ``output_config.format`` asking for answers matching the type ``output_format``."""
    if isinstance(output_format, Mapping):
        raise TypeError("`output_format` must be a type; pass a schema dict as `output_config={'format': ...}` instead")
    try:
        try:
            schema = _cached_schema(output_format)
        except TypeError:
            schema = transform_schema(pydantic.TypeAdapter(output_format).json_schema())
    except pydantic.errors.PydanticSchemaGenerationError as exc:
        raise TypeError(
            "Could not generate JSON schema for the given `output_format` type. "
            "Use a type that works with `pydantic.TypeAdapter`"
        ) from exc
    return {"type": "json_schema", "schema": schema}


def check_output_conflict(output_config: Any, output_format: Any) -> None:
    """The beta namespace's refusal of ``output_format`` beside ``output_config.format``."""
    if output_format is None or not isinstance(output_config, Mapping):
        return
    if output_config.get("format") is not None:
        raise AnthropicError(
            "Both output_format and output_config.format were provided. "
            "Please use only output_config.format (output_format is deprecated)."
        )


def merge_output_format(body: dict[str, Any], output_format: Any) -> None:
    """Put ``output_format``'s JSON schema in ``body["output_config"]["format"]`` (other keys kept)."""
    if output_format is None:
        return
    output_config = body.get("output_config")
    fmt = output_format_param(output_format)
    body["output_config"] = {**output_config, "format": fmt} if isinstance(output_config, Mapping) else {"format": fmt}
