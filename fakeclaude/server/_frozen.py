"""Building a frozen dataclass on a hot path.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (the class refuses plain
assignment), one call per field; the engine builds a log entry and a handler's request on every request.
:func:`built` writes all fields into the instance's ``__dict__`` at once: the same object, equal, hashable
and frozen as ``__init__`` makes it, for classes without ``__slots__`` or ``__post_init__``.
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = ["built"]

_T = TypeVar("_T")


def built(cls: type[_T], **fields: Any) -> _T:
    """``cls(**fields)`` for a frozen dataclass; every field must be given."""
    instance: _T = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance
