"""Is this a JSON Schema at all? The structural check the API makes of a custom tool's ``input_schema``.

Only the keywords whose shape draft 2020-12 fixes are looked at (``type`` names, ``required`` strings,
``enum`` a list, subschemas where subschemas go, at most 64 levels deep); what the values mean is
``_check``'s business.
"""

from __future__ import annotations

from fakeclaude.server.schema._check import JSON_TYPES

__all__ = ["is_wellformed"]

_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames")
_SCHEMA_LISTS = ("anyOf", "allOf", "oneOf", "prefixItems")


def is_wellformed(schema: object) -> bool:
    """A cheap structural check of a JSON Schema (the keywords whose shape is fixed by draft 2020-12)."""
    return _wellformed(schema, 0)


def _wellformed(s: object, depth: int) -> bool:
    if isinstance(s, bool):
        return True
    if not isinstance(s, dict) or depth > 64:
        return False
    t = s.get("type")
    if t is not None:
        kinds = t if isinstance(t, list) else [t]
        if not kinds or not all(isinstance(k, str) and k in JSON_TYPES for k in kinds):
            return False
    req = s.get("required")
    if req is not None and not (isinstance(req, list) and all(isinstance(r, str) for r in req)):
        return False
    enum = s.get("enum")
    if enum is not None and not isinstance(enum, list):
        return False
    for key in _SCHEMA_MAPS:
        m = s.get(key)
        if m is not None and (
            not isinstance(m, dict) or not all(_wellformed(x, depth + 1) for x in m.values())
        ):
            return False
    for key in _SCHEMA_ONE:
        if key in s and not _wellformed(s[key], depth + 1):
            return False
    for key in _SCHEMA_LISTS:
        lst = s.get(key)
        if lst is not None and (
            not isinstance(lst, list) or not lst or not all(_wellformed(x, depth + 1) for x in lst)
        ):
            return False
    return True
