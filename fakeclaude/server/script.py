"""Scripting the fake per test, the way people mock: queued replies, errors, faults, rules and hooks.

    fake.reply("Paris.")                                   # next answer, whatever the request
    fake.reply(tool_use("get_weather", {"city": "Paris"})) # a tool call (stop_reason tool_use)
    fake.error(529)                                        # an API error answer (overloaded_error)
    fake.on(last_user_text="weather").reply("Sunny.")      # a rule matched on the request
    fake.handler(lambda request: "computed")               # full control

A ``Reply`` still goes through the engine's stop-reason and usage logic: it is cut at ``max_tokens``
and at stop sequences like a generated answer, and its usage is counted unless given.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fakeclaude.server.errors import ApiError

__all__ = [
    "ErrorReply",
    "ParsedRequest",
    "Reply",
    "Route",
    "Script",
    "redacted_thinking",
    "text",
    "thinking",
    "tool_use",
]

Block = dict[str, Any]
MAX_KEPT_CALLS = 1000
"""A route keeps its last matched requests for assertions (``calls``); ``call_count`` counts them all."""


def text(value: str, *, citations: Sequence[Mapping[str, Any]] | None = None) -> Block:
    """A text block for a scripted reply."""
    block: Block = {"type": "text", "text": value}
    if citations:
        block["citations"] = [dict(c) for c in citations]
    return block


def tool_use(name: str, input: Mapping[str, Any] | None = None, *, id: str | None = None) -> Block:
    """A tool_use block; ``input`` defaults to one generated from the offered tool's schema."""
    block: Block = {"type": "tool_use", "name": name}
    if input is not None:
        block["input"] = dict(input)
    if id is not None:
        block["id"] = id
    return block


def thinking(value: str, *, signature: str | None = None) -> Block:
    """A thinking block; the signature is made up (and verifiable by the fake) when not given."""
    block: Block = {"type": "thinking", "thinking": value}
    if signature is not None:
        block["signature"] = signature
    return block


def redacted_thinking(data: str | None = None) -> Block:
    block: Block = {"type": "redacted_thinking"}
    if data is not None:
        block["data"] = data
    return block


@dataclass
class Reply:
    """A scripted answer. Strings in ``content`` are text blocks.

    ``stop_reason`` forces one (``pause_turn``, ``refusal``...); otherwise the engine decides.
    ``usage`` overrides counted fields. ``error_after`` ends a stream with an ``error`` event of type
    ``error_type`` after that many events; ``drop_after`` cuts the connection after that many events.
    ``ttft`` / ``tokens_per_second`` set this answer's latency.
    """

    content: list[Block | str] = field(default_factory=list)
    stop_reason: str | None = None
    stop_sequence: str | None = None
    usage: Mapping[str, Any] | None = None
    error_after: int | None = None
    error_type: str = "overloaded_error"
    error_message: str = "Overloaded"
    drop_after: int | None = None
    ttft: float | None = None
    tokens_per_second: float | None = None
    stop_details: Mapping[str, Any] | None = None

    def blocks(self) -> list[Block]:
        return [text(b) if isinstance(b, str) else dict(b) for b in self.content]


#: The name scripts used for a queued error; the one error class, ``ApiError``, under its old name.
ErrorReply = ApiError


@dataclass(frozen=True)
class ParsedRequest:
    """What a handler or rule sees: the validated body and a few conveniences."""

    body: Mapping[str, Any]
    headers: Mapping[str, str]
    path: str = "/v1/messages"

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    @property
    def messages(self) -> list[Mapping[str, Any]]:
        return list(self.body.get("messages") or [])

    @property
    def tools(self) -> list[Mapping[str, Any]]:
        return list(self.body.get("tools") or [])

    @property
    def tool_names(self) -> list[str]:
        return [str(t.get("name")) for t in self.tools]

    @property
    def turn(self) -> int:
        """How many user turns the conversation has (1 for a first question)."""
        return sum(1 for m in self.messages if m.get("role") == "user")

    @property
    def last_user_text(self) -> str:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return content_text(message.get("content"))
        return ""

    @property
    def tool_results(self) -> list[Mapping[str, Any]]:
        """The tool_result blocks of the last user turn."""
        for message in reversed(self.messages):
            if message.get("role") == "user":
                content = message.get("content")
                if isinstance(content, list):
                    return [b for b in content if isinstance(b, Mapping) and b.get("type") == "tool_result"]
                return []
        return []


def content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(b.get("text", "")) for b in content if isinstance(b, Mapping) and b.get("type") == "text")
    return ""


Outcome = Reply | ApiError | str | Block | list[Any] | BaseException | None
Handler = Callable[[ParsedRequest], Outcome]


def to_reply(outcome: Outcome) -> Reply | ApiError | None:
    """Normalise what a script produced: a string or blocks become a Reply, None means "generate"."""
    if outcome is None or isinstance(outcome, Reply | ApiError):
        return outcome
    if isinstance(outcome, str):
        return Reply([outcome])
    if isinstance(outcome, dict):
        return Reply([outcome])
    if isinstance(outcome, list):
        return Reply(list(outcome))
    if isinstance(outcome, BaseException):
        raise outcome
    raise TypeError(f"a script must produce a Reply, ErrorReply, str, block or list of blocks, not {type(outcome).__name__}")


