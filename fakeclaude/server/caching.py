"""Prompt caching: which part of a request's input is read from cache, written to it, or neither.

A request's cache points come from :func:`breakpoints` (one per ``cache_control`` block, plus the
last block when the top-level ``cache_control`` asks for automatic caching) and, optionally,
:func:`lookback_points` (every block boundary up to 20 blocks before a breakpoint, where the API also
looks for hits). Each point is a prefix hash: sha256 over the model id and the canonical JSON of the
prefix in the API's order tools -> system -> messages, ``cache_control`` itself left out, with
``tool_choice`` and ``thinking`` mixed in before the first message (changing them invalidates the
message part of the cache, as documented). Token counts come from
``fakeclaude.server.tokens.prefix_token_counts`` (the engine passes the ones validation measured).

:meth:`PromptCache.apply` then splits the input (spec 8.5): the longest cached, unexpired prefix is
read (its lifetime refreshed); tokens from there up to the last breakpoint at least
``min_cacheable_tokens`` long are written, each stretch under the ttl of the breakpoint closing it;
shorter prefixes are silently not cached; the rest is plain input. The parts always sum to the total.

>>> from fakeclaude.server.clock import FakeClock
>>> cache = PromptCache(FakeClock())
>>> cache.apply([("h1", 3000, "5m")], 3100, 1024)
CacheUsage(input_tokens=100, cache_creation_input_tokens=3000, cache_read_input_tokens=0, cache_creation={'ephemeral_5m_input_tokens': 3000, 'ephemeral_1h_input_tokens': 0})
>>> cache.apply([("h1", 3000, "5m")], 3100, 1024).cache_read_input_tokens
3000
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from fakeclaude.server.catalog import ModelSpec
from fakeclaude.server.clock import Clock
from fakeclaude.server.tokens import prefix_token_counts

__all__ = ["Breakpoint", "CacheUsage", "PromptCache", "breakpoints", "lookback_points"]

#: ``(prefix_hash, cumulative_prefix_tokens, ttl)`` with ttl ``"5m"`` or ``"1h"``.
Breakpoint = tuple[str, int, str]

_TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}
_LOOKBACK = 20


class CacheUsage(NamedTuple):
    input_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    cache_creation: dict[str, int]


class _Block(NamedTuple):
    path: str  # as prefix_token_counts names it for the original body
    hash: str
    ttl: str | None  # the block's own cache_control ttl, None when unmarked


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _strip(block: Any) -> Any:
    if isinstance(block, Mapping):
        return {k: v for k, v in block.items() if k != "cache_control"}
    return block


def _ttl(block: Any) -> str | None:
    control = block.get("cache_control") if isinstance(block, Mapping) else None
    if not isinstance(control, Mapping):
        return None
    return "1h" if control.get("ttl") == "1h" else "5m"


def _units(body: Mapping[str, Any]) -> Iterable[tuple[str, list[Any], Any]]:
    """``(path, hash piece, block)`` for every block, in prefix order; strings count as one text block."""
    tools = body.get("tools")
    for i, tool in enumerate(tools if isinstance(tools, Sequence) else ()):
        yield f"tools.{i}", ["t", _strip(tool)], tool
    system = body.get("system")
    if isinstance(system, str) and system:
        yield "system", ["s", {"type": "text", "text": system}], None
    elif isinstance(system, Sequence) and not isinstance(system, str):
        for i, block in enumerate(system):
            yield f"system.{i}", ["s", _strip(block)], block
    messages = body.get("messages")
    context = ["c", body.get("tool_choice"), body.get("thinking")]
    for i, message in enumerate(messages if isinstance(messages, Sequence) else ()):
        if not isinstance(message, Mapping):
            continue
        role, content = message.get("role"), message.get("content")
        if isinstance(content, str):
            yield f"messages.{i}", [context, "m", i, role, {"type": "text", "text": content}], None
            context = []
        elif isinstance(content, Sequence):
            for j, block in enumerate(content):
                yield f"messages.{i}.content.{j}", [context, "m", i, role, _strip(block)], block
                context = []


def _blocks(body: Mapping[str, Any], spec: ModelSpec) -> list[_Block]:
    running = hashlib.sha256(_canonical(["model", spec.id]))
    out: list[_Block] = []
    for path, piece, block in _units(body):
        running.update(_canonical(piece))
        out.append(_Block(path, running.copy().hexdigest(), _ttl(block)))
    return out


def breakpoints(
    body: Mapping[str, Any], spec: ModelSpec, marks: Sequence[tuple[str, int]] | None = None
) -> list[Breakpoint]:
    """The request's cache breakpoints, in prefix order, for :meth:`PromptCache.apply`.

    ``marks`` is the body's ``prefix_token_counts`` when already known (``Validated.prompt.marks``).
    """
    if marks is None:
        marks = prefix_token_counts(body, spec)
    if not marks:  # nothing marked: skip hashing the prefix
        return []
    by_path = {b.path: b for b in _blocks(body, spec)}
    auto = _ttl(body) or "5m"
    out: list[Breakpoint] = []
    for path, tokens in marks:
        block = by_path.get(path)
        if block is not None:
            out.append((block.hash, tokens, block.ttl or auto))
    return out


def lookback_points(
    body: Mapping[str, Any], spec: ModelSpec, marks: Sequence[tuple[str, int]] | None = None
) -> list[tuple[str, int]]:
    """``(prefix_hash, tokens)`` at the block boundaries up to 20 blocks before each breakpoint.

    Costs one more token-counting pass, over a shallow copy of ``body`` with every block marked.
    """
    if marks is None:
        marks = prefix_token_counts(body, spec)
    if not marks:
        return []
    blocks = _blocks(body, spec)
    marked = {path for path, _ in marks}
    index = [k for k, b in enumerate(blocks) if b.path in marked]
    wanted = sorted({k for m in index for k in range(max(0, m - _LOOKBACK), m)} - set(index))
    if not wanted:
        return []
    counts = dict(prefix_token_counts(_all_marked(body), spec))
    return [
        (blocks[k].hash, counts[_marked_path(blocks[k].path)])
        for k in wanted
        if _marked_path(blocks[k].path) in counts
    ]


def _marked_path(path: str) -> str:
    if path == "system":
        return "system.0"
    return f"{path}.content.0" if path.startswith("messages.") and ".content." not in path else path


def _all_marked(body: Mapping[str, Any]) -> dict[str, Any]:
    mark = {"type": "ephemeral"}

    def marked(blocks: Any) -> Any:
        if isinstance(blocks, str):
            blocks = [{"type": "text", "text": blocks}] if blocks else []
        if not isinstance(blocks, Sequence):
            return blocks
        return [{**b, "cache_control": mark} if isinstance(b, Mapping) else b for b in blocks]

    out = {k: v for k, v in body.items() if k != "cache_control"}
    for key in ("tools", "system"):
        if key in out:
            out[key] = marked(out[key])
    messages = out.get("messages")
    if isinstance(messages, Sequence):
        out["messages"] = [
            {**m, "content": marked(m.get("content"))} if isinstance(m, Mapping) else m for m in messages
        ]
    return out


class PromptCache:
    """Cached prefixes by hash with their expiry on ``clock``; least recently used dropped past ``max_entries``."""

    def __init__(self, clock: Clock, max_entries: int = 10_000) -> None:
        self._clock = clock
        self._max = max_entries
        self._entries: OrderedDict[str, tuple[float, float]] = (
            OrderedDict()
        )  # key -> (expires_at, ttl seconds)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def apply(
        self,
        points: Sequence[Breakpoint],
        total_input_tokens: int,
        min_cacheable_tokens: int,
        *,
        lookback: Sequence[tuple[str, int]] = (),
        scope: str = "",
    ) -> CacheUsage:
        """Read and write the cache for one request; ``scope`` separates caches (say, per workspace)."""
        total = max(0, total_input_tokens)
        eligible = [(h, min(t, total), ttl) for h, t, ttl in points if t >= min_cacheable_tokens]
        split = {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}
        with self._lock:
            now = self._clock.now()
            read, hit = 0, None
            candidates = [(h, t) for h, t, _ in eligible]
            candidates += [(h, min(t, total)) for h, t in lookback if t >= min_cacheable_tokens]
            for h, tokens in candidates:
                if tokens > read and self._alive(scope + h, now):
                    read, hit = tokens, scope + h
            if hit is not None:
                self._refresh(hit, now)
            covered = read
            for h, tokens, ttl in eligible:
                if tokens <= covered:
                    continue
                split[f"ephemeral_{'1h' if ttl == '1h' else '5m'}_input_tokens"] += tokens - covered
                covered = tokens
                self._store(scope + h, now, _TTL_SECONDS.get(ttl, 300.0))
        written = covered - read
        return CacheUsage(total - covered, written, read, split)

    def _alive(self, key: str, now: float) -> bool:
        entry = self._entries.get(key)
        if entry is None:
            return False
        if now >= entry[0]:
            del self._entries[key]
            return False
        self._entries.move_to_end(key)
        return True

    def _refresh(self, key: str, now: float) -> None:
        """A read of a live entry restarts its lifetime."""
        _, ttl_seconds = self._entries[key]
        self._entries[key] = (now + ttl_seconds, ttl_seconds)

    def _store(self, key: str, now: float, ttl_seconds: float) -> None:
        old = self._entries.pop(key, None)
        if old is not None and old[0] > now + ttl_seconds:
            self._entries[key] = old
        else:
            self._entries[key] = (now + ttl_seconds, ttl_seconds)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
