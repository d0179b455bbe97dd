"""What the wire model (the request TypedDicts in ``fakeclaude.types.params``) says, read for validation.

Validation takes its value lists and field sets from here instead of restating them:
``literal_values(OutputEffort)`` is ``("low", "medium", ...)``; ``field_names(TextBlockParam)`` is every
key the TypedDict declares, ``required_fields`` the required ones (in declaration order, the order
the API reports missing ones in); ``field_values(CacheControlEphemeralParam, "ttl")`` the Literal
values of one field. For a tagged union, ``tags(ToolChoiceParam)`` is its members by tag, in the
union's order (the order the API lists expected tags in), and ``shapes(...)`` the field set and required
fields of each tag.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Literal, NotRequired, Required

from typing_extensions import is_typeddict

__all__ = [
    "Shape",
    "field_names",
    "field_values",
    "literal_values",
    "members",
    "required_fields",
    "shapes",
    "tags",
]

Shape = tuple[frozenset[str], tuple[str, ...]]
"""A TypedDict's field set and its required fields but the tag (as ``check_fields`` takes them)."""

_WRAPPERS = (Required, NotRequired, typing.Union, types.UnionType)


def literal_values(alias: Any) -> tuple[str, ...]:
    """The values of a ``Literal`` (through ``Required``, ``| None`` and unions of Literals), in order."""
    origin = typing.get_origin(alias)
    if origin is Literal:
        return tuple(typing.get_args(alias))
    if origin in _WRAPPERS:
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
def required_fields(typed_dict: Any, tag: str = "type") -> tuple[str, ...]:
    """The required keys but ``tag`` (which the caller checks itself), in declaration order."""
    return tuple(k for k in _hints(typed_dict) if k in typed_dict.__required_keys__ and k != tag)


@cache
def _hints(typed_dict: Any) -> dict[str, Any]:
    return typing.get_type_hints(typed_dict, include_extras=True)


def field_values(typed_dict: Any, name: str) -> tuple[str, ...]:
    """The Literal values ``typed_dict`` allows for its field ``name``."""
    return literal_values(_hints(typed_dict)[name])


def members(alias: Any) -> tuple[Any, ...]:
    """The TypedDicts of a union (or the TypedDict itself), in order; other members (``str``...) are skipped."""
    if is_typeddict(alias):
        return (alias,)
    if typing.get_origin(alias) in _WRAPPERS:
        out: list[Any] = []
        for arg in typing.get_args(alias):
            out.extend(m for m in members(arg) if m not in out)
        return tuple(out)
    return ()


@cache
def tags(alias: Any, key: str = "type") -> dict[str, Any]:
    """The members of a tagged union by the Literal values of their ``key`` field, in the union's order."""
    out: dict[str, Any] = {}
    for member in members(alias):
        for value in field_values(member, key):
            out.setdefault(value, member)
    return out


@cache
def shapes(alias: Any, key: str = "type") -> dict[str, Shape]:
    """Each tag's field set and required fields (but the tag), as ``check_fields`` takes them."""
    return {tag: (field_names(m), required_fields(m, key)) for tag, m in tags(alias, key).items()}
