"""The pure part of answering ``POST /v1/messages``, kept per request body for the bodies seen last.

What a body *is* does not change between two sends of the same bytes: its validation verdict, its model,
its prompt count, the context edits it asks for, the seed its generated answer grows from and, with
no server tool offered, the plan of that answer. Test suites
send the same body again and again (a parametrised test, a retried call, the same fixture conversation
in many tests), so the engine keeps that analysis for the last :data:`ENTRIES` distinct bodies and
skips it on a repeat. Everything stateful still runs on every request: the script, the rate limiter,
the prompt cache, ids, threads and the request log.

When nothing is scripted, an answer made of the body alone (a kept plan, no prompt-cache breakpoint, no
thread, no id drawn but the message's own) is kept too, as its JSON bytes cut around the message id
(:class:`KeptAnswer`), and for a streamed body its chunks, cut the same way in ``message_start``: a
repeat answers those bytes with the next message id, the rate limiter's headers and the same delays,
byte for byte what composing it again would give. So is the answer
composed from a scripted reply, for the last :data:`SCRIPTED_ENTRIES` distinct replies to the body: a
handler or rule that answers the same reply to the same body (compared in full, as JSON: a handler may
change either, and ``==`` would take ``1`` for ``True`` or ignore the order of keys) gets the kept bytes;
the handler or rule still runs every time.

A body is kept only when nothing outside it can change its analysis: at most :data:`MAX_BODY_BYTES`
bytes and naming no stored file (one may be deleted or expire between two sends: the engine keeps only
an analysis that found no file reference). Errors are not
kept (a refused body pays full price; it is rare and small). The key is the raw bytes with the API
version and the beta names, the two headers validation reads; the options are the engine's own.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import orjson

from fakeclaude._json import dumps
from fakeclaude.server._frozen import BytesOnRead, JsonBytes
from fakeclaude.server.http import StreamChunk
from fakeclaude.server.script import Reply

if TYPE_CHECKING:
    from fakeclaude.server.catalog import ModelSpec
    from fakeclaude.server.context_management import ContextPlan
    from fakeclaude.server.tokens import PromptTokens

__all__ = ["ENTRIES", "MAX_BODY_BYTES", "SCRIPTED_ENTRIES", "Analysis", "AnalysisMemo", "KeptAnswer", "KeptStream"]

ENTRIES = 256
#: How many distinct scripted replies to one body keep their composed answer.
SCRIPTED_ENTRIES = 4
MAX_BODY_BYTES = 64 * 1024

_Key = tuple[bytes, str, frozenset[str]]
_reply_fields = attrgetter(*(f.name for f in dataclasses.fields(Reply)))


def same_json(value: Any, other: Any) -> bool:
    """Whether two JSON values are written the same (``==`` also holds ``True == 1 == 1.0`` and ignores key order)."""
    if value is other:
        return True
    if value != other:
        return False
    try:
        return dumps(value) == dumps(other)
    except (TypeError, ValueError):  # not JSON: never the same
        return False


def reply_signature(reply: Reply) -> bytes | None:
    """``reply``'s fields as JSON: equal for replies composed into the same answer; None when orjson cannot write
    them (such a reply is composed every time)."""
    try:
        return orjson.dumps(_reply_fields(reply))
    except TypeError:  # orjson.JSONEncodeError
        return None


class KeptStream:
    """A streamed answer's chunks, the one that holds the message id (``message_start``) cut around it."""

    __slots__ = ("after", "before", "delay", "head", "tail")

    def __init__(self, before: tuple[StreamChunk, ...], head: bytes, tail: bytes, delay: float,
                 after: tuple[StreamChunk, ...]) -> None:
        self.before, self.head, self.tail, self.delay, self.after = before, head, tail, delay, after

    @classmethod
    def cut(cls, chunks: list[StreamChunk], mark: bytes) -> KeptStream | None:
        """``chunks`` cut around ``mark``, or None when it is not in exactly one chunk once, or a chunk cuts."""
        holding = [index for index, chunk in enumerate(chunks) if mark in chunk.data]
        if len(holding) != 1 or chunks[holding[0]].data.count(mark) != 1 or any(c.drop for c in chunks):
            return None
        index = holding[0]
        head, _, tail = chunks[index].data.partition(mark)
        return cls(tuple(chunks[:index]), head, tail, chunks[index].delay, tuple(chunks[index + 1:]))

    def chunks(self, mark: bytes) -> list[StreamChunk]:
        return [*self.before, StreamChunk(self.head + mark + self.tail, self.delay), *self.after]


