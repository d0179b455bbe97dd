"""Shared state under concurrent requests: scripted rules and rate limits are taken in one step.

Thread switching is forced (``sys.setswitchinterval(1e-6)``, and an iterable that yields the GIL while
it is being started) so that the old check-then-act windows are hit at once, not one run in hundreds.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fakeclaude.server import FakeClaude, FakeClock, RateLimits
from fakeclaude.server.script import ParsedRequest, Reply, Script

from .conftest import call

BODY = {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]}
MESSAGE = ParsedRequest(BODY, {})


@pytest.fixture
def fast_switching() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _rounds(threads: int, rounds: int, work: Callable[[int], Any]) -> list[list[Any]]:
    """``work(r)`` in each of ``threads`` threads, released together for each round ``r``; results per round."""
    results: list[list[Any]] = [[None] * threads for _ in range(rounds)]
    start = threading.Barrier(threads)

    def run(index: int) -> None:
        for r in range(rounds):
            start.wait()
            try:
                results[r][index] = work(r)
            except BaseException as exc:  # the test looks at it
                results[r][index] = exc

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


class _SlowToStart:
    """An iterable of side effects that gives the GIL away while an iterator is being made."""

    def __init__(self, items: list[str]) -> None:
        self.items = items
        self.started = 0

    def __iter__(self) -> Iterator[str]:
        self.started += 1
        time.sleep(0.01)
        return iter(self.items)


def _text(outcome: object) -> str:
    assert isinstance(outcome, Reply), outcome
    return str(outcome.blocks()[0]["text"])


def test_a_side_effect_list_is_started_once_each_item_answers_one_request() -> None:
    script = Script()
    effect = _SlowToStart([f"answer {i}" for i in range(8)])
    script.on().side_effect = effect
    [answers] = _rounds(8, 1, lambda _: _text(script.next_outcome(MESSAGE)))
    assert sorted(answers) == sorted(effect.items)  # none lost, none twice
    assert effect.started == 1
    assert script.failures == []


def test_the_last_queued_reply_keeps_answering_under_forced_switching(fast_switching: None) -> None:
    scripts = [Script() for _ in range(1000)]
    for script in scripts:
        script.on().reply("scripted")  # answers every matching request from then on
    rounds = _rounds(8, len(scripts), lambda r: scripts[r].next_outcome(MESSAGE))
    wrong = [outcomes for outcomes in rounds if not all(isinstance(o, Reply) for o in outcomes)]
    assert wrong == []  # none generated (None), none failed
    assert {_text(o) for outcomes in rounds for o in outcomes} == {"scripted"}
    assert not any(script.failures for script in scripts)


def test_a_side_effect_list_under_forced_switching_gives_each_item_once(fast_switching: None) -> None:
    routes = []
    scripts = [Script() for _ in range(500)]
    for script in scripts:
        route = script.on()
        route.side_effect = [f"answer {i}" for i in range(8)]
        routes.append(route)
    rounds = _rounds(8, len(scripts), lambda r: _text(scripts[r].next_outcome(MESSAGE)))
    wrong = [texts for texts in rounds if sorted(texts) != [f"answer {i}" for i in range(8)]]
    assert wrong == []
    assert {route.call_count for route in routes} == {8}


def test_a_request_limit_lets_exactly_that_many_requests_through_from_many_threads(fast_switching: None) -> None:
    passed = []
    for _ in range(10):
        fake = FakeClaude(seed=1, clock=FakeClock(), rate_limits=RateLimits(requests_per_minute=20))
        rounds = _rounds(8, 6, lambda _, fake=fake: call(fake, "POST", "/v1/messages", BODY).status)
        statuses = [s for outcomes in rounds for s in outcomes]
        assert set(statuses) == {200, 429}
        passed.append(statuses.count(200))
        assert fake.engine.limiter.headers("sk-test")["anthropic-ratelimit-requests-remaining"] == "0"
    assert passed == [20] * 10


def test_refused_and_scripted_json_answers_spend_no_request() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock(), rate_limits=RateLimits(requests_per_minute=3))
    fake.error(529)
    fake.on().json({"id": "scripted"})
    assert call(fake, "POST", "/v1/messages", BODY).status == 529
    assert call(fake, "POST", "/v1/messages", BODY).status == 200
    headers = fake.engine.limiter.headers("sk-test")
    assert headers["anthropic-ratelimit-requests-remaining"] == "3"
