"""The error classes of the official SDK, with the same hierarchy and attributes.

    AnthropicError
    └── APIError                      message, request, body
        ├── APIConnectionError        "Connection to HOST failed: REASON" (``transport_error``)
        │   └── APITimeoutError
        ├── APIResponseValidationError
        └── APIStatusError            status_code, response, request_id, type, api_message, error_code
            ├── BadRequestError (400)         ├── RateLimitError (429)
            ├── AuthenticationError (401)     ├── RequestHeaderFieldsTooLargeError (431)
            ├── PaymentRequiredError (402)    ├── ClientClosedRequestError (499)
            ├── PermissionDeniedError (403)   └── InternalServerError (>= 500)
            ├── NotFoundError (404)               ├── HTTPNotImplementedError (501)
            ├── RequestTimeoutError (408)         ├── ServiceUnavailableError (503)
            ├── ConflictError (409)               ├── GatewayTimeoutError (504)
            ├── PreconditionFailedError (412)     └── OverloadedError (529)
            ├── ContentTooLargeError (413)
            └── UnprocessableEntityError (422)

``make_status_error`` is the one place an answer becomes a class: by ``(status, error.details.error_code)``
first (the SDK's 139 code classes, each a subclass of its status's class: ``fakeclaude._error_codes``), then
by status alone (:data:`STATUS_CLASSES`).
"""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from typing import Any

import httpx2

from ._json import loads

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AnthropicError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedRequestError",
    "ConflictError",
    "ContentTooLargeError",
    "DeadlineExceededError",
    "GatewayTimeoutError",
    "HTTPNotImplementedError",
    "InternalServerError",
    "NotFoundError",
    "OverloadedError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "RequestHeaderFieldsTooLargeError",
    "RequestTimeoutError",
    "RequestTooLargeError",
    "STATUS_CLASSES",
    "ServiceUnavailableError",
    "UnprocessableEntityError",
    "make_status_error",
]


class AnthropicError(Exception):
    pass


class APIError(AnthropicError):
    message: str
    request: httpx2.Request
    body: object | None

    def __init__(self, message: str, request: httpx2.Request, *, body: object | None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIResponseValidationError(APIError):
    def __init__(self, response: httpx2.Response, body: object | None, *, message: str | None = None) -> None:
        super().__init__(message or "Data returned by API invalid for expected schema.", response.request, body=body)
        self.response = response
        self.status_code = response.status_code


def _error_field(body: object, key: str) -> Any:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return error.get(key)
    return None


class APIStatusError(APIError):
    """An HTTP error answer (4xx/5xx), or an ``error`` event inside a 200 stream."""

    response: httpx2.Response
    status_code: int
    request_id: str | None

    def __init__(self, message: str, *, response: httpx2.Response, body: object | None) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("request-id")
        self.workspace_id: str | None = response.headers.get("anthropic-workspace-id")
        message_value = _error_field(body, "message")
        self.api_message: str | None = message_value if isinstance(message_value, str) else None
        type_value = _error_field(body, "type")
        self.type: str | None = type_value if isinstance(type_value, str) else None
        details = _error_field(body, "details")
        self.details: dict[str, Any] | None = details if isinstance(details, dict) else None
        code = self.details.get("error_code") if self.details else None
        self.error_code: str | None = code if isinstance(code, str) else None


class APIConnectionError(APIError):
    def __init__(self, *, message: str = "Connection error.", request: httpx2.Request) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx2.Request, *, message: str = "Request timed out or interrupted.") -> None:
        super().__init__(message=message, request=request)


#: The failures whose own text names what went wrong on the wire (any other's text may quote the request).
_NETWORK_ERRORS = (httpx2.NetworkError, httpx2.ProxyError, httpx2.RemoteProtocolError)
_TIMEOUT_PHASES: dict[type[httpx2.TimeoutException], str] = {
    httpx2.ConnectTimeout: "connect", httpx2.WriteTimeout: "write", httpx2.PoolTimeout: "pool"}


