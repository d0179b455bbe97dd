"""Rate limits: header family, 429 with retry-after, continuous replenishment."""

from __future__ import annotations

import random
import re

import pytest

from fakeclaude.server.clock import FakeClock
from fakeclaude.server.errors import ApiError
from fakeclaude.server.ratelimit import RateLimiter, RateLimits

NAMES = [
    f"anthropic-ratelimit-{kind}-{part}"
    for kind in ("requests", "tokens", "input-tokens", "output-tokens")
    for part in ("limit", "remaining", "reset")
]
RESET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_headers_always_present_with_generous_defaults() -> None:
    limiter = RateLimiter(FakeClock())
    headers = limiter.headers("k")
    assert sorted(headers) == sorted(NAMES)
    assert all(isinstance(v, str) for v in headers.values())
    assert headers["anthropic-ratelimit-requests-limit"] == "4000"
    assert headers["anthropic-ratelimit-input-tokens-limit"] == "2000000"
    assert headers["anthropic-ratelimit-output-tokens-limit"] == "400000"
    assert headers["anthropic-ratelimit-tokens-limit"] == "2400000"
    assert headers["anthropic-ratelimit-requests-reset"] == "2026-01-01T00:00:00Z"
    for _ in range(5000):  # unconfigured limits are never enforced
        limiter.check("k", 1_000_000)
        limiter.record("k", 1_000_000, 1000)
    assert limiter.headers("k")["anthropic-ratelimit-requests-remaining"] == "0"


def test_a_limit_not_enforced_runs_empty_but_its_reset_stays_within_a_minute() -> None:
    # nothing refused means no debt: 10,000 requests at once used to put requests-reset 150 s ahead
    clock = FakeClock()
    limiter = RateLimiter(clock, RateLimits(output_tokens_per_minute=1000))  # output enforced, the rest not
    for _ in range(10_000):
        limiter.record("k", 1_000_000, 100)
    h = limiter.headers("k")
    assert h["anthropic-ratelimit-requests-remaining"] == "0"
    assert h["anthropic-ratelimit-input-tokens-remaining"] == "0"
    assert h["anthropic-ratelimit-requests-reset"] == "2026-01-01T00:01:00Z"  # empty: full again in 60 s
    assert h["anthropic-ratelimit-input-tokens-reset"] == "2026-01-01T00:01:00Z"
    # an enforced output limit still goes into debt (output is known only afterwards), as documented
    assert h["anthropic-ratelimit-output-tokens-reset"] == "2026-01-01T16:40:00Z"  # 1,000,000 to refill at 1,000/min
    clock.advance(60)
    assert limiter.headers("k")["anthropic-ratelimit-requests-remaining"] == "4000"


def test_remaining_and_reset_follow_usage() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, RateLimits(requests_per_minute=50, input_tokens_per_minute=30_000))
    limiter.record("k", 2_300, 10)
    h = limiter.headers("k")
    assert h["anthropic-ratelimit-requests-remaining"] == "49"
    assert h["anthropic-ratelimit-input-tokens-remaining"] == "28000"  # 27,700 to the nearest thousand
    assert h["anthropic-ratelimit-output-tokens-remaining"] == "400000"
    assert h["anthropic-ratelimit-tokens-limit"] == "430000"
    assert h["anthropic-ratelimit-tokens-remaining"] == "428000"
    assert h["anthropic-ratelimit-requests-reset"] == "2026-01-01T00:00:02Z"  # 1 of 50/min back in 1.2 s
    assert h["anthropic-ratelimit-input-tokens-reset"] == "2026-01-01T00:00:05Z"  # 2,300 at 500/s: 4.6 s
    assert all(RESET.match(h[n]) for n in NAMES if n.endswith("reset"))
    assert limiter.headers("other")["anthropic-ratelimit-requests-remaining"] == "50"  # per key


def test_requests_limit_gives_429_then_replenishes() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, RateLimits(requests_per_minute=3))
    for _ in range(3):
        limiter.check("k", 10)
        limiter.record("k", 10, 10)
    with pytest.raises(ApiError) as exc:
        limiter.check("k", 10)
    err = exc.value
    assert (err.status, err.type) == (429, "rate_limit_error")
    assert err.message.startswith("Number of requests has exceeded your per-minute rate limit")
    assert err.headers["x-should-retry"] == "true"
    assert err.headers["retry-after"] == "20"  # one request back every 20 s
    assert err.headers["anthropic-ratelimit-requests-remaining"] == "0"
    clock.advance(19)
    with pytest.raises(ApiError):
        limiter.check("k", 10)
    clock.advance(1)
    limiter.check("k", 10)


def test_input_tokens_limit_and_retry_after_at_least_one() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, RateLimits(input_tokens_per_minute=6000), organization_id="org-1")
    limiter.record("k", 5990, 0)
    with pytest.raises(ApiError) as exc:
        limiter.check("k", 20, model="claude-sonnet-4-5")
    msg = exc.value.message
    assert "rate limit of 6,000 input tokens per minute (org: org-1, model: claude-sonnet-4-5)" in msg
    assert exc.value.headers["retry-after"] == "1"  # 10 tokens short at 100/s: 0.1 s, rounded up to 1
    clock.advance(0.05)
    with pytest.raises(ApiError):
        limiter.check("k", 20)
    clock.advance(0.95)
    limiter.check("k", 20)


