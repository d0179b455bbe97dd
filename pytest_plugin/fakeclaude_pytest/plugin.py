"""The fakeclaude pytest plugin (registered through the ``pytest11`` entry point).

A thin pytest layer over ``fakeclaude.cassettes`` and the fake: options, markers, fixtures, and the
turning of a ``CassetteMiss`` (raised by the core inside the code under test) into a failure that shows
its report. Options live in their own group and carry a ``claude`` prefix, so the plugin coexists with
pytest-recording (``--record-mode``, ``vcr`` marker and fixtures stay theirs).
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

import pytest

from ._stash import CALL_FAILED, RUN_STARTED
from .fixtures import (
    _claude_cassette_marker,
    claude_cassette,
    claude_cassette_config,
    fake_claude,
    fake_claude_session,
)
from .options import RECORD_MODES, add_options, register_markers

_WORKER_RUN_STARTED = "fakeclaude_run_started"

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
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    started = workerinput.get(_WORKER_RUN_STARTED) if workerinput else None
    config.stash[RUN_STARTED] = float(started) if started is not None else time.time()
    register_markers(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker shares the controller's run (shared cassettes merge within a run)."""
    node.workerinput[_WORKER_RUN_STARTED] = node.config.stash[RUN_STARTED]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.excinfo is not None and _is_miss(call.excinfo.value):
        report.longrepr = str(call.excinfo.value)  # the miss report, not a traceback through the client
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


def _is_miss(exc: BaseException) -> bool:
    """Whether ``exc`` is a ``fakeclaude.cassettes.CassetteMiss``, without importing the cassettes (and
    whichever copy of the module raised it, as under pytester's module snapshots)."""
    return any(c.__name__ == "CassetteMiss" and c.__module__ == "fakeclaude.cassettes.misses"
               for c in type(exc).__mro__)


def pytest_sessionfinish(session: pytest.Session) -> None:
    from .fixtures import _Hub

    _Hub.stop()
