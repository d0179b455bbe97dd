"""Every error status maps to the official SDK's class, with its attributes."""

from __future__ import annotations

import httpx2
import pytest

import fakeclaude

from .conftest import Script, error_response

PARAMS = {"model": "claude-sonnet-4-6", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}

CASES = [
    (400, "invalid_request_error", fakeclaude.BadRequestError),
    (401, "authentication_error", fakeclaude.AuthenticationError),
    (402, "billing_error", fakeclaude.PaymentRequiredError),
    (403, "permission_error", fakeclaude.PermissionDeniedError),
    (404, "not_found_error", fakeclaude.NotFoundError),
    (408, "timeout_error", fakeclaude.RequestTimeoutError),
    (409, "conflict_error", fakeclaude.ConflictError),
    (413, "request_too_large", fakeclaude.ContentTooLargeError),
    (422, "invalid_request_error", fakeclaude.UnprocessableEntityError),
    (429, "rate_limit_error", fakeclaude.RateLimitError),
    (500, "api_error", fakeclaude.InternalServerError),
    (503, "api_error", fakeclaude.ServiceUnavailableError),
    (504, "timeout_error", fakeclaude.GatewayTimeoutError),
    (529, "overloaded_error", fakeclaude.OverloadedError),
    (418, "invalid_request_error", fakeclaude.APIStatusError),
]


@pytest.mark.parametrize(("status", "type_", "cls"), CASES)
def test_status_maps_to_class(script: Script, status: int, type_: str, cls: type[fakeclaude.APIStatusError]) -> None:
    script.answers = [error_response(status, type_, "what went wrong")]
    client = fakeclaude.Anthropic(api_key="k", max_retries=0, http_client=httpx2.Client(transport=httpx2.MockTransport(script)))
    with pytest.raises(cls) as info:
        client.messages.create(**PARAMS)
    error = info.value
    assert type(error) is cls
    assert isinstance(error, fakeclaude.APIStatusError) and isinstance(error, fakeclaude.APIError)
    assert error.status_code == status
    assert error.request_id == "req_011Err"
    assert error.type == type_
    assert error.api_message == "what went wrong"
    assert isinstance(error.body, dict) and error.body["error"]["message"] == "what went wrong"
    assert str(error).startswith(f"Error code: {status} - ")


def test_overloaded_is_an_internal_server_error() -> None:
    assert issubclass(fakeclaude.OverloadedError, fakeclaude.InternalServerError)
    assert issubclass(fakeclaude.APITimeoutError, fakeclaude.APIConnectionError)
    assert fakeclaude.RequestTooLargeError is fakeclaude.ContentTooLargeError


def test_non_json_error_body_is_kept_as_text(script: Script) -> None:
    script.answers = [httpx2.Response(502, text="<html>Bad gateway</html>")]
    client = fakeclaude.Anthropic(api_key="k", max_retries=0, http_client=httpx2.Client(transport=httpx2.MockTransport(script)))
    with pytest.raises(fakeclaude.InternalServerError) as info:
        client.messages.create(**PARAMS)
    assert info.value.body == "<html>Bad gateway</html>"
    assert info.value.type is None