class KeptAnswer:
    """An answer's JSON bytes around its message id (``head + id + tail``), its output tokens and, for a
    streamed body, its chunks (:class:`KeptStream`): what every repeat of the body answers, with a new id,
    when nothing else goes into it."""

    __slots__ = ("head", "output_tokens", "stream", "tail")

    def __init__(self, head: bytes, tail: bytes, output_tokens: int, stream: KeptStream | None = None) -> None:
        self.head, self.tail, self.output_tokens, self.stream = head, tail, output_tokens, stream

    @classmethod
    def cut(cls, body: bytes, message_id: str, output_tokens: int,
            chunks: list[StreamChunk] | None = None) -> KeptAnswer | None:
        """``body`` (and the ``chunks`` it was streamed as) cut around ``message_id``, or None when the id is
        not in it exactly once."""
        mark = message_id.encode()
        if body.count(mark) != 1:
            return None
        stream = None if chunks is None else KeptStream.cut(chunks, mark)
        if chunks is not None and stream is None:
            return None
        head, _, tail = body.partition(mark)
        return cls(head, tail, output_tokens, stream)

    def body(self, message_id: str) -> bytes:
        return self.head + message_id.encode() + self.tail


class KeptBody(BytesOnRead):
    """``kept.body(message_id)``, ``size`` bytes, made when read: what the request log keeps of a repeat's answer
    (two references and the id, where the answer's bytes would hold a few hundred bytes per entry)."""

    __slots__ = ("kept", "message_id")

    def __init__(self, kept: KeptAnswer, message_id: str, size: int) -> None:
        self.size, self.kept, self.message_id = size, kept, message_id

    def __bytes__(self) -> bytes:
        return self.kept.body(self.message_id)


class Analysis:
    """A valid body (as analysed: a kept one is a parse of its own, never the one scripts see), its model,
    prompt count, context plan and request seed (see ``request_seed``); ``plan``:
    the blocks its unscripted answer is planned as, once known, when that plan depends on the body alone
    (no server tool offered: nothing the test scripts for server tools, and no clock, goes into it);
    ``answer``: that answer whole (:class:`KeptAnswer`), when nothing but the body went into it either;
    the answers of the scripted replies seen last, the same way."""

    __slots__ = ("_scripted", "answer", "body", "context", "plan", "prompt", "raw", "seed", "spec")

    def __init__(self, body: dict[str, Any], spec: ModelSpec, prompt: PromptTokens, context: ContextPlan,
                 seed: int) -> None:
        self.body, self.spec, self.prompt, self.context, self.seed = body, spec, prompt, context, seed
        self.plan: list[dict[str, Any]] | None = None
        self.answer: KeptAnswer | None = None
        self.raw: JsonBytes | None = None  # the body's bytes, once memoised: what every repeat logs (one copy)
        self._scripted: list[tuple[bytes, KeptAnswer]] = []  # (a reply's signature, its answer)

    @property
    def counted_prompt(self) -> PromptTokens:
        """The prompt as counted: after the context edits, when they changed the body."""
        return self.context.prompt if self.context.changed else self.prompt

    def unchanged(self, body: Any) -> bool:
        """Whether ``body``, what a script left of the request, is still the analysed one (itself, or the same JSON)."""
        return body is self.body or same_json(body, self.body)

    @property
    def keeps_scripted(self) -> bool:
        """Whether the answer of some scripted reply to this body is kept."""
        return bool(self._scripted)

    def scripted_answer(self, reply: Reply, body: Any) -> KeptAnswer | None:
        """The kept answer composed from a scripted reply the same as ``reply``, if any and if ``body`` (what the
        script left: a handler may change it) is still the analysed one."""
        if not self._scripted:
            return None
        signature = reply_signature(reply)
        for known, kept in self._scripted:
            if known == signature:
                return kept if self.unchanged(body) else None
        return None

    def keep_scripted(self, reply: Reply, kept: KeptAnswer) -> None:
        """Keep ``kept`` for replies the same as ``reply`` (by signature: the test may change its own afterwards);
        a reply that is not JSON is not kept."""
        signature = reply_signature(reply)
        if signature is not None:
            self._scripted = [*self._scripted[-(SCRIPTED_ENTRIES - 1):], (signature, kept)]


class AnalysisMemo:
    """The last :data:`ENTRIES` analyses by (body bytes, API version, betas); thread-safe."""

    __slots__ = ("_entries", "_lock", "_size", "hits", "misses")

    def __init__(self, size: int = ENTRIES) -> None:
        self._entries: OrderedDict[_Key, Analysis] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(body: bytes, version: str, betas: frozenset[str]) -> _Key | None:
        """The memo key of a request, or ``None`` when its analysis may not be kept."""
        if len(body) > MAX_BODY_BYTES or body.find(b'"file_id"') != -1:  # not ``in``: it tries the bytes as an int first (a TypeError)
            return None
        return body, version, betas

    def get(self, key: _Key) -> Analysis | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: _Key, analysis: Analysis) -> None:
        """Keep ``analysis`` for ``key``, with the body's bytes (``raw``) that the log of each repeat shares."""
        analysis.raw = JsonBytes(key[0])
        with self._lock:
            self._entries[key] = analysis
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
