"""The SDK's retry policy: which answers are retried, how long the client waits, what is raised."""

from __future__ import annotations

import httpx2
import pytest

import fakeclaude
from fakeclaude import AsyncAnthropic
from fakeclaude.client._retry import parse_retry_after, retry_delay

from .conftest import Script, error_response, ok

PARAMS = {"model": "claude-sonnet-4-6", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}


def client_for(script: Script, **kwargs: object) -> fakeclaude.Anthropic:
    return fakeclaude.Anthropic(api_key="sk-test", http_client=httpx2.Client(transport=httpx2.MockTransport(script)), **kwargs)  # type: ignore[arg-type]


def aclient_for(script: Script, **kwargs: object) -> AsyncAnthropic:
    return AsyncAnthropic(api_key="sk-test", http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(script)), **kwargs)  # type: ignore[arg-type]


def test_overloaded_then_ok_is_retried_with_backoff_and_counted(script: Script, sleeps: list[float]) -> None:
    script.answers = [error_response(529, "overloaded_error", "Overloaded"), error_response(529, "overloaded_error", "Overloaded"), ok()]
    message = client_for(script).messages.create(**PARAMS)
    assert message.content[0].text == "Paris."
    assert [r.headers["x-stainless-retry-count"] for r in script.requests] == ["0", "1", "2"]
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 529])
def test_retryable_statuses_are_retried(script: Script, sleeps: list[float], status: int) -> None:
    script.answers = [error_response(status, "api_error", "nope"), ok()]
    client_for(script).messages.create(**PARAMS)
    assert len(script.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_client_errors_are_not_retried(script: Script, sleeps: list[float], status: int) -> None:
    script.answers = [error_response(status, "invalid_request_error", "bad"), ok()]
    with pytest.raises(fakeclaude.APIStatusError) as info:
        client_for(script).messages.create(**PARAMS)
    assert info.value.status_code == status
    assert len(script.requests) == 1 and sleeps == []


def test_x_should_retry_overrides_the_status(script: Script, sleeps: list[float]) -> None:
    script.answers = [error_response(500, "api_error", "x", {"x-should-retry": "false"}), ok()]
    with pytest.raises(fakeclaude.InternalServerError):
        client_for(script).messages.create(**PARAMS)
    assert len(script.requests) == 1

    script.answers = [error_response(400, "invalid_request_error", "x", {"x-should-retry": "true"}), ok()]
    script.requests.clear()
    client_for(script).messages.create(**PARAMS)
    assert len(script.requests) == 2


def test_retry_after_headers_are_honoured(script: Script, sleeps: list[float]) -> None:
    script.answers = [
        error_response(429, "rate_limit_error", "slow down", {"retry-after-ms": "50"}),
        error_response(429, "rate_limit_error", "slow down", {"retry-after": "2"}),
        ok(),
    ]
    client_for(script).messages.create(**PARAMS)
    assert sleeps == [0.05, 2.0]


def test_exhausted_retries_raise_the_last_error(script: Script, sleeps: list[float]) -> None:
    script.answers = [error_response(529, "overloaded_error", "Overloaded")]
    with pytest.raises(fakeclaude.OverloadedError) as info:
        client_for(script, max_retries=3).messages.create(**PARAMS)
    assert len(script.requests) == 4
    assert info.value.type == "overloaded_error" and info.value.request_id == "req_011Err"
    assert len(sleeps) == 3


def test_per_request_max_retries(script: Script, sleeps: list[float]) -> None:
    script.answers = [error_response(500, "api_error", "Internal server error")]
    client = client_for(script).with_options(max_retries=0)
    with pytest.raises(fakeclaude.InternalServerError):
        client.messages.create(**PARAMS)
    assert len(script.requests) == 1


def test_timeouts_become_api_timeout_error_after_retries(script: Script, sleeps: list[float]) -> None:
    script.answers = [httpx2.ReadTimeout("slow")]
    with pytest.raises(fakeclaude.APITimeoutError):
        client_for(script).messages.create(**PARAMS)
    assert len(script.requests) == 3


def test_connection_errors_are_retried_then_raised(script: Script, sleeps: list[float]) -> None:
    script.answers = [httpx2.ConnectError("refused"), ok()]
    assert client_for(script).messages.create(**PARAMS).id.startswith("msg_")
    script.answers = [httpx2.ConnectError("refused")]
    with pytest.raises(fakeclaude.APIConnectionError) as info:
        client_for(script, max_retries=0).messages.create(**PARAMS)
    assert not isinstance(info.value, fakeclaude.APITimeoutError)


def test_timeout_is_passed_to_the_transport(script: Script) -> None:
    seen: list[object] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.extensions.get("timeout"))
        return ok()

    script.answers = [answer]
    client_for(script, timeout=3.0).messages.create(**PARAMS)
    client_for(script).messages.create(**PARAMS, timeout=httpx2.Timeout(7.0, connect=1.0))
    assert seen[0] == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}
    assert seen[1] == {"connect": 1.0, "read": 7.0, "write": 7.0, "pool": 7.0}
    # as the SDK: the call's own timeout (none given) and the one in force
    assert script.requests[0].headers["x-stainless-timeout"] == "NOT_GIVEN"
    assert script.requests[0].headers["x-stainless-read-timeout"] == "3.0"
    assert script.requests[1].headers["x-stainless-timeout"] == script.requests[1].headers["x-stainless-read-timeout"] == "7.0"


async def test_async_retries_match_sync(script: Script, sleeps: list[float]) -> None:
    script.answers = [error_response(503, "api_error", "x", {"retry-after-ms": "10"}), ok()]
    async with aclient_for(script) as client:
        message = await client.messages.create(**PARAMS)
    assert message.id == "msg_01XFDUDYJgAACzvnptvVoYEL"
    assert sleeps == [0.01]
    assert script.requests[1].headers["x-stainless-retry-count"] == "1"
    script.answers = [httpx2.ReadTimeout("slow")]
    with pytest.raises(fakeclaude.APITimeoutError):
        await aclient_for(script, max_retries=1).messages.create(**PARAMS)


def test_retry_after_parsing() -> None:
    assert parse_retry_after({"retry-after-ms": "1500"}) == 1.5
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
    date = parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert date is not None and date < 0
    # a date in the past falls back to backoff
    assert 0.375 <= retry_delay(0, {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) <= 0.5
    assert retry_delay(10, None) <= 8.0
