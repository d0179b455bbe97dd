"""The fake Messages API: a pure engine (``MessagesEngine``) and ``FakeClaude``, its ways in.

The adapters (``make_app``, ``ServerThread``, ``Httpx2Transport``, ``HttpxTransport``) are imported on
first use, so that the engine never pulls in aiohttp or httpx.
"""

from typing import Any

from .clock import FakeClock, SystemClock
from .engine import EngineConfig, MessagesEngine, RecordedRequest
from .errors import ApiError, ScriptedReplyError
from .fake import FAKE_API_KEY, FakeClaude
from .files import FileLimits, FileStore
from .ratelimit import RateLimits
from .script import (
    ErrorReply,
    JsonReply,
    ParsedRequest,
    Reply,
    Route,
    Script,
    ScriptError,
    compaction,
    redacted_thinking,
    text,
    thinking,
    tool_use,
)
from .tool_policy import TOOL_POLICIES, ToolPolicy

_ADAPTERS = {
    "Httpx2Transport": "adapters.transports",
    "HttpxTransport": "adapters.transports",
    "ServerThread": "adapters.runner",
    "make_app": "adapters.app",
}


def __getattr__(name: str) -> Any:
    module = _ADAPTERS.get(name)
    if module is None:
        raise AttributeError(f"module 'fakeclaude.server' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ApiError",
    "EngineConfig",
    "ErrorReply",
    "FAKE_API_KEY",
    "FakeClaude",
    "FakeClock",
    "FileLimits",
    "FileStore",
    "Httpx2Transport",
    "HttpxTransport",
    "JsonReply",
    "MessagesEngine",
    "ParsedRequest",
    "RateLimits",
    "RecordedRequest",
    "Reply",
    "Route",
    "Script",
    "ScriptError",
    "ScriptedReplyError",
    "ServerThread",
    "SystemClock",
    "TOOL_POLICIES",
    "ToolPolicy",
    "compaction",
    "make_app",
    "redacted_thinking",
    "text",
    "thinking",
    "tool_use",
]
