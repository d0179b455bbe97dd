"""Per-API-key rate limits: token buckets refilled continuously, the 429, and the header family.

Each key has three buckets (requests, input tokens, output tokens) holding up to their per-minute
limit and refilling at ``limit / 60`` per second, as Anthropic documents its limits. ``check`` refuses
a request that the buckets cannot cover now (429 ``rate_limit_error`` with ``retry-after`` and
``x-should-retry: true``); ``record`` spends what a finished request used. Output tokens are only
known afterwards, so the output bucket may go into debt and ``check`` waits until it is positive.

The engine uses ``admit`` (check and spend the request and its input tokens under one lock, so that
concurrent requests can never all pass the same last unit of a limit), then ``finish`` (spend the
output tokens, the headers) or ``refund`` (an admitted request that got no answer after all); an answer
known before it is admitted (a kept one) takes ``admit_and_finish``, both in one step. When no limit is
enforced nothing can be refused, so ``admit`` spends nothing and ``finish`` spends the whole request in
one step (and ``refund`` has nothing to give back): the same buckets once a request is answered.

Limits left as ``None`` are never enforced; the headers still report them with the real example
values (4,000 requests, 2,000,000 input and 400,000 output tokens per minute), so they always appear.
Such a bucket runs empty but never into debt (nothing was refused), so its reset is within a minute.
Token ``remaining`` values are rounded to the nearest thousand (docs) unless the limit is below
1,000; ``tokens-*`` adds input and output, as recorded; resets are RFC 3339 ``Z`` times. The twelve texts
follow from six integers (each bucket's shown level and the second it is full again), which most answers
share with the one before (a level shows only when it crosses an integer or a thousand, a reset when it
crosses a second): the limiter hands the last headers out again, read-only, while those integers hold.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil, floor, inf

from fakeclaude.server.clock import Clock, whole_seconds
from fakeclaude.server.errors import ApiError

__all__ = ["DEFAULT_HEADER_LIMITS", "RateLimiter", "RateLimits"]

#: What the headers report for a limit that is not configured.
DEFAULT_HEADER_LIMITS = (4000, 2_000_000, 400_000)
_DOCS = "https://docs.claude.com/en/api/rate-limits"
_SALES = "https://www.anthropic.com/contact-sales"
_REQUESTS_TEXT = (
    "Number of requests has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); "
    "see the response headers for current usage. Please try again later or contact sales at "
    f"{_SALES} to discuss your options for a rate limit increase."
)


@dataclass(frozen=True)
class RateLimits:
    """Per-minute limits per API key; ``None`` means not enforced."""

    requests_per_minute: int | None = None
    input_tokens_per_minute: int | None = None
    output_tokens_per_minute: int | None = None

    def __post_init__(self) -> None:
        for value in (self.requests_per_minute, self.input_tokens_per_minute, self.output_tokens_per_minute):
            if value is not None and value < 1:
                raise ValueError(f"rate limits must be >= 1 or None, not {value!r}")


#: A key's three bucket levels (requests, input tokens, output tokens) and when they were last set.
_Buckets = tuple[float, float, float, float]


class RateLimiter:
    """Token buckets per API key, on ``clock``. Keeps at most ``max_keys`` keys (least recent dropped)."""

    def __init__(
        self,
        clock: Clock,
        limits: RateLimits | None = None,
        *,
        organization_id: str | None = None,
        max_keys: int = 10_000,
    ) -> None:
        self._clock = clock
        self.limits = limits or RateLimits()
        given = (
            self.limits.requests_per_minute,
            self.limits.input_tokens_per_minute,
            self.limits.output_tokens_per_minute,
        )
        self._enforced = tuple(v is not None for v in given)
        self._any_enforced = any(self._enforced)
        self._caps = tuple(
            float(v if v is not None else d) for v, d in zip(given, DEFAULT_HEADER_LIMITS, strict=True)
        )
        # how low a bucket may go: a limit not enforced refuses nothing, so it runs empty, never into debt
        self._floors = tuple(-inf if enforced else 0.0 for enforced in self._enforced)
        self._limit_texts = (*(str(int(cap)) for cap in self._caps), str(int(self._caps[1] + self._caps[2])))
        self._org = organization_id
        self._max = max_keys
        self._keys: dict[str, _Buckets] = {}
        self._shown: tuple[tuple[int, ...], tuple[int, ...], dict[str, str]] = ((), (), {})  # the last headers' integers, and them
        self._lock = threading.RLock()  # ``admit`` holds it around ``check``

    def check(self, key: str, input_tokens: int, *, model: str | None = None) -> None:
        """Raise the 429 if ``key`` cannot send a request of ``input_tokens`` now; spends nothing."""
        if not self._any_enforced:
            return
        with self._lock:
            now = self._clock.now()
            levels = self._levels(key, now)
            needs = (1.0, float(input_tokens), 1.0)
            waits: list[tuple[float, int]] = []
            for i, (level, need, cap) in enumerate(zip(levels, needs, self._caps, strict=True)):
                if self._enforced[i] and level < need:
                    waits.append((60.0 if need > cap else (need - level) * 60.0 / cap, i))
            if not waits:
                return
            first = min(i for _, i in waits)
            retry = max(1, ceil(max(w for w, _ in waits)))
            headers = dict(self._headers(levels, now))
            headers.update({"retry-after": str(retry), "x-should-retry": "true"})
            raise ApiError(429, self._text(first, model), headers=headers)

    def admit(self, key: str, input_tokens: int, *, model: str | None = None) -> None:
        """``check``, then spend one request and ``input_tokens``, in one step (the 429 spends nothing).
        With no limit enforced, nothing: ``finish`` spends them."""
        if not self._any_enforced:
            return
        with self._lock:
            self.check(key, input_tokens, model=model)
            self._spend(key, input_tokens, 0, self._clock.now(), requests=1)

    def finish(self, key: str, output_tokens: int, input_tokens: int) -> Mapping[str, str]:
        """Spend the ``output_tokens`` of a request ``admit`` let in (with ``input_tokens`` and the request
        itself when ``admit`` spent nothing); its headers (read-only: the limiter may hand them out again)."""
        deferred = not self._any_enforced
        with self._lock:
            now = self._clock.now()
            levels = self._spend(key, input_tokens if deferred else 0, output_tokens, now, 1 if deferred else 0)
            return self._headers(levels, now)

    def admit_and_finish(self, key: str, input_tokens: int, output_tokens: int, *,
                         model: str | None = None) -> Mapping[str, str]:
        """``admit`` then ``finish`` in one step, for an answer whose output is known before it is admitted."""
        with self._lock:
            if self._any_enforced:  # this class's own check: a subclass runs the whole step as one
                RateLimiter.check(self, key, input_tokens, model=model)
            now = self._clock.now()
            return self._headers(self._spend(key, input_tokens, output_tokens, now, requests=1), now)

    def refund(self, key: str, input_tokens: int) -> None:
        """Give back what ``admit`` spent, for a request that was not answered after all."""
        if not self._any_enforced:  # ``admit`` spent nothing
            return
        with self._lock:
            self._spend(key, -input_tokens, 0, self._clock.now(), requests=-1)

    def record(self, key: str, input_tokens: int, output_tokens: int) -> None:
        """Spend one request, ``input_tokens`` and ``output_tokens`` of ``key``'s buckets."""
        with self._lock:
            self._spend(key, input_tokens, output_tokens, self._clock.now())

    def settle(self, key: str, input_tokens: int, output_tokens: int) -> dict[str, str]:
        """``record`` then ``headers``, in one step (what every answered request does)."""
        with self._lock:
            now = self._clock.now()
            levels = self._spend(key, input_tokens, output_tokens, now)
            return dict(self._headers(levels, now))

    def headers(self, key: str) -> dict[str, str]:
        """The ``anthropic-ratelimit-*`` headers for ``key`` now (all twelve, values as strings)."""
        with self._lock:
            now = self._clock.now()
            return dict(self._headers(self._levels(key, now), now))

    # -- internals ---------------------------------------------------------------------------------

    # min() and max() are spelled out as comparisons below, and the refill is written out in the step itself:
    # these run on every answered request

    def _spend(self, key: str, input_tokens: int, output_tokens: int, now: float,
               requests: int = 1) -> tuple[float, float, float]:
        """Refill ``key``'s buckets to ``now``, spend ``requests``, ``input_tokens`` and ``output_tokens`` (negative:
        give back), keep the levels (the most recent key last); the levels."""
        keys = self._keys
        state = keys.pop(key, None)
        r_cap, i_cap, o_cap = self._caps
        if state is None:
            r, i, o = r_cap, i_cap, o_cap
        else:
            r, i, o, at = state
            if now > at:  # else nothing refilled (the levels were kept within their limits)
                elapsed = now - at
                r, i, o = r + elapsed * r_cap / 60.0, i + elapsed * i_cap / 60.0, o + elapsed * o_cap / 60.0
                r, i, o = r if r < r_cap else r_cap, i if i < i_cap else i_cap, o if o < o_cap else o_cap
        r, i, o = r - requests, i - input_tokens, o - output_tokens
        if requests < 0 or input_tokens < 0:  # a refund: within the limits again
            r, i = r if r < r_cap else r_cap, i if i < i_cap else i_cap
        r_floor, i_floor, o_floor = self._floors
        r, i, o = r if r > r_floor else r_floor, i if i > i_floor else i_floor, o if o > o_floor else o_floor
        keys[key] = (r, i, o, now)  # a plain dict keeps its order: the least recent key is the first
        if len(keys) > self._max:
            del keys[next(iter(keys))]
        return r, i, o

    def _levels(self, key: str, now: float) -> tuple[float, float, float]:
        """``key``'s levels at ``now``: its buckets refilled, nothing spent (kept so: the same buckets later)."""
        return self._spend(key, 0, 0, now, requests=0)

    def _headers(self, levels: tuple[float, float, float], now: float) -> Mapping[str, str]:
        """The twelve headers for ``levels`` at ``now``; read-only (handed out again while they hold)."""
        # written out (no helper calls): every answered request formats these twelve headers
        requests, input_level, output_level = levels
        r_cap, i_cap, o_cap = self._caps
        r_wait, i_wait, o_wait = ((r_cap - requests) * 60.0 / r_cap, (i_cap - input_level) * 60.0 / i_cap,
                                  (o_cap - output_level) * 60.0 / o_cap)
        # the second each bucket is full again: now's when it is full, else the next whole one after refilling
        second = floor(now)
        r_reset = ceil(now + r_wait) if r_wait > 1e-9 else second
        i_reset = ceil(now + i_wait) if i_wait > 1e-9 else second
        o_reset = ceil(now + o_wait) if o_wait > 1e-9 else second
        # token levels to the nearest thousand (docs), unless the limit is below 1,000
        i_left = floor(input_level) if i_cap < 1000 else floor((input_level + 500) / 1000) * 1000
        o_left = floor(output_level) if o_cap < 1000 else floor((output_level + 500) / 1000) * 1000
        i_left = 0 if i_left < 0 else i_left if i_left < i_cap else int(i_cap)
        o_left = 0 if o_left < 0 else o_left if o_left < o_cap else int(o_cap)
        r_left = floor(requests)
        r_left = r_left if r_left > 0 else 0
        # the twelve texts follow from these six integers alone, and most answers share them with the one before
        # (a bucket's level only shows when it crosses an integer or a thousand, its reset when it crosses a
        # second); a few requests in a row move the requests bucket alone
        shown_requests, shown_tokens = (r_left, r_reset), (i_left, i_reset, o_left, o_reset)
        last_requests, last_tokens, last = self._shown
        if shown_tokens == last_tokens:
            if shown_requests == last_requests:
                return last
            headers = last.copy()
            headers["anthropic-ratelimit-requests-remaining"] = str(r_left)
            headers["anthropic-ratelimit-requests-reset"] = whole_seconds(r_reset)
        else:
            r_limit, i_limit, o_limit, t_limit = self._limit_texts
            i_text, o_text = whole_seconds(i_reset), whole_seconds(o_reset)
            headers = {
                "anthropic-ratelimit-requests-limit": r_limit,
                "anthropic-ratelimit-requests-remaining": str(r_left),
                "anthropic-ratelimit-requests-reset": whole_seconds(r_reset),
                "anthropic-ratelimit-input-tokens-limit": i_limit,
                "anthropic-ratelimit-input-tokens-remaining": str(i_left),
                "anthropic-ratelimit-input-tokens-reset": i_text,
                "anthropic-ratelimit-output-tokens-limit": o_limit,
                "anthropic-ratelimit-output-tokens-remaining": str(o_left),
                "anthropic-ratelimit-output-tokens-reset": o_text,
                "anthropic-ratelimit-tokens-limit": t_limit,
                "anthropic-ratelimit-tokens-remaining": str(i_left + o_left),
                "anthropic-ratelimit-tokens-reset": i_text if i_reset >= o_reset else o_text,
            }
        self._shown = (shown_requests, shown_tokens, headers)
        return headers

    def _text(self, index: int, model: str | None) -> str:
        if index == 0:
            return _REQUESTS_TEXT
        kind = "input" if index == 1 else "output"
        where = ", ".join(f"{k}: {v}" for k, v in (("org", self._org), ("model", model)) if v)
        return (
            f"This request would exceed your organization's rate limit of {int(self._caps[index]):,} {kind} tokens "
            f"per minute{f' ({where})' if where else ''}. For details, refer to: {_DOCS}. You can see the response "
            "headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try "
            f"again later. You may also contact sales at {_SALES} to discuss your options for a rate limit increase."
        )
