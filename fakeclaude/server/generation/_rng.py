"""Seeds, hashing and the shared Faker instances of the generation package.

Everything here is a pure function of its arguments: seeds are mixed with ``hashlib`` (never the
salted built-in ``hash()``), and nothing reads the wall clock or the global ``random`` state.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import threading
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "BASE58_ALPHABET", "base58", "canonical_json", "derive_seed", "digest", "faker_for", "request_seed", "rng",
]

#: Bitcoin base58 alphabet, the one Anthropic ids are drawn from (no 0, O, I, l).
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

_IGNORED_BODY_KEYS = frozenset({"stream", "metadata"})
_MASK64 = (1 << 64) - 1


def _part(value: int | str | bytes) -> bytes:
    """Encode one seed component unambiguously (type tag + length prefix)."""
    if isinstance(value, bool):  # bool is an int: keep True distinct from 1
        raw, tag = (b"1" if value else b"0"), b"b"
    elif isinstance(value, int):
        raw, tag = str(value).encode(), b"i"
    elif isinstance(value, str):
        raw, tag = value.encode("utf-8", "surrogatepass"), b"s"
    else:
        raw, tag = bytes(value), b"y"
    return tag + len(raw).to_bytes(4, "big") + raw


def hasher(parts: Sequence[int | str | bytes], size: int) -> Any:
    """The blake2b state after ``parts``: ``hasher(a, n).copy()`` + ``update(_part(b))`` digests ``a + [b]``."""
    h = hashlib.blake2b(digest_size=size, person=b"fakeclaude-gen")
    for part in parts:
        h.update(_part(part))
    return h


def _digest(parts: Sequence[int | str | bytes], size: int) -> bytes:
    return bytes(hasher(parts, size).digest())


@functools.lru_cache(maxsize=64)
def _tagged(tag: str) -> Any:
    """The 8-byte hasher after the leading ``tag`` (``"text"``, ``"request"``...): copied, not rebuilt."""
    return hasher((tag,), 8)


def derive_seed(*parts: int | str | bytes) -> int:
    """A stable unsigned 64-bit seed mixed from ``parts`` (order matters)."""
    if parts and type(parts[0]) is str:
        h = _tagged(parts[0]).copy()
        for part in parts[1:]:
            h.update(_part(part))
        return int.from_bytes(h.digest(), "big")
    return int.from_bytes(_digest(parts, 8), "big")


def rng(*parts: int | str | bytes) -> random.Random:
    """A fresh ``random.Random`` seeded from ``parts``; never touches the global generator."""
    return random.Random(derive_seed(*parts))


def _json_default(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    raise TypeError(f"request body value of type {type(value).__name__} is not JSON serialisable")


_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default).encode


def canonical_json(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 kept as is."""
    return _canonical(value)


def request_seed(seed: int, body: Mapping[str, Any]) -> int:
    """The stable 64-bit seed of one request.

    Mixes the server ``seed`` with the canonical JSON of ``body`` (keys sorted, top-level ``stream``
    and ``metadata`` ignored), so a streamed and a non-streamed request get the same answer.

    >>> request_seed(0, {"model": "m", "stream": True}) == request_seed(0, {"model": "m"})
    True
    """
    kept = {k: v for k, v in body.items() if k not in _IGNORED_BODY_KEYS}
    return derive_seed("request", seed, canonical_json(kept)) & _MASK64


# One base58 character per digest byte (ids are minted on every request: keep this cheap; the slight
# bias of ``byte % 58`` does not matter for ids nobody may parse).
_BYTE_TO_BASE58 = bytes(ord(BASE58_ALPHABET[b % 58]) for b in range(256))


def base58(data: bytes, length: int) -> str:
    """Exactly ``length`` base58 characters drawn from ``data`` (which must hold at least ``length`` bytes)."""
    if len(data) < length:
        raise ValueError(f"base58 needs {length} bytes of data, got {len(data)}")
    return data[:length].translate(_BYTE_TO_BASE58).decode("ascii")


def digest(parts: Sequence[int | str | bytes], size: int = 32) -> bytes:
    """Raw blake2b digest (``size`` <= 64 bytes) of ``parts``."""
    return _digest(parts, size)


_local = threading.local()


def faker_for(rnd: random.Random, locale: str = "en_US") -> Any:
    """The calling thread's Faker generator for ``locale``, drawing from ``rnd``.

    Creating a Faker costs ~0.3 s, so one generator per (thread, locale) is created lazily and
    reused; its random source is swapped for ``rnd`` on every call, which keeps every value a pure
    function of the caller's seed and makes concurrent threads independent.
    """
    cache: dict[str, Any] | None = getattr(_local, "fakers", None)
    if cache is None:
        cache = {}
        _local.fakers = cache
    gen = cache.get(locale)
    if gen is None:
        from faker import Factory

        gen = Factory.create(locale)
        cache[locale] = gen
    gen.random = rnd
    return gen
