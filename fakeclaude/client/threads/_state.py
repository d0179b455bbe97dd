"""A thread's local view of the conversation, and what each turn sends (no I/O; sync and async threads share it).

The history is the messages the conversation settled on (``_history``) followed by those staged for the
next turn (``_staged``). Where the next turn stands on the server is ``_position``:

- ``off``: the conversation never threads (a tool runner with ``thread=False``): full history, no ``thread``;
- ``unthreaded``: it stopped threading (``continue_unthreaded`` after ``thread_unsupported_request``);
- ``new``: the next turn is ``{"type": "create"}`` with the whole history, ``system`` and ``tools``;
- ``continue``: the server holds ``_history`` up to the reply ``previous_message_id``; the next turn sends
  only what is staged, without ``system`` / ``tools`` (a change to them is refused here, before sending).

A reply is recorded into the history; the next turn starts a new thread instead of continuing it when the
server does not keep the reply: a refusal (which is not recorded at all), a turn a fallback model wrote, a
stream that ended before ``message_stop`` (its partial reply is not kept; the turn's messages are, so the
next turn sends them again). Rejections ``thread_not_found`` / ``thread_already_continued`` /
``thread_continue_in_flight`` of a ``continue`` are recovered from by replaying the whole history under
``create`` (answered messages without their ``cache_control``); ``thread_unsupported_request`` stops
threading under ``continue_unthreaded``; anything else (``thread_fingerprint_mismatch`` included) is raised.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from ..._exceptions import AnthropicError, APIStatusError
from ...types.message import Message
from .._structured import check_output_conflict, merge_output_format
from ..resources._message_calls import HELPER_HEADER, to_tool_params
from ._wire import (
    CREATE_ONLY_FIELDS,
    REPLAY_ERROR_CODES,
    REQUEST_OPTIONS,
    THREAD_HELPER,
    THREADS_BETA,
    TURN_FIELDS,
    UNSUPPORTED_ERROR_CODE,
    UnsupportedRequestBehavior,
    as_sent,
    check_keywords,
    error_details,
    join_header_values,
    same_messages,
    without_cache_control,
)

__all__ = ["ThreadState"]

_STREAM_HEADERS = {"X-Stainless-Helper-Method": "stream", "X-Stainless-Stream-Helper": "beta.messages"}

Mode = Literal["off", "unthreaded", "new", "continue"]


@dataclasses.dataclass
class _Position:
    mode: Mode
    previous_message_id: str | None = None
    created_with: dict[str, Any] = dataclasses.field(default_factory=dict)
    """The create-only fields (as sent) of the ``create`` that started the thread being continued."""
    replaces_lost: bool = False
    """Whether this thread replaced one the server did not find (a second loss stops ``continue_unthreaded``)."""


@dataclasses.dataclass
class _Turn:
    given: list[Any]
    """The messages the call that started the turn staged (dropped again unless a reply settles them)."""
    created_with: dict[str, Any] | None = None
    """What the turn's ``create`` sent of the create-only fields (``None`` for a ``continue``)."""
    deferred: list[Any] = dataclasses.field(default_factory=list)
    """Messages appended while the turn was in flight, staged once it ends."""


