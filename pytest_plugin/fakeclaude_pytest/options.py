"""The plugin's command-line and ini options, its markers, and reading them for one test.

Imported by ``plugin`` (which registers them), ``fixtures`` and ``session`` alike, and importing none
of them: the plugin's modules form no import cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from ._stash import CALL_FAILED

__all__ = [
    "CALL_FAILED",
    "FAKE_CLAUDE_OPTIONS",
    "RECORD_MODES",
    "add_options",
    "allowed_hosts",
    "fake_claude_options",
    "register_markers",
]

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")  # as fakeclaude.cassettes.RECORD_MODES

FAKE_CLAUDE_OPTIONS = frozenset({"allow_hosts", "allow_unused", "fail_invalid_requests"})


def add_options(parser: pytest.Parser) -> None:
    """Every option in one ``fakeclaude`` group, with a ``claude`` prefix (pytest-recording keeps its own)."""
    group = parser.getgroup("fakeclaude", "fakeclaude record/replay of Claude API traffic")
    group.addoption(
        "--claude-record-mode", action="store", default=None, choices=RECORD_MODES,
        help="how claude_cassette tests use the network: none (default: replay only, a miss fails), once, "
             "new_episodes, all, rewrite",
    )
    group.addoption(
        "--claude-fail-unused", action="store_true", default=False,
        help="fail tests whose cassettes hold interactions that were never played",
    )
    group.addoption(
        "--claude-replay-pace", action="store", default=None, choices=("instant", "recorded"),
        help="replay streams instantly (default) or at the recorded pace",
    )
    group.addoption(
        "--claude-allow-hosts", action="append", default=[], metavar="HOST[,HOST...]",
        help="hosts (or host:port) that fake_claude and replaying claude_cassette tests may reach besides "
             "loopback ('*' for any); added to the claude_allow_hosts ini option",
    )
    group.addoption(
        "--claude-fail-invalid-requests", action="store_true", default=None,
        help="fail fake_claude tests whose app sent a request the real API would refuse (even if it caught the 400)",
    )
    parser.addini("claude_cassette_dir", "folder of claude cassettes (default: cassettes/ beside each test module)",
                  default="")
    parser.addini("claude_allow_hosts", "hosts (or host:port) fake_claude and replaying claude_cassette tests may "
                  "reach besides loopback", type="linelist", default=[])
    parser.addini("claude_fail_invalid_requests", "fail fake_claude tests whose app sent a request the real API "
                  "would refuse", type="bool", default=False)


def register_markers(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "claude_cassette(*names, record_mode=, match_on=, ignore=, allow_repeats=, pace=, scrubbers=, "
        "scrub_headers=, cassette_dir=, fail_unused=, allow_hosts=, before_record_request=, "
        "before_record_response=): record Claude API traffic to a cassette and replay it",
    )
    config.addinivalue_line(
        "markers",
        "fake_claude(allow_hosts=, allow_unused=, fail_invalid_requests=): options of the fake_claude fixture",
    )


def allowed_hosts(config: pytest.Config, extra: Iterable[str] | str | None = None) -> list[str]:
    """The hosts a test may reach: the ini option, the command line, then the marker's ``allow_hosts``."""
    hosts = [str(h) for h in config.getini("claude_allow_hosts")]
    for value in config.getoption("claude_allow_hosts") or []:
        hosts += [h for h in str(value).split(",") if h.strip()]
    if isinstance(extra, str):
        hosts.append(extra)
    elif extra is not None:
        hosts += [str(h) for h in extra]
    return hosts


def fake_claude_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The ``fake_claude`` marker's options for this test, with the ini / command-line defaults applied."""
    marker = request.node.get_closest_marker("fake_claude")
    given: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        raise pytest.UsageError(f"fake_claude marker: takes keyword options only ({sorted(FAKE_CLAUDE_OPTIONS)})")
    unknown = set(given) - FAKE_CLAUDE_OPTIONS
    if unknown:
        raise pytest.UsageError(f"fake_claude marker: unknown option(s) {sorted(unknown)}; "
                                f"known: {sorted(FAKE_CLAUDE_OPTIONS)}")
    config = request.config
    invalid = config.getoption("claude_fail_invalid_requests")
    if invalid is None:
        invalid = bool(config.getini("claude_fail_invalid_requests"))
    return {
        "allow_hosts": allowed_hosts(config, given.get("allow_hosts")),
        "allow_unused": bool(given.get("allow_unused", False)),
        "fail_invalid_requests": bool(given.get("fail_invalid_requests", invalid)),
    }
