"""Eager checks of strategy options, with Hypothesis's own error (``InvalidArgument``) and clear texts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

__all__ = ["as_dicts", "check_bool_or_none", "check_choices", "check_int_range"]


def as_dicts(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A strategy of TypedDicts seen as plain dicts, to build on (TypedDicts are dicts at run time)."""
    return cast("st.SearchStrategy[dict[str, Any]]", strategy)


def check_int_range(name: str, value: object, low: int, high: int | None = None) -> int:
    """``value`` is an int in ``[low, high]`` (``high`` None: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an integer")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidArgument(f"{name}={value!r} must be {bound}")
    return value


def check_bool_or_none(name: str, value: object) -> bool | None:
    """A knob: True (always), False (never) or None (sometimes)."""
    if value is not None and not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True (always), False (never) or None (either)")
    return value


def check_choices(name: str, values: Iterable[Any], allowed: Iterable[Any]) -> tuple[Any, ...]:
    """A non-empty selection of ``allowed`` (a bare string counts as one choice)."""
    chosen = (values,) if isinstance(values, str) else tuple(values)
    options = tuple(allowed)
    if not chosen:
        raise InvalidArgument(f"{name} must name at least one of {', '.join(map(repr, options))}")
    for value in chosen:
        if value not in options:
            raise InvalidArgument(f"{name}: {value!r} is not one of {', '.join(map(repr, options))}")
    return chosen
