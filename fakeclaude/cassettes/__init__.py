"""Record and replay Claude API traffic: cassettes in vcrpy's layout, for any HTTP client.

The pieces, each a module:

- ``store``: ``ClaudeCassette``, a vcrpy cassette looked up by key, with the record modes
  (``none``, ``once``, ``new_episodes``, ``all``, ``rewrite``) and saving that never loses data;
- ``format`` / ``loading``: the file format (readable JSON bodies, one entry per stream event) and a
  loader with limits whose errors name the file, the line and the problem (``CassetteError``);
- ``matching``: which requests are the same (method, path, canonical JSON body by default);
- ``scrubbing``: keys and credentials kept off the disk (``Scrubber``), streams scrubbed joined;
- ``misses``: the report of a request nothing matches (``CassetteMiss``, ``miss_message``);
- ``recorder`` / ``playback``: one cassette's lookups and recordings, and replaying one response;
- ``interception``: httpx2, httpx and aiohttp routed to a ``Recorder`` (``activate`` / ``deactivate``).

Use without pytest::

    from fakeclaude.cassettes import ClaudeCassette, Recorder, activate, deactivate

    cassette = ClaudeCassette("cassettes/session.yaml", record_mode="new_episodes")
    activate(Recorder(cassette))
    try:
        ...  # any httpx2 / httpx / aiohttp traffic, the official SDK's included
    finally:
        deactivate()
        cassette.save()

The pytest plugin (``fakeclaude_pytest``) is a thin layer over this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .interception import activate, active, deactivate
    from .loading import CassetteError, load_file
    from .matching import DEFAULT_IGNORE, DEFAULT_MATCH_ON, request_key
    from .misses import CassetteMiss, miss_message
    from .playback import Prepared, prepare
    from .recorder import Recorder, Tee
    from .scrubbing import REDACTED, Scrubber
    from .store import RECORD_MODES, ClaudeCassette

# Imported on first use: the pytest plugin loads this package at startup, and vcrpy is slow to import.
_HOMES = {
    "activate": "interception", "active": "interception", "deactivate": "interception",
    "CassetteError": "loading", "load_file": "loading",
    "DEFAULT_IGNORE": "matching", "DEFAULT_MATCH_ON": "matching", "request_key": "matching",
    "CassetteMiss": "misses", "miss_message": "misses",
    "Prepared": "playback", "prepare": "playback",
    "Recorder": "recorder", "Tee": "recorder",
    "REDACTED": "scrubbing", "Scrubber": "scrubbing",
    "RECORD_MODES": "store", "ClaudeCassette": "store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # not cached here: the module in sys.modules is always the one asked (pytester's snapshots reload them)
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "DEFAULT_IGNORE",
    "DEFAULT_MATCH_ON",
    "RECORD_MODES",
    "REDACTED",
    "CassetteError",
    "CassetteMiss",
    "ClaudeCassette",
    "Prepared",
    "Recorder",
    "Scrubber",
    "Tee",
    "activate",
    "active",
    "deactivate",
    "load_file",
    "miss_message",
    "prepare",
    "request_key",
]
