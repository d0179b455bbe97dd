"""Each package's ``__all__`` is sorted, complete and importable."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["fakeclaude.server", "fakeclaude.client", "fakeclaude.streaming", "fakeclaude.types"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n)) or exported == sorted(exported)
    for item in exported:
        assert getattr(module, item) is not None, item


@pytest.mark.parametrize("module", ["fakeclaude.server.engine", "fakeclaude.server.validation", "fakeclaude.server.tokens"])
def test_engine_is_pure(module: str) -> None:
    """In a fresh interpreter the engine loads neither aiohttp, httpx nor httpx2, nor the client: only adapters do."""
    import subprocess
    import sys

    banned = ("aiohttp", "httpx", "httpx2", "fakeclaude.client", "fakeclaude.server.adapters.transports")
    code = f"import sys, {module}; print(','.join(m for m in {banned!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_top_level_import_stays_light() -> None:
    """``import fakeclaude`` does not load the fake server, aiohttp, Faker or vcrpy."""
    import subprocess
    import sys

    code = (
        "import sys, fakeclaude; "
        "print(','.join(m for m in ('aiohttp', 'faker', 'vcr', 'fakeclaude.server') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
