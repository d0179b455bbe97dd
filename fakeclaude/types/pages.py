"""The shape of a list endpoint's answer: ``{"data": [...], "has_more", "first_id", "last_id"}``."""

from typing import Any, Generic, TypeVar

from ._base import BaseModel

__all__ = ["Page", "parse_page"]

_T = TypeVar("_T")


class Page(BaseModel, Generic[_T]):
    """One page of a list; ask for the next with ``after_id=last_id`` while ``has_more``."""

    data: list[_T]
    has_more: bool
    first_id: str | None = None
    last_id: str | None = None


def parse_page(item_type: type[_T], data: Any) -> Page[_T]:
    """Validate a page whose items are ``item_type`` (e.g. ``ModelInfo`` or ``MessageBatch``)."""
    return Page[item_type].model_validate(data)  # type: ignore[valid-type]
