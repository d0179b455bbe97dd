"""Building a frozen dataclass on a hot path.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (the class refuses plain
assignment), one call per field; the engine builds a log entry and a handler's request on every request.
:func:`built` writes all fields into the instance's ``__dict__`` at once: the same object, equal, hashable
and frozen as ``__init__`` makes it, for classes without ``__slots__`` or ``__post_init__``. A field declared
``= ParsedOnRead()`` (or made one by :func:`parsed_on_read`) may be given its JSON as :class:`JsonBytes`,
parsed only when read; :func:`unread` says whether it still waits. A value kept for a long time but read
rarely, if ever (a logged answer), may be kept as a :class:`BytesOnRead`, what makes its bytes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from .._json import loads

__all__ = ["BytesOnRead", "JsonBytes", "ParsedOnRead", "built", "parsed_on_read", "unread"]

_T = TypeVar("_T")


def built(cls: type[_T], **fields: Any) -> _T:
    """``cls(**fields)`` for a frozen dataclass; every field must be given."""
    instance: _T = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance


class JsonBytes(bytes):
    """A JSON body kept as its bytes for a :class:`ParsedOnRead` field: parsed the first time it is read."""

    __slots__ = ()


class BytesOnRead:
    """Bytes to make when read (``bytes(value)``), ``size`` long, kept in fewer bytes than they take."""

    __slots__ = ("size",)
    size: int

    def __bytes__(self) -> bytes:
        raise NotImplementedError


class ParsedOnRead:
    """A dataclass field whose value may be given as :class:`JsonBytes`, parsed when the field is first read.

    The engine logs a repeated request (one whose answer was kept) without parsing its body: most logged
    bodies are never read. The field reads as the parsed value everywhere (``==``, ``repr``, ``replace``),
    each entry parsing its own copy. Declared as the field's default; the field's default value is None.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return None  # the field's default
        value = instance.__dict__[self._name]
        if type(value) is JsonBytes:
            value = instance.__dict__[self._name] = loads(value)
        return value

    def __set__(self, instance: object, value: Any) -> None:
        instance.__dict__[self._name] = value


def parsed_on_read(cls: type[_T], name: str) -> type[_T]:
    """Make the dataclass field ``name`` of ``cls`` a :class:`ParsedOnRead` one, keeping it without a default
    (apply after ``@dataclass``: the constructor's signature stays as declared)."""
    descriptor = ParsedOnRead()
    descriptor.__set_name__(cls, name)
    setattr(cls, name, descriptor)
    return cls


def unread(instance: object, name: str) -> bool:
    """Whether the :class:`ParsedOnRead` field ``name`` of ``instance`` was given as JSON bytes never read."""
    return type(instance.__dict__.get(name)) is JsonBytes
