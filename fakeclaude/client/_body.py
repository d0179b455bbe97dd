"""Request bodies as JSON: what a caller passes, response objects included, written as the official SDK does.

A response model (fakeclaude's or the official SDK's, both pydantic) sent back in ``messages`` is dumped
the way the SDK dumps it: ``mode="json"``, fields never set left out (so a block is sent back exactly as
it came, a ``citations: null`` only if the API sent one), aliases used, and the fields a model names in
``__api_exclude__`` (``parsed_output``) dropped. Mappings become objects; tuples, sets, generators and
other iterables become arrays; dates are written in ISO 8601. Anything else is refused as ``json`` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, MappingView, Sequence, Set
from datetime import date, datetime
from typing import Any

import pydantic

__all__ = ["dump_model", "encode_body"]


def dump_model(model: pydantic.BaseModel) -> dict[str, Any]:
    """A response object as a request param: the SDK's ``model_dump`` of it."""
    return model.model_dump(
        mode="json", exclude_unset=True, by_alias=True, exclude=getattr(model, "__api_exclude__", None)
    )


def _default(value: object) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return dump_model(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence | Set | MappingView | Iterator) and not isinstance(
        value, str | bytes | bytearray | memoryview
    ):
        return list(value)  # type: ignore[arg-type]  # MappingView is iterable
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def encode_body(body: object) -> bytes:
    """The bytes of a JSON request body (compact, UTF-8, the standard library's exact output for plain data)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=_default).encode()
