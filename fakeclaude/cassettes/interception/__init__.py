"""Interception: httpx2 and httpx transports (sync and async) and aiohttp sessions, streams included.

While a ``Recorder`` is active, five methods are replaced: ``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request`` of ``httpx2`` and ``httpx``, and ``aiohttp.ClientSession
._request``. Each asks the recorder: a hit is answered from the cassette, a miss that records goes to
the server through a tee (vcrpy's own stubs read the whole body first, which is why they are not used
for these three libraries), a miss that does not record raises ``CassetteMiss``.

Methods are captured at activation, so a vcrpy cassette active at the same time keeps working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..recorder import Recorder
from . import _state

__all__ = ["activate", "active", "deactivate"]

_SAVED: list[tuple[Any, str, Any]] = []
_PATCHES: list[tuple[Any, str, Callable[[Any], Any]]] | None = None


def _patches() -> list[tuple[Any, str, Callable[[Any], Any]]]:
    global _PATCHES
    if _PATCHES is None:
        found: list[tuple[Any, str, Callable[[Any], Any]]] = []
        for name in ("httpx2", "httpx"):
            try:
                from ._httpx import httpx_patches

                found += httpx_patches(__import__(name))
            except ImportError:
                pass
        try:
            from ._aiohttp import aiohttp_patches

            found += aiohttp_patches()
        except ImportError:
            pass
        _PATCHES = found
    return _PATCHES


def active() -> Recorder | None:
    """The recorder requests are routed to, if any."""
    return _state.ACTIVE


def activate(recorder: Recorder) -> None:
    """Route every httpx2 / httpx / aiohttp request to ``recorder`` until ``deactivate()``."""
    if _state.ACTIVE is not None:
        raise RuntimeError("a claude cassette is already active")
    for owner, name, factory in _patches():
        original = owner.__dict__.get(name, getattr(owner, name))
        _SAVED.append((owner, name, original))
        setattr(owner, name, factory(original))
    _state.ACTIVE = recorder


def deactivate() -> None:
    """Put the original methods back."""
    _state.ACTIVE = None
    while _SAVED:
        owner, name, original = _SAVED.pop()
        setattr(owner, name, original)
