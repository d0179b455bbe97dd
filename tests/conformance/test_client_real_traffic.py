"""The client against real recorded traffic: every recorded Messages call, replayed byte for byte.

Each recorded ``POST /v1/messages`` / ``POST /v1/messages/count_tokens`` answer is served through an
``httpx2.MockTransport``; the same call is made with ``fakeclaude.Anthropic`` and with the official
``anthropic.Anthropic`` on the same bytes, and each result is checked against the recording: the id, the
block types, texts and tool inputs, the stop reason and the usage (streams: the text deltas, the events,
and the final accumulated message; errors: the exception class, status and body). fakeclaude must agree
at least as often as the official SDK does, and wherever the SDK does; where the SDK gets a stream right,
fakeclaude's accumulated message must equal the SDK accumulator's on the same bytes (``None`` fields aside). Run with ``-s`` to see the counts.
"""

from __future__ import annotations

import inspect
import json
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anthropic
import httpx2
import pytest

import fakeclaude
from fakeclaude.client.resources.messages import CountTokens, CreateStreaming

from ._traffic import (
    INTERACTIONS,
    SKIP_REASON,
    Exchange,
    Replayer,
    accumulate_recorded,
    load_exchanges,
    recorded_event_types,
    recorded_text,
    split_body,
    summarize_recorded_message,
    summarize_result,
    to_plain,
)

if not INTERACTIONS.exists():
    pytest.skip(SKIP_REASON, allow_module_level=True)

_EXTRAS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
_GUARD = "Streaming is required"
_EXPLICIT_TIMEOUT = 600.0
_ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    413: "RequestTooLargeError",
    429: "RateLimitError",
    500: "InternalServerError",
    529: "OverloadedError",
}


