"""Tolerance for what a newer API may send: unknown ``type`` tags and a lazily built, cached adapter.

A union of known models is discriminated by a callable that maps any tag it does not know to the
``"unknown"`` choice, a permissive :class:`UnknownObject` subclass that keeps every field it is given.
"""

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from pydantic import Discriminator, TypeAdapter

from ._base import BaseModel

__all__ = ["UNKNOWN", "LazyAdapter", "UnknownObject", "tag_discriminator"]

UNKNOWN = "unknown"
_T = TypeVar("_T")


class UnknownObject(BaseModel):
    """An object whose ``type`` this version of fakeclaude does not know; all its fields are kept."""

    type: str


def tag_discriminator(known: Iterable[str]) -> Discriminator:
    """A pydantic discriminator reading ``type`` and falling back to :data:`UNKNOWN` for new tags."""
    tags = frozenset(known)

    def tag_of(value: Any) -> str:
        if isinstance(value, dict):
            tag = value.get("type")
        elif isinstance(value, UnknownObject):
            return UNKNOWN
        else:
            tag = getattr(value, "type", None)
        return tag if tag in tags else UNKNOWN

    return Discriminator(tag_of)


class LazyAdapter(Generic[_T]):
    """A :class:`~pydantic.TypeAdapter` built on first use, so importing the types stays cheap."""

    __slots__ = ("_adapter", "_type")

    def __init__(self, type_: Any) -> None:
        self._type = type_
        self._adapter: TypeAdapter[_T] | None = None

    @property
    def adapter(self) -> TypeAdapter[_T]:
        if self._adapter is None:
            self._adapter = TypeAdapter(self._type)
        return self._adapter

    def validate(self, data: Any) -> _T:
        return self.adapter.validate_python(data)

    def validate_json(self, raw: str | bytes) -> _T:
        return self.adapter.validate_json(raw)

    def dump(self, value: _T) -> Any:
        """The JSON-compatible value, fields that were never set left out."""
        return self.adapter.dump_python(value, mode="json", exclude_unset=True)