def transport_error(request: httpx2.Request, cause: BaseException) -> APIConnectionError:
    """The error a request that failed in transport raises, sent or while its body is read (a stream cut
    midway), as the official SDK words it since 2.17: ``Connection to HOST failed: REASON`` (the innermost
    network error's text) or ``Request to HOST timed out after Ns``; ``Connection error.`` for a failure
    that is not the connection's."""
    if isinstance(cause, httpx2.TimeoutException):
        timeouts = request.extensions.get("timeout") or {}
        seconds = timeouts.get(_TIMEOUT_PHASES.get(type(cause), "read"))
        # the operating system may give up on the connection before the client's own timeout is up
        if any(isinstance(error, OSError) and error.errno == errno.ETIMEDOUT for error in _chain(cause)):
            seconds = None
        after = "" if seconds is None else f" after {seconds:g}s"
        return APITimeoutError(request, message=f"Request to {_host(request, cause)} timed out{after}")
    if not isinstance(cause, httpx2.RequestError):
        return APIConnectionError(request=request)
    reason = type(cause).__name__
    if isinstance(cause, _NETWORK_ERRORS):
        for error in _chain(cause):
            if isinstance(error, (*_NETWORK_ERRORS, OSError)):
                reason = str(error) or reason
    return APIConnectionError(message=f"Connection to {_host(request, cause)} failed: {reason}", request=request)


def _host(request: httpx2.Request, cause: httpx2.RequestError) -> str:
    """The host the failed request went to (after a redirect, the one it was redirected to)."""
    try:
        request = cause.request
    except RuntimeError:  # an error raised without its request
        pass
    return request.url.netloc.decode("ascii")


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and what it wraps: its cause, an exception group's first member, or an exception it holds
    as an argument (httpcore2 keeps the error it maps there), each once."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        inner = [*getattr(current, "exceptions", ()), current.__cause__, *current.args]
        current = next((item for item in inner if isinstance(item, BaseException)), None)


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PaymentRequiredError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class RequestTimeoutError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class PreconditionFailedError(APIStatusError):
    pass


class ContentTooLargeError(APIStatusError):
    pass


RequestTooLargeError = ContentTooLargeError



class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class RequestHeaderFieldsTooLargeError(APIStatusError):
    pass


class ClientClosedRequestError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


class HTTPNotImplementedError(InternalServerError):
    pass


class ServiceUnavailableError(InternalServerError):
    pass


class GatewayTimeoutError(InternalServerError):
    pass


DeadlineExceededError = GatewayTimeoutError


class OverloadedError(InternalServerError):
    pass


STATUS_CLASSES: dict[int, type[APIStatusError]] = {  # the SDK's class for each status it names
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    412: PreconditionFailedError,
    413: ContentTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    431: RequestHeaderFieldsTooLargeError,
    499: ClientClosedRequestError,
    501: HTTPNotImplementedError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
    529: OverloadedError,
}


def decode_error_body(response: httpx2.Response) -> object | None:
    """The parsed JSON body of an error answer, or its text (stripped) when it is not JSON, as the SDK keeps it."""
    text = response.text.strip()
    if not text:
        return text
    try:
        parsed: object = loads(text)
    except ValueError:
        return text
    return parsed


def status_error_message(response: httpx2.Response, body: object | None) -> str:
    """The text of an error answer (or of an ``error`` event, status 200), as the official SDK words it since
    2.17: ``"429 Number of requests ... (request_id: req_..., path: /v1/messages, type: rate_limit_error)"``,
    the status first only for an error status, ``error_code`` first among the labels when there is one, and
    the error's ``details`` below when they say more than that code."""
    status = response.status_code
    found = _error_field(body, "message")
    text = found if isinstance(found, str) and found else body if isinstance(body, str) and body else None
    if text is None and body == "":
        message = f"{status} status code (no body)"
    else:
        shown = text if text is not None else json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        message = f"{status} {shown}" if status >= 400 else shown
    given = _error_field(body, "details")
    code = given.get("error_code") if isinstance(given, dict) else None
    details = given if text is not None else None
    request_id = response.headers.get("request-id") or (body.get("request_id") if isinstance(body, dict) else None)
    labels = {"error_code": code, "request_id": request_id,
              "path": response.request.url.raw_path.partition(b"?")[0].decode(), "type": _error_field(body, "type")}
    message += " (" + ", ".join(f"{label}: {value}" for label, value in labels.items()
                                if isinstance(value, str) and value) + ")"
    if details is not None and (not isinstance(details, dict) or details.keys() - {"error_code"}):
        message += "\n\n" + json.dumps(details, indent=2, ensure_ascii=False)
    return message


def make_status_error(response: httpx2.Response, body: object | None) -> APIStatusError:
    """The exception for an error answer: the class by status and ``error.details.error_code``, then by status
    alone; the SDK's message text (:func:`status_error_message`)."""
    status = response.status_code
    message = status_error_message(response, body)
    details = _error_field(body, "details")
    code = details.get("error_code") if isinstance(details, dict) else None
    cls = None
    if isinstance(code, str):
        from ._error_codes import BY_CODE  # its classes subclass this module's: loaded on the first code

        cls = BY_CODE.get((status, code))
    if cls is None:
        cls = STATUS_CLASSES.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    return cls(message, response=response, body=body)
