"""Flattening of subschemas: ``$ref`` and ``allOf`` merged into one dict, choices collected.

``flatten`` turns a (sub)schema into a plain dict with no top-level ``$ref``/``allOf``. Keywords
that cannot be merged exactly are collected under private keys the generator handles:

* ``_fc_choices``: ``("anyOf"|"oneOf", branches)`` and ``("if", if, then, else)`` groups;
* ``_fc_nots``: ``not`` subschemas (checked after generation);
* ``_fc_patterns``: every ``pattern`` (all must match);
* ``_fc_contains``: every ``contains`` subschema;
* ``_fc_false``: the schema can match nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from fakeclaude.server.schema._check import SchemaRefError, json_key, resolve_ref

__all__ = ["flatten", "merge"]

_LISTS = ("_fc_choices", "_fc_nots", "_fc_patterns", "_fc_contains")
_MAX_KEYS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
_MIN_KEYS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
_ANNOTATIONS = frozenset(
    {"title", "description", "$comment", "$schema", "$id", "$anchor", "$defs", "definitions",
     "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding", "$vocabulary"}
)
_MAX_REF_CHAIN = 32


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _types(v: Any) -> set[str] | None:
    if isinstance(v, str):
        return {v}
    if isinstance(v, list):
        return {t for t in v if isinstance(t, str)}
    return None


def _merge_types(a: Any, b: Any) -> list[str]:
    ta, tb = _types(a), _types(b)
    if ta is None:
        return sorted(tb or ())
    if tb is None:
        return sorted(ta)
    out = ta & tb
    if ("integer" in ta and "number" in tb) or ("number" in ta and "integer" in tb):
        out.add("integer")
    return sorted(out)


def _lcm(a: float, b: float) -> float:
    fa, fb = Fraction(str(a)), Fraction(str(b))
    num = math.lcm(fa.numerator, fb.numerator)
    den = math.gcd(fa.denominator, fb.denominator)
    value = Fraction(num, den)
    return int(value) if value.denominator == 1 else float(value)


def _all_of(a: Any, b: Any) -> Any:
    if a is True or a == {}:
        return b
    if b is True or b == {}:
        return a
    return {"allOf": [a, b]}


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The conjunction of two flattened schemas (best effort where exact merging is impossible)."""
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = list(value) if key in _LISTS else value
            continue
        mine = out[key]
        if key in _LISTS:
            out[key] = [*mine, *value]
        elif key == "type":
            out[key] = _merge_types(mine, value)
            if not out[key]:
                out["_fc_false"] = True
        elif key in _MAX_KEYS and _number(mine) and _number(value):
            out[key] = max(mine, value)
        elif key in _MIN_KEYS and _number(mine) and _number(value):
            out[key] = min(mine, value)
        elif key == "multipleOf" and _number(mine) and _number(value) and mine > 0 and value > 0:
            out[key] = _lcm(mine, value)
        elif key == "required" and isinstance(mine, list) and isinstance(value, list):
            out[key] = list(dict.fromkeys([*mine, *value]))
        elif key == "enum" and isinstance(mine, list) and isinstance(value, list):
            keys = {json_key(v) for v in value}
            out[key] = [v for v in mine if json_key(v) in keys]
            if not out[key]:
                out["_fc_false"] = True
        elif key == "const":
            if json_key(mine) != json_key(value):
                out["_fc_false"] = True
        elif key in ("properties", "patternProperties", "dependentSchemas") and isinstance(mine, Mapping):
            merged = dict(mine)
            for name, sub in value.items():
                merged[name] = _all_of(merged[name], sub) if name in merged else sub
            out[key] = merged
        elif key in ("additionalProperties", "items", "propertyNames", "unevaluatedProperties"):
            out[key] = False if mine is False or value is False else _all_of(mine, value)
        elif key == "prefixItems" and isinstance(mine, list) and isinstance(value, list):
            longer, shorter = (mine, value) if len(mine) >= len(value) else (value, mine)
            out[key] = [_all_of(x, shorter[i]) if i < len(shorter) else x for i, x in enumerate(longer)]
        elif key == "dependentRequired" and isinstance(mine, Mapping) and isinstance(value, Mapping):
            dep = {k: list(v) for k, v in mine.items()}
            for k, v in value.items():
                dep[k] = list(dict.fromkeys([*dep.get(k, []), *v]))
            out[key] = dep
        elif key == "uniqueItems":
            out[key] = bool(mine) or bool(value)
        # anything else (format, default, examples, …): the first one wins
    _restrict_closed(out, a, b)
    return out


def _restrict_closed(out: dict[str, Any], a: Mapping[str, Any], b: Mapping[str, Any]) -> None:
    """With ``additionalProperties: false`` on one side, only that side's properties are allowed."""
    for side in (a, b):
        if side.get("additionalProperties") is False and isinstance(out.get("properties"), Mapping):
            allowed = side.get("properties")
            allowed = set(allowed) if isinstance(allowed, Mapping) else set()
            if side.get("patternProperties"):
                continue
            out["properties"] = {k: v for k, v in out["properties"].items() if k in allowed}


def flatten(schema: Any, root: Any, _chain: tuple[str, ...] = ()) -> dict[str, Any]:
    """``schema`` with top-level ``$ref`` and ``allOf`` merged in (see the module docstring)."""
    if schema is True or schema is None:
        return {}
    if schema is False or not isinstance(schema, Mapping):
        return {"_fc_false": True} if schema is False else {}
    out: dict[str, Any] = {}
    ref = schema.get("$ref", schema.get("$dynamicRef"))
    if isinstance(ref, str):
        if ref in _chain or len(_chain) > _MAX_REF_CHAIN:
            pass  # a reference cycle with no progress: nothing more to add
        else:
            try:
                out = flatten(resolve_ref(root, ref), root, (*_chain, ref))
            except SchemaRefError:
                pass  # remote or anchor refs: treated as "anything"
    own: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key in ("$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "not", "if",
                                          "then", "else", "pattern", "contains"):
            continue
        own[key] = value
    if isinstance(schema.get("pattern"), str):
        own["_fc_patterns"] = [schema["pattern"]]
    if "contains" in schema:
        own["_fc_contains"] = [schema["contains"]]
    if "not" in schema:
        own["_fc_nots"] = [schema["not"]]
    choices: list[tuple[Any, ...]] = []
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            choices.append((key, list(schema[key])))
    if "if" in schema:
        choices.append(("if", schema["if"], schema.get("then", True), schema.get("else", True)))
    if choices:
        own["_fc_choices"] = choices
    out = merge(out, own) if out else own
    subs = schema.get("allOf")
    if isinstance(subs, list):
        for sub in subs:
            out = merge(out, flatten(sub, root, _chain))
    return out
