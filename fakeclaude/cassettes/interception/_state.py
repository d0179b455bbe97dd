"""The recorder in use (one per process: a test at a time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..recorder import Recorder

ACTIVE: Recorder | None = None
