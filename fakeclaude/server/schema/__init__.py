"""The one JSON Schema (draft 2020-12) engine of the fake, used by validation and generation alike.

``is_wellformed`` is the API's structural check of a tool's ``input_schema`` (validation); ``matches``
checks a value against a schema, ``flatten`` / ``merge`` resolve local ``$ref`` and fold ``allOf`` into
one schema, and ``resolve_ref`` / ``json_key`` / ``is_multiple`` are the pieces they share.
``instance(schema, rnd, hints)`` builds a value the schema accepts (numbers within bounds, strings from
``pattern``): the schema decides what is valid, the caller what is plausible (:class:`ValueHints`) and
where randomness comes from, so this package imports nothing of ``fakeclaude.server.generation``, which
seeds it and passes Faker's hints (``generate_from_schema``).
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
from fakeclaude.server.schema._instances import SchemaGenerationError, ValueHints, instance
from fakeclaude.server.schema._merge import flatten, merge
from fakeclaude.server.schema._wellformed import is_wellformed

__all__ = [
    "JSON_TYPES",
    "SchemaGenerationError",
    "SchemaRefError",
    "ValueHints",
    "flatten",
    "instance",
    "is_multiple",
    "is_type",
    "is_wellformed",
    "json_key",
    "matches",
    "merge",
    "resolve_ref",
]
