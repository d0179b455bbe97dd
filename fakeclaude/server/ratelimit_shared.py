"""Rate-limit windows kept in a shared :class:`~fakeclaude.server.statestore.StateStore`, for the workers of
``fakeclaude serve --workers N``: together they admit exactly the limit, not N times it.

The rules, the headers and the 429 texts are :class:`~fakeclaude.server.ratelimit.RateLimiter`'s; only
where a key's three buckets live changes: ``ratelimit/<sha256 of the key>`` holds ``[requests, input
tokens, output tokens, set_at]`` (the API key itself is never written to the store). Every operation is
one read-modify-write: read the record, run the in-memory limiter's own step on it (``check`` then spend
for ``admit``, ``finish``, ``refund``), and write the result with ``compare_and_set`` against what was
read; if another worker changed the record in between, read again and redo the step. So the check and
the spend of ``admit`` are one atomic step across processes, and a 429 writes nothing.

With no limit configured (the default) nothing is ever refused, so the store is not used at all: each
worker reports the headers of its own buckets, and a request costs no round trip to the store.

Records whose buckets are full again say nothing an absent record does not: every ``_SWEEP_EVERY``
writes a sweep drops them (with ``compare_and_set``, so a concurrent spend is never lost), and the store
stays bounded by the keys used in the last minute or so. Used only with a shared store: the default
limiter keeps its ordered dict (the in-process path stays as fast).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TypeVar

from fakeclaude._json import dumps, loads
from fakeclaude.server.clock import Clock
from fakeclaude.server.ratelimit import RateLimiter, RateLimits
from fakeclaude.server.statestore import StateStore

__all__ = ["SharedRateLimiter"]

_PREFIX = "ratelimit/"
_SWEEP_EVERY = 1000
_T = TypeVar("_T")


def _record_key(key: str) -> str:
    return _PREFIX + hashlib.sha256(key.encode()).hexdigest()[:32]


class SharedRateLimiter(RateLimiter):
    """A :class:`RateLimiter` whose buckets live in ``state``, shared by every limiter on that store.

    The inherited dict of buckets only stages the record of the key being changed, under the lock;
    the store holds the truth.
    """

    def __init__(self, clock: Clock, state: StateStore, limits: RateLimits | None = None, *,
                 organization_id: str | None = None) -> None:
        super().__init__(clock, limits, organization_id=organization_id)
        self._shared = state
        self._writes = 0

    def check(self, key: str, input_tokens: int, *, model: str | None = None) -> None:
        self._atomically(key, lambda: super(SharedRateLimiter, self).check(key, input_tokens, model=model),
                         writes=False)

    def admit(self, key: str, input_tokens: int, *, model: str | None = None) -> None:
        if not self._any_enforced:  # ``finish`` spends the whole request
            return

        def step() -> None:
            RateLimiter.check(self, key, input_tokens, model=model)  # the 429 raises before anything is written
            self._spend(key, input_tokens, 0, self._clock.now(), requests=1)

        self._atomically(key, step)

    def admit_and_finish(self, key: str, input_tokens: int, output_tokens: int, *,
                         model: str | None = None) -> Mapping[str, str]:
        return self._atomically(key, lambda: super(SharedRateLimiter, self).admit_and_finish(
            key, input_tokens, output_tokens, model=model))

    def finish(self, key: str, output_tokens: int, input_tokens: int) -> Mapping[str, str]:
        return self._atomically(key, lambda: super(SharedRateLimiter, self).finish(key, output_tokens, input_tokens))

    def refund(self, key: str, input_tokens: int) -> None:
        self._atomically(key, lambda: super(SharedRateLimiter, self).refund(key, input_tokens))

    def record(self, key: str, input_tokens: int, output_tokens: int) -> None:
        self._atomically(key, lambda: super(SharedRateLimiter, self).record(key, input_tokens, output_tokens))

    def settle(self, key: str, input_tokens: int, output_tokens: int) -> dict[str, str]:
        return self._atomically(key, lambda: super(SharedRateLimiter, self).settle(key, input_tokens, output_tokens))

    def headers(self, key: str) -> dict[str, str]:
        return self._atomically(key, lambda: super(SharedRateLimiter, self).headers(key), writes=False)

    # -- internals ---------------------------------------------------------------------------------

    def _atomically(self, key: str, step: Callable[[], _T], *, writes: bool = True) -> _T:
        """Run the in-memory ``step`` on ``key``'s stored record; store its result if nobody changed it meanwhile."""
        if not self._any_enforced:  # nothing to admit or refuse: this worker's buckets only feed its headers
            with self._lock:
                return step()
        name = _record_key(key)
        while True:
            raw = self._shared.get(name)
            with self._lock:
                if raw is not None:
                    self._keys[key] = tuple(float(v) for v in loads(raw))  # type: ignore[assignment]
                try:
                    result = step()  # may raise the 429: nothing is written then
                    changed = self._keys.get(key)
                finally:
                    self._keys.clear()
            if not writes:
                return result
            new = None if changed is None else dumps(list(changed))
            if self._shared.compare_and_set(name, raw, new):
                self._after_write()
                return result

    def _after_write(self) -> None:
        self._writes += 1
        if self._writes % _SWEEP_EVERY:
            return
        for name, raw in self._shared.scan(_PREFIX):
            with self._lock:
                self._keys.clear()
                self._keys[name] = tuple(float(v) for v in loads(raw))  # type: ignore[assignment]
                full = self._levels(name, self._clock.now()) == tuple(self._caps)
                self._keys.clear()
            if full:
                self._shared.compare_and_set(name, raw, None)
