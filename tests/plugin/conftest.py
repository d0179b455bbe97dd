"""Shared pieces of the plugin tests: a live stand-in for api.anthropic.com and inner test files."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

# Imported here, before any inner run: pytester's in-process runs drop the modules that a run imported,
# and a module imported again no longer matches the classes others kept (PyYAML's C extension and its
# nodes; httpx2's map of httpcore2's exceptions, so a cut stream would surface as httpcore2's error).
import aiohttp  # noqa: F401
import anthropic  # noqa: F401
import httpcore  # noqa: F401
import httpcore2  # noqa: F401
import httpx  # noqa: F401
import httpx2  # noqa: F401
import pytest

import fakeclaude.cassettes.interception
import fakeclaude.cassettes.recorder  # noqa: F401
from fakeclaude.server import FakeClaude

# built at run time so that no key-shaped literal sits in the repository
SECRET = "sk-ant-" + "api03-Zq9SECRETrecordedKEYxx-AAAA"


class Live:
    """A fake served on loopback that stands in for the real API; ``stop()`` takes it away."""

    def __init__(self) -> None:
        self.fake = FakeClaude(seed=7)
        self._cm = self.fake.serve()
        self.url = self._cm.__enter__()

    def stop(self) -> None:
        self._cm.__exit__(None, None, None)


@pytest.fixture
def live() -> Iterator[Live]:
    server = Live()
    try:
        yield server
    finally:
        server.stop()


def write_inner(pytester: pytest.Pytester, source: str, name: str = "test_app") -> Path:
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
                     "filterwarnings = ignore::DeprecationWarning\n")
    return pytester.makepyfile(**{name: textwrap.dedent(source)})


def cassette_texts(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in root.rglob("*.yaml")}
