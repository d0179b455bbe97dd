"""Error bodies: ``{"type": "error", "error": {"type": ..., "message": ...}, "request_id": ...}``.

The same shape is a stream's ``error`` event and an errored batch result. ``request_id`` is absent from
2024-era bodies (and ``null`` on some 500s). Error types the API adds later parse as
:class:`UnknownErrorObject`; extra fields (e.g. ``details``) are kept.
"""

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import Tag

from ._base import BaseModel
from ._tolerant import UNKNOWN, UnknownObject, tag_discriminator

__all__ = [
    "APIErrorObject",
    "AuthenticationErrorObject",
    "BillingErrorObject",
    "ErrorObject",
    "ErrorResponse",
    "ErrorType",
    "GatewayTimeoutErrorObject",
    "InvalidRequestErrorObject",
    "NotFoundErrorObject",
    "OverloadedErrorObject",
    "PermissionErrorObject",
    "RateLimitErrorObject",
    "UnknownErrorObject",
    "parse_error",
]

ErrorType: TypeAlias = Literal[
    "invalid_request_error",
    "authentication_error",
    "billing_error",
    "permission_error",
    "not_found_error",
    "rate_limit_error",
    "timeout_error",
    "api_error",
    "overloaded_error",
    "memory_precondition_failed_error",
    "memory_path_conflict_error",
    "conflict_error",
]
"""Error types known today (the list grows; unknown ones still parse)."""


class _ErrorObjectBase(BaseModel):
    message: str


class InvalidRequestErrorObject(_ErrorObjectBase):
    """400 (and other 4xx without a type of their own)."""

    type: Literal["invalid_request_error"]


class AuthenticationErrorObject(_ErrorObjectBase):
    """401."""

    type: Literal["authentication_error"]


class BillingErrorObject(_ErrorObjectBase):
    """402."""

    type: Literal["billing_error"]


class PermissionErrorObject(_ErrorObjectBase):
    """403."""

    type: Literal["permission_error"]


class NotFoundErrorObject(_ErrorObjectBase):
    """404."""

    type: Literal["not_found_error"]


class RateLimitErrorObject(_ErrorObjectBase):
    """429."""

    type: Literal["rate_limit_error"]


class GatewayTimeoutErrorObject(_ErrorObjectBase):
    """504."""

    type: Literal["timeout_error"]


class APIErrorObject(_ErrorObjectBase):
    """500."""

    type: Literal["api_error"]


class OverloadedErrorObject(_ErrorObjectBase):
    """529."""

    type: Literal["overloaded_error"]


class UnknownErrorObject(UnknownObject):
    """An error of a type this version does not know (e.g. Cloudflare's ``request_too_large``)."""

    message: str = ""


ErrorObject: TypeAlias = Annotated[
    Annotated[InvalidRequestErrorObject, Tag("invalid_request_error")]
    | Annotated[AuthenticationErrorObject, Tag("authentication_error")]
    | Annotated[BillingErrorObject, Tag("billing_error")]
    | Annotated[PermissionErrorObject, Tag("permission_error")]
    | Annotated[NotFoundErrorObject, Tag("not_found_error")]
    | Annotated[RateLimitErrorObject, Tag("rate_limit_error")]
    | Annotated[GatewayTimeoutErrorObject, Tag("timeout_error")]
    | Annotated[APIErrorObject, Tag("api_error")]
    | Annotated[OverloadedErrorObject, Tag("overloaded_error")]
    | Annotated[UnknownErrorObject, Tag(UNKNOWN)],
    tag_discriminator(
        [
            "invalid_request_error",
            "authentication_error",
            "billing_error",
            "permission_error",
            "not_found_error",
            "rate_limit_error",
            "timeout_error",
            "api_error",
            "overloaded_error",
        ]
    ),
]


class ErrorResponse(BaseModel):
    """The body of every non-2xx answer of the API."""

    type: Literal["error"]
    error: ErrorObject
    request_id: str | None = None


def parse_error(data: Any) -> ErrorResponse:
    """Validate an error body (or a stream's ``error`` event payload)."""
    return ErrorResponse.model_validate(data)
