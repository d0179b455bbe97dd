"""Both clients, ours and the official SDK, against every fault the served fake can inject.

Each case scripts a fault on the fake served on loopback, calls it the way an app does, and checks
what the spec (§6.3) documents: how many attempts the fake received (its request log) and which error
the client raises when it gives up. Waits are kept short with small ``retry-after`` values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anthropic
import httpx2
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock, Reply

PARAMS: dict[str, Any] = {"model": "claude-sonnet-4-5", "max_tokens": 64,
                          "messages": [{"role": "user", "content": "Tell me a long story about ships."}]}
FAST = 0.001  # seconds: a retry-after that keeps retries quick


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeClaude, str]]:
    fake = FakeClaude(seed=1, clock=FakeClock())
    with fake.serve() as url:
        yield fake, url


@pytest.fixture
def fake(served: tuple[FakeClaude, str]) -> FakeClaude:
    served[0].reset()
    return served[0]


CLIENTS: dict[str, Callable[..., Any]] = {
    "fakeclaude": lambda url, **kw: fakeclaude.Anthropic(api_key="sk-test", base_url=url, **kw),
    "anthropic": lambda url, **kw: anthropic.Anthropic(api_key="sk-test", base_url=url, **kw),
}


def errors_of(name: str) -> Any:
    return fakeclaude if name == "fakeclaude" else anthropic


@dataclass(frozen=True)
class Fault:
    script: Callable[[FakeClaude], None]
    attempts: int
    error: str | None  # the exception class name in the client's module, None: the call succeeds
    stream: bool = False


FAULTS = {
    # a rule's last answer keeps answering: "always"
    "429 with retry-after, always": Fault(lambda f: f.on().error(429, retry_after=FAST), 3, "RateLimitError"),
    "429 once, then answered": Fault(lambda f: (f.error(429, retry_after=FAST)), 2, None),
    "529 always": Fault(lambda f: f.on().error(529, retry_after=FAST), 3, "OverloadedError"),
    "500 always": Fault(lambda f: f.on().error(500, retry_after=FAST), 3, "InternalServerError"),
    "400 is never retried": Fault(lambda f: f.error(400), 1, "BadRequestError"),
    "x-should-retry: false on a 529": Fault(lambda f: f.error(529, should_retry=False), 1, "OverloadedError"),
    "error event mid-stream": Fault(lambda f: f.reply(Reply(["A long story about ships."], error_after=3)), 1,
                                    "APIStatusError", stream=True),
}


def _call(client: Any, stream: bool) -> Any:
    if not stream:
        return client.messages.create(**PARAMS)
    with client.messages.stream(**PARAMS) as events:
        return events.get_final_message()


def _attempts(fake: FakeClaude) -> int:
    return sum(1 for r in fake.requests if r.path == "/v1/messages")


@pytest.mark.parametrize("client_name", sorted(CLIENTS))
@pytest.mark.parametrize("fault_name", list(FAULTS))
def test_each_fault_is_retried_as_documented(served: tuple[FakeClaude, str], fake: FakeClaude, client_name: str,
                                             fault_name: str) -> None:
    fault = FAULTS[fault_name]
    fault.script(fake)
    client = CLIENTS[client_name](served[1], max_retries=2)
    if fault.error is None:
        assert _call(client, fault.stream).content
    else:
        with pytest.raises(getattr(errors_of(client_name), fault.error)) as raised:
            _call(client, fault.stream)
        if fault.stream:
            assert raised.value.type == "overloaded_error"  # type: ignore[attr-defined]
    assert _attempts(fake) == fault.attempts


@pytest.mark.parametrize("client_name", sorted(CLIENTS))
def test_a_timeout_is_retried_then_raised_as_api_timeout_error(served: tuple[FakeClaude, str], fake: FakeClaude,
                                                               client_name: str) -> None:
    fake.on().respond(Reply(["late"], ttft=2.0))
    client = CLIENTS[client_name](served[1], max_retries=1, timeout=0.3)
    with pytest.raises(errors_of(client_name).APITimeoutError):
        client.messages.create(**PARAMS)
    assert _attempts(fake) == 2


@pytest.mark.parametrize("client_name", sorted(CLIENTS))
def test_a_connection_cut_mid_stream_is_raised_not_retried(served: tuple[FakeClaude, str], fake: FakeClaude,
                                                           client_name: str) -> None:
    fake.reply(Reply(["A long story about ships and the sea."], drop_after=3))
    client = CLIENTS[client_name](served[1], max_retries=2)
    with pytest.raises(errors_of(client_name).APIConnectionError) as raised:
        _call(client, stream=True)
    assert isinstance(raised.value.__cause__, httpx2.RemoteProtocolError)
    assert _attempts(fake) == 1
    assert _call(client, stream=False).content  # the fake serves on


def _failure(client: Any, call: Callable[[Any], Any]) -> tuple[str, str]:
    try:
        call(client)
    except Exception as exc:  # what an app catches: the class and its text
        return type(exc).__name__, str(exc)
    raise AssertionError("the call did not fail")


def test_both_clients_raise_the_same_transport_errors_with_the_same_text(served: tuple[FakeClaude, str],
                                                                          fake: FakeClaude) -> None:
    """A stream cut midway, a read timeout (sent, and midway through a stream) and a refused connection: the
    same class and message from ours as from the official SDK (``Connection to HOST failed: ...``)."""
    with FakeClaude(seed=1).serve() as closed:
        pass  # the port is closed again: every attempt is refused
    cases: list[tuple[str, Callable[[FakeClaude], None], dict[str, Any], Callable[[Any], Any]]] = [
        (served[1], lambda f: f.reply(Reply(["A long story about ships and the sea."], drop_after=3)), {},
         lambda c: _call(c, stream=True)),
        (served[1], lambda f: f.reply(Reply(["late"], ttft=2.0)), {"timeout": 0.3},
         lambda c: c.messages.create(**PARAMS)),
        (served[1], lambda f: f.reply(Reply(["slow " * 40], tokens_per_second=5)), {"timeout": 0.3},
         lambda c: _call(c, stream=True)),
        (closed, lambda f: None, {}, lambda c: c.messages.create(**PARAMS)),
    ]
    for url, script, options, call in cases:
        seen = []
        for name in sorted(CLIENTS):
            fake.reset()
            script(fake)
            seen.append(_failure(CLIENTS[name](url, max_retries=0, **options), call))
        assert seen[0] == seen[1], seen
    assert [s[0] for s in seen] == ["APIConnectionError"] * 2 and "failed: " in seen[0][1]


@pytest.mark.parametrize("client_name", sorted(CLIENTS))
def test_a_refused_connection_is_raised_as_api_connection_error(client_name: str) -> None:
    fake = FakeClaude(seed=1)
    with fake.serve() as url:
        pass  # the port is closed again: every attempt is refused
    client = CLIENTS[client_name](url, max_retries=0)
    with pytest.raises(errors_of(client_name).APIConnectionError):
        client.messages.create(**PARAMS)


class _CutBody(httpx2.SyncByteStream):
    """An answer's body cut after its first bytes, as a connection that drops midway."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"id": "msg_01'
        raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")


@pytest.mark.parametrize("should_retry", [None, "false"])
def test_a_body_cut_midway_is_retried_unless_its_headers_said_not_to(should_retry: str | None) -> None:
    """A failure after the headers arrived is a connection error, retried unless they said
    ``x-should-retry: false`` (anthropic 2.17): the same attempts and the same error from both clients."""
    headers = {"content-type": "application/json", **({"x-should-retry": should_retry} if should_retry else {})}
    seen = []
    for name in sorted(CLIENTS):
        attempts: list[httpx2.Request] = []
        transport = httpx2.MockTransport(
            lambda request, sent=attempts: sent.append(request) or httpx2.Response(200, headers=headers, stream=_CutBody()))
        client: Any = errors_of(name).Anthropic(api_key="k", base_url="http://fake", max_retries=1,
                                                http_client=httpx2.Client(transport=transport))
        failure = _failure(client, lambda c: c.messages.create(**PARAMS))
        seen.append((len(attempts), *failure))
    assert seen[0] == seen[1], seen
    assert seen[0][0] == (1 if should_retry == "false" else 2) and seen[0][1] == "APIConnectionError"
