"""Fixtures: ``fake_claude`` (per test), ``fake_claude_session``, ``claude_cassette`` and its config.

Every function-scoped ``fake_claude`` is served by one loopback server started on first use: the
server's engine is switched to the test's fresh ``FakeClaude``, so a test pays for building the fake
and setting two environment variables, not for starting a server.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fakeclaude.server import FakeClaude
    from fakeclaude.server.http import HttpReply, HttpRequest

    from .session import CassetteSession

__all__ = ["claude_cassette", "claude_cassette_config", "fake_claude", "fake_claude_session"]

_ENV = ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY")


FAKE_API_KEY = "sk-ant-fake-key"


def _new_fake(seed: int, base_url: str) -> FakeClaude:
    """A ``FakeClaude`` (imported lazily: pytest starts fast when no test uses it) with ``base_url``."""
    from fakeclaude.server import FakeClaude

    fake = FakeClaude(seed=seed)
    fake.base_url = base_url or None
    return fake


class _Switch:
    """An engine forwarding to whichever fake the running test owns."""

    def __init__(self) -> None:
        self.current: Any = None

    def handle(self, request: HttpRequest) -> HttpReply:
        reply: HttpReply = self.current.handle(request)
        return reply


class _Hub:
    _lock = threading.Lock()
    server: Any = None
    switch = _Switch()

    @classmethod
    def url(cls) -> str:
        with cls._lock:
            if cls.server is None:
                from fakeclaude.server.adapters.runner import ServerThread

                cls.server = ServerThread(cls.switch).start()
            url: str = cls.server.base_url
            return url

    @classmethod
    def stop(cls) -> None:
        if cls.server is not None:
            cls.server.stop()
            cls.server = None


def seed_for(nodeid: str) -> int:
    """A stable seed derived from a test id (the same on every run and every machine)."""
    return int.from_bytes(hashlib.sha256(nodeid.encode()).digest()[:4], "big")


def _set_env(url: str) -> list[tuple[str, str | None]]:
    saved = [(name, os.environ.get(name)) for name in _ENV]
    os.environ["ANTHROPIC_BASE_URL"] = url
    os.environ["ANTHROPIC_API_KEY"] = FAKE_API_KEY
    return saved


def _restore_env(saved: list[tuple[str, str | None]]) -> None:
    for name, value in saved:
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def fake_claude(request: pytest.FixtureRequest) -> Iterator[FakeClaude]:
    """A fresh fake for this test, seeded from its id, served on loopback, with the env pointing at it.

    ``fake_claude.base_url`` is its URL; ``ANTHROPIC_BASE_URL`` / ``ANTHROPIC_API_KEY`` are set meanwhile.
    """
    url = _Hub.url()
    fake = _new_fake(seed_for(request.node.nodeid), url)
    _Hub.switch.current = fake.engine
    saved = _set_env(url)
    try:
        yield fake
    finally:
        _restore_env(saved)
        _Hub.switch.current = None


@pytest.fixture(scope="session")
def fake_claude_session() -> Iterator[FakeClaude]:
    """One fake for the whole session (seed 0), on its own loopback server; call ``reset()`` as needed."""
    fake = _new_fake(0, "")
    with fake.serve() as url:
        saved = _set_env(url)
        try:
            yield fake
        finally:
            _restore_env(saved)


@pytest.fixture
def claude_cassette_config() -> dict[str, Any]:
    """Defaults for every ``claude_cassette`` of the tests it covers; override it in a conftest.py.

    Keys: ``record_mode``, ``match_on``, ``ignore``, ``allow_repeats``, ``pace``, ``scrubbers``,
    ``scrub_headers``, ``cassette_dir``, ``fail_unused``, ``before_record_request``, ``before_record_response``.
    """
    return {}


@pytest.fixture
def claude_cassette(request: pytest.FixtureRequest) -> Iterator[CassetteSession | None]:
    """The active cassette session of a test marked ``claude_cassette`` (``None`` without the marker)."""
    session: CassetteSession | None = getattr(request.node, "_fakeclaude_cassette", None)
    yield session


@pytest.fixture(autouse=True)
def _claude_cassette_marker(request: pytest.FixtureRequest) -> Iterator[None]:
    marker = request.node.get_closest_marker("claude_cassette")
    if marker is None:
        yield
        return
    from .session import CassetteSession

    config = request.getfixturevalue("claude_cassette_config")
    session = CassetteSession.from_marker(request, marker, config)
    request.node._fakeclaude_cassette = session
    session.start()
    try:
        yield
    finally:
        session.stop(request.node)