def _signature_keys(method: Callable[..., Any], *, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    return frozenset(inspect.signature(method).parameters) - _EXTRAS - {"self"} - drop


# The keyword arguments each client's signature takes; anything else in a body goes in ``extra_body``.
# ``output_format`` is a Python type in the SDK's ``stream()`` / ``count_tokens()``, never the wire dict.
OURS_CREATE = frozenset(CreateStreaming.__annotations__) - _EXTRAS - {"temperature", "top_p", "top_k"}  # 2026: extra_body
OURS_COUNT = frozenset(CountTokens.__annotations__) - _EXTRAS
SDK_CREATE = _signature_keys(anthropic.resources.messages.Messages.create)
SDK_STREAM = _signature_keys(anthropic.resources.messages.Messages.stream, drop=frozenset({"output_format"}))
SDK_COUNT = _signature_keys(
    anthropic.resources.messages.Messages.count_tokens, drop=frozenset({"output_format"})
)


@dataclass
class Side:
    """One client's view of the replay: how to build it and which keys it takes as keyword arguments."""

    name: str
    make: Callable[[httpx2.Client], Any]
    create_keys: frozenset[str]
    stream_keys: frozenset[str]
    count_keys: frozenset[str]
    error_base: type[Exception]
    guard_retries: int = 0
    replayer: Replayer = field(default_factory=Replayer)
    _client: Any = None

    @property
    def client(self) -> Any:
        """One client per side, on one ``httpx2.Client`` whose transport replays the current exchange."""
        if self._client is None:
            self._client = self.make(httpx2.Client(transport=self.replayer.transport))
        return self._client


def _ours(http: httpx2.Client) -> fakeclaude.Anthropic:
    return fakeclaude.Anthropic(api_key="sk-ant-test", max_retries=0, http_client=http)


def _sdk(http: httpx2.Client) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-ant-test", max_retries=0, http_client=http)


def _sides() -> tuple[Side, Side]:
    ours = Side(
        "fakeclaude", _ours, OURS_CREATE, OURS_CREATE - {"stream"}, OURS_COUNT, fakeclaude.APIStatusError
    )
    sdk = Side("anthropic", _sdk, SDK_CREATE, SDK_STREAM, SDK_COUNT, anthropic.APIStatusError)
    return ours, sdk


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    final: dict[str, Any] | None = None
    """For streams: the accumulated message of ``messages.stream()``, as JSON data."""

    @property
    def agrees(self) -> bool:
        return not self.problems


def _call(
    side: Side, method: Callable[..., Any], exchange: Exchange, keys: frozenset[str], **forced: Any
) -> Any:
    body = {k: v for k, v in exchange.body.items() if k != "stream"}
    kwargs, extra = split_body(body, keys)
    kwargs.update(forced)
    if extra:
        kwargs["extra_body"] = extra
    if exchange.query:
        kwargs["extra_query"] = exchange.query
    try:
        return method(**kwargs)
    except ValueError as exc:
        if _GUARD not in str(exc):
            raise
        side.guard_retries += 1
        return method(**kwargs, timeout=_EXPLICIT_TIMEOUT)


def _check_error(side: Side, exchange: Exchange, action: Callable[[], Any], label: str, out: Outcome) -> None:
    try:
        action()
    except side.error_base as exc:
        expected = _ERROR_CLASSES.get(exchange.status, "APIStatusError")
        got = (type(exc).__name__, getattr(exc, "status_code", None), getattr(exc, "body", None))
        want = (expected, exchange.status, exchange.resp_json if exchange.resp_json is not None else got[2])
        if got != want:
            out.problems.append(f"{label}: raised {got[:2]}, expected {want[:2]} (or the body differs)")
    except Exception as exc:
        out.problems.append(f"{label}: raised {type(exc).__name__}: {exc}"[:300])
    else:
        out.problems.append(f"{label}: no exception for HTTP {exchange.status}")


def _compare(label: str, got: Any, want: Any, out: Outcome) -> None:
    if got != want:
        out.problems.append(f"{label}: got {got!r:.300} expected {want!r:.300}")


def _guarded(label: str, out: Outcome, action: Callable[[], None]) -> None:
    try:
        action()
    except Exception as exc:
        out.problems.append(f"{label}: {type(exc).__name__}: {exc}"[:300])


def replay(side: Side, exchange: Exchange) -> Outcome:
    """Make the recorded call with ``side``'s client; list every way its result differs from the recording."""
    out = Outcome()
    side.replayer.current = exchange
    sent = side.replayer.requests
    sent.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the SDK warns about deprecated models, as it should
        _replay_calls(side, exchange, side.client.messages, out)
    if not sent:
        out.problems.append("no request reached the transport")
    for request in sent:
        if request.url.path != exchange.path or dict(request.url.params) != exchange.query:
            out.problems.append(f"sent to {request.url}, recorded {exchange.path}?{exchange.query}")
        sent_body = {k: v for k, v in json.loads(request.content).items() if k != "stream"}
        if sent_body != {k: v for k, v in exchange.body.items() if k != "stream"}:
            out.problems.append(f"sent body differs from the recorded one: {sorted(sent_body)}")
    return out


def _replay_calls(side: Side, exchange: Exchange, messages: Any, out: Outcome) -> None:
    def count() -> Any:
        return _call(side, messages.count_tokens, exchange, side.count_keys)

    def create() -> Any:
        return _call(side, messages.create, exchange, side.create_keys)

    def raw() -> Any:
        return _call(side, messages.create, exchange, side.create_keys, stream=True)

    def helper() -> Any:
        return _call(side, messages.stream, exchange, side.stream_keys)

    if exchange.is_count_tokens:
        if exchange.is_error:
            _check_error(side, exchange, count, "count_tokens", out)
        else:
            _guarded(
                "count_tokens",
                out,
                lambda: _compare("count_tokens", to_plain(count()), exchange.resp_json, out),
            )
        return
    if not exchange.is_stream:
        if exchange.is_error:
            _check_error(side, exchange, create, "create", out)
        else:
            want = summarize_recorded_message(exchange.resp_json)
            _guarded("create", out, lambda: _compare("create", summarize_result(create()), want, out))
        return
    if exchange.is_error or exchange.resp_sse is None:
        _check_error(side, exchange, lambda: list(raw()), "create(stream=True)", out)
        _check_error(side, exchange, lambda: helper().__enter__(), "stream()", out)
        return
    events = exchange.resp_sse
    _guarded("create(stream=True)", out, lambda: _check_raw_stream(raw(), events, out))
    _guarded("stream()", out, lambda: _check_helper(helper(), events, out))


def _check_raw_stream(stream: Any, events: list[dict[str, Any]], out: Outcome) -> None:
    with stream:
        got = list(stream)
    _compare("create(stream=True) events", [e.type for e in got], recorded_event_types(events), out)
    texts = "".join(
        e.delta.text
        for e in got
        if e.type == "content_block_delta" and getattr(e.delta, "type", "") == "text_delta"
    )
    _compare("create(stream=True) text", texts, recorded_text(events), out)


def _check_helper(manager: Any, events: list[dict[str, Any]], out: Outcome) -> None:
    with manager as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    _compare("stream() text_stream", text, recorded_text(events), out)
    want = summarize_recorded_message(accumulate_recorded(events))
    _compare("stream() final message", summarize_result(final), want, out)
    out.final = to_plain(final)


@dataclass
class Tally:
    total: int = 0
    ours: int = 0
    sdk: int = 0
    accumulator_parity: int = 0
    streams_compared: int = 0
    guard_retries: dict[str, int] = field(default_factory=dict)
    ours_failures: list[tuple[str, list[str]]] = field(default_factory=list)
    ours_only_failures: list[tuple[str, list[str]]] = field(default_factory=list)
    sdk_failures: list[tuple[str, list[str]]] = field(default_factory=list)
    parity_failures: list[tuple[str, Any, Any]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"real traffic: {self.total} recorded Messages exchanges; fakeclaude agrees on {self.ours}, "
            f"the official SDK on {self.sdk}; stream accumulators equal on {self.accumulator_parity} of "
            f"{self.streams_compared} streams the SDK gets right; explicit timeout needed by the 10-minute guard: {self.guard_retries}"
        )


def _drop_none(value: Any) -> Any:
    """The SDK's accumulator sets ``stop_details`` / ``container`` to ``None`` when absent; compare without."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _as_ga(mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The SDK's GA accumulator drops ``message_delta.context_management`` (its beta one keeps it, as
    fakeclaude's one accumulator does): compare without it when the SDK's message lacks it."""
    if "context_management" in mine and "context_management" not in theirs:
        return {k: v for k, v in mine.items() if k != "context_management"}
    return mine


def _run_all() -> Tally:
    ours, sdk = _sides()
    tally = Tally()
    for exchange in load_exchanges():
        tally.total += 1
        mine, theirs = replay(ours, exchange), replay(sdk, exchange)
        tally.ours += mine.agrees
        tally.sdk += theirs.agrees
        if not mine.agrees:
            tally.ours_failures.append((exchange.ident, mine.problems))
        if not theirs.agrees:
            tally.sdk_failures.append((exchange.ident, theirs.problems))
        if theirs.agrees and not mine.agrees:
            tally.ours_only_failures.append((exchange.ident, mine.problems))
        if mine.final is not None and theirs.final is not None and theirs.agrees:
            tally.streams_compared += 1
            if _drop_none(_as_ga(mine.final, theirs.final)) == _drop_none(theirs.final):
                tally.accumulator_parity += 1
            else:
                tally.parity_failures.append((exchange.ident, mine.final, theirs.final))
    tally.guard_retries = {ours.name: ours.guard_retries, sdk.name: sdk.guard_retries}
    return tally


@pytest.fixture(scope="module")
def tally() -> Iterator[Tally]:
    result = _run_all()
    print("\n" + result.summary())
    for ident, problems in result.sdk_failures:
        print(f"  official SDK disagrees on {ident}: {problems[0][:160]}")
    for ident, problems in result.ours_failures:
        print(f"  fakeclaude disagrees on {ident}: {problems[0][:160]}")
    yield result


def test_client_agrees_with_the_recordings_at_least_as_often_as_the_sdk(tally: Tally) -> None:
    assert tally.total > 0
    assert tally.ours >= tally.sdk, tally.summary()


def test_client_agrees_wherever_the_sdk_does(tally: Tally) -> None:
    details = "\n".join(f"{ident}: {problems}" for ident, problems in tally.ours_only_failures[:10])
    assert not tally.ours_only_failures, f"{tally.summary()}\n{details}"


def test_stream_accumulator_matches_the_sdk_on_the_same_bytes(tally: Tally) -> None:
    assert tally.streams_compared > 0
    first = tally.parity_failures[:1]
    assert tally.accumulator_parity == tally.streams_compared, f"{tally.summary()}\nfirst difference: {first}"