def test_output_tokens_debt_blocks_until_repaid() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, RateLimits(output_tokens_per_minute=600))
    limiter.check("k", 1)
    limiter.record("k", 1, 1200)  # spent beyond the bucket: 600 tokens in debt
    with pytest.raises(ApiError) as exc:
        limiter.check("k", 1)
    assert exc.value.headers["retry-after"] == "61"  # (600 + 1) tokens at 10/s
    assert "output tokens per minute" in exc.value.message
    clock.advance(61)
    limiter.check("k", 1)


def test_request_larger_than_the_bucket_waits_a_full_minute() -> None:
    limiter = RateLimiter(FakeClock(), RateLimits(input_tokens_per_minute=1000))
    with pytest.raises(ApiError) as exc:
        limiter.check("k", 5000)
    assert exc.value.headers["retry-after"] == "60"


def test_bucket_never_exceeds_its_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock, RateLimits(requests_per_minute=10))
    limiter.record("k", 0, 0)
    clock.advance(3600)
    assert limiter.headers("k")["anthropic-ratelimit-requests-remaining"] == "10"


def test_keys_are_bounded() -> None:
    limiter = RateLimiter(FakeClock(), RateLimits(requests_per_minute=1), max_keys=2)
    for key in ("a", "b", "c"):
        limiter.record(key, 0, 0)
    assert limiter.headers("a")["anthropic-ratelimit-requests-remaining"] == "1"  # forgotten: full again
    assert limiter.headers("c")["anthropic-ratelimit-requests-remaining"] == "0"


def test_invalid_limits_rejected() -> None:
    with pytest.raises(ValueError):
        RateLimits(requests_per_minute=0)


def test_refill_rounds_as_the_rate_per_second_says() -> None:
    """Three requests a minute, spent at 0 s, 0 s and 3 s: 57 s later two of the three are back."""
    clock = FakeClock()
    limiter = RateLimiter(clock, RateLimits(requests_per_minute=3))
    limiter.record("k", 0, 0)
    limiter.record("k", 0, 0)
    clock.advance(3)
    limiter.record("k", 0, 0)
    clock.advance(57)
    assert limiter.settle("k", 0, 0)["anthropic-ratelimit-requests-remaining"] == "2"


@pytest.mark.parametrize("limits", [None, RateLimits(requests_per_minute=50, input_tokens_per_minute=30_000)],
                         ids=["unenforced", "enforced"])
def test_admit_finish_and_refund_leave_the_buckets_as_one_settle(limits: RateLimits | None) -> None:
    """Whether ``admit`` spends at once (a limit is enforced) or leaves it to ``finish`` (none is), an answered
    request's headers are those of one ``settle``, and a refunded one spends nothing."""
    clock = FakeClock()
    stepped, settled = RateLimiter(clock, limits), RateLimiter(clock, limits)
    for _ in range(3):
        stepped.admit("k", 2_300)
        assert stepped.finish("k", 700, 2_300) == settled.settle("k", 2_300, 700)
        stepped.admit("k", 900)
        stepped.refund("k", 900)
        assert stepped.headers("k") == settled.headers("k")
        clock.advance(1.5)


@pytest.mark.parametrize("limits", [None, RateLimits(requests_per_minute=50, input_tokens_per_minute=999,
                                                     output_tokens_per_minute=4000)], ids=["unenforced", "enforced"])
def test_headers_handed_out_again_are_those_made_anew(limits: RateLimits | None) -> None:
    """The limiter hands its last headers out again while their six integers hold: over random traffic on two
    keys (levels crossing integers and thousands, resets crossing seconds, 429s) they equal the headers of
    a limiter in the same state that keeps nothing."""
    rng = random.Random(7)
    clock = FakeClock(1_767_225_600.5)
    warm, cold = RateLimiter(clock, limits), RateLimiter(clock, limits)

    def answer(limiter: RateLimiter, key: str, spent: int, output: int) -> list[dict[str, str]]:
        if limiter is cold:
            cold._shown = ((), (), {})  # nothing kept: every text made anew
        try:
            limiter.admit(key, spent)
            answers = [dict(limiter.finish(key, output, spent))]
        except ApiError as exc:
            answers = [dict(exc.headers)]
        return [*answers, limiter.settle(key, spent, output)]

    for _ in range(4100):  # "j" drained: its requests level shows 0 while its reset moves on every request
        warm.record("j", 0, 0)
        cold.record("j", 0, 0)
    for _ in range(150):  # nothing else moves: the requests reset crosses a second every few requests
        assert answer(warm, "j", 0, 0) == answer(cold, "j", 0, 0)
    for _ in range(3000):
        key, spent, output = rng.choice("kkj"), rng.choice([0, 1, 14, 480, 2300]), rng.choice([0, 1, 20, 700])
        assert answer(warm, key, spent, output) == answer(cold, key, spent, output)
        clock.advance(rng.choice([0, 0, 0.001, 0.02, 0.3, 0.5, 1, 7]))
