"""fakeclaude: the Claude Messages API, offline.

``Anthropic`` / ``AsyncAnthropic`` are clients with the official SDK's surface; ``FakeClaude`` is a fake
Messages server reachable in-process or over loopback; the pytest plugin records and replays.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import types
from ._version import __version__

if TYPE_CHECKING:
    from ._error_codes import (
        ClaudeCodeKeyCreatorNotMemberError,
        ClaudeCodeVersionTooOldError,
        CMEKContextUnavailableError,
        CMEKKeyDisabledError,
        CMEKKeyNetworkBlockedError,
        CMEKKeyUnreachableError,
        ContractSpendLimitReachedError,
        EnforcedSpendLimitReachedError,
        LinkedOrganizationBillingUnavailableError,
        LinkedOrganizationSpendLimitReachedError,
        OrganizationOnHoldError,
        OrganizationTypeNotSupportedError,
        OrganizationURLFetchDisabledError,
        ParentOrganizationRequiredError,
        RampLimitExceededError,
        RequestBodyEncodingInvalidError,
        RequestBodyEncodingUnsupportedError,
        RequestBodyTooLargeAfterDecodingError,
        SandboxEgressRestrictedError,
        StorageNotReadyError,
        WorkspaceHumanReviewDisabledError,
    )
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
    from .client._structured import transform_schema
    from .client.tools import beta_async_tool, beta_tool
    from .server import FakeClaude
    from .streaming import (
        AsyncMessageStream,
        AsyncMessageStreamManager,
        AsyncStream,
        MessageStream,
        MessageStreamManager,
        Stream,
    )

    Client = Anthropic
    AsyncClient = AsyncAnthropic

#: Each public name and the module it is imported from on first use.
_LAZY: dict[str, str] = {
    "APIConnectionError": "_exceptions",
    "APIError": "_exceptions",
    "APIResponse": "client",
    "APIResponseValidationError": "_exceptions",
    "APIStatusError": "_exceptions",
    "APITimeoutError": "_exceptions",
    "Anthropic": "client",
    "AnthropicError": "_exceptions",
    "AsyncAPIResponse": "client",
    "AsyncAnthropic": "client",
    "AsyncMessageStream": "streaming",
    "AsyncMessageStreamManager": "streaming",
    "AsyncStream": "streaming",
    "AuthenticationError": "_exceptions",
    "BadRequestError": "_exceptions",
    "ClientClosedRequestError": "_exceptions",
    "ConflictError": "_exceptions",
    "ContentTooLargeError": "_exceptions",
    "DEFAULT_MAX_RETRIES": "client",
    "DEFAULT_TIMEOUT": "client",
    "DeadlineExceededError": "_exceptions",
    "GatewayTimeoutError": "_exceptions",
    "HTTPNotImplementedError": "_exceptions",
    "InternalServerError": "_exceptions",
    "MessageStream": "streaming",
    "MessageStreamManager": "streaming",
    "NOT_GIVEN": "client",
    "NotFoundError": "_exceptions",
    "NotGiven": "client",
    "Omit": "client",
    "OverloadedError": "_exceptions",
    "PaymentRequiredError": "_exceptions",
    "PermissionDeniedError": "_exceptions",
    "PreconditionFailedError": "_exceptions",
    "RateLimitError": "_exceptions",
    "RequestHeaderFieldsTooLargeError": "_exceptions",
    "RequestTimeoutError": "_exceptions",
    "RequestTooLargeError": "_exceptions",
    "ServiceUnavailableError": "_exceptions",
    "Stream": "streaming",
    "UnprocessableEntityError": "_exceptions",
    "beta_async_tool": "client.tools",
    "beta_tool": "client.tools",
    "omit": "client",
    "transform_schema": "client._structured",
}

#: Other names for the clients, as the official SDK has them.
_ALIASES = {"Client": "Anthropic", "AsyncClient": "AsyncAnthropic"}


def __getattr__(name: str) -> Any:
    # Imported on first use, so that ``import fakeclaude`` (and ``import fakeclaude.server.engine``)
    # stays light: the client and its httpx2, or the fake server, load when first asked for.
    if name == "FakeClaude":
        from .server import FakeClaude

        return FakeClaude
    module = _LAZY.get(_ALIASES.get(name, name)) or ("_error_codes" if name in _CODE_ERRORS else None)
    if module is None:
        raise AttributeError(f"module 'fakeclaude' has no attribute {name!r}")
    # Not cached in this module: pytester's in-process runs drop the modules a run imported, and a class
    # kept here from a dropped module would no longer be the one that module raises once imported again.
    return getattr(importlib.import_module(f".{module}", __name__), _ALIASES.get(name, name))


def __dir__() -> list[str]:
    return sorted(__all__)


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
    "CMEKContextUnavailableError",
    "CMEKKeyDisabledError",
    "CMEKKeyNetworkBlockedError",
    "CMEKKeyUnreachableError",
    "ClaudeCodeKeyCreatorNotMemberError",
    "ClaudeCodeVersionTooOldError",
    "Client",
    "ClientClosedRequestError",
    "ConflictError",
    "ContentTooLargeError",
    "ContractSpendLimitReachedError",
    "DeadlineExceededError",
    "EnforcedSpendLimitReachedError",
    "FakeClaude",
    "GatewayTimeoutError",
    "HTTPNotImplementedError",
    "InternalServerError",
    "LinkedOrganizationBillingUnavailableError",
    "LinkedOrganizationSpendLimitReachedError",
    "MessageStream",
    "MessageStreamManager",
    "NotFoundError",
    "NotGiven",
    "Omit",
    "OrganizationOnHoldError",
    "OrganizationTypeNotSupportedError",
    "OrganizationURLFetchDisabledError",
    "OverloadedError",
    "ParentOrganizationRequiredError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RampLimitExceededError",
    "RateLimitError",
    "RequestBodyEncodingInvalidError",
    "RequestBodyEncodingUnsupportedError",
    "RequestBodyTooLargeAfterDecodingError",
    "RequestHeaderFieldsTooLargeError",
    "RequestTimeoutError",
    "RequestTooLargeError",
    "SandboxEgressRestrictedError",
    "ServiceUnavailableError",
    "StorageNotReadyError",
    "Stream",
    "UnprocessableEntityError",
    "WorkspaceHumanReviewDisabledError",
    "__version__",
    "beta_async_tool",
    "beta_tool",
    "omit",
    "transform_schema",
    "types",
]

#: The error classes the SDK exports from ``anthropic`` among those chosen by ``error.details.error_code``: the
#: names of ``__all__`` no other table gives (they load from ``fakeclaude._error_codes``).
_CODE_ERRORS = frozenset(__all__) - set(_LAZY) - set(_ALIASES) - {"FakeClaude", "__version__", "types"}
