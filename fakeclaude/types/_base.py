"""The base every response model derives from.

Response models accept and keep fields they do not know (the API adds fields within a version), build
their pydantic schema lazily (import time stays small), and offer the official SDK's ``to_dict`` /
``to_json`` conveniences.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
from pydantic import ConfigDict, PrivateAttr

__all__ = ["BaseModel"]


class BaseModel(pydantic.BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True, populate_by_name=True)

    _request_id: str | None = PrivateAttr(default=None)

    def to_dict(self, *, exclude_unset: bool = True, exclude_none: bool = False) -> dict[str, Any]:
        """The JSON-compatible dict of this object, as it came over the wire (unset fields left out)."""
        return self.model_dump(mode="json", exclude_unset=exclude_unset, exclude_none=exclude_none)

    def to_json(self, *, indent: int | None = 2, exclude_unset: bool = True) -> str:
        return json.dumps(self.to_dict(exclude_unset=exclude_unset), indent=indent)
