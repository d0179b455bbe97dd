"""Fixtures: ``fake_claude`` (per test), ``fake_claude_session``, ``claude_cassette`` and its config.

Every function-scoped ``fake_claude`` is served by one loopback server started on first use: the
server's engine is switched to the test's fresh ``FakeClaude``, so a test pays for building the fake
and setting two environment variables, not for starting a server.

A ``fake_claude`` test fails closed and tells the truth (options on the ``fake_claude`` marker):

- a request to a real host fails it at once (``network_guard``; ``allow_hosts=`` to let some through);
- at teardown it fails with the script's failure (a handler that raised, a reply that breaks the
  API's rules) shown as the original exception, then when the script was not used up
  (``allow_unused=True`` to opt out), then, with ``fail_invalid_requests=True``, when the app sent a
  request the real API would refuse (even if the test caught the 400).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from . import network_guard
from .options import CALL_FAILED, fake_claude_options

if TYPE_CHECKING:
    from fakeclaude.server import FakeClaude
    from fakeclaude.server.http import HttpReply, HttpRequest

    from .session import CassetteSession

__all__ = ["claude_cassette", "claude_cassette_config", "fake_claude", "fake_claude_session"]

_ENV = ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY")


FAKE_API_KEY = "sk-ant-fake-key"
"""The made-up key ``fake_claude`` puts in ``ANTHROPIC_API_KEY`` while a test runs (the fake accepts any)."""


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

    ``fake_claude.base_url`` is its URL; ``ANTHROPIC_BASE_URL`` / ``ANTHROPIC_API_KEY`` (a made-up key)
    are set meanwhile. Real hosts are blocked; the script's failures, unused script and (opt-in)
    requests the API would refuse fail the test at teardown.
    """
    options = fake_claude_options(request)
    url = _Hub.url()
    fake = _new_fake(seed_for(request.node.nodeid), url)
    _Hub.switch.current = fake.engine
    saved = _set_env(url)
    guard = network_guard.Guard.of("fake_claude", options["allow_hosts"])
    previous = network_guard.activate(guard)
    try:
        yield fake
    finally:
        network_guard.deactivate(previous)
        _restore_env(saved)
        _Hub.switch.current = None
    _check_at_teardown(request.node, fake, guard, options)


def _check_at_teardown(item: pytest.Item, fake: FakeClaude, guard: network_guard.Guard, options: dict[str, Any]) -> None:
    """Fail the test with what the fake knows went wrong (the script's failure even when the call failed)."""
    passed = not item.stash.get(CALL_FAILED, True)
    if passed and guard.blocked:
        pytest.fail(guard.message(), pytrace=False)
    if fake.failures:
        fake.verify(unused=False)  # raises the original exception, its traceback shown as the failure
    if not passed:
        return
    if not options["allow_unused"]:
        unused = fake.unused()
        if unused:
            listing = "\n".join(f"  - {u}" for u in unused)
            pytest.fail(f"fakeclaude: the test's script was not used up:\n{listing}\n(plain fake.reply / "
                        "fake.error answer POST /v1/messages only; @pytest.mark.fake_claude(allow_unused=True) "
                        "to allow this)", pytrace=False)
    if options["fail_invalid_requests"]:
        refused = [r for r in fake.requests if r.refused]
        if refused:
            listing = "\n".join(f"  - {r.method} {r.path} ({r.request_id}): {r.status} "
                                f"{(r.error or {}).get('type', '')}: {(r.error or {}).get('message', '')}"
                                for r in refused)
            pytest.fail(f"fakeclaude: the app sent {len(refused)} request(s) the real API would refuse "
                        f"(fail_invalid_requests):\n{listing}", pytrace=False)


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
