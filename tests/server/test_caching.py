"""Prompt caching: writes, reads, expiry, ttl split, minimum length, prefix hashes from real bodies."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakeclaude.server.caching import Breakpoint, CacheUsage, PromptCache, breakpoints, lookback_points
from fakeclaude.server.catalog import ModelSpec, resolve_model
from fakeclaude.server.clock import FakeClock
from fakeclaude.server.tokens import count_request_tokens


def split(m5: int = 0, h1: int = 0) -> dict[str, int]:
    return {"ephemeral_5m_input_tokens": m5, "ephemeral_1h_input_tokens": h1}


def total(u: CacheUsage) -> int:
    return u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens


def test_write_then_read_within_ttl_then_expire() -> None:
    clock = FakeClock()
    cache = PromptCache(clock)
    points: list[Breakpoint] = [("p", 2000, "5m")]
    assert cache.apply(points, 2050, 1024) == CacheUsage(50, 2000, 0, split(m5=2000))
    clock.advance(299)
    assert cache.apply(points, 2050, 1024) == CacheUsage(50, 0, 2000, split())
    clock.advance(299)  # the hit refreshed the 5 minutes
    assert cache.apply(points, 2050, 1024).cache_read_input_tokens == 2000
    clock.advance(300)
    assert cache.apply(points, 2050, 1024) == CacheUsage(50, 2000, 0, split(m5=2000))


def test_one_hour_ttl() -> None:
    clock = FakeClock()
    cache = PromptCache(clock)
    points: list[Breakpoint] = [("p", 5000, "1h")]
    assert cache.apply(points, 5000, 1024).cache_creation == split(h1=5000)
    clock.advance(3599)
    assert cache.apply(points, 5000, 1024).cache_read_input_tokens == 5000
    clock.advance(3600)
    assert cache.apply(points, 5000, 1024).cache_creation_input_tokens == 5000


def test_below_minimum_is_silently_uncached() -> None:
    cache = PromptCache(FakeClock())
    for _ in range(2):
        assert cache.apply([("p", 1000, "5m")], 1200, 1024) == CacheUsage(1200, 0, 0, split())
    assert len(cache) == 0


def test_longest_cached_prefix_is_read_and_the_rest_written_by_ttl() -> None:
    cache = PromptCache(FakeClock())
    cache.apply([("tools", 1500, "1h")], 1600, 1024)
    points: list[Breakpoint] = [
        ("short", 500, "1h"),
        ("tools", 1500, "1h"),
        ("sys", 3000, "1h"),
        ("msg", 7000, "5m"),
    ]
    usage = cache.apply(points, 7200, 1024)
    assert usage == CacheUsage(200, 5500, 1500, split(m5=4000, h1=1500))
    again = cache.apply(points, 7300, 1024)
    assert again == CacheUsage(300, 0, 7000, split())


@given(
    st.lists(st.tuples(st.integers(0, 5000), st.sampled_from(["5m", "1h"])), max_size=4),
    st.integers(0, 6000),
    st.sampled_from([512, 1024, 4096]),
    st.integers(0, 2),
)
def test_parts_always_sum_to_total(
    points: list[tuple[int, str]], extra: int, minimum: int, repeats: int
) -> None:
    cache = PromptCache(FakeClock())
    ordered = sorted(points)
    bps = [(f"h{i}-{n}", n, ttl) for i, (n, ttl) in enumerate(ordered)]
    whole = (ordered[-1][0] if ordered else 0) + extra
    for _ in range(repeats + 1):
        usage = cache.apply(bps, whole, minimum)
        assert total(usage) == whole
        assert sum(usage.cache_creation.values()) == usage.cache_creation_input_tokens
        assert (
            usage.input_tokens >= 0
            and usage.cache_creation_input_tokens >= 0
            and usage.cache_read_input_tokens >= 0
        )


def test_lru_bounds_entries() -> None:
    cache = PromptCache(FakeClock(), max_entries=2)
    for name in ("a", "b", "c"):
        cache.apply([(name, 2000, "5m")], 2000, 1024)
    assert len(cache) == 2
    assert cache.apply([("a", 2000, "5m")], 2000, 1024).cache_read_input_tokens == 0


def test_scopes_do_not_share() -> None:
    cache = PromptCache(FakeClock())
    cache.apply([("p", 2000, "5m")], 2000, 1024, scope="ws1")
    assert cache.apply([("p", 2000, "5m")], 2000, 1024, scope="ws2").cache_read_input_tokens == 0


# -- prefix hashes from request bodies ------------------------------------------------------------------


def _spec(name: str = "claude-sonnet-4-5") -> ModelSpec:
    spec = resolve_model(name)
    assert spec is not None
    return spec


LONG = "lorem ipsum dolor sit amet " * 600


def body(turns: int, *, mark_last: bool = True, auto: bool = False, **extra: Any) -> dict[str, Any]:
    messages: list[dict[str, Any]] = []
    for i in range(turns):
        messages.append({"role": "user", "content": [{"type": "text", "text": f"question {i}"}]})
        messages.append({"role": "assistant", "content": f"answer {i}"})
    messages.append({"role": "user", "content": [{"type": "text", "text": "last"}]})
    if mark_last:
        messages[-1]["content"][0]["cache_control"] = {"type": "ephemeral"}
    out: dict[str, Any] = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 100,
        "system": [{"type": "text", "text": LONG, "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
        "messages": messages,
        **extra,
    }
    if auto:
        out["cache_control"] = {"type": "ephemeral"}
    return out


def test_breakpoints_hash_prefixes_and_count_tokens() -> None:
    spec = _spec()
    b = body(1)
    points = breakpoints(b, spec)
    assert [ttl for _, _, ttl in points] == ["1h", "5m"]
    assert points[0][1] < points[1][1] <= count_request_tokens(b, spec)
    assert all(len(h) == 64 for h, _, _ in points)
    # same system prompt, different conversation: the system prefix hash is shared, the other not
    other = breakpoints(body(2), spec)
    assert other[0] == points[0] and other[1][0] != points[1][0]
    # cache_control itself is not part of the prefix
    unmarked = body(1)
    unmarked["system"][0]["cache_control"] = {"type": "ephemeral"}
    assert breakpoints(unmarked, spec)[0][0] == points[0][0]
    # another model never shares a cache entry
    assert breakpoints(b, _spec("claude-opus-4-1"))[0][0] != points[0][0]
    # tool_choice and thinking changes invalidate the message part only
    changed = breakpoints(body(1, tool_choice={"type": "none"}), spec)
    assert changed[0][0] == points[0][0] and changed[1][0] != points[1][0]


def test_top_level_cache_control_marks_the_last_block() -> None:
    spec = _spec()
    points = breakpoints(body(1, mark_last=False, auto=True), spec)
    assert len(points) == 2
    assert points[1] == breakpoints(body(1), spec)[1]


def test_conversation_reads_what_the_previous_turn_wrote() -> None:
    """Multi-turn with automatic caching: the API finds the previous turn's entry by looking back."""
    spec = _spec()
    cache = PromptCache(FakeClock())

    def run(b: dict[str, Any]) -> CacheUsage:
        whole = count_request_tokens(b, spec)
        usage = cache.apply(
            breakpoints(b, spec), whole, spec.min_cacheable_tokens, lookback=lookback_points(b, spec)
        )
        assert total(usage) == whole
        return usage

    first = body(1, mark_last=False, auto=True)
    u1 = run(first)
    assert u1.cache_read_input_tokens == 0 and u1.cache_creation_input_tokens > 3000
    second = body(1, mark_last=False, auto=True)
    second["messages"][-1]["content"][0]["text"] = "last"
    second["messages"] += [{"role": "assistant", "content": "reply"}, {"role": "user", "content": "more"}]
    u2 = run(second)
    assert u2.cache_read_input_tokens == breakpoints(first, spec)[-1][1]
    assert u2.cache_creation_input_tokens > 0 and u2.input_tokens == 0


def test_lookback_is_limited_to_twenty_blocks() -> None:
    spec = _spec()
    b = body(15, mark_last=False, auto=True)  # 31 message blocks after the system block
    points = lookback_points(b, spec)
    assert len(points) == 20
    assert lookback_points(body(0, mark_last=False), spec) == []


def test_below_minimum_body_stays_uncached() -> None:
    spec = _spec("claude-opus-4-5")  # min 4096
    b = body(1)
    b["system"][0]["text"] = "short"
    cache = PromptCache(FakeClock())
    whole = count_request_tokens(b, spec)
    for _ in range(2):
        assert cache.apply(breakpoints(b, spec), whole, spec.min_cacheable_tokens).input_tokens == whole


@pytest.mark.parametrize("ttl", ["5m", "1h"])
def test_known_marks_are_used_as_given(ttl: str) -> None:
    spec = _spec()
    b = body(1, mark_last=False, cache_control={"type": "ephemeral", "ttl": ttl})
    points = breakpoints(b, spec, [("messages.2.content.0", 42)])
    assert [(n, t) for _, n, t in points] == [(42, ttl)]
