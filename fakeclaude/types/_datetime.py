"""Timestamps that parse to :class:`~datetime.datetime` (as the official SDK does) and re-serialise to the
exact text they came from.

The API writes timestamps in several spellings (``2026-08-19T14:47:10.487960+00:00`` on batches,
``2025-11-24T00:00:00Z`` on models); pydantic's own serialiser would rewrite both. A parsed value is a
:class:`WireDatetime`, a ``datetime`` that remembers its wire text; a plain ``datetime`` given by code
is written with :meth:`~datetime.datetime.isoformat` (the batches' spelling for an aware UTC value).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

__all__ = ["Timestamp", "WireDatetime"]


class WireDatetime(datetime):
    """A ``datetime`` parsed from the wire; ``wire`` is its original text (``None`` on derived values)."""

    wire: str | None = None

    @classmethod
    def parse(cls, text: str) -> WireDatetime:
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"invalid RFC 3339 timestamp: {text!r}") from None
        value = cls(
            dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond, dt.tzinfo, fold=dt.fold
        )
        value.wire = text
        return value

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (type(self).parse, (self.wire or self.isoformat(),))

    def __reduce__(self) -> tuple[Any, ...]:
        return self.__reduce_ex__(2)


def _validate(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return WireDatetime.parse(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    raise ValueError(f"expected an RFC 3339 timestamp, got {type(value).__name__}")


def _serialize(value: datetime) -> str:
    wire = getattr(value, "wire", None)
    return wire if isinstance(wire, str) else value.isoformat()


Timestamp = Annotated[
    datetime,
    PlainValidator(_validate),
    PlainSerializer(_serialize, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""A timestamp field: a ``datetime`` in Python, its original text in JSON."""
