"""The JSON Schema subset that structured outputs and ``strict`` tools compile to a grammar (spec 2026 §1.4).

The schemas of ``output_config.format`` (or ``output_format``) and of every ``strict: true`` custom tool
are walked in document order (``$ref`` into ``$defs``/``definitions`` followed); the first unsupported
feature is refused with the API's text, prefixed with where the schema sits:
``output_config.format.schema``, ``output_format.schema`` or ``tools.<i>.custom``.

Recorded texts (quoted from live runs by public code):

- ``<where>: For 'object' type, 'additionalProperties' must be explicitly set to false``
- ``<where>: For 'number' type, properties maximum, minimum are not supported`` (one property:
  ``property 'maxItems' is not supported``; several: sorted, comma-separated)
- ``<where>: For 'array' type, property 'maxItems' is not supported``
- ``<where>: For 'array' type, 'minItems' values other than 0 or 1 are not supported (got: [6, ∞])``
- ``Schemas contains too many optional parameters (N), which would make grammar compilation
  inefficient. Reduce the number of optional parameters in your tool schemas (limit: 24).`` (counted
  over the format and every strict tool together)
- ``Schema is too complex for grammar compilation`` (used here for recursive and non-local ``$ref``)

Decided here (no recorded text): the same ``For '<type>' type`` pattern for ``integer`` bounds, string
``minLength``/``maxLength``, a ``pattern`` with look-arounds or back-references, a string ``format``
outside the supported list, and array ``uniqueItems``; ``minItems`` is checked before ``maxItems``; the
middle of the union-count text (elided in the source) reads ``which would make grammar compilation
inefficient. Reduce the number of parameters with union types in your tool schemas``; citations with a
format: ``Citations are not supported together with structured outputs.``. Limits are constants here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from fakeclaude.server.schema import SchemaRefError, resolve_ref
from fakeclaude.server.structured import output_schema, strict_tools
from fakeclaude.server.validation._base import Ctx, fail

__all__ = ["check_output_schemas"]

MAX_OPTIONAL = 24
MAX_UNIONS = 16
STRING_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)
_UNSUPPORTED = {
    "number": ("exclusiveMaximum", "exclusiveMinimum", "maximum", "minimum", "multipleOf"),
    "integer": ("exclusiveMaximum", "exclusiveMinimum", "maximum", "minimum", "multipleOf"),
    "string": ("maxLength", "minLength"),
    "array": ("maxItems", "uniqueItems"),
}
_COMPLEX_PATTERN = re.compile(r"\(\?<?[=!]|\\[1-9]|\\k<")
_TOO_COMPLEX = "Schema is too complex for grammar compilation"


class _Counts:
    def __init__(self) -> None:
        self.optional = 0
        self.unions = 0


def _types(node: Mapping[str, Any]) -> list[str]:
    kind = node.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    if "properties" in node:
        return ["object"]
    if "items" in node:
        return ["array"]
    return []


def _children(node: Mapping[str, Any]) -> Iterator[Any]:
    props = node.get("properties")
    if isinstance(props, Mapping):
        yield from props.values()
    if isinstance(node.get("items"), Mapping):
        yield node["items"]
    for key in ("anyOf", "allOf", "oneOf"):
        branches = node.get(key)
        if isinstance(branches, list):
            yield from branches
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        yield extra


def _resolve(root: Mapping[str, Any], ref: str) -> Any:
    """The local subschema ``ref`` names (the schema package's pointer rules), None for the root or none."""
    if not ref.startswith("#/"):
        return None
    try:
        return resolve_ref(root, ref)
    except SchemaRefError:
        return None


def _property_text(names: list[str]) -> str:
    if len(names) == 1:
        return f"property '{names[0]}' is not supported"
    return f"properties {', '.join(names)} are not supported"


def _check_node(ctx: Ctx, where: str, node: Any, root: Mapping[str, Any], refs: tuple[str, ...],
                counts: _Counts) -> None:
    if not isinstance(node, Mapping):
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _resolve(root, ref)
        if target is None or ref in refs:
            fail(ctx, "", _TOO_COMPLEX)
        _check_node(ctx, where, target, root, (*refs, ref), counts)
        return
    for kind in _types(node):
        if kind == "object" and node.get("additionalProperties") is not False:
            fail(ctx, where, "For 'object' type, 'additionalProperties' must be explicitly set to false")
        if kind == "array":
            low = node.get("minItems")
            if isinstance(low, int) and low > 1:
                high = node.get("maxItems")
                upper = str(high) if isinstance(high, int) else "∞"
                fail(ctx, where, (
                    f"For 'array' type, 'minItems' values other than 0 or 1 are not supported (got: [{low}, {upper}])"
                ))  # fmt: skip
        present = sorted(k for k in _UNSUPPORTED.get(kind, ()) if k in node)
        if kind == "string":
            pattern = node.get("pattern")
            if isinstance(pattern, str) and _COMPLEX_PATTERN.search(pattern):
                present = sorted([*present, "pattern"])
            fmt = node.get("format")
            if isinstance(fmt, str) and fmt not in STRING_FORMATS:
                fail(ctx, where, f"For 'string' type, format '{fmt}' is not supported")
        if present:
            fail(ctx, where, f"For '{kind}' type, {_property_text(present)}")
    props = node.get("properties")
    if isinstance(props, Mapping):
        listed = node.get("required")
        required: list[Any] = listed if isinstance(listed, list) else []
        for name, sub in props.items():
            if name not in required:
                counts.optional += 1
            if isinstance(sub, Mapping) and ((isinstance(sub.get("type"), list) and len(sub["type"]) > 1)
                                             or "anyOf" in sub):
                counts.unions += 1
    for child in _children(node):
        _check_node(ctx, where, child, root, refs, counts)


def _schemas(found: tuple[str, Mapping[str, Any]] | None,
             strict: list[tuple[int, Mapping[str, Any]]]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if found is not None:
        yield found
    for i, tool in strict:
        schema = tool.get("input_schema")
        if isinstance(schema, Mapping):
            yield f"tools.{i}.custom", schema


def _citations_on(body: Mapping[str, Any]) -> bool:
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, Mapping) else None
        for block in content if isinstance(content, list) else ():
            cfg = block.get("citations") if isinstance(block, Mapping) else None
            if block.get("type") in ("document", "search_result") and isinstance(cfg, Mapping) and cfg.get("enabled"):
                return True
    return False


def check_output_schemas(ctx: Ctx, body: Mapping[str, Any]) -> None:
    """Refuse the first schema feature outside the grammar subset, then the whole-request limits."""
    found = output_schema(body)
    strict = strict_tools(body) if body.get("tools") else []
    if found is None and not strict:
        return
    counts = _Counts()
    for where, schema in _schemas(found, strict):
        _check_node(ctx, where, schema, schema, (), counts)
    if counts.optional > MAX_OPTIONAL:
        fail(ctx, "", (
            f"Schemas contains too many optional parameters ({counts.optional}), which would make grammar "
            f"compilation inefficient. Reduce the number of optional parameters in your tool schemas (limit: {MAX_OPTIONAL})."
        ))  # fmt: skip
    if counts.unions > MAX_UNIONS:
        fail(ctx, "", (
            f"Schemas contains too many parameters with union types ({counts.unions} parameters with type arrays "
            "or anyOf), which would make grammar compilation inefficient. Reduce the number of parameters with "
            f"union types in your tool schemas (limit: {MAX_UNIONS} parameters with unions)."
        ))  # fmt: skip
    if found is not None and _citations_on(body):
        fail(ctx, "", "Citations are not supported together with structured outputs.")
