"""Scripting the fake per test, the way people mock: queued replies, errors, faults, rules and hooks.

    fake.reply("Paris.")                                   # next answer of POST /v1/messages
    fake.reply(tool_use("get_weather", {"city": "Paris"})) # a tool call (stop_reason tool_use)
    fake.error(529)                                        # an API error answer (overloaded_error)
    fake.on(last_user_text="weather").reply("Sunny.")      # a rule matched on the request
    fake.on(method="POST", path="/v1/messages/count_tokens").json({"input_tokens": 7})  # any endpoint
    fake.on(custom_id="req-2").error(529)                  # one request inside a batch
    fake.handler(lambda request: "computed")               # full control

Where a script applies: the plain queue (``reply`` / ``error``) answers ``POST /v1/messages`` only;
a rule answers what it matches: without a ``method`` / ``path``, the Message requests (``POST
/v1/messages`` and the requests inside a batch; ``custom_id=`` or ``in_batch=True`` for those inside
a batch only, ``in_batch=False`` for ``POST /v1/messages`` only); with them, that endpoint. The handler
sees the Message requests nothing else answered.

A ``Reply`` still goes through the engine's stop-reason and usage logic: it is cut at ``max_tokens``
and at stop sequences like a generated answer, and its usage is counted unless given.

A script tells the truth or fails: a handler that raises, a reply that breaks the API's rules for
its request (a ``tool_use`` when no tools were offered, a tool input against the tool's schema)
or an outcome that cannot answer its endpoint is a ``ScriptError``: the request gets a 400 that no
SDK retries, the original exception is kept in ``Script.failures``, and the ``fake_claude`` fixture
fails the test with it. ``Script.unused()`` lists what was scripted but never used.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from fakeclaude.server._frozen import built, parsed_on_read
from fakeclaude.server.errors import ApiError

__all__ = [
    "ErrorReply",
    "JsonReply",
    "ParsedRequest",
    "Reply",
    "Route",
    "Script",
    "ScriptError",
    "compaction",
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


def compaction(content: str | None) -> Block:
    """A compaction block for a scripted reply (it opens the answer; ``None``: a failed compaction)."""
    return {"type": "compaction", "content": content}


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
    """A redacted_thinking block; ``data`` is made up when not given."""
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
    ``ttft`` / ``tokens_per_second`` set this answer's latency (seconds before the first byte, output pace).
    ``stop_details`` is sent as the message's ``stop_details`` (for ``refusal`` answers).
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
        """The content as blocks (strings become text blocks)."""
        return [text(b) if isinstance(b, str) else dict(b) for b in self.content]


#: The name scripts used for a queued error; the one error class, ``ApiError``, under its old name.
ErrorReply = ApiError


def check_error_status(status: object) -> int:
    """``status`` if an API error can have it (400-599), else ``ValueError``."""
    if isinstance(status, bool) or not isinstance(status, int):
        raise ValueError(f"an error status must be an int, not {status!r}")
    if not 400 <= status <= 599:
        kind = "is not an error" if 100 <= status < 400 else "is not an HTTP status"
        raise ValueError(f"error({status}): {status} {kind}; the API's errors are 4xx or 5xx (e.g. 400, 429, 529)")
    return status


@dataclass
class JsonReply:
    """A whole JSON answer of ``status``: how a rule answers count_tokens, batches, models, files and others."""

    body: Any
    status: int = 200
    headers: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.status, bool) or not isinstance(self.status, int) or not 200 <= self.status <= 299:
            raise ValueError(f"json(status={self.status!r}): a JSON answer needs a 2xx status; use .error() for errors")


class ScriptError(Exception):
    """The test's script cannot answer truthfully (a failing handler, a reply that breaks the API's rules)."""


@dataclass(frozen=True)
class ParsedRequest:
    """What a handler or rule sees: the validated body and a few conveniences.

    ``custom_id`` is set for a request inside a batch (its ``path`` is then ``/v1/messages/batches``). The
    engine may hand over the body of a request it has seen before as its bytes: ``body`` parses them the
    first time it is read (each request its own copy), so a script that never reads the body costs no parse.
    """

    body: Mapping[str, Any]
    headers: Mapping[str, str]
    path: str = "/v1/messages"
    method: str = "POST"
    custom_id: str | None = None
    query: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def message(cls, body: Mapping[str, Any], headers: Mapping[str, str]) -> ParsedRequest:
        """``cls(body, headers)``: a ``POST /v1/messages`` as the engine builds it on every request."""
        return built(cls, body=body, headers=headers, path="/v1/messages", method="POST", custom_id=None, query={})

    @property
    def is_message(self) -> bool:
        """Whether it asks for a Message: ``POST /v1/messages`` or a request inside a batch."""
        return self.custom_id is not None or (self.method == "POST" and self.path == "/v1/messages")

    @property
    def model(self) -> str:
        """The body's ``model``."""
        return str(self.body.get("model", ""))

    @property
    def messages(self) -> list[Mapping[str, Any]]:
        """The body's ``messages``."""
        return list(self.body.get("messages") or [])

    @property
    def tools(self) -> list[Mapping[str, Any]]:
        """The body's ``tools``."""
        return list(self.body.get("tools") or [])

    @property
    def tool_names(self) -> list[str]:
        """The names of the offered tools."""
        return [str(t.get("name")) for t in self.tools]

    @property
    def turn(self) -> int:
        """How many user turns the conversation has (1 for a first question)."""
        return sum(1 for m in self.messages if m.get("role") == "user")

    @property
    def last_user_text(self) -> str:
        """The text of the last user turn (its text blocks joined)."""
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


