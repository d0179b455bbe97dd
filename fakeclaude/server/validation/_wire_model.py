"""What the wire model (the request TypedDicts in ``fakeclaude.types.params``) says, read for validation.

Validation takes its value lists and field sets from here instead of restating them:
``literal_values(OutputEffort)`` is ``("low", "medium", ...)``; ``field_names(TextBlockParam)`` is every
key the TypedDict declares, ``required_fields`` the required ones (in declaration order, the order
the API reports missing ones in); ``field_values(CacheControlEphemeralParam, "ttl")`` the Literal
values of one field.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Literal, Required

__all__ = ["field_names", "field_values", "literal_values", "required_fields"]


def literal_values(alias: Any) -> tuple[str, ...]:
    """The values of a ``Literal`` (through ``Required``, ``| None`` and unions of Literals), in order."""
    origin = typing.get_origin(alias)
    if origin is Literal:
        return tuple(typing.get_args(alias))
    if origin in (Required, typing.Union, types.UnionType):
        out: list[str] = []
        for arg in typing.get_args(alias):
            out.extend(v for v in literal_values(arg) if v not in out)
        return tuple(out)
    return ()


@cache
def field_names(typed_dict: Any) -> frozenset[str]:
    """Every key ``typed_dict`` declares, required or not."""
    return frozenset(typed_dict.__required_keys__ | typed_dict.__optional_keys__)


@cache
def required_fields(typed_dict: Any) -> tuple[str, ...]:
    """The required keys but ``type`` (the tag the caller checks itself), in declaration order."""
    return tuple(k for k in typed_dict.__annotations__ if k in typed_dict.__required_keys__ and k != "type")


@cache
def _hints(typed_dict: Any) -> dict[str, Any]:
    return typing.get_type_hints(typed_dict, include_extras=True)


def field_values(typed_dict: Any, name: str) -> tuple[str, ...]:
    """The Literal values ``typed_dict`` allows for its field ``name``."""
    return literal_values(_hints(typed_dict)[name])
