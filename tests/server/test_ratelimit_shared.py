"""Rate limits shared through the state store: the same limiter on memory, SQLite and a real Redis.

Each scenario runs on the in-memory ``RateLimiter`` and on a ``SharedRateLimiter`` over each backend,
and what they say (headers, 429 texts and headers) must be identical; then two limiters (two fakes, two
threads pools) on one store admit exactly the limit together, and finally a real ``fakeclaude serve
--workers 2 --rate-limit-requests N`` hammered from several threads answers exactly N of them.
"""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anthropic
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.errors import ApiError
from fakeclaude.server.ratelimit import RateLimiter, RateLimits
from fakeclaude.server.ratelimit_shared import SharedRateLimiter
from fakeclaude.server.statestore import StateStore

from ..cli_support import fakeclaude_process
from . import test_shared_state
from .test_shared_state import Opener

backend = test_shared_state.backend  # the same fixtures: memory, SQLite, a real redis-server
redis_url = test_shared_state.redis_url

Observed = list[Any]


def _observe(limiter: RateLimiter, clock: FakeClock) -> Observed:
    """A run over every path of the limiter: what it answered at each step (headers or the 429)."""
    seen: Observed = []

    def attempt(step: Callable[[], Any]) -> None:
        try:
            seen.append(("ok", step()))
        except ApiError as error:
            seen.append((error.status, error.type, error.message, dict(error.headers)))

    attempt(lambda: limiter.headers("k"))
    for _ in range(4):  # three requests a minute: the fourth is refused and spends nothing
        attempt(lambda: limiter.admit("k", 2_300, model="claude-sonnet-4-5"))
        attempt(lambda: limiter.finish("k", 700, 2_300))
    attempt(lambda: limiter.headers("k"))
    clock.advance(19)
    attempt(lambda: limiter.check("k", 10))
    clock.advance(1)
    attempt(lambda: limiter.admit("k", 10))
    attempt(lambda: limiter.refund("k", 10))  # given back: the next admit still passes
    attempt(lambda: limiter.admit("k", 10))
    attempt(lambda: limiter.finish("k", 5_000, 10))  # output beyond the bucket: in debt
    clock.advance(20)  # a request is back, the output debt not yet repaid
    attempt(lambda: limiter.admit("k", 10, model="claude-haiku-4-5"))  # the output-token 429
    attempt(lambda: limiter.admit("k", 99_999))  # larger than the input bucket: a full minute
    attempt(lambda: limiter.settle("other", 10, 10))
    attempt(lambda: limiter.record("other", 10, 10))
    clock.advance(3600)
    attempt(lambda: limiter.headers("k"))  # full again, never above the limit
    return seen


_LIMITS = RateLimits(requests_per_minute=3, input_tokens_per_minute=30_000, output_tokens_per_minute=4_000)


