"""``ClaudeCassette``: vcrpy's ``Cassette`` with keyed lookup, record modes and safe saving.

vcrpy supplies the cassette model (interactions, play counts, ``before_record_*`` hooks, the
serializer/persister protocols, ``deserialize``/``serialize``). This subclass adds:

- lookup by a precomputed key (``matching.request_key``), one dict access per request; identical
  requests replay in recorded order (the first one not yet played);
- the ``rewrite`` mode (start empty, replace the file) next to vcrpy's none/once/new_episodes/all;
- saving that never loses data: under an exclusive lock on the cassette's folder the file is read
  again, merged with what this run recorded (so parallel xdist workers sharing a cassette never
  clobber each other, and ``new_episodes`` keeps every older interaction), scrubbed once more as
  text, written to a temporary file in the same folder, flushed and renamed over the cassette.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from vcr.cassette import Cassette
from vcr.persisters.filesystem import CassetteDecodeError, CassetteNotFoundError
from vcr.record_mode import RecordMode
from vcr.request import Request
from vcr.serialize import deserialize as vcr_deserialize
from vcr.serialize import serialize as vcr_serialize

from . import cassette as fmt
from .matching import DEFAULT_IGNORE, DEFAULT_MATCH_ON, Key, request_key
from .scrub import Scrubber

__all__ = ["RECORD_MODES", "ClaudeCassette", "CassettePersister"]

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent, os.O_RDONLY)  # the folder itself: no lock files left behind
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


class CassettePersister:
    """vcrpy persister protocol, with atomic writes and a last textual scrub."""

    def __init__(self, scrubber: Scrubber | None = None) -> None:
        self.scrubber = scrubber or Scrubber()

    def load_cassette(self, cassette_path: str | Path, serializer: Any) -> Any:
        path = Path(cassette_path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CassetteNotFoundError() from None
        except UnicodeDecodeError as exc:
            raise CassetteDecodeError(f"cannot read {path}: {exc}") from exc
        if not text.strip():
            raise CassetteNotFoundError()
        try:
            return vcr_deserialize(text, serializer)
        except Exception as exc:  # yaml / json / shape errors: say which file
            raise CassetteDecodeError(f"cannot load cassette {path}: {exc}") from exc

    def save_cassette(self, cassette_path: str | Path, cassette_dict: dict[str, Any], serializer: Any) -> None:
        path = Path(cassette_path)
        text = self.scrubber.text(vcr_serialize(cassette_dict, serializer))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


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
        self.existed = False
        if record_mode != "rewrite":
            self._load()
            self.existed = self.rewound

    # ----- keys and lookup -------------------------------------------------------------------------
    def key(self, method: str, uri: str, body: bytes | str | None) -> Key:
        if body and isinstance(body, bytes) and b"sk-ant-" in body:
            body = self.scrubber.bytes(body)  # stored requests were scrubbed: compare like with like
        return request_key(method, uri, body, self.match_names, self.ignore)

    def key_of(self, request: Request) -> Key:
        return self.key(request.method, request.uri, request.body)

    def append(self, request: Any, response: Any) -> None:
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
        return list(self._index.get(key, ()))

    def unplayed(self) -> list[int]:
        return [i for i in range(self._loaded_count) if not self.play_counts[i]]

    def add_read_only(self, path: str | Path) -> None:
        """Replay the interactions of another cassette too (never written)."""
        try:
            requests, responses, *_ = self._persister.load_cassette(path, fmt)
        except CassetteNotFoundError:
            return
        for request, response in zip(requests, responses, strict=True):
            self.append(request, response)
        self._loaded_count = len(self.data)
        self.existed = True
        self.rewound = True

    # ----- saving ----------------------------------------------------------------------------------
    def save(self) -> None:
        """Write what this run recorded, merged with the file as it is now (under a lock)."""
        recorded = self.data[self._loaded_count:]
        if not recorded:
            return
        path = Path(self._path)
        with _locked(path):
            on_disk: list[tuple[Any, Any]] = []
            if self.mode != "rewrite":
                try:
                    requests, responses, *_ = self._persister.load_cassette(path, fmt)
                    on_disk = list(zip(requests, responses, strict=True))
                except CassetteNotFoundError:
                    pass
            if self.mode == "all":
                new_keys = {self.key_of(request) for request, _ in recorded}
                on_disk = [(q, r) for q, r in on_disk if self.key_of(q) not in new_keys]
            interactions = on_disk + recorded
            self._persister.save_cassette(
                path, {"requests": [q for q, _ in interactions], "responses": [r for _, r in interactions]}, fmt,
            )
        self.dirty = False
