"""One test's cassette use: resolve its options, activate interception, save and check at the end.

A cassette that does not record (``record_mode="none"``, or ``once`` with an existing file) fails
closed: a request it cannot answer fails the test, and so does any other connection to a real host
(``network_guard``). With no ``ANTHROPIC_API_KEY`` in the environment it provides a made-up one meanwhile,
so that the SDK builds its requests (a replay never needs the real key).

Everything below the pytest layer is ``fakeclaude.cassettes``; what is pytest's lives here: options
from the marker, ``claude_cassette_config`` and the command line; where the file is; failures.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from fakeclaude.cassettes import (
    DEFAULT_IGNORE,
    DEFAULT_MATCH_ON,
    CassetteError,
    ClaudeCassette,
    Recorder,
    Scrubber,
    activate,
    deactivate,
)

from . import network_guard
from ._stash import CALL_FAILED, RUN_STARTED
from .options import allowed_hosts

__all__ = ["CassetteSession", "cassette_paths"]

_OPTIONS = frozenset({
    "record_mode", "match_on", "ignore", "allow_repeats", "pace", "scrubbers", "scrub_headers", "cassette_dir",
    "fail_unused", "before_record_request", "before_record_response", "allow_hosts",
})
_SUFFIXES = (".yaml", ".yml", ".json")

#: The key a replaying test gets when the environment has none (the SDK refuses to build a request without one).
REPLAY_API_KEY = "fakeclaude-replay-key"


def _file_name(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).strip("_") or "cassette"


def _directory(request: pytest.FixtureRequest, override: Any) -> Path:
    """``cassette_dir=`` as given (relative to the rootdir); else the ini folder or ``cassettes/`` beside
    the module, with a folder per module."""
    module = Path(str(request.node.path))
    root = request.config.rootpath
    if override:
        base = Path(override)
        return base if base.is_absolute() else root / base
    ini = request.config.getini("claude_cassette_dir")
    if ini:
        base = Path(str(ini))
        return (base if base.is_absolute() else root / base) / module.stem
    return module.parent / "cassettes" / module.stem


def _test_name(request: pytest.FixtureRequest) -> str:
    name: str = request.node.name
    cls_ = getattr(request.node, "cls", None)
    return f"{cls_.__name__}.{name}" if cls_ is not None else name


def cassette_paths(request: pytest.FixtureRequest, names: tuple[Any, ...], cassette_dir: Any) -> list[Path]:
    """The files of a test's cassettes: each name a path (``"../shared/x"``, ``"sub/x"``, absolute) taken
    from the cassette folder, ``.yaml`` added unless it has a suffix; no name: the test's own name."""
    directory = _directory(request, cassette_dir)
    if not names:
        return [directory / (_file_name(_test_name(request)) + ".yaml")]
    paths = []
    for name in names:
        path = Path(str(name))
        if path.suffix not in _SUFFIXES:
            path = path.with_name(path.name + ".yaml")
        paths.append(path if path.is_absolute() else Path(directory, path).resolve())
    return paths


