"""Construction as the official SDK: environment, auth per API version, URLs, headers, copies."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

import fakeclaude
from fakeclaude import Anthropic, AsyncAnthropic

from .conftest import Script, ok

PARAMS = {"model": "claude-sonnet-4-6", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}


def transport(script: Script) -> httpx2.Client:
    return httpx2.Client(transport=httpx2.MockTransport(script))


def test_environment_supplies_key_token_and_base_url(script: Script, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-env")
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "tok-env")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://fake.test:1234/prefix")
    script.answers = [ok()]
    Anthropic(http_client=transport(script)).messages.create(**PARAMS)
    request = script.requests[0]
    assert str(request.url) == "http://fake.test:1234/prefix/v1/messages"
    assert request.headers["authorization"] == "Bearer sk-env" and "x-api-key" not in request.headers  # the key wins
    assert request.headers["anthropic-version"] == "2026-10-21"  # the SDK's (2.x) version
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("Anthropic/Python")


def test_explicit_arguments_win_over_environment(script: Script, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-env")
    script.answers = [ok()]
    Anthropic(api_key="sk-arg", base_url="http://x.test", http_client=transport(script)).messages.create(**PARAMS)
    assert script.requests[0].headers["authorization"] == "Bearer sk-arg"
    assert script.requests[0].url.host == "x.test"


def test_api_version_2026_by_default_sends_bearer_and_refuses_sampling_arguments(script: Script) -> None:
    """As the official SDK 2.x: ``anthropic-version: 2026-10-21``, the key as Bearer, and no sampling keyword
    arguments (its signatures have none); ``extra_body`` still sends them, as the SDK's does."""
    script.answers = [ok(), ok()]
    for client in (Anthropic(api_key="sk-new", http_client=transport(script)),
                   Anthropic(api_key="sk-new", api_version="2026-10-21", http_client=transport(script))):
        with pytest.raises(TypeError, match="temperature"):
            client.messages.create(**PARAMS, temperature=0.5)
        client.messages.create(**PARAMS, extra_body={"top_k": 5})
    assert [r.headers["anthropic-version"] for r in script.requests] == ["2026-10-21"] * 2
    assert all(r.headers["authorization"] == "Bearer sk-new" and "x-api-key" not in r.headers for r in script.requests)
    assert [b["top_k"] for b in script.bodies()] == [5, 5]


def test_sampling_params_allowed_on_2023(script: Script) -> None:
    script.answers = [ok()]
    client = Anthropic(api_key="k", api_version="2023-06-01", http_client=transport(script))
    client.messages.create(**PARAMS, temperature=0.2, top_k=5)
    assert script.bodies()[0]["temperature"] == 0.2
    assert script.requests[0].headers["x-api-key"] == "k" and "authorization" not in script.requests[0].headers


def test_missing_credentials_is_a_type_error_before_sending(script: Script, monkeypatch: pytest.MonkeyPatch) -> None:
    import anthropic

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    script.answers = [ok()]
    said = []
    for module in (anthropic, fakeclaude):
        with pytest.raises(TypeError, match="Could not resolve authentication method") as info:
            module.Anthropic(http_client=transport(script)).messages.create(**PARAMS)
        said.append(str(info.value))
    assert said[0] == said[1] and script.requests == []
    Anthropic(http_client=transport(script)).messages.create(**PARAMS, extra_headers={"X-Api-Key": fakeclaude.omit})
    assert "x-api-key" not in script.requests[0].headers


def test_extra_headers_query_body_and_defaults(script: Script) -> None:
    script.answers = [ok()]
    client = Anthropic(api_key="k", default_headers={"X-Team": "a"}, default_query={"tenant": "t1"}, http_client=transport(script))
    client.messages.create(**PARAMS, extra_headers={"X-Trace": "1"}, extra_query={"beta": "true"}, extra_body={"temperature": 0.3})
    request = script.requests[0]
    assert request.headers["x-team"] == "a" and request.headers["x-trace"] == "1"
    assert dict(request.url.params) == {"tenant": "t1", "beta": "true"}
    assert json.loads(request.content)["temperature"] == 0.3


def test_not_given_and_none(script: Script) -> None:
    script.answers = [ok()]
    client = Anthropic(api_key="k", http_client=transport(script))
    client.messages.create(**PARAMS, system=fakeclaude.NOT_GIVEN)  # type: ignore[arg-type]
    assert "system" not in script.bodies()[0]


def test_with_options_copies_and_shares_the_pool(script: Script) -> None:
    script.answers = [ok()]
    client = Anthropic(api_key="k", default_headers={"X-A": "1"}, http_client=transport(script))
    copy = client.with_options(max_retries=5, default_headers={"X-B": "2"}, timeout=9.0)
    assert copy.max_retries == 5 and client.max_retries == 2
    assert copy._http is client._http
    copy.messages.create(**PARAMS)
    assert script.requests[0].headers["x-a"] == "1" and script.requests[0].headers["x-b"] == "2"
    copy.close()
    assert not client.is_closed()


def test_context_manager_closes_own_http_client() -> None:
    with Anthropic(api_key="k") as client:
        pass
    assert client.is_closed()


def test_http_client_must_be_httpx2() -> None:
    import httpx

    with pytest.raises(TypeError, match="httpx2"):
        Anthropic(api_key="k", http_client=httpx.Client())  # type: ignore[arg-type]


def test_nonstreaming_guard_for_long_requests(script: Script) -> None:
    import anthropic

    said = []
    for module in (anthropic, fakeclaude):  # the SDK's refusal, word for word, for a long answer and a capped model
        sdk: Any = module.Anthropic(api_key="k", http_client=transport(script))
        for model, max_tokens in (("claude-sonnet-4-6", 64000), ("anthropic.claude-opus-4-1-20250805-v1:0", 9000)):
            with pytest.raises(ValueError, match="Streaming is required") as info:
                sdk.messages.create(model=model, max_tokens=max_tokens, messages=[{"role": "user", "content": "x"}])
            said.append(str(info.value))
    assert said[:2] == said[2:] and script.requests == []
    client = Anthropic(api_key="k", http_client=transport(script))
    script.answers = [ok()]
    client.messages.create(model="claude-sonnet-4-6", max_tokens=64000, messages=[{"role": "user", "content": "x"}], timeout=900)


def test_request_id_and_raw_response(script: Script) -> None:
    script.answers = [ok(**{"anthropic-ratelimit-requests-remaining": "49"})]
    client = Anthropic(api_key="k", http_client=transport(script))
    raw = client.messages.with_raw_response.create(**PARAMS)
    assert raw.status_code == 200
    assert raw.headers["anthropic-ratelimit-requests-remaining"] == "49"
    assert raw.request_id == "req_011Ok" and raw.retries_taken == 0
    message = raw.parse()
    assert message.content[0].text == "Paris."
    assert message._request_id == "req_011Ok"
    assert client.messages.create(**PARAMS)._request_id == "req_011Ok"


async def test_async_raw_response(script: Script) -> None:
    script.answers = [ok()]
    client = AsyncAnthropic(api_key="k", http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(script)))
    raw = await client.messages.with_raw_response.create(**PARAMS)
    message = await raw.parse()
    assert message.id == "msg_01XFDUDYJgAACzvnptvVoYEL" and raw.request_id == "req_011Ok"
    assert script.requests[0].headers["x-stainless-async"] == "async:asyncio"