class ThreadState:
    """The history, request fields, tools and output format of a thread, and the position of its next turn."""

    def __init__(
        self,
        *,
        params: Mapping[str, Any],
        options: Mapping[str, Any] | None = None,
        threading: bool,
        unsupported_request_behavior: UnsupportedRequestBehavior = "error",
    ) -> None:
        if unsupported_request_behavior not in ("error", "continue_unthreaded"):
            raise ValueError(
                "unsupported_request_behavior must be 'error' or 'continue_unthreaded', "
                f"got {unsupported_request_behavior!r}"
            )
        self.unsupported_request_behavior: UnsupportedRequestBehavior = unsupported_request_behavior
        self.options: dict[str, Any] = dict(options or {})
        self._history: list[Any] = []
        self._staged: list[Any] = []
        self._last_reply: Message | None = None
        self._position = _Position("new" if threading else "off")
        self._helpers: tuple[str, ...] = (THREAD_HELPER,) if threading else ()
        """Fixed when the thread is made: a thread that stops threading still says it is one."""
        self._turn: _Turn | None = None
        self._fields: dict[str, Any] = {}
        self._tools: list[Any] | None = None
        self.output_format: Any = None
        self.set_params(params)

    # ----- what the thread shows ----------------------------------------------------------------------
    @property
    def threading(self) -> bool:
        """Whether turns carry a ``thread`` field."""
        return self._position.mode in ("new", "continue")

    @property
    def previous_message_id(self) -> str | None:
        """The reply the next turn continues from (``None`` when it creates a thread, or does not thread)."""
        return self._position.previous_message_id if self._position.mode == "continue" else None

    @property
    def messages(self) -> tuple[Any, ...]:
        """The whole conversation: settled, staged, then appended during a turn in flight."""
        deferred = self._turn.deferred if self._turn is not None else []
        return (*self._history, *self._staged, *(_as_param(m) for m in deferred))

    @property
    def in_turn(self) -> bool:
        return self._turn is not None

    @property
    def tools(self) -> list[Any]:
        """The tools as given (``@beta_tool`` functions included)."""
        return list(self._tools or ())

    @property
    def params(self) -> dict[str, Any]:
        """The arguments of one ``thread()`` call for the whole conversation (a new dict each time)."""
        params: dict[str, Any] = {
            **self._fields,
            "messages": list(self.messages),
            "unsupported_request_behavior": self.unsupported_request_behavior,
        }
        if self._tools is not None:
            params["tools"] = list(self._tools)
        if self.output_format is not None:
            params["output_format"] = self.output_format
        return params

    # ----- what the caller changes ------------------------------------------------------------------
    def set_params(self, params: Mapping[str, Any]) -> None:
        """Replace the fields, tools, output format and history with those of ``params`` (a ``thread()`` call's)."""
        self.set_fields(params)
        self.set_messages(list(params.get("messages") or ()))

    def set_fields(self, params: Mapping[str, Any]) -> None:
        """Replace the fields, tools and output format with those of ``params`` (its ``messages`` aside): one it
        leaves out is no longer sent."""
        fields = {k: v for k, v in params.items() if k not in ("messages", "tools", "output_format", "stream")}
        fields.pop("unsupported_request_behavior", None)
        for key in REQUEST_OPTIONS:
            if key in fields:
                self.options[key] = fields.pop(key)
        if fields.get("thread") is not None:
            raise TypeError("`thread` is set by the thread itself for each turn; do not pass it")
        fields.pop("thread", None)
        output_format = params.get("output_format")
        check_output_conflict(fields.get("output_config"), output_format)
        self._fields = fields
        self._tools = list(params["tools"]) if params.get("tools") is not None else None
        self.output_format = output_format

    def update(self, fields: Mapping[str, Any]) -> None:
        """Change the fields (``tools`` included) and request options of all later turns."""
        for key, value in fields.items():
            if key not in TURN_FIELDS:
                raise TypeError(f"update() got an unexpected keyword argument {key!r}")
            if key in REQUEST_OPTIONS:
                self.options[key] = value
            elif key == "tools":
                self._tools = list(value) if value is not None else None
            else:
                self._fields[key] = value

    def append(self, messages: Iterable[Any]) -> None:
        """Stage messages for the next turn (deferred while a turn is in flight); the reply just recorded,
        given back as it came, is skipped, as it is already part of the history."""
        if self._turn is not None:
            self._turn.deferred.extend(messages)
            return
        for message in messages:
            if not self._repeats_last_reply(message):
                self._staged.append(_as_param(message))

    def set_messages(self, messages: Sequence[Any]) -> None:
        """Take ``messages`` as the whole history: what extends the settled history is staged; any other list
        replaces it and starts a new thread."""
        if self._turn is not None:
            raise AnthropicError("The history cannot be replaced while a turn is in progress on this thread")
        messages = [_as_param(m) for m in messages]
        settled = len(self._history)
        if settled and not same_messages(messages[:settled], self._history):
            self._history = []
            self._last_reply = None
            if self.threading:
                self._position = _Position("new")
            settled = 0
        self._staged = messages[settled:]

    def fork(self) -> ThreadState:
        """A copy with the same history, fields, tools and options whose first turn creates a new thread."""
        fork = copy.copy(self)
        fork.options = dict(self.options)
        fork._fields = copy.copy(self._fields)
        fork._tools = list(self._tools) if self._tools is not None else None
        fork._history = list(self._history)
        fork._staged = [*self._staged, *(_as_param(m) for m in (self._turn.deferred if self._turn else ()))]
        fork._turn = None
        fork._position = _Position("new") if self.threading else dataclasses.replace(self._position)
        return fork

    def _repeats_last_reply(self, message: Any) -> bool:
        last = self._last_reply
        if last is None:
            return False
        if isinstance(message, Message):
            return message.id == last.id
        return not self._staged and same_messages([message], [_as_param(last)])

    # ----- one turn -------------------------------------------------------------------------------
    def start_turn(self, messages: Iterable[Any]) -> None:
        """Stage ``messages`` and start the turn that sends them (it goes out even if nothing is staged)."""
        if self._turn is not None:
            raise AnthropicError("Another `send()`, `parse()` or `stream()` is already in progress on this thread")
        before = len(self._staged)
        self.append(messages)
        self._turn = _Turn(given=self._staged[before:])

    def end_turn(self) -> None:
        """Finish the turn: its messages not settled by a reply are dropped; messages appended meanwhile are staged."""
        turn, self._turn = self._turn, None
        if turn is None:
            return
        given = {id(m) for m in turn.given}
        self._staged = [m for m in self._staged if id(m) not in given]
        self.append(turn.deferred)

    def check_next_turn(self, overrides: Mapping[str, Any]) -> None:
        """Raise what the next turn would raise client-side (a changed ``system`` / ``tools`` on a continue)."""
        if self._position.mode == "continue":
            self._check_create_only(self._turn_fields(overrides))

    def turn_arguments(
        self, overrides: Mapping[str, Any], *, stream: bool, helpers: Sequence[str] = ()
    ) -> dict[str, Any]:
        """The keyword arguments of this turn's ``beta.messages.create`` call (``stream`` included)."""
        check_keywords(overrides, TURN_FIELDS)
        fields = self._turn_fields(overrides)
        arguments: dict[str, Any] = dict(fields)
        mode = self._position.mode
        if mode == "continue":
            self._check_create_only(fields)
            for name in CREATE_ONLY_FIELDS:
                arguments.pop(name, None)
            arguments["thread"] = {"type": "continue", "previous_message_id": self._position.previous_message_id}
            arguments["messages"] = list(self._staged)
        else:
            arguments["messages"] = [*self._history_to_send_again(), *self._staged]
            if mode == "new":
                arguments["thread"] = {"type": "create"}
                if self._turn is not None:
                    self._turn.created_with = {n: as_sent(fields[n]) for n in CREATE_ONLY_FIELDS if n in fields}
        if self.threading:
            betas = list(fields.get("betas") or ())
            if THREADS_BETA not in betas:
                arguments["betas"] = [*betas, THREADS_BETA]
        if stream:
            arguments["stream"] = True
        arguments.update(self._request_options(overrides, stream=stream, helpers=helpers))
        return arguments

    def recovers_from(self, error: APIStatusError) -> bool:
        """Whether the turn is sent again after ``error``, the position adjusted for it."""
        code = error_details(error.body).get("error_code")
        unthreaded_allowed = self.unsupported_request_behavior == "continue_unthreaded"
        if code in REPLAY_ERROR_CODES and self._position.mode == "continue":
            if code == "thread_not_found" and self._position.replaces_lost and unthreaded_allowed:
                self._position = _Position("unthreaded")  # lost again at once: the server cannot keep it
            else:
                self._position = _Position("new", replaces_lost=code == "thread_not_found")
            return True
        if code == UNSUPPORTED_ERROR_CODE and self.threading and unthreaded_allowed:
            self._position = _Position("unthreaded")
            return True
        return False

    def record_reply(self, message: Message) -> None:
        """Settle the turn with ``message``; the next turn continues from it, unless the server does not keep it."""
        if message.stop_reason == "refusal" and self._position.mode != "off":
            if self.threading:
                self._position = _Position("new")
            return  # the refused exchange is not part of the history
        self._settle(message)
        position = self._position
        if self.threading:
            created_with = position.created_with
            if position.mode == "new":
                created_with = self._turn.created_with or {} if self._turn is not None else {}
            self._position = _Position(
                "continue", message.id, created_with, replaces_lost=position.mode == "new" and position.replaces_lost
            )
            if _from_fallback_model(message):
                self._position = _Position("new")
        self._adopt_container(message)

    def record_unfinished_stream(self, snapshot: Message | None) -> None:
        """Settle a turn whose stream ended before ``message_stop``: its messages are kept, the partial reply is
        not, and the next turn creates a new thread (the server keeps all of a reply or none of it)."""
        if snapshot is not None and snapshot.stop_reason == "refusal":
            self.record_reply(snapshot)
            return
        if snapshot is None:
            return  # nothing was answered: the turn's messages are dropped, the position stays
        self._history.extend(self._staged)
        self._staged = []
        if self.threading:
            self._position = _Position("new")

    # ----- helpers ------------------------------------------------------------------------------
    def _settle(self, message: Message) -> None:
        self._history.extend(self._staged)
        self._staged = []
        self._history.append(_as_param(message))
        self._last_reply = message

    def _turn_fields(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        fields = {**self._fields, **{k: v for k, v in overrides.items() if k not in REQUEST_OPTIONS}}
        tools = overrides.get("tools", self._tools)
        if tools is not None:
            fields["tools"] = to_tool_params(list(tools))
        merge_output_format(fields, self.output_format)
        return fields

    def _check_create_only(self, fields: Mapping[str, Any]) -> None:
        created_with = self._position.created_with
        changed = [f"`{n}`" for n in CREATE_ONLY_FIELDS if (as_sent(fields[n]) if n in fields else None)
                   != created_with.get(n)]
        if changed:
            message = (
                f"Cannot change {' and '.join(changed)} on a thread: the server keeps the ones the thread was "
                "created with. To change them, start a new thread from `thread.params`."
            )
            if "`tools`" in changed:
                message += (
                    " To add or remove tools on this thread, send `tool_addition` or `tool_removal` blocks in a "
                    "`system` message."
                )
            raise AnthropicError(message)

    def _history_to_send_again(self) -> list[Any]:
        """The settled history as a ``create`` sends it: answered messages without ``cache_control`` (each was set
        for the turn that first sent it) once the conversation has threaded; as given otherwise."""
        if self._position.mode == "off" or self._last_reply is None:
            return list(self._history)
        answered = max((i + 1 for i, m in enumerate(self._history) if _role(m) == "assistant"), default=0)
        return [*without_cache_control(as_sent(self._history[:answered])), *self._history[answered:]]

    def _request_options(self, overrides: Mapping[str, Any], *, stream: bool, helpers: Sequence[str]) -> dict[str, Any]:
        options = {**self.options, **{k: v for k, v in overrides.items() if k in REQUEST_OPTIONS}}
        headers: dict[str, Any] = dict(_STREAM_HEADERS) if stream else {}
        headers.update(options.get("extra_headers") or {})
        if self.threading:
            beta_key = next((k for k in headers if k.lower() == "anthropic-beta"), None)
            if beta_key is not None and isinstance(headers[beta_key], str):
                headers[beta_key] = join_header_values(headers[beta_key], THREADS_BETA)
        helpers = (*helpers, *self._helpers)
        helper_key = next((k for k in headers if k.lower() == HELPER_HEADER), HELPER_HEADER)
        joined = join_header_values(*helpers, headers.get(helper_key) if isinstance(headers.get(helper_key), str) else None)
        if joined:
            headers[helper_key] = joined
        options["extra_headers"] = headers
        return options

    def _adopt_container(self, reply: Message) -> None:
        """Later turns run in the reply's container (container-bound tools refuse a follow-up without it)."""
        if reply.container is None:
            return
        container = self._fields.get("container")
        if container is None:
            self._fields["container"] = reply.container.id
        elif isinstance(container, Mapping) and not container.get("id"):
            self._fields["container"] = {**container, "id": reply.container.id}


def _as_param(message: Any) -> Any:
    """A reply as the assistant message sent back; anything else as given."""
    if isinstance(message, Message):
        return {"role": message.role, "content": message.content}
    return message


def _role(message: Any) -> Any:
    return message.get("role") if isinstance(message, Mapping) else None


def _from_fallback_model(message: Message) -> bool:
    iterations = (message.usage.model_extra or {}).get("iterations") or ()
    return any(isinstance(i, Mapping) and i.get("type") == "fallback_message" for i in iterations)
