"""What the plugin keeps on pytest's config and items (a leaf module: everything may import it)."""

from __future__ import annotations

import pytest

__all__ = ["CALL_FAILED", "RUN_STARTED"]

CALL_FAILED = pytest.StashKey[bool]()  # on an item: whether its call phase failed
RUN_STARTED = pytest.StashKey[float]()  # on the config: when this run (its xdist workers included) started