def test_the_shared_limiter_answers_exactly_as_the_in_memory_one(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    clock = FakeClock()
    expected = _observe(RateLimiter(clock, _LIMITS, organization_id="org-1"), clock)
    clock = FakeClock()
    shared = _observe(SharedRateLimiter(clock, opener(), _LIMITS, organization_id="org-1"), clock)
    assert shared == expected
    refused = [step for step in expected if step[0] == 429]
    assert len(refused) == 4  # the 4th request, the early check, the output debt, the oversized prompt
    assert refused[0][2].startswith("Number of requests has exceeded your per-minute rate limit")
    assert refused[0][3]["retry-after"] == "20" and refused[0][3]["x-should-retry"] == "true"
    assert "4,000 output tokens per minute (org: org-1, model: claude-haiku-4-5)" in refused[2][2]
    assert refused[3][3]["retry-after"] == "60"
    assert expected[-1][1]["anthropic-ratelimit-requests-remaining"] == "3"


def test_two_limiters_on_one_store_admit_the_limit_once_between_them(backend: tuple[str, Opener]) -> None:
    """16 threads over two handles (two workers) racing for 50 requests: exactly 50 pass, none twice."""
    _, opener = backend
    clock = FakeClock()
    limiters = [SharedRateLimiter(clock, opener(), RateLimits(requests_per_minute=50)) for _ in range(2)]
    admitted: list[int] = []
    lock = threading.Lock()

    def hammer(limiter: RateLimiter) -> None:
        for _ in range(8):
            try:
                limiter.admit("k", 1)
            except ApiError:
                continue
            limiter.finish("k", 1, 1)
            with lock:
                admitted.append(1)

    threads = [threading.Thread(target=hammer, args=(limiters[i % 2],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(admitted) == 50
    assert limiters[1].headers("k")["anthropic-ratelimit-requests-remaining"] == "0"


def test_fakes_sharing_a_store_share_their_windows_and_refund_errors(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    clock = FakeClock()
    fakes = [FakeClaude(seed=0, clock=clock, state=opener(), worker=name,
                        rate_limits=RateLimits(requests_per_minute=4)) for name in ("a", "b")]
    clients = [fake.client(max_retries=0) for fake in fakes]
    ask: dict[str, Any] = {"model": "claude-haiku-4-5", "max_tokens": 8, "messages": [{"role": "user", "content": "Hi"}]}
    fakes[1].error(529)  # an error answer spends nothing, on any worker
    with pytest.raises(fakeclaude.OverloadedError):
        clients[1].messages.create(**ask)
    remaining = [clients[i % 2].messages.with_raw_response.create(**ask)
                 .headers["anthropic-ratelimit-requests-remaining"] for i in range(4)]
    assert remaining == ["3", "2", "1", "0"]  # one window for both fakes
    for client in clients:
        with pytest.raises(fakeclaude.RateLimitError) as refused:
            client.messages.create(**ask)
        assert refused.value.response.headers["retry-after"] == "15"
    clock.advance(15)
    assert clients[0].messages.create(**ask).id


def test_records_of_full_buckets_are_swept(backend: tuple[str, Opener], monkeypatch: pytest.MonkeyPatch) -> None:
    _, opener = backend
    monkeypatch.setattr("fakeclaude.server.ratelimit_shared._SWEEP_EVERY", 10)
    clock = FakeClock()
    store: StateStore = opener()
    limiter = SharedRateLimiter(clock, store, RateLimits(requests_per_minute=100))
    for n in range(9):
        limiter.record(f"key-{n}", 1, 1)
    assert len(store.scan("ratelimit/")) == 9
    assert not any("key-" in name for name, _ in store.scan("ratelimit/"))  # the API key is never stored
    clock.advance(61)
    limiter.record("key-last", 1, 1)  # the 10th write sweeps the nine full ones
    assert len(store.scan("ratelimit/")) == 1  # only the key spent in the last minute stays
    assert limiter.headers("key-last")["anthropic-ratelimit-requests-remaining"] == "99"
    assert limiter.headers("key-0")["anthropic-ratelimit-requests-remaining"] == "100"


def test_without_limits_the_store_is_never_touched(backend: tuple[str, Opener]) -> None:
    """Nothing to enforce: the headers come from this worker's buckets, no round trip to the store."""
    _, opener = backend
    store = opener()
    clock = FakeClock()
    limiter, alone = SharedRateLimiter(clock, store), RateLimiter(clock)
    for _ in range(3):
        limiter.admit("k", 500)
        alone.admit("k", 500)
        assert limiter.finish("k", 50, 500) == alone.finish("k", 50, 500)
    assert store.scan("") == []


def _hammer(url: str, count: int, threads: int) -> list[tuple[int, dict[str, str], Any]]:
    """``count`` requests from ``threads`` threads, each on a new connection: (status, headers, body)."""
    answers: list[tuple[int, dict[str, str], Any]] = []
    lock = threading.Lock()

    def work(share: int) -> None:
        for _ in range(share):
            with anthropic.Anthropic(api_key="team-key", base_url=url, max_retries=0) as sdk:
                try:
                    raw = sdk.messages.with_raw_response.create(
                        model="claude-haiku-4-5", max_tokens=8, messages=[{"role": "user", "content": "Hi"}])
                    answer = (raw.status_code, dict(raw.headers), raw.parse().id)
                except anthropic.RateLimitError as error:
                    answer = (error.status_code, dict(error.response.headers), error.body)
            with lock:
                answers.append(answer)

    pool = [threading.Thread(target=work, args=(count // threads,)) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return answers


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_two_serve_workers_admit_exactly_the_limit_between_them(kind: str, request: pytest.FixtureRequest,
                                                                 tmp_path: Path) -> None:
    limit = 6  # one request back every 10 s: the burst below takes well under that
    state = f"sqlite:///{tmp_path / 'state.db'}" if kind == "sqlite" else request.getfixturevalue("redis_url")
    with fakeclaude_process("serve", "--no-access-log", "--workers", "2", "--state", state,
                            "--rate-limit-requests", str(limit)) as running:
        deadline = time.monotonic() + 20
        while running.output().count("listening on") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        answers = _hammer(running.url, 32, 8)
        elapsed = time.monotonic() - started
    ok = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if a[0] != 200]
    refilled = math.floor(elapsed * limit / 60)  # requests the window gave back while the burst ran (0 normally)
    assert limit <= len(ok) <= limit + refilled, (len(ok), elapsed)
    assert len({a[1]["x-fakeclaude-worker"] for a in answers}) == 2  # both workers answered
    assert {a[0] for a in refused} == {429} and len(refused) == 32 - len(ok)
    for _, headers, body in refused:
        assert body["type"] == "error" and body["error"]["type"] == "rate_limit_error"
        assert body["error"]["message"].startswith("Number of requests has exceeded your per-minute rate limit")
        assert headers["x-should-retry"] == "true" and 1 <= int(headers["retry-after"]) <= 10
        assert headers["anthropic-ratelimit-requests-limit"] == str(limit)
        assert headers["anthropic-ratelimit-requests-remaining"] == "0"
        assert headers["request-id"].startswith("req_")


def test_serve_documents_and_checks_its_rate_limit_options() -> None:
    shown = subprocess.run([sys.executable, "-m", "fakeclaude", "serve", "--help"],
                           capture_output=True, text=True, timeout=60, check=True).stdout
    for option in ("--rate-limit-requests N", "--rate-limit-input-tokens N", "--rate-limit-output-tokens N"):
        assert option in shown
    bad = subprocess.run([sys.executable, "-m", "fakeclaude", "serve", "--rate-limit-requests", "0"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "argument --rate-limit-requests: 0 is not a limit" in bad.stderr


def test_one_serve_process_enforces_its_token_limits() -> None:
    with fakeclaude_process("serve", "--no-access-log", "--rate-limit-input-tokens", "100",
                            "--rate-limit-output-tokens", "1000") as running, \
            anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
        ask: dict[str, Any] = {"model": "claude-haiku-4-5", "max_tokens": 8}
        raw = sdk.messages.with_raw_response.create(**ask, messages=[{"role": "user", "content": "Hi"}])
        assert raw.headers["anthropic-ratelimit-input-tokens-limit"] == "100"
        assert raw.headers["anthropic-ratelimit-output-tokens-limit"] == "1000"
        with pytest.raises(anthropic.RateLimitError) as refused:
            sdk.messages.create(**ask, messages=[{"role": "user", "content": "word " * 400}])
        assert "rate limit of 100 input tokens per minute" in refused.value.message
        assert refused.value.response.headers["retry-after"] == "60"
