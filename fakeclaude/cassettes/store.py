"""``ClaudeCassette``: vcrpy's ``Cassette`` with keyed lookup, record modes and safe saving.

vcrpy supplies the cassette model (interactions, play counts, ``before_record_*`` hooks, the
serializer/persister protocols, ``deserialize``/``serialize``). This subclass adds:

- lookup by a precomputed key (``matching.request_key``), one dict access per request; identical
  requests replay in recorded order (the first one not yet played);
- the ``rewrite`` mode (start empty, replace the file) next to vcrpy's none/once/new_episodes/all;
- saving that never loses data: under an exclusive lock on the cassette's folder the file is read
  again, merged with what this run recorded (so parallel xdist workers sharing a cassette never
  clobber each other, and ``new_episodes`` keeps every older interaction), scrubbed once more as
  text, written to an unnamed file in the same folder (``O_TMPFILE``: a kill leaves nothing), flushed,
  named and renamed over the cassette, readable by all (0644 under the usual umask, as vcrpy's);
- a *run* (``run_started``: one pytest session, all its xdist workers included): each interaction keeps
  when it was recorded (``recorded_at``), so a cassette shared by many tests keeps every test's
  recordings in every mode. ``rewrite`` and ``all`` replace only what was recorded *before* this run,
  and ``once`` keeps recording into a cassette that this run created.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vcr.cassette import Cassette
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.record_mode import RecordMode
from vcr.request import Request
from vcr.serialize import serialize as vcr_serialize
from vcr.serializers import compat

from . import format as fmt
from .files import locked, remove_stale_temporaries, write_atomically
from .loading import CassetteError, load_file
from .matching import DEFAULT_IGNORE, DEFAULT_MATCH_ON, Key, request_key
from .scrubbing import Scrubber

__all__ = ["RECORD_MODES", "RUN_STARTED", "CassetteError", "CassettePersister", "ClaudeCassette", "timestamp"]

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
RUN_STARTED = time.time()  # this process's run; the pytest plugin sets the session's (shared with its workers)
_KEPT_KEYS = 64  # the lookup keys a cassette keeps (the requests it computed them for last)
_KEPT_BODY_BYTES = 64 * 1024  # of bodies up to this size


def timestamp(seconds: float | None = None) -> str:
    """``recorded_at``: UTC, ISO 8601, microseconds."""
    moment = datetime.fromtimestamp(time.time() if seconds is None else seconds, UTC)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _seconds(recorded_at: Any) -> float:
    if isinstance(recorded_at, datetime):
        return recorded_at.timestamp()
    try:
        return datetime.fromisoformat(str(recorded_at).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


class CassettePersister:
    """vcrpy persister protocol, with atomic writes and a last textual scrub."""

    def __init__(self, scrubber: Scrubber | None = None) -> None:
        self.scrubber = scrubber or Scrubber()

    def load_cassette(self, cassette_path: str | Path, serializer: Any = None) -> Any:
        """``(requests, responses)`` (and metadata); ``CassetteError`` for a malformed file."""
        try:
            data = fmt.from_data(load_file(cassette_path))
        except FileNotFoundError:
            raise CassetteNotFoundError() from None
        requests = [Request._from_dict(i["request"]) for i in data["interactions"]]
        responses = [compat.convert_to_bytes(i["response"]) for i in data["interactions"]]
        return (requests, responses, data["metadata"]) if data.get("metadata") else (requests, responses)

    def save_cassette(self, cassette_path: str | Path, cassette_dict: dict[str, Any], serializer: Any = None) -> None:
        """Write ``cassette_dict`` (vcrpy's ``requests`` / ``responses``) in this format, scrubbed, atomically."""
        path = Path(cassette_path)
        text = self.scrubber.text(vcr_serialize(cassette_dict, fmt))
        write_atomically(path, text.encode("utf-8"))


class ClaudeCassette(Cassette):  # type: ignore[misc]
    """A vcrpy cassette looked up by key, with ordered replay of identical requests."""

    def __init__(
        self,
        path: str | Path,
        *,
        record_mode: str = "none",
        match_on: Sequence[str] = DEFAULT_MATCH_ON,
        ignore: Collection[str] = DEFAULT_IGNORE,
        scrubber: Scrubber | None = None,
        allow_playback_repeats: bool = False,
        before_record_request: Callable[[Any], Any] | None = None,
        before_record_response: Callable[[Any], Any] | None = None,
        run_started: float | None = None,
    ) -> None:
        if record_mode not in RECORD_MODES:
            raise ValueError(f"record mode {record_mode!r}: choose one of {', '.join(RECORD_MODES)}")
        self.scrubber = scrubber or Scrubber()
        user_request, user_response = before_record_request, before_record_response

        def on_request(request: Any) -> Any:
            request = self.scrubber.request(request)
            return user_request(request) if user_request and request is not None else request

        def on_response(response: Any) -> Any:
            response = self.scrubber.response(response)
            return user_response(response) if user_response and response is not None else response

        vcr_mode = RecordMode.ALL if record_mode == "rewrite" else RecordMode(record_mode)
        super().__init__(
            str(path), serializer=fmt, persister=CassettePersister(self.scrubber), record_mode=vcr_mode,
            match_on=(), before_record_request=on_request, before_record_response=on_response,
            allow_playback_repeats=allow_playback_repeats,
        )
        self.mode = record_mode
        self.match_names = tuple(match_on)
        self.ignore = frozenset(ignore)
        self._index: dict[Key, list[int]] = {}
        self._keys: dict[tuple[str, str, bytes | str | None], Key] = {}  # request -> key, the last _KEPT_KEYS
        self.run_started = RUN_STARTED if run_started is None else run_started
        self._saved_count = 0
        self.existed = False
        if record_mode != "rewrite":
            self._load_checked(Path(path))
            # a cassette this run created is still new to it (``once`` goes on recording into it)
            self.existed = any(not self.this_run(response) for _, response in self.data)

    def _load_checked(self, path: Path) -> None:
        try:
            requests, responses, *_ = self._persister.load_cassette(path)
        except CassetteNotFoundError:
            return
        for request, response in zip(requests, responses, strict=True):
            self.append(request, response)
        self._loaded_count = len(self.data)
        self.dirty = False
        self.rewound = True

    def this_run(self, response: dict[str, Any]) -> bool:
        """Whether an interaction was recorded during this run (by this test or another)."""
        recorded_at = response.get("recorded_at")
        return recorded_at is not None and _seconds(recorded_at) >= self.run_started

    # ----- keys and lookup -------------------------------------------------------------------------
    def key(self, method: str, uri: str, body: bytes | str | None) -> Key:
        """The lookup key of a request, as ``matching.request_key`` computes it with this cassette's options."""
        # stored requests were scrubbed: compare like with like. A pure function of the request and this
        # cassette's options, kept for the last requests (a suite replays the same request again and again)
        memo = (method, uri, body)
        found = self._keys.get(memo)
        if found is None:
            found = request_key(method, uri, body, self.match_names, self.ignore, scrub=self.scrubber.text)
            if body is None or len(body) <= _KEPT_BODY_BYTES:
                if len(self._keys) >= _KEPT_KEYS:
                    self._keys.pop(next(iter(self._keys)))  # the oldest
                self._keys[memo] = found
        return found

    def key_of(self, request: Request) -> Key:
        """``key`` of a vcrpy ``Request``."""
        return self.key(request.method, request.uri, request.body)

    def append(self, request: Any, response: Any) -> None:
        """vcrpy's ``append`` (scrubbing hooks included), indexed by key."""
        before = len(self.data)
        super().append(request, response)
        if len(self.data) > before:
            self._index.setdefault(self.key_of(self.data[-1][0]), []).append(before)

    @property
    def replays(self) -> bool:
        """Whether recorded interactions may be played (not in ``all`` / ``rewrite``)."""
        return self.mode not in ("all", "rewrite")

    @property
    def records(self) -> bool:
        """Whether a request nothing matches is sent on and recorded."""
        return self.mode in ("new_episodes", "all", "rewrite") or (self.mode == "once" and not self.existed)

    def play(self, key: Key) -> tuple[int, dict[str, Any]] | None:
        """The first unplayed interaction for ``key`` (or, with repeats allowed, the last one)."""
        if not self.replays:
            return None
        indices = self._index.get(key)
        if not indices:
            return None
        counts, loaded = self.play_counts, self._loaded_count
        indices = [i for i in indices if i < loaded]  # what this run records is never replayed to it
        if not indices:
            return None
        for index in indices:
            if not counts[index]:
                counts[index] = 1
                return index, self.data[index][1]
        if self.allow_playback_repeats:
            index = indices[-1]
            counts[index] += 1
            return index, self.data[index][1]
        return None

    def matching_indices(self, key: Key) -> list[int]:
        """The positions of every interaction recorded for ``key``, played or not."""
        return list(self._index.get(key, ()))

    def unplayed(self) -> list[int]:
        """The positions of the loaded interactions that were never played."""
        return [i for i in range(self._loaded_count) if not self.play_counts[i]]

    def add_read_only(self, path: str | Path) -> None:
        """Replay the interactions of another cassette too (never written)."""
        try:
            requests, responses, *_ = self._persister.load_cassette(path)
        except CassetteNotFoundError:
            return
        for request, response in zip(requests, responses, strict=True):
            self.append(request, response)
        self._loaded_count = len(self.data)
        self.existed = True
        self.rewound = True

    # ----- saving ----------------------------------------------------------------------------------
    def save(self) -> None:
        """Write what was recorded since the last save, merged with the file as it is now (under a lock).

        May be called again and again (the recording proxy saves after every interaction).
        """
        start, end = max(self._loaded_count, self._saved_count), len(self.data)
        recorded = self.data[start:end]
        if not recorded:
            return
        path = Path(self._path)
        with locked(path):
            remove_stale_temporaries(path)
            on_disk: list[tuple[Any, Any]] = []
            try:
                requests, responses, *_ = self._persister.load_cassette(path)
                on_disk = list(zip(requests, responses, strict=True))
            except CassetteNotFoundError:
                pass
            if self.mode == "rewrite":  # what older runs recorded goes; this run's (other tests') stays
                on_disk = [(q, r) for q, r in on_disk if self.this_run(r)]
            elif self.mode == "all":  # an older recording of a request recorded again goes
                new_keys = {self.key_of(request) for request, _ in recorded}
                on_disk = [(q, r) for q, r in on_disk if self.this_run(r) or self.key_of(q) not in new_keys]
            interactions = on_disk + recorded
            self._persister.save_cassette(
                path, {"requests": [q for q, _ in interactions], "responses": [r for _, r in interactions]},
            )
        self._saved_count = end
        self.dirty = False
