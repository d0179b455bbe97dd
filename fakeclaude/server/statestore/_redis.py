"""Many hosts: a Redis server, through the ``redis`` client from PyPI (``pip install fakeclaude[redis]``).

``get``/``put``/``delete`` and ``increment`` (``INCRBY``) are single commands; ``scan`` walks ``SCAN
MATCH prefix*`` (glob characters in the prefix escaped) and reads the values with ``MGET``;
``compare_and_set`` is one Lua script (``EVALSHA``: Redis runs a script atomically), so it costs one
round trip where ``WATCH``/``GET``/``MULTI``/``EXEC`` took three. Every key gets the store's ``namespace`` in front, so several fakes
can share one Redis.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RedisStore"]

# KEYS[1]: the key; ARGV: expected given ("1"/"0"), expected, new given ("1"/"0"), new. 1 when it was set.
_COMPARE_AND_SET = """
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == '1' then redis.call('SET', KEYS[1], ARGV[4]) else redis.call('DEL', KEYS[1]) end
return 1
"""


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisStore:
    """A :class:`~fakeclaude.server.statestore.StateStore` on the Redis server at ``url``."""

    def __init__(self, url: str, *, namespace: str = "fakeclaude:") -> None:
        try:
            import redis
        except ImportError:  # pragma: no cover - depends on the environment
            raise RuntimeError("the Redis backend needs the redis client: pip install 'fakeclaude[redis]'") from None
        self.url = url
        self._ns = namespace
        self._redis: Any = redis.Redis.from_url(url)
        self._compare_and_set: Any = self._redis.register_script(_COMPARE_AND_SET)

    def get(self, key: str) -> bytes | None:
        value = self._redis.get(self._ns + key)
        return None if value is None else bytes(value)

    def put(self, key: str, value: bytes) -> None:
        self._redis.set(self._ns + key, bytes(value))

    def delete(self, key: str) -> bool:
        return int(self._redis.delete(self._ns + key)) > 0

    def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        keys = sorted(bytes(k) for k in self._redis.scan_iter(match=_glob_escape(self._ns + prefix) + "*", count=1000))
        if not keys:
            return []
        values = self._redis.mget(keys)
        skip = len(self._ns.encode())
        return [(k[skip:].decode(), bytes(v)) for k, v in zip(keys, values, strict=True) if v is not None]

    def compare_and_set(self, key: str, expected: bytes | None, new: bytes | None) -> bool:
        args = ["0" if expected is None else "1", b"" if expected is None else bytes(expected),
                "0" if new is None else "1", b"" if new is None else bytes(new)]
        return int(self._compare_and_set(keys=[self._ns + key], args=args)) == 1

    def increment(self, key: str, amount: int = 1) -> int:
        return int(self._redis.incrby(self._ns + key, amount))

    def close(self) -> None:
        self._redis.close()
