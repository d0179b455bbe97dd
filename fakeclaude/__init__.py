"""fakeclaude: the Claude Messages API, offline.

``Anthropic`` / ``AsyncAnthropic`` are clients with the official SDK's surface; ``FakeClaude`` is a fake
Messages server reachable in-process or over loopback; the pytest plugin records and replays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import types
from ._exceptions import (
    AnthropicError,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedRequestError,
    ConflictError,
    ContentTooLargeError,
    DeadlineExceededError,
    GatewayTimeoutError,
    HTTPNotImplementedError,
    InternalServerError,
    NotFoundError,
    OverloadedError,
    PaymentRequiredError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    RequestHeaderFieldsTooLargeError,
    RequestTimeoutError,
    RequestTooLargeError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from ._version import __version__
from .client import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    Anthropic,
    APIResponse,
    AsyncAnthropic,
    AsyncAPIResponse,
    NotGiven,
    Omit,
    omit,
)
from .streaming import (
    AsyncMessageStream,
    AsyncMessageStreamManager,
    AsyncStream,
    MessageStream,
    MessageStreamManager,
    Stream,
)

if TYPE_CHECKING:
    from .client._structured import transform_schema
    from .client.tools import beta_async_tool, beta_tool
    from .server import FakeClaude

Client = Anthropic
AsyncClient = AsyncAnthropic


def __getattr__(name: str) -> Any:
    # The fake server and the tool helpers are imported on first use, so that ``import fakeclaude`` stays light.
    if name == "FakeClaude":
        from .server import FakeClaude

        return FakeClaude
    if name in ("beta_tool", "beta_async_tool"):
        from .client import tools

        return getattr(tools, name)
    if name == "transform_schema":
        from .client._structured import transform_schema

        return transform_schema
    raise AttributeError(f"module 'fakeclaude' has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Anthropic",
    "AnthropicError",
    "AsyncAPIResponse",
    "AsyncAnthropic",
    "AsyncClient",
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientClosedRequestError",
    "ConflictError",
    "ContentTooLargeError",
    "DeadlineExceededError",
    "FakeClaude",
    "GatewayTimeoutError",
    "HTTPNotImplementedError",
    "InternalServerError",
    "MessageStream",
    "MessageStreamManager",
    "NotFoundError",
    "NotGiven",
    "Omit",
    "OverloadedError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "RequestHeaderFieldsTooLargeError",
    "RequestTimeoutError",
    "RequestTooLargeError",
    "ServiceUnavailableError",
    "Stream",
    "UnprocessableEntityError",
    "__version__",
    "beta_async_tool",
    "beta_tool",
    "omit",
    "transform_schema",
    "types",
]
