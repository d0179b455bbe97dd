"""Many hosts: a Redis server, through the ``redis`` client from PyPI (``pip install fakeclaude[redis]``).

``get``/``put``/``delete`` and ``increment`` (``INCRBY``) are single commands; ``scan`` walks ``SCAN
MATCH prefix*`` (glob characters in the prefix escaped) and reads the values with ``MGET``;
``compare_and_set`` is a ``WATCH``/``MULTI``/``EXEC`` transaction, retried by the caller when another
client changed the key in between. Every key gets the store's ``namespace`` in front, so several fakes
can share one Redis.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RedisStore"]


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
        self._watch_error: type[Exception] = redis.WatchError

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
        name = self._ns + key
        with self._redis.pipeline() as pipe:
            try:
                pipe.watch(name)
                current = pipe.get(name)
                if (None if current is None else bytes(current)) != expected:
                    pipe.unwatch()
                    return False
                pipe.multi()
                if new is None:
                    pipe.delete(name)
                else:
                    pipe.set(name, bytes(new))
                pipe.execute()
                return True
            except self._watch_error:
                return False

    def increment(self, key: str, amount: int = 1) -> int:
        return int(self._redis.incrby(self._ns + key, amount))

    def close(self) -> None:
        self._redis.close()
