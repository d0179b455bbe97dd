"""A small JSON Schema (draft 2020-12) checker: does a value match a schema? Used to steer generation.

It covers the keywords the generator can get wrong by chance (``oneOf`` exclusivity, ``not``,
``if``/``else``, enum members against sibling keywords) and errs on the side of "matches" for
anything it does not know (unknown formats, unsupported regex syntax, remote refs). It is not a
general-purpose validator; tests check the generator with ``jsonschema`` itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

__all__ = ["JSON_TYPES", "SchemaRefError", "is_multiple", "is_type", "json_key", "matches", "resolve_ref"]

#: The names ``type`` may take.
JSON_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})


class SchemaRefError(LookupError):
    """A ``$ref`` that is not a resolvable local JSON pointer."""


def resolve_ref(root: Any, ref: str) -> Any:
    """The subschema of ``root`` that the local reference ``ref`` (``#``, ``#/$defs/x``, …) names."""
    if not ref.startswith("#"):
        raise SchemaRefError(ref)
    node = root
    pointer = unquote(ref[1:])
    if not pointer:
        return node
    if not pointer.startswith("/"):
        raise SchemaRefError(ref)  # anchors are not supported
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise SchemaRefError(ref)
    return node


def json_key(value: Any) -> Any:
    """A hashable key with JSON equality: ``1 == 1.0``, but ``True != 1``."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("z",)
    if isinstance(value, Mapping):
        return ("o", frozenset((k, json_key(v)) for k, v in value.items()))
    if isinstance(value, Sequence):
        return ("a", tuple(json_key(v) for v in value))
    return ("?", repr(value))


def is_type(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, Mapping)
    if name == "array":
        return isinstance(value, list)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if name == "number":
        return True
    if name == "integer":
        return isinstance(value, int) or (math.isfinite(value) and value == int(value))
    return False


def is_multiple(value: float, divisor: float) -> bool:
    """``multipleOf`` exactly as ``jsonschema`` decides it."""
    if isinstance(divisor, float):
        quotient = value / divisor
        try:
            return int(quotient) == quotient
        except (OverflowError, ValueError):
            return False
    return not value % divisor


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True


def matches(schema: Any, value: Any, root: Any, _depth: int = 0) -> bool:
    """Whether ``value`` satisfies ``schema`` (as far as this checker knows)."""
    if schema is True or _depth > 60:
        return True
    if schema is False:
        return False
    if not isinstance(schema, Mapping):
        return True
    d = _depth + 1

    def sub(s: Any, v: Any) -> bool:
        return matches(s, v, root, d)

    ref = schema.get("$ref")
    if isinstance(ref, str):
        try:
            if not sub(resolve_ref(root, ref), value):
                return False
        except SchemaRefError:
            pass
    types = schema.get("type")
    if isinstance(types, str):
        types = [types]
    if isinstance(types, list) and not any(is_type(value, t) for t in types if isinstance(t, str)):
        return False
    if "const" in schema and json_key(schema["const"]) != json_key(value):
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and json_key(value) not in {json_key(e) for e in enum}:
        return False
    for key in ("allOf", "anyOf", "oneOf"):
        subs = schema.get(key)
        if isinstance(subs, list):
            hits = sum(1 for s in subs if sub(s, value))
            if (key == "allOf" and hits != len(subs)) or (key == "anyOf" and not hits):
                return False
            if key == "oneOf" and hits != 1:
                return False
    if "not" in schema and sub(schema["not"], value):
        return False
    if "if" in schema:
        branch = schema.get("then" if sub(schema["if"], value) else "else", True)
        if not sub(branch, value):
            return False
    if is_type(value, "number"):
        return _check_number(schema, value)
    if isinstance(value, str):
        return _check_string(schema, value)
    if isinstance(value, list):
        return _check_array(schema, value, sub)
    if isinstance(value, Mapping):
        return _check_object(schema, value, sub)
    return True


def _num(schema: Mapping[str, Any], key: str) -> float | None:
    v = schema.get(key)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _check_number(schema: Mapping[str, Any], value: float) -> bool:
    lo, hi = _num(schema, "minimum"), _num(schema, "maximum")
    xlo, xhi = _num(schema, "exclusiveMinimum"), _num(schema, "exclusiveMaximum")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return False
    if (xlo is not None and value <= xlo) or (xhi is not None and value >= xhi):
        return False
    m = _num(schema, "multipleOf")
    return m is None or m <= 0 or is_multiple(value, m)


def _check_string(schema: Mapping[str, Any], value: str) -> bool:
    lo, hi = _num(schema, "minLength"), _num(schema, "maxLength")
    if (lo is not None and len(value) < lo) or (hi is not None and len(value) > hi):
        return False
    pattern = schema.get("pattern")
    return not isinstance(pattern, str) or _search(pattern, value)


def _check_array(schema: Mapping[str, Any], value: list[Any], sub: Any) -> bool:
    lo, hi = _num(schema, "minItems"), _num(schema, "maxItems")
    if (lo is not None and len(value) < lo) or (hi is not None and len(value) > hi):
        return False
    if schema.get("uniqueItems") is True and len({json_key(v) for v in value}) != len(value):
        return False
    prefix = schema.get("prefixItems")
    prefix = prefix if isinstance(prefix, list) else []
    for s, v in zip(prefix, value, strict=False):
        if not sub(s, v):
            return False
    items = schema.get("items")
    if items is not None and not isinstance(items, list):
        for v in value[len(prefix):]:
            if not sub(items, v):
                return False
    if "contains" in schema:
        found = sum(1 for v in value if sub(schema["contains"], v))
        least = _num(schema, "minContains")
        if found < (1 if least is None else least):
            return False
    return True


def _check_object(schema: Mapping[str, Any], value: Mapping[str, Any], sub: Any) -> bool:
    lo, hi = _num(schema, "minProperties"), _num(schema, "maxProperties")
    if (lo is not None and len(value) < lo) or (hi is not None and len(value) > hi):
        return False
    required = schema.get("required")
    if isinstance(required, list) and any(k not in value for k in required):
        return False
    props = schema.get("properties")
    props = props if isinstance(props, Mapping) else {}
    patterns = schema.get("patternProperties")
    patterns = patterns if isinstance(patterns, Mapping) else {}
    extra = schema.get("additionalProperties", True)
    names = schema.get("propertyNames", True)
    for k, v in value.items():
        known = False
        if k in props:
            known = True
            if not sub(props[k], v):
                return False
        for p, s in patterns.items():
            if _search(p, k):
                known = True
                if not sub(s, v):
                    return False
        if not known and not sub(extra, v):
            return False
        if not sub(names, k):
            return False
    dependent = schema.get("dependentRequired")
    if isinstance(dependent, Mapping):
        for k, needed in dependent.items():
            if k in value and isinstance(needed, list) and any(n not in value for n in needed):
                return False
    return True
