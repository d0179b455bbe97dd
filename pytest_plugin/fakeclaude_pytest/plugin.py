"""The fakeclaude pytest plugin (registered through the ``pytest11`` entry point).

Options live in their own group and carry a ``claude`` prefix, so the plugin coexists with
pytest-recording (``--record-mode``, ``vcr`` marker and fixtures stay theirs).
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from .fixtures import (
    _claude_cassette_marker,
    claude_cassette,
    claude_cassette_config,
    fake_claude,
    fake_claude_session,
)
from .options import CALL_FAILED, RECORD_MODES, add_options, register_markers

__all__ = [
    "CALL_FAILED",
    "RECORD_MODES",
    "_claude_cassette_marker",
    "claude_cassette",
    "claude_cassette_config",
    "fake_claude",
    "fake_claude_session",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    register_markers(config)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    from .fixtures import _Hub

    _Hub.stop()
