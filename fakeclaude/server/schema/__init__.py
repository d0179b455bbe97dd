"""The one JSON Schema (draft 2020-12) engine of the fake, used by validation and generation alike.

``is_wellformed`` is the API's structural check of a tool's ``input_schema`` (validation); ``matches``
checks a value against a schema, ``flatten`` / ``merge`` resolve local ``$ref`` and fold ``allOf`` into
one schema, and ``resolve_ref`` / ``json_key`` / ``is_multiple`` are the pieces they share (generation
builds values from schemas with them, in ``fakeclaude.server.generation``).
"""

from fakeclaude.server.schema._check import (
    JSON_TYPES,
    SchemaRefError,
    is_multiple,
    is_type,
    json_key,
    matches,
    resolve_ref,
)
from fakeclaude.server.schema._merge import flatten, merge
from fakeclaude.server.schema._wellformed import is_wellformed

__all__ = [
    "JSON_TYPES",
    "SchemaRefError",
    "flatten",
    "is_multiple",
    "is_type",
    "is_wellformed",
    "json_key",
    "matches",
    "merge",
    "resolve_ref",
]