class CassetteSession:
    """A test's cassette, its recorder and what to check when the test ends."""

    def __init__(self, cassette: ClaudeCassette, recorder: Recorder, fail_unused: bool,
                 allow_hosts: list[str] | None = None, *, shared: bool = False) -> None:
        self.cassette = cassette
        self.recorder = recorder
        self.fail_unused = fail_unused
        self.shared = shared
        """Whether the cassette is named (``claude_cassette("name")``), so other tests may use it too."""
        self.allow_hosts = list(allow_hosts or [])
        self._guard: network_guard.Guard | None = None
        self._previous_guard: network_guard.Guard | None = None
        self._provided_key = False

    @property
    def path(self) -> Path:
        return Path(self.cassette.path)

    @classmethod
    def from_marker(cls, request: pytest.FixtureRequest, marker: pytest.Mark, defaults: dict[str, Any]) -> CassetteSession:
        options = {**defaults, **marker.kwargs}
        unknown = set(options) - _OPTIONS
        if unknown:
            raise pytest.UsageError(f"claude_cassette: unknown option(s) {sorted(unknown)}; known: {sorted(_OPTIONS)}")
        pyconfig = request.config
        cli_mode = pyconfig.getoption("claude_record_mode")
        mode = marker.kwargs.get("record_mode") or cli_mode or defaults.get("record_mode") or "none"
        paths = cassette_paths(request, marker.args, options.get("cassette_dir"))
        scrubber = Scrubber(options.get("scrubbers", ()), options.get("scrub_headers", ()))
        try:
            cassette = ClaudeCassette(
                paths[0], record_mode=mode, match_on=options.get("match_on") or DEFAULT_MATCH_ON,
                ignore=options.get("ignore", DEFAULT_IGNORE), scrubber=scrubber,
                allow_playback_repeats=bool(options.get("allow_repeats", False)),
                before_record_request=options.get("before_record_request"),
                before_record_response=options.get("before_record_response"),
                run_started=pyconfig.stash.get(RUN_STARTED, None),
            )
            for extra in paths[1:]:
                cassette.add_read_only(extra)
        except CassetteError as exc:
            raise pytest.fail.Exception(str(exc), pytrace=False) from None  # said once: no chained copy of it
        pace = options.get("pace") or pyconfig.getoption("claude_replay_pace") or "instant"
        hint = cls._hint(request.node.nodeid, cassette, named=bool(marker.args))
        fail_unused = bool(options.get("fail_unused", pyconfig.getoption("claude_fail_unused")))
        hosts = allowed_hosts(pyconfig, options.get("allow_hosts"))
        recorder = Recorder(cassette, pace=pace, rerecord_hint=hint, recorded_by=request.node.nodeid)
        return cls(cassette, recorder, fail_unused, hosts, shared=bool(marker.args))

    @staticmethod
    def _hint(nodeid: str, cassette: ClaudeCassette, named: bool) -> str:
        command = f'pytest "{nodeid}" --claude-record-mode='
        if not cassette.existed:
            return command + "once"
        if named:  # perhaps shared: a rewrite from this one test would drop the other tests' recordings
            return (command + "new_episodes  (adds what is missing; the cassette is named, other tests may "
                    "share it: rewrite it only by running all of them)")
        return command + "rewrite"

    def start(self) -> None:
        network_guard.install()  # before the interception, so that a replayed answer is never checked
        if not self.cassette.records:
            self._guard = network_guard.Guard.of("claude_cassette (replaying)", self.allow_hosts)
            self._previous_guard = network_guard.activate(self._guard)
            if not os.environ.get("ANTHROPIC_API_KEY"):
                os.environ["ANTHROPIC_API_KEY"] = REPLAY_API_KEY
                self._provided_key = True
        activate(self.recorder)

    def unplayed(self) -> list[int]:
        """The positions of this test's interactions that it never played (``--claude-fail-unused``).

        An interaction is this test's when it recorded it (``recorded_by``, its node id); one without
        ``recorded_by`` (recorded before fakeclaude kept it, or through ``fakeclaude record``) counts
        only in the test's own cassette, never in a named one other tests may share.
        """
        owner = self.recorder.recorded_by
        out = []
        for index in self.cassette.unplayed():
            by = self.cassette.data[index][1].get("recorded_by")
            if by == owner or (by is None and not self.shared):
                out.append(index)
        return out

    def stop(self, item: pytest.Item) -> None:
        deactivate()
        if self._guard is not None:
            network_guard.deactivate(self._previous_guard)
        if self._provided_key:
            os.environ.pop("ANTHROPIC_API_KEY", None)
        self.cassette.save()
        if item.stash.get(CALL_FAILED, True):
            return
        if self._guard is not None and self._guard.blocked:
            pytest.fail(self._guard.message(), pytrace=False)
        if self.recorder.misses:
            pytest.fail("a cassette miss was caught by the code under test:\n" + self.recorder.misses[0], pytrace=False)
        if self.fail_unused and self.cassette.replays:
            unplayed = self.unplayed()
            if unplayed:
                listing = "\n".join(
                    f"  #{i}: {self.cassette.data[i][0].method} {self.cassette.data[i][0].uri}" for i in unplayed
                )
                pytest.fail(
                    f"fakeclaude: {len(unplayed)} recorded interaction(s) in {self.cassette.path} were never "
                    f"played (--claude-fail-unused):\n{listing}", pytrace=False,
                )
