"""Each package's ``__all__`` is sorted, complete and importable."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["fakeclaude.cassettes", "fakeclaude.server", "fakeclaude.client", "fakeclaude.streaming", "fakeclaude.types"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n)) or exported == sorted(exported)
    for item in exported:
        assert getattr(module, item) is not None, item


def test_engine_is_pure() -> None:
    """The engine's modules import neither aiohttp nor httpx/httpx2: only the adapters do."""
    import ast
    from pathlib import Path

    import fakeclaude.server

    adapters = {"app.py", "transports.py", "runner.py", "fake.py", "__init__.py"}
    root = Path(fakeclaude.server.__file__).parent
    for path in root.rglob("*.py"):
        if path.name in adapters and path.parent == root:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("aiohttp", "httpx", "httpx2"), f"{path.name} imports {name}"


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
