"""Tool inputs and structured answers from JSON Schema: the schema package's ``instance``, seeded here.

What a value must satisfy is ``fakeclaude.server.schema``'s business (one engine for checking and for
building instances); what makes it plausible (a ``city`` that is a city, Faker's words, formats) and
where its randomness comes from is generation's, passed in as :class:`FakerHints` and a seeded
``random.Random``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from fakeclaude.server.schema import SchemaGenerationError, instance

from ._hints import format_value, hint_number, hint_string
from ._rng import derive_seed, faker_for

__all__ = ["FakerHints", "SchemaGenerationError", "generate_from_schema"]


class FakerHints:
    """:class:`~fakeclaude.server.schema.ValueHints` from property names, descriptions and Faker."""

    def string(self, name: str | None, description: str | None, rnd: random.Random) -> str | None:
        return hint_string(name, description, rnd)

    def number(self, name: str | None) -> tuple[float, float, int] | None:
        return hint_number(name)

    def format(self, fmt: str, rnd: random.Random) -> str | None:
        return format_value(fmt, rnd)

    def words(self, rnd: random.Random, count: int) -> list[str]:
        return [str(w) for w in faker_for(rnd).words(nb=count)]


_HINTS = FakerHints()


def generate_from_schema(schema: Mapping[str, Any] | bool, rng_seed: int) -> Any:
    """A JSON value valid against ``schema`` (draft 2020-12), a pure function of the arguments.

    >>> generate_from_schema({"type": "integer", "minimum": 3, "maximum": 3}, 1)
    3
    >>> v = generate_from_schema({"type": "object", "properties": {"city": {"type": "string"}},
    ...                           "required": ["city"]}, 7)
    >>> sorted(v)
    ['city']
    """
    return instance(schema, random.Random(derive_seed("schema", rng_seed)), _HINTS)
