"""Query parameters of ``GET /v1/models``."""

from typing_extensions import TypedDict

__all__ = ["ModelListParams"]


class ModelListParams(TypedDict, total=False):
    """Cursor pagination: ``after_id`` / ``before_id`` and ``limit`` (1-1000, default 20)."""

    after_id: str
    before_id: str
    limit: int
