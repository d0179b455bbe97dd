"""The Messages API client: ``Anthropic`` and ``AsyncAnthropic`` over a shared, I/O-free base."""

from ._async import AsyncAnthropic
from ._options import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven, Omit, omit
from ._pagination import AsyncPage, SyncPage
from ._response import APIResponse, AsyncAPIResponse
from ._sync import Anthropic

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIResponse",
    "Anthropic",
    "AsyncAPIResponse",
    "AsyncAnthropic",
    "AsyncPage",
    "NotGiven",
    "Omit",
    "SyncPage",
    "omit",
]