def _error(
    status: int, message: str | None = None, *, type: str | None = None, retry_after: float | None = None,
    should_retry: bool | None = None, headers: Mapping[str, str] | None = None,
) -> ApiError:
    """A queued error answer; ``None`` options take the API's defaults for ``status``."""
    return ApiError(status, message or "", type or "", dict(headers or {}), retry_after, should_retry)


def _as_outcome(content: tuple[Any, ...], kwargs: dict[str, Any]) -> Outcome:
    if len(content) == 1 and isinstance(content[0], list):  # reply([text(..), tool_use(..)]) as reply(text(..), ...)
        content = tuple(content[0])
    if len(content) == 1 and isinstance(content[0], Reply | ApiError) and not kwargs:
        return content[0]
    return Reply(list(content), **kwargs)


class Route:
    """A rule: when its predicate matches, its queued outcomes (then its side effect) answer."""

    def __init__(self, predicate: Callable[[ParsedRequest], bool]) -> None:
        self._predicate = predicate
        self._queue: deque[Outcome] = deque()
        self._repeat: Outcome | None = None
        self._repeat_set = False
        self.side_effect: Handler | Iterable[Outcome] | BaseException | None = None
        self.calls: deque[ParsedRequest] = deque(maxlen=MAX_KEPT_CALLS)
        self._call_count = 0

    @property
    def call_count(self) -> int:
        return self._call_count

    @property
    def called(self) -> bool:
        return self._call_count > 0

    def reply(self, *content: Block | str | Reply, **kwargs: Any) -> Route:
        """Answer the next matching request with this (queued; the last one keeps answering)."""
        self._queue.append(_as_outcome(content, kwargs))
        return self

    def respond(self, *content: Block | str | Reply, **kwargs: Any) -> Route:
        """Answer every matching request with this."""
        self._repeat, self._repeat_set = _as_outcome(content, kwargs), True
        return self

    def error(self, status: int, message: str | None = None, **kwargs: Any) -> Route:
        self._queue.append(_error(status, message, **kwargs))
        return self

    def matches(self, request: ParsedRequest) -> bool:
        return self._predicate(request)

    def take(self, request: ParsedRequest) -> tuple[bool, Outcome]:
        """(answered, outcome) for a matching request."""
        self.calls.append(request)
        self._call_count += 1
        if self._queue:
            outcome = self._queue.popleft()
            if not self._queue and not self._repeat_set and self.side_effect is None:
                self._repeat, self._repeat_set = outcome, True
            return True, outcome
        effect = self.side_effect
        if isinstance(effect, BaseException):
            raise effect
        if callable(effect):
            return True, effect(request)
        if effect is not None:
            iterator = iter(effect)
            self.side_effect = iterator
            try:
                return True, next(iterator)
            except StopIteration:
                self.side_effect = None
        if self._repeat_set:
            return True, self._repeat
        return False, None


def _matcher(
    model: str | None, last_user_text: str | re.Pattern[str] | None, tools_offered: str | None, turn: int | None,
    path: str | None, predicate: Callable[[ParsedRequest], bool] | None,
) -> Callable[[ParsedRequest], bool]:
    def match(request: ParsedRequest) -> bool:
        if path is not None and request.path != path:
            return False
        if model is not None and request.model != model:
            return False
        if isinstance(last_user_text, str) and last_user_text not in request.last_user_text:
            return False
        if isinstance(last_user_text, re.Pattern) and not last_user_text.search(request.last_user_text):
            return False
        if tools_offered is not None and tools_offered not in request.tool_names:
            return False
        if turn is not None and request.turn != turn:
            return False
        return predicate is None or predicate(request)

    return match


class Script:
    """The per-fake script: a queue of outcomes for any request, rules, and a hook, in that order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Outcome] = deque()
        self._routes: list[Route] = []
        self._handler: Handler | None = None

    def reply(self, *content: Block | str | Reply, **kwargs: Any) -> None:
        """Queue the next answer (text, blocks, or a Reply with options)."""
        with self._lock:
            self._queue.append(_as_outcome(content, kwargs))

    def error(
        self, status: int, message: str | None = None, *, type: str | None = None, retry_after: float | None = None,
        should_retry: bool | None = None, headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue an error answer with the API's body for ``status``."""
        with self._lock:
            self._queue.append(_error(status, message, type=type, retry_after=retry_after, should_retry=should_retry, headers=headers))

    def on(
        self, *, model: str | None = None, last_user_text: str | re.Pattern[str] | None = None,
        tools_offered: str | None = None, turn: int | None = None, path: str | None = None,
        where: Callable[[ParsedRequest], bool] | None = None,
    ) -> Route:
        """A rule matched on the request; chain ``.reply(...)``, ``.respond(...)`` or set ``side_effect``."""
        route = Route(_matcher(model, last_user_text, tools_offered, turn, path, where))
        with self._lock:
            self._routes.append(route)
        return route

    def handler(self, function: Handler | None) -> None:
        """A function that sees every request not answered by the queue or a rule (None to remove)."""
        self._handler = function

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self._routes.clear()
            self._handler = None

    @property
    def pending(self) -> int:
        return len(self._queue)

    def next_outcome(self, request: ParsedRequest) -> Reply | ApiError | None:
        """What answers ``request``: None means "generate one"."""
        with self._lock:
            if self._queue:
                return to_reply(self._queue.popleft())
            routes = list(self._routes)
        for route in routes:
            if route.matches(request):
                answered, outcome = route.take(request)
                if answered:
                    return to_reply(outcome)
        if self._handler is not None:
            return to_reply(self._handler(request))
        return None
