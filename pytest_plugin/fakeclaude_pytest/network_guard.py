"""Fail closed: inside ``fake_claude`` and replaying ``claude_cassette`` tests, real hosts are out of reach.

While a ``Guard`` is active, a request to a host that is neither loopback (where the fake listens)
nor allowed fails the test at once with a message naming the URL:

- ``httpx2`` and ``httpx`` transports (sync and async) and ``aiohttp.ClientSession`` requests, by URL;
- anything else (``urllib``, ``requests``, raw sockets) at ``socket.create_connection`` /
  ``socket.socket.connect``, by address, for every address that is not loopback.

The failure is ``pytest.fail`` (a ``BaseException`` that no client retries or wraps); blocked URLs are
also kept, so that a test that swallowed the failure still fails at teardown.

The checks are installed once, on first use, and stay: when no guard is active they cost one global
lookup. They are installed before any cassette interception, so that a cassette replays (it answers
before the check) and records (a recording test has no guard) as before.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn

__all__ = ["Guard", "activate", "deactivate", "host_allowed", "install"]

_ACTIVE: Guard | None = None
_INSTALLED = False
_LOCK = threading.Lock()
_CHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar("fakeclaude_guard_checked", default=False)
"""Set while a request whose URL passed the check connects (its resolved address is then not re-checked)."""

_HOW_TO = ("point the client at the fake (ANTHROPIC_BASE_URL / fake_claude.base_url), or allow the host "
           "with allow_hosts=[...] on the test's marker, the claude_allow_hosts ini option or --claude-allow-hosts")


@dataclass
class Guard:
    """One test's policy: which hosts beyond loopback it may reach, and what it tried to reach."""

    where: str
    allowed: frozenset[str] = frozenset()
    blocked: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, where: str, hosts: Iterable[str]) -> Guard:
        return cls(where, frozenset(h.strip().lower() for h in hosts if h and h.strip()))

    def fail(self, target: str) -> NoReturn:
        import pytest

        self.blocked.append(target)
        pytest.fail(f"fakeclaude blocked a real network request to {target} in a test using {self.where}: "
                    f"{_HOW_TO}", pytrace=False)

    def message(self) -> str:
        listing = "\n".join(f"  - {url}" for url in self.blocked)
        return (f"fakeclaude blocked {len(self.blocked)} real network request(s) in a test using {self.where} "
                f"(the code under test caught the failure):\n{listing}\n{_HOW_TO}")


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_allowed(guard: Guard, host: str, port: int | None) -> bool:
    """Whether ``guard`` lets a test reach ``host:port``: loopback, ``*``, the host or ``host:port`` allowed."""
    host = host.strip("[]").lower()
    if _is_loopback(host) or "*" in guard.allowed or host in guard.allowed:
        return True
    return port is not None and f"{host}:{port}" in guard.allowed


@contextlib.contextmanager
def _checked() -> Iterator[None]:
    token = _CHECKED.set(True)
    try:
        yield
    finally:
        _CHECKED.reset(token)


def _check_url(url: str, host: str, port: int | None) -> bool:
    """True when the request may go on (and its connection need not be checked again); fails otherwise."""
    guard = _ACTIVE
    if guard is None:
        return False
    if not host_allowed(guard, host, port):
        guard.fail(url)
    return True


# ----- the patches ------------------------------------------------------------------------------------
def _httpx_patches(mod: Any) -> list[tuple[Any, str, Callable[[Any], Any]]]:
    def where(request: Any) -> tuple[str, str, int | None]:
        url = request.url
        return str(url.copy_with(query=None, fragment=None)), str(url.host), url.port

    def sync(original: Any) -> Any:
        def handle_request(self: Any, request: Any) -> Any:
            if _ACTIVE is None:
                return original(self, request)
            if _check_url(*where(request)):
                with _checked():
                    return original(self, request)
            return original(self, request)

        return handle_request

    def async_(original: Any) -> Any:
        async def handle_async_request(self: Any, request: Any) -> Any:
            if _ACTIVE is None:
                return await original(self, request)
            if _check_url(*where(request)):
                with _checked():
                    return await original(self, request)
            return await original(self, request)

        return handle_async_request

    return [(mod.HTTPTransport, "handle_request", sync), (mod.AsyncHTTPTransport, "handle_async_request", async_)]


def _aiohttp_patches() -> list[tuple[Any, str, Callable[[Any], Any]]]:
    import aiohttp
    from yarl import URL

    def patch(original: Any) -> Any:
        async def _request(self: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
            if _ACTIVE is None:
                return await original(self, method, str_or_url, **kwargs)
            url = URL(str_or_url)
            base = getattr(self, "_base_url", None)
            if base is not None and not url.is_absolute():
                url = base.join(url)
            if _check_url(str(url.with_query(None).with_fragment(None)), url.host or "", url.port):
                with _checked():
                    return await original(self, method, str_or_url, **kwargs)
            return await original(self, method, str_or_url, **kwargs)

        return _request

    return [(aiohttp.ClientSession, "_request", patch)]


def _address(address: Any) -> tuple[str, int | None] | None:
    if isinstance(address, tuple) and len(address) >= 2 and isinstance(address[0], str):
        return address[0], int(address[1]) if isinstance(address[1], int) else None
    return None  # a Unix socket path, or an address this guard does not know


def _check_socket(family: int, address: Any) -> None:
    guard = _ACTIVE
    if guard is None or _CHECKED.get() or family not in (socket.AF_INET, socket.AF_INET6):
        return
    parsed = _address(address)
    if parsed is not None and not host_allowed(guard, *parsed):
        guard.fail(f"{parsed[0]}:{parsed[1]} (a socket connection)")


def _socket_patches() -> list[tuple[Any, str, Callable[[Any], Any]]]:
    def connect(original: Any) -> Any:
        def guarded_connect(self: socket.socket, address: Any) -> Any:
            _check_socket(self.family, address)
            return original(self, address)

        return guarded_connect

    def create_connection(original: Any) -> Any:
        def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
            guard = _ACTIVE
            parsed = _address(address)
            if guard is None or _CHECKED.get() or parsed is None:
                return original(address, *args, **kwargs)
            if not host_allowed(guard, *parsed):
                guard.fail(f"{parsed[0]}:{parsed[1]} (a socket connection)")
            with _checked():
                return original(address, *args, **kwargs)

        return guarded_create_connection

    return [(socket.socket, "connect", connect), (socket.socket, "connect_ex", connect),
            (socket, "create_connection", create_connection)]


def install() -> None:
    """Put the checks in place (once per process); they do nothing while no guard is active."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED:
            return
        patches = _socket_patches()
        for name in ("httpx2", "httpx"):
            with contextlib.suppress(ImportError):
                patches += _httpx_patches(__import__(name))
        with contextlib.suppress(ImportError):
            patches += _aiohttp_patches()
        for owner, name, factory in patches:
            setattr(owner, name, factory(getattr(owner, name)))
        _INSTALLED = True


def activate(guard: Guard) -> Guard | None:
    """Make ``guard`` the active policy; returns the one it replaces (give it back to ``deactivate``)."""
    global _ACTIVE
    install()
    previous, _ACTIVE = _ACTIVE, guard
    return previous


def deactivate(previous: Guard | None = None) -> None:
    """End the active policy, restoring ``previous``."""
    global _ACTIVE
    _ACTIVE = previous
