"""Every error status maps to the official SDK's class, with its attributes."""

from __future__ import annotations

import json
from typing import Any

import anthropic
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
    assert str(error) == f"{status} what went wrong (request_id: req_011Err, path: /v1/messages, type: {type_})"


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


def _error_event(body: bytes) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "text/event-stream", "request-id": "req_011Err"},
                           content=b"event: error\ndata: " + body + b"\n\n")


ANSWERS = {
    "a plain error": lambda: httpx2.Response(429, json={"type": "error", "error": {
        "type": "rate_limit_error", "message": "Slow down"}, "request_id": "req_011Body"}),
    "an error_code in details": lambda: httpx2.Response(404, headers={"request-id": "req_011Hdr"}, json={
        "type": "error", "error": {"type": "not_found_error", "message": "No such thread",
                                   "details": {"error_code": "thread_not_found"}}}),
    "details saying more": lambda: httpx2.Response(400, json={"type": "error", "error": {
        "type": "invalid_request_error", "message": "Bad", "details": {"error_code": "x", "field": "ünïcode"}}}),
    "a body too large once decoded": lambda: httpx2.Response(413, json={"type": "error", "error": {
        "type": "request_too_large", "message": "Request exceeds the maximum size",
        "details": {"error_code": "request_body_too_large_after_decoding"}}}),
    "an encoding that does not decode": lambda: httpx2.Response(400, json={"type": "error", "error": {
        "type": "invalid_request_error", "message": "it is labelled Content-Encoding: gzip but is not",
        "details": {"error_code": "request_body_encoding_invalid"}}}),
    "an encoding not supported": lambda: httpx2.Response(400, json={"type": "error", "error": {
        "type": "invalid_request_error", "message": "its Content-Encoding is not supported here",
        "details": {"error_code": "request_body_encoding_unsupported"}}}),
    "no message": lambda: httpx2.Response(500, json={"type": "error", "error": {"type": "api_error"}}),
    "text": lambda: httpx2.Response(502, text="<html>Bad gateway</html>"),
    "no body": lambda: httpx2.Response(503),
    "an error event mid-stream": lambda: _error_event(json.dumps({"type": "error", "error": {
        "type": "overloaded_error", "message": "Overloaded"}}).encode()),
    "an error event that is not JSON": lambda: _error_event(b"gone wrong"),
}


@pytest.mark.parametrize("answer", list(ANSWERS))
def test_the_error_text_is_the_official_sdks(answer: str) -> None:
    """``str(error)`` as anthropic (2.17 and later) writes it, for an error answer and an error event alike."""
    raised: list[tuple[str, str]] = []
    for module in (fakeclaude, anthropic):
        client: Any = module.Anthropic(api_key="k", max_retries=0, http_client=httpx2.Client(
            transport=httpx2.MockTransport(lambda request: ANSWERS[answer]())))
        with pytest.raises(module.APIStatusError) as info:
            if answer.startswith("an error event"):
                for _ in client.messages.create(**PARAMS, stream=True):
                    pass
            else:
                client.messages.create(**PARAMS)
        raised.append((type(info.value).__name__, str(info.value)))
    assert raised[0] == raised[1]
