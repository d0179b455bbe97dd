"""The fake Messages API: a pure engine (``MessagesEngine``) and ``FakeClaude``, its ways in."""

from .clock import FakeClock, SystemClock
from .engine import EngineConfig, MessagesEngine, RecordedRequest
from .errors import ApiError
from .fake import FAKE_API_KEY, FakeClaude
from .ratelimit import RateLimits
from .script import (
    ErrorReply,
    ParsedRequest,
    Reply,
    Route,
    Script,
    redacted_thinking,
    text,
    thinking,
    tool_use,
)

__all__ = [
    "FAKE_API_KEY",
    "ApiError",
    "EngineConfig",
    "ErrorReply",
    "FakeClaude",
    "FakeClock",
    "MessagesEngine",
    "ParsedRequest",
    "RateLimits",
    "RecordedRequest",
    "Reply",
    "Route",
    "Script",
    "SystemClock",
    "redacted_thinking",
    "text",
    "thinking",
    "tool_use",
]