parsed_on_read(ParsedRequest, "body")  # a repeated body may reach the script as its bytes, parsed when read


def content_text(content: object) -> str:
    """The text of a message's ``content`` (a string, or its text blocks joined by newlines)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(b.get("text", "")) for b in content if isinstance(b, Mapping) and b.get("type") == "text")
    return ""


Outcome = Reply | ApiError | JsonReply | str | Block | list[Any] | BaseException | None
Handler = Callable[[ParsedRequest], Outcome]
Answer = Reply | ApiError | JsonReply
_ANSWERS = (Reply, ApiError, JsonReply)  # a tuple: the union would be built again on every scripted answer
_DESCRIBE_LIMIT = 60


def to_reply(outcome: Outcome) -> Answer | None:
    """Normalise what a script produced: a string or blocks become a Reply, None means "generate".

    An ``ApiError`` is raised (it answers as that error); another exception is raised too (the
    script fails with it).
    """
    if outcome is None or isinstance(outcome, _ANSWERS):
        return outcome
    if isinstance(outcome, str):
        return Reply([outcome])
    if isinstance(outcome, dict):
        return Reply([outcome])
    if isinstance(outcome, list):
        return Reply(list(outcome))
    if isinstance(outcome, BaseException):
        raise outcome
    raise TypeError(f"a script must produce a Reply, ApiError, JsonReply, str, block or list of blocks, "
                    f"not {type(outcome).__name__}")


def _error(
    status: int, message: str | None = None, *, type: str | None = None, retry_after: float | None = None,
    should_retry: bool | None = None, headers: Mapping[str, str] | None = None, error_code: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> ApiError:
    """A queued error answer; ``None`` options take the API's defaults for ``status`` (400-599, else ``ValueError``).
    ``error_code`` (and any other ``details``) go in ``error.details``, where the SDK finds the class to raise."""
    check_error_status(status)
    if error_code is not None and not isinstance(error_code, str):
        raise TypeError(f"error_code must be a string, not {error_code!r}")
    given = None if details is None else dict(details)
    if error_code is not None:
        given = {"error_code": error_code, **(given or {})}
    return ApiError(status, message or "", type or "", dict(headers or {}), retry_after, should_retry, given)


def _as_outcome(content: tuple[Any, ...], kwargs: dict[str, Any]) -> Outcome:
    if content == (None,) and not kwargs:  # reply(None): answer as the fake would
        return None
    if len(content) == 1 and isinstance(content[0], list):  # reply([text(..), tool_use(..)]) as reply(text(..), ...)
        content = tuple(content[0])
    if len(content) == 1 and isinstance(content[0], Reply | ApiError | JsonReply) and not kwargs:
        return content[0]
    return Reply(list(content), **kwargs)


def _short(value: object) -> str:
    text_ = repr(value)
    return text_ if len(text_) <= _DESCRIBE_LIMIT else text_[: _DESCRIBE_LIMIT - 3] + "..."


def describe_call(name: str, args: Sequence[object] = (), kwargs: Mapping[str, object] | None = None) -> str:
    """``name(args, key=value)`` as the test wrote it (values shortened), for messages about a script."""
    args = list(args)
    while args and args[-1] is None:
        args.pop()
    parts = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in (kwargs or {}).items() if v is not None]
    return f"{name}({', '.join(parts)})"


@dataclass
class _Queued:
    outcome: Outcome
    description: str


PathPattern = str | re.Pattern[str]


class Route:
    """A rule: when it matches a request, its queued outcomes (then its side effect) answer it.

    Without a ``method`` / ``path`` a route answers Message requests: ``POST /v1/messages`` and the
    requests inside a batch (``in_batch`` True: only those, False: only ``POST /v1/messages``). With
    them it answers that endpoint (``path`` a string, with ``*`` wildcards, or a compiled pattern
    searched in the path). ``calls`` keeps the last matched requests, ``call_count`` counts them all.
    """

    def __init__(
        self, predicate: Callable[[ParsedRequest], bool], *, description: str = "fake.on()", method: str | None = None,
        path: PathPattern | None = None, in_batch: bool | None = None,
    ) -> None:
        self._predicate = predicate
        self.description = description
        """How the test created it (``fake.on(last_user_text='weather')``), for messages."""
        self.method = method.upper() if method else None
        self.path = path
        self.in_batch = in_batch
        self._queue: deque[_Queued] = deque()
        self._repeat: Outcome | None = None
        self._repeat_set = False
        self.side_effect: Handler | Iterable[Outcome] | BaseException | None = None
        """Answers once the queue is used up: a function of the request, an iterable of outcomes, or an exception."""
        self.calls: deque[ParsedRequest] = deque(maxlen=MAX_KEPT_CALLS)
        self._call_count = 0
        self._lock = threading.RLock()  # take() is one step for concurrent requests (a side effect may script more)

    @property
    def call_count(self) -> int:
        """How many requests this route matched."""
        return self._call_count

    @property
    def called(self) -> bool:
        """Whether it matched at least one request."""
        return self._call_count > 0

    def reply(self, *content: Block | str | Reply | None, **kwargs: Any) -> Route:
        """Answer the next matching request with this (queued; the last one keeps answering).

        ``reply(None)`` answers as the fake would (its own generated answer, or the endpoint's own).
        """
        with self._lock:
            self._queue.append(_Queued(_as_outcome(content, kwargs), describe_call(".reply", content, kwargs)))
        return self

    def respond(self, *content: Block | str | Reply | None, **kwargs: Any) -> Route:
        """Answer every matching request with this."""
        outcome = _as_outcome(content, kwargs)
        with self._lock:
            self._repeat, self._repeat_set = outcome, True
        return self

    def error(self, status: int, message: str | None = None, **kwargs: Any) -> Route:
        """Answer the next matching request with an API error of ``status`` (queued like ``reply``).

        ``message`` and ``type=`` default to the API's for the status; ``retry_after=``,
        ``should_retry=`` and ``headers=`` add headers; ``error_code=`` (and ``details=``) fill ``error.details``
        (``error_code="enforced_spend_limit_reached"``: the SDK's ``EnforcedSpendLimitReachedError``).
        A status outside 400-599 is a ``ValueError``.
        """
        error = _error(status, message, **kwargs)
        with self._lock:
            self._queue.append(_Queued(error, describe_call(".error", (status, message), kwargs)))
        return self

    def json(self, body: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Route:
        """Answer the next matching request with this JSON body (queued like ``reply``); for any endpoint."""
        with self._lock:
            self._queue.append(_Queued(JsonReply(body, status, headers), describe_call(".json", (body,))))
        return self

    def applies_to(self, request: ParsedRequest) -> bool:
        """Whether the request is of the kind this route answers (method, path, inside a batch or not)."""
        endpoint = self.method is not None or self.path is not None
        if request.custom_id is not None:  # a request inside a batch
            return not endpoint and self.in_batch is not False
        if self.in_batch:
            return False
        if not endpoint:
            return request.method == "POST" and request.path == "/v1/messages"
        if self.method is not None and request.method != self.method:
            return False
        return self.path is None or _path_matches(self.path, request.path)

    def matches(self, request: ParsedRequest) -> bool:
        """Whether this route answers ``request``: its kind (``applies_to``) and every condition it was given."""
        return self.applies_to(request) and self._predicate(request)

    def take(self, request: ParsedRequest) -> tuple[bool, Outcome]:
        """(answered, outcome) for a matching request; atomic, so concurrent requests each get their own."""
        with self._lock:
            return self._take(request)

    def _take(self, request: ParsedRequest) -> tuple[bool, Outcome]:
        self.calls.append(request)
        self._call_count += 1
        if self._queue:
            outcome = self._queue.popleft().outcome
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

    def unused(self) -> list[str]:
        """What this route was given but never used: itself when it never matched, else its unused queue."""
        if not self._call_count:
            return [f"{self.description} never matched a request"]
        return [f"{self.description}{q.description} was never used" for q in self._queue]

    def __repr__(self) -> str:
        return f"<Route {self.description} call_count={self._call_count}>"


def _path_matches(pattern: PathPattern, path: str) -> bool:
    if isinstance(pattern, re.Pattern):
        return pattern.search(path) is not None
    pattern = pattern.rstrip("/") or "/"
    return fnmatch.fnmatchcase(path, pattern) if "*" in pattern else path == pattern


def _matcher(
    model: str | None, last_user_text: str | re.Pattern[str] | None, tools_offered: str | None, turn: int | None,
    custom_id: str | None, predicate: Callable[[ParsedRequest], bool] | None,
) -> Callable[[ParsedRequest], bool]:
    def match(request: ParsedRequest) -> bool:
        if custom_id is not None and request.custom_id != custom_id:
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
    """The per-fake script: a queue of outcomes for ``POST /v1/messages``, rules, and a hook, in that order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[_Queued] = deque()
        self._routes: list[Route] = []
        self._handler: Handler | None = None
        self.failures: list[BaseException] = []
        """What went wrong in the script, oldest first: exceptions its code raised and ``ScriptError``s."""

    def reply(self, *content: Block | str | Reply, **kwargs: Any) -> None:
        """Queue the next answer of ``POST /v1/messages`` (text, blocks, or a Reply with options)."""
        outcome = _as_outcome(content, kwargs)
        with self._lock:
            self._queue.append(_Queued(outcome, describe_call("fake.reply", content, kwargs)))

    def error(
        self, status: int, message: str | None = None, *, type: str | None = None, retry_after: float | None = None,
        should_retry: bool | None = None, headers: Mapping[str, str] | None = None, error_code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue an error answer of ``POST /v1/messages`` with the API's body for ``status`` (400-599)."""
        error = _error(status, message, type=type, retry_after=retry_after, should_retry=should_retry, headers=headers,
                       error_code=error_code, details=details)
        with self._lock:
            self._queue.append(_Queued(error, describe_call("fake.error", (status, message),
                                                            {"type": type, "error_code": error_code})))

    def on(
        self, *, model: str | None = None, last_user_text: str | re.Pattern[str] | None = None,
        tools_offered: str | None = None, turn: int | None = None, method: str | None = None,
        path: PathPattern | None = None, custom_id: str | None = None, in_batch: bool | None = None,
        where: Callable[[ParsedRequest], bool] | None = None,
    ) -> Route:
        """A rule matched on the request; chain ``.reply(...)``, ``.respond(...)``, ``.error(...)``, ``.json(...)``.

        ``method`` / ``path`` choose an endpoint (default: the Message requests, ``POST /v1/messages``
        and those inside a batch); ``custom_id`` (or ``in_batch=True``) matches only requests inside a
        batch, ``in_batch=False`` only ``POST /v1/messages``.
        """
        if in_batch is False and custom_id is not None:
            raise ValueError("on(custom_id=..., in_batch=False): a custom_id only exists inside a batch")
        batch = True if custom_id is not None else in_batch
        if batch and (method is not None or path is not None):
            raise ValueError("on(): a request inside a batch has no method or path of its own; give custom_id= "
                             "or in_batch=True without method= / path=")
        description = describe_call("fake.on", (), {
            "model": model, "last_user_text": last_user_text, "tools_offered": tools_offered, "turn": turn,
            "method": method, "path": path, "custom_id": custom_id, "in_batch": in_batch,
            "where": getattr(where, "__name__", where) if where is not None else None,
        })
        route = Route(_matcher(model, last_user_text, tools_offered, turn, custom_id, where), description=description,
                      method=method, path=path, in_batch=batch)
        with self._lock:
            self._routes.append(route)
        return route

    def handler(self, function: Handler | None) -> None:
        """A function that sees every Message request not answered by the queue or a rule (None to remove)."""
        self._handler = function

    def reset(self) -> None:
        """Forget the queue, the rules, the handler and the failures."""
        with self._lock:
            self._queue.clear()
            self._routes.clear()
            self._handler = None
            self.failures.clear()

    @property
    def pending(self) -> int:
        """How many queued answers (``reply`` / ``error``) are still waiting for a request."""
        return len(self._queue)

    @property
    def has_routes(self) -> bool:
        """Whether any rule was added (the engine looks for one only then)."""
        return bool(self._routes)

    @property
    def routes(self) -> list[Route]:
        """The rules, in the order they were added."""
        return list(self._routes)

    @property
    def queued(self) -> list[str]:
        """The queued answers still waiting, described as the test wrote them."""
        return [q.description for q in self._queue]

    @property
    def idle(self) -> bool:
        """Whether nothing is scripted: no queued answer, no rule, no handler (every request answered as the
        fake would; read without the lock: a rule added meanwhile applies from the next request on)."""
        return not self._queue and not self._routes and self._handler is None

    @property
    def has_handler(self) -> bool:
        """Whether a handler is set."""
        return self._handler is not None

    def unused(self) -> list[str]:
        """What was scripted but never used: queued answers no request took, rules that never matched."""
        with self._lock:
            queued, routes = list(self._queue), list(self._routes)
        out = [f"{q.description} was never used (no POST /v1/messages took it)" for q in queued]
        for route in routes:
            out += route.unused()
        return out

    def fail(self, error: BaseException, summary: str) -> NoReturn:
        """Record ``error`` as a failure of the script and raise a ``ScriptError`` saying ``summary``."""
        self.failures.append(error)
        raise ScriptError(summary) from error

    def next_outcome(self, request: ParsedRequest) -> Answer | None:
        """What answers ``request``: None means "answer as the fake would"."""
        message = request.is_message
        with self._lock:
            queued = self._queue.popleft() if self._queue and message and request.custom_id is None else None
            routes = tuple(self._routes) if self._routes else ()
        if queued is not None:
            return self._normalised(queued.outcome, queued.description)
        for route in routes:
            try:
                if not route.matches(request):
                    continue
                answered, outcome = route.take(request)
            except ApiError:
                raise
            except Exception as exc:
                self.fail(exc, f"{route.description} raised {type(exc).__name__}: {exc}")
            if answered:
                return self._normalised(outcome, route.description)
        handler = self._handler
        if handler is not None and message:
            try:
                outcome = handler(request)
            except ApiError:
                raise
            except Exception as exc:
                name = getattr(handler, "__name__", "handler")
                self.fail(exc, f"fake.handler({name}) raised {type(exc).__name__}: {exc}")
            if type(outcome) is Reply:  # already an answer
                return outcome
            return self._normalised(outcome, "fake.handler()")
        return None

    def _normalised(self, outcome: Outcome, source: str) -> Answer | None:
        try:
            return to_reply(outcome)
        except ApiError:
            raise
        except Exception as exc:
            self.fail(exc, f"{source} produced {type(exc).__name__}: {exc}")
