"""The fake Messages API as a pure function of requests: routes, auth, validation, answers, state.

It imports neither aiohttp nor httpx: adapters hand it ``HttpRequest`` and write its ``HttpReply``.
Time comes from the injected clock and randomness from the seed, so a run replays exactly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from .._json import dumps, loads
from ._frozen import JsonBytes, ParsedOnRead, unread
from .analysis_memo import Analysis, AnalysisMemo, KeptAnswer, KeptBody
from .answer import MODEL_BLOCKS, compose_message, plan_content
from .batches import RETRY_AFTER_SECONDS, BatchStore, InvalidBatchRequest
from .caching import PromptCache, breakpoints, lookback_points
from .caching_shared import SharedPromptCache
from .catalog import ModelSpec
from .clock import Clock, SystemClock
from .context_management import finish_context, plan_context
from .errors import ApiError
from .file_refs import check_file_references, file_bytes, file_references
from .files import FileLimits, FileStore
from .files_api import answer_files, is_files_path
from .generation import IdFactory, request_seed
from .header_view import HeaderView
from .http import HttpReply, HttpRequest, StreamChunk
from .models_api import list_models_page, retrieve_model
from .ratelimit import RateLimiter, RateLimits
from .ratelimit_shared import SharedRateLimiter
from .request_log import DEFAULT_MAX_RECORDED_BYTES, RequestLog
from .script import Answer, JsonReply, ParsedRequest, Script, ScriptError
from .script import Reply as ScriptedReply
from .script_checks import reply_violations
from .server_tools import ServerToolScript, offers_server_side
from .statestore import StateStore
from .stream_grammar import message_events, stream_chunks
from .threads import ThreadStore, ThreadTurn, wants_thread
from .threads_shared import SharedThreadStore
from .tokens import PromptTokens
from .tool_policy import ToolPolicy
from .validation import (
    ValidationOptions,
    authenticate,
    check_version,
    parse_betas,
    validate_batch_create,
    validate_batch_request,
    validate_count_tokens,
    validate_create,
)
from .wire import API_VERSION_2023, BODY_TOO_DEEP

__all__ = ["EngineConfig", "MessagesEngine", "RecordedRequest"]

log = logging.getLogger("fakeclaude.server")
script_log = logging.getLogger("fakeclaude.script")
"""One WARNING per failed script (``fakeclaude serve`` prints them: there is no test to fail there)."""

_JSON = {"content-type": "application/json"}
_SSE = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}
_BATCH = re.compile(r"^/v1/messages/batches/([^/]+)(/cancel|/results)?$")
_MODEL = re.compile(r"^/v1/models/([^/]+)$")
_Checked = TypeVar("_Checked")
_TOO_DEEP = BODY_TOO_DEEP


@dataclass
class EngineConfig:
    seed: int = 0
    validation: Literal["strict", "lenient"] = "strict"
    accept_retired_models: bool = True
    api_keys: Collection[str] | None = None  # None: any non-empty key is accepted
    rate_limits: RateLimits | None = None
    ttft: float = 0.0  # seconds before the first byte
    tokens_per_second: float | None = None  # output pace; None = instant
    pad_events: bool = False  # pad stream JSON with spaces as the real API does
    batch_processing_seconds: float = 0.0
    max_recorded_requests: int = 1000
    max_recorded_bytes: int = DEFAULT_MAX_RECORDED_BYTES  # bodies kept in the request log (oldest dropped first)
    organization_id: str = ""
    tool_policy: ToolPolicy = "relevant"  # unscripted tool calls: see tool_policy.py
    image_sizes: Mapping[str, tuple[int, int]] | None = None  # URL / file id -> (width, height), for tokens
    file_limits: FileLimits | None = None  # Files API bounds (see files.py); None: the defaults
    state: StateStore | None = None  # batches, caches, threads shared (serve's workers); None: this process only
    worker: str = ""  # a pool worker's name: its ids come from a sequence of their own (never another's)


#: Statuses with which the API refuses a request the app built wrongly (not auth, limits or outages).
REFUSED_STATUSES = frozenset({400, 404, 405, 413, 422})


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, for assertions in tests, and what it answered.

    ``error`` is the answer's ``{"type", "message"}`` when it was an error; ``scripted`` says the
    answer came from the test's script; ``script_failed`` that the script failed on this request.
    ``body_size`` is the raw body's size in bytes; ``body_dropped`` says the log let go of ``body`` and
    the answer to stay within its byte budget (``max_recorded_bytes``). ``headers`` is a plain dict, names
    in lower case (repeated names joined with ``", "``).
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: Any = ParsedOnRead()  # noqa: RUF009 (a descriptor-typed field) parsed JSON or None; a repeat parsed on read
    request_id: str = ""
    status: int = 0
    error: Mapping[str, str] | None = None
    scripted: bool = False
    script_failed: bool = False
    reply_body: Any = None  # the answer: a dict (a Message, also when streamed) or the raw bytes sent
    body_size: int = 0
    body_dropped: bool = False

    @property
    def json(self) -> Any:
        """The parsed JSON body (the same as ``body``)."""
        return self.body

    @property
    def answer(self) -> Any:
        """What the fake answered: its JSON (a streamed answer as its Message), or its text."""
        raw = self.reply_body
        if not isinstance(raw, bytes | bytearray):
            return raw
        try:
            return loads(raw)
        except ValueError:
            return bytes(raw).decode("utf-8", "replace")

    @property
    def refused(self) -> bool:
        """Whether the fake refused the request as the real API would (a 400-class answer not scripted)."""
        return self.status in REFUSED_STATUSES and not self.scripted

    @property
    def verdict(self) -> str:
        """One word for what happened: ``ok``, ``scripted``, ``refused``, ``scripted-error``, ``script-failed``, ``error``."""
        if self.script_failed:
            return "script-failed"
        if self.status < 400:
            return "scripted" if self.scripted else "ok"
        if self.scripted:
            return "scripted-error"
        return "refused" if self.refused else "error"


def _model_blocks_only(message: Mapping[str, Any]) -> bool:
    """Whether an answer holds only what the model writes (no server tool's block, no container)."""
    return "container" not in message and all(b.get("type") in MODEL_BLOCKS for b in message["content"])


def _json_reply(status: int, payload: Any, headers: Mapping[str, str]) -> HttpReply:
    return HttpReply(status, {**_JSON, **headers}, dumps(payload))


@dataclass(slots=True)
class _Call:
    request: HttpRequest
    request_id: str
    key: str = ""
    version: str = API_VERSION_2023
    betas: frozenset[str] = frozenset()
    body: Any = None
    scripted: bool = False
    answer: Any = None  # the Message of a /v1/messages answer (a kept answer's JSON bytes)


class MessagesEngine:
    """Answers the Messages API's endpoints; one instance holds the state of one fake."""

    def __init__(self, config: EngineConfig, *, clock: Clock | None = None, script: Script | None = None,
                 base_url: Callable[[], str | None] | None = None) -> None:
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.script = script or Script()
        self._ids = IdFactory(config.seed if not config.worker else request_seed(config.seed, {"worker": config.worker}))
        self.options = ValidationOptions(mode=config.validation, accept_retired_models=config.accept_retired_models,
                                         image_sizes=tuple((config.image_sizes or {}).items()))
        self._image_sizes = dict(config.image_sizes) if config.image_sizes else None
        self.cache = PromptCache(self.clock) if config.state is None else SharedPromptCache(self.clock, config.state)
        self.batches = BatchStore(self.clock, self._ids, self._answer_batch_request,
                                  processing_seconds=config.batch_processing_seconds, state=config.state)
        self.threads = ThreadStore(self.clock) if config.state is None else SharedThreadStore(self.clock, config.state)
        self.files = FileStore(self.clock, self._ids, config.file_limits, state=config.state)
        self._file_bytes = file_bytes(self.files)
        self.server_tools = ServerToolScript()
        """What the server tools (web search, fetch, code execution, MCP, advisor) return, as the test scripted it."""
        self.requests = RequestLog(config.max_recorded_requests, config.max_recorded_bytes)
        self._memo = AnalysisMemo()
        high, low = request_seed(config.seed, {"org": 1}), request_seed(config.seed, {"org": 2})
        self.organization_id = config.organization_id or str(uuid.UUID(int=(high << 64) | low, version=4))
        self.limiter = (RateLimiter(self.clock, config.rate_limits or RateLimits(), organization_id=self.organization_id)
                        if config.state is None else  # windows shared by every worker on the store
                        SharedRateLimiter(self.clock, config.state, config.rate_limits, organization_id=self.organization_id))
        keys = None if config.api_keys is None else frozenset(config.api_keys)
        self._valid_key: Callable[[str], bool] | None = None if keys is None else keys.__contains__
        self._signed_in: tuple[HeaderView, bool, str, str, frozenset[str]] | None = None
        """The last headers' view that authenticated, ``?beta=true`` or not, and its key, version and betas."""

    # ----- entry point ----------------------------------------------------------------------------
    def handle(self, request: HttpRequest) -> HttpReply:
        request_id = self._ids.new("req")  # IdFactory is thread-safe
        call = _Call(request, request_id)
        error: ApiError | None = None
        failed = False
        try:
            reply = self._route(call)
        except ApiError as exc:
            error = exc
        except ScriptError as exc:  # the test's script failed: an answer no SDK retries; the test fails with it
            script_log.warning("the script failed on %s %s (%s): %s", request.method, request.path, request_id, exc)
            error, failed = _script_failed(exc), True
        except Exception:  # a bug in the fake must still answer in the API's shape
            log.exception("fakeclaude engine failed on %s %s", request.method, request.path)
            error = ApiError(500, "Internal server error")
        if error is not None:
            reply = self._error_reply(error, request_id)
        reply.headers.setdefault("request-id", request_id)
        reply.headers.setdefault("anthropic-organization-id", self.organization_id)
        self.requests.add(
            request.method, request.path, dict(request.query),  # its own: a test may copy, pickle or dump it
            # the headers as the log keeps them: a read-only view as it is, any other mapping copied
            request.headers if type(request.headers) is HeaderView else dict(request.headers), call.body, request_id,
            reply.status, None if error is None else {"type": error.type, "message": error.message},
            call.scripted or failed, failed, call.answer if call.answer is not None else reply.body,
            len(request.body),
        )
        return reply

    def _error_reply(self, error: ApiError, request_id: str) -> HttpReply:
        return _json_reply(error.status, error.body(request_id), error.reply_headers())

    def _route(self, call: _Call) -> HttpReply:
        method, path = call.request.method, call.request.path.rstrip("/") or "/"
        if path == "/v1/messages":
            if method != "POST":  # ``_only`` called only to refuse: this path answers most requests
                self._only(method, "POST")
            return self._messages(call)
        if path == "/v1/messages/count_tokens":
            return self._only(method, "POST") or self._count_tokens(call)
        if path == "/v1/messages/batches":
            if method == "POST":
                return self._batch_create(call)
            return self._only(method, "GET") or self._batch_list(call)
        match = _BATCH.match(path)
        if match:
            return self._batch_item(call, match.group(1), match.group(2) or "", method)
        if is_files_path(path):
            return self._files(call)
        if path == "/v1/models":
            return self._only(method, "GET") or self._models(call)
        match = _MODEL.match(path)
        if match:
            self._authenticate(call)
            return self._only(method, "GET") or self._scripted(call) or _json_reply(200, retrieve_model(match.group(1)), {})
        if self.script.has_routes:  # files and other endpoints the fake does not serve: only a rule answers them
            with contextlib.suppress(ValueError, UnicodeDecodeError, RecursionError):
                call.body = loads(call.request.body) if call.request.body.strip() else None
            scripted = self._scripted(call)
            if scripted is not None:
                return scripted
        raise ApiError(404, "Not Found", "not_found_error")

    def _scripted(self, call: _Call) -> HttpReply | None:
        """A rule's answer for an endpoint other than ``POST /v1/messages``, if one matches."""
        if not self.script.has_routes:
            return None
        request = call.request
        body = call.body if isinstance(call.body, Mapping) else {}
        parsed = ParsedRequest(body, request.headers, request.path.rstrip("/") or "/", request.method, None,
                               request.query)
        outcome = self.script.next_outcome(parsed)
        if outcome is None:
            return None
        call.scripted = True
        if isinstance(outcome, ApiError):
            raise dataclasses.replace(outcome)  # a fresh exception each time a queued error answers
        if isinstance(outcome, JsonReply):
            return _json_reply(outcome.status, outcome.body, dict(outcome.headers or {}))
        self.script.fail(ScriptError("a message reply"), f"a message reply cannot answer {request.method} "
                         f"{parsed.path}; answer it with .json(...) or .error(...)")

    @staticmethod
    def _only(method: str, allowed: str) -> HttpReply | None:
        if method != allowed:
            raise ApiError(405, "Method Not Allowed", "invalid_request_error")
        return None

    # ----- request preamble -----------------------------------------------------------------------
    def _authenticate(self, call: _Call) -> None:
        headers = call.request.headers
        surface = call.request.query.get("beta") == "true"
        known = self._signed_in
        if known is not None and known[0] is headers and known[1] == surface:  # the same headers' view again
            _, _, call.key, call.version, call.betas = known
            return
        call.key = authenticate(headers, self._valid_key)
        call.version = check_version(headers)
        call.betas = parse_betas(headers, beta_surface=surface)
        if type(headers) is HeaderView:  # read-only: what it says holds for every request it stands for
            self._signed_in = (headers, surface, call.key, call.version, call.betas)

    def _json_body(self, call: _Call) -> Any:
        raw = call.request.body
        if not raw.strip():
            raise ApiError(400, "There was an error parsing the body of your request: the body is empty")
        try:
            call.body = loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"There was an error parsing the body of your request as JSON: {exc}") from None
        except RecursionError:  # nested deeper than the parser's stack allows
            raise ApiError(400, _TOO_DEEP) from None
        return call.body

    def _validated(self, call: _Call, validate: Callable[..., _Checked], body: Any = None, *,
                   files: bool = False) -> _Checked:
        """The JSON body (or ``body``, a thread's expanded one) as ``validate`` accepts it; a body nested too
        deep for Python's stack to walk gets the 400 (the parser allows 1024 levels; counting and checking
        recurse once per level). ``files``: the body may name stored files (counted from their bytes, then
        checked: unknown, expired, of the wrong type for their block)."""
        if body is None:
            self._authenticate(call)
            body = self._json_body(call)
        extra = {"files": self._file_bytes} if files else {}
        try:
            validated = validate(body, version=call.version, options=self.options, betas=call.betas, **extra)
        except RecursionError:
            raise ApiError(400, _TOO_DEEP) from None
        if files:
            check_file_references(body, self.files)
        return validated

    # ----- /v1/messages -----------------------------------------------------------------------------
    def _messages(self, call: _Call) -> HttpReply:
        self._authenticate(call)
        key = self._memo.key(call.request.body, call.version, call.betas)
        known = None if key is None else self._memo.get(key)  # a body once analysed: valid, and not a thread's
        if known is not None:  # its bytes stand for it: the log and the script parse them if they read them
            call.body = known.raw or JsonBytes(call.request.body)  # the memo's copy: one for every repeat
            if self.script.idle:  # no handler or rule sees the body
                if known.answer is not None:
                    return self._repeated(call, known, known.answer)
            elif known.keeps_scripted:
                return self._scripted_repeat(call, known)
            return self._answer(call, call.body, known, None)
        raw = self._json_body(call)
        if not wants_thread(raw, call.betas):
            # analysed on a parse of its own: the kept plan shares nothing a script may change
            known = self._analyse(call, raw if key is None else loads(call.request.body))
            if key is not None and next(file_references(known.body), None) is None:  # a file is checked every time
                self._memo.put(key, known)
            return self._answer(call, raw, known, None)
        turn = self.threads.begin(raw)
        try:
            return self._answer(call, turn.body, self._analyse(call, turn.body), turn)
        except BaseException:
            self.threads.release(turn)
            raise

    def _analyse(self, call: _Call, body: Any) -> Analysis:
        body, spec, prompt = self._validated(call, validate_create, body, files=True)
        context = plan_context(body, spec, prompt, call.betas,  # the edits run before the prompt is counted
                               image_sizes=self._image_sizes)
        return Analysis(body, spec, prompt, context, request_seed(self.config.seed, body))

    def _scripted_repeat(self, call: _Call, analysis: Analysis) -> HttpReply:
        """A repeat of a body some scripted reply's answer was kept for: the script is asked first (as for any
        request, after the rate limiter's check), and a reply the same as a kept one is answered from it, admitted
        and spent in one step; any other outcome is answered as usual, from what the script said."""
        spec, total = analysis.spec, analysis.counted_prompt.total
        self.limiter.check(call.key, total, model=spec.id)
        raw = call.body  # the repeat's bytes: what ``_answer`` counts from, whatever the script did with them
        consulted = self._consulted(call, raw, analysis, False)
        body, _, outcome = consulted
        if isinstance(outcome, ScriptedReply):
            kept = analysis.scripted_answer(outcome, body)
            if kept is not None:
                call.scripted = True
                headers = self.limiter.admit_and_finish(call.key, total, kept.output_tokens, model=spec.id)
                return self._kept_answer(call, kept, outcome, headers)
        return self._answer(call, raw, analysis, None, consulted)

    def _answer(self, call: _Call, body: Any, analysis: Analysis, turn: ThreadTurn | None,
                consulted: tuple[Any, ParsedRequest | None, Answer | None] | None = None) -> HttpReply:
        """The answer to a valid body: parsed, or a repeat's bytes (``JsonBytes``) that ``analysis`` stands for;
        ``consulted``: what the script said already (``_consulted``), when it was asked."""
        spec, prompt, context = analysis.spec, analysis.counted_prompt, analysis.context
        counted = context.body if context.changed else analysis.body if type(body) is JsonBytes else body
        input_tokens = prompt.total
        self.limiter.admit(call.key, input_tokens, model=spec.id)  # checked and spent at once (concurrent requests)
        settled = False
        try:
            reply = self._admitted(call, body, spec, prompt, turn, counted, analysis, consulted)
            settled = call.answer is not None
            return reply
        finally:
            if not settled:  # an error or a scripted JSON answer spends no request, as before
                self.limiter.refund(call.key, input_tokens)

    def _admitted(self, call: _Call, body: Any, spec: ModelSpec, prompt: PromptTokens, turn: ThreadTurn | None,
                  counted: Any, analysis: Analysis,
                  consulted: tuple[Any, ParsedRequest | None, Answer | None] | None = None) -> HttpReply:
        """The answer once the rate limiter admitted the request; ``counted`` is the body as the context
        edits left it (what the prompt was counted on), ``analysis`` the body's (with the edits to report)."""
        idle = self.script.idle  # no handler or rule will see (and may change) the body
        body, parsed, outcome = consulted or self._consulted(call, body, analysis, idle)
        call.scripted = outcome is not None
        if isinstance(outcome, ApiError):
            raise dataclasses.replace(outcome)  # a fresh exception each time a queued error answers
        if isinstance(outcome, JsonReply):
            if body.get("stream"):
                self.script.fail(ScriptError("json"), ".json(...) cannot answer a streamed request; use .reply(...)")
            return _json_reply(outcome.status, outcome.body, dict(outcome.headers or {}))
        if outcome is not None:
            kept = analysis.scripted_answer(outcome, body) if turn is None else None
            if kept is not None:  # the same reply to the same body
                return self._kept_answer(call, kept, outcome, self.limiter.finish(call.key, kept.output_tokens, prompt.total))
        if parsed is None:
            parsed = ParsedRequest.message(body, call.request.headers)
        if outcome is not None:
            self._check_reply(parsed, outcome)
        issued = self._ids.issued()
        composed = compose_message(
            request=parsed, spec=spec, reply=outcome, ids=self._ids, seed=self.config.seed,
            usage_in=self._input_usage(counted, spec, prompt, call.key), tool_policy=self.config.tool_policy,
            server_script=self.server_tools, now=self.clock.now(), body_seed=analysis.seed,
            planned=None if outcome is not None else self._plan(parsed, spec, analysis),
        )
        finish_context(composed.message, analysis.context, spec)
        message = call.answer = composed.message
        headers = self.limiter.finish(call.key, int(message["usage"]["output_tokens"]), prompt.total)
        reply = composed.reply
        # made of the body (and the scripted reply) alone: kept for a repeat
        of_body = (idle and analysis.plan is not None) if outcome is None else analysis.unchanged(body)
        keep = (of_body and turn is None and self._ids.issued() == issued + 1
                and not breakpoints(counted, spec, prompt.marks) and _model_blocks_only(message))
        output_tokens = int(message["usage"]["output_tokens"])
        if body.get("stream"):
            ttft, tps = self._pace(reply)
            error = {"type": reply.error_type, "message": reply.error_message} if reply is not None else None
            chunks: Iterable[StreamChunk] = stream_chunks(
                message_events(message, spec), ttft=ttft, seconds_per_token=1 / tps if tps else 0.0,
                error_after=reply.error_after if reply is not None else None, error=error,
                drop_after=reply.drop_after if reply is not None else None, pad=3 if self.config.pad_events else 0,
            )
            complete = reply is None or (reply.error_after is None and reply.drop_after is None)
            if turn is not None:  # kept once the whole stream is read, as the API keeps all of a reply or none
                chunks = self.threads.kept_while_streaming(turn, message, chunks, complete=complete)
            elif keep and complete:
                chunks = list(chunks)
                self._keep(analysis, outcome, KeptAnswer.cut(dumps(message), message["id"], output_tokens, chunks))
            return HttpReply(200, {**_SSE, **headers}, stream=chunks)
        if turn is not None:
            self.threads.commit(turn, message)
        out = _json_reply(200, message, headers)
        out.delay = self._delay(reply, output_tokens)
        if keep:
            self._keep(analysis, outcome, KeptAnswer.cut(out.body, message["id"], output_tokens))
        return out

    def _consulted(self, call: _Call, body: Any, analysis: Analysis,
                   idle: bool) -> tuple[Any, ParsedRequest | None, Answer | None]:
        """The script's answer to the request (None: as the fake would), the body to answer from, and the request
        the script saw when it stands for that body. A repeat's bytes (``JsonBytes``) reach the script parsed on
        first read: when nothing read them the analysed body, equal and unchanged, stands for them; once read,
        the body is what the script left (a handler may change it), logged as such."""
        if idle:
            return (analysis.body if type(body) is JsonBytes else body), None, None
        parsed = ParsedRequest.message(body, call.request.headers)
        outcome = self.script.next_outcome(parsed)
        if type(body) is not JsonBytes:
            return body, parsed, outcome
        if unread(parsed, "body"):
            return analysis.body, None, outcome
        call.body = parsed.body
        return call.body, parsed, outcome

    @staticmethod
    def _keep(analysis: Analysis, reply: ScriptedReply | None, kept: KeptAnswer | None) -> None:
        """Keep ``kept`` on the body's analysis: as its answer, or as the answer to the scripted ``reply``."""
        if kept is None:
            return
        if reply is None:
            analysis.answer = kept
        else:
            analysis.keep_scripted(reply, kept)

    def _repeated(self, call: _Call, analysis: Analysis, kept: KeptAnswer) -> HttpReply:
        """A repeat of a body whose unscripted answer was kept, admitted and spent in one step."""
        headers = self.limiter.admit_and_finish(call.key, analysis.counted_prompt.total, kept.output_tokens, model=analysis.spec.id)
        return self._kept_answer(call, kept, None, headers)

    def _kept_answer(self, call: _Call, kept: KeptAnswer, reply: ScriptedReply | None,
                     headers: Mapping[str, str]) -> HttpReply:
        """A repeat of a body (and of its scripted reply) whose whole answer was kept: its bytes with the next
        message id, and the rate limiter's ``headers``."""
        message_id = self._ids.new("msg")
        body = kept.body(message_id)
        call.answer = KeptBody(kept, message_id, len(body))  # the log keeps what makes the bytes (``answer`` parses them)
        if kept.stream is not None:
            return HttpReply(200, {**_SSE, **headers}, stream=kept.stream.chunks(message_id.encode()))
        out = HttpReply(200, {**_JSON, **headers}, body)
        out.delay = self._delay(reply, kept.output_tokens)
        return out

    def _pace(self, reply: ScriptedReply | None) -> tuple[float, float | None]:
        """Seconds before the first byte and output tokens per second: the reply's own, else the fake's."""
        ttft = reply.ttft if reply is not None and reply.ttft is not None else self.config.ttft
        tps = reply.tokens_per_second if reply is not None and reply.tokens_per_second else self.config.tokens_per_second
        return ttft, tps

    def _delay(self, reply: ScriptedReply | None, output_tokens: int) -> float:
        """How long a whole (unstreamed) answer of ``output_tokens`` takes before it is sent."""
        ttft, tps = self._pace(reply)
        return ttft + (output_tokens / tps if tps else 0.0)

    def _plan(self, request: ParsedRequest, spec: ModelSpec, analysis: Analysis) -> list[dict[str, Any]]:
        """The unscripted answer's blocks, planned on the body the script left (a handler may change it), and
        kept on the body's analysis when that is the analysed body and they depend on the body alone."""
        changed = not analysis.unchanged(request.body)
        if analysis.plan is not None and not changed:
            return analysis.plan
        if not changed and analysis.body is not request.body:  # plan on the analysed body: it is the one kept
            request = dataclasses.replace(request, body=analysis.body)
        planned = plan_content(request, spec, analysis.seed, self.config.tool_policy, self.server_tools,
                               self.clock.now())
        if not changed and not offers_server_side(request):
            analysis.plan = planned
        return planned

    def _input_usage(self, body: Mapping[str, Any], spec: ModelSpec, prompt: PromptTokens,
                     scope: str = "") -> dict[str, Any]:
        points = breakpoints(body, spec, prompt.marks)
        if not points:
            return {"input_tokens": prompt.total, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                    "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}}
        parts = self.cache.apply(points, prompt.total, spec.min_cacheable_tokens,
                                 lookback=lookback_points(body, spec, prompt.marks), scope=scope)
        return {
            "input_tokens": parts[0],
            "cache_creation_input_tokens": parts[1],
            "cache_read_input_tokens": parts[2],
            "cache_creation": parts[3],
        }

    def _check_reply(self, request: ParsedRequest, reply: ScriptedReply) -> None:
        problems = reply_violations(request, reply)
        if problems:
            summary = "; ".join(problems)
            self.script.fail(ScriptError(f"a scripted reply breaks the API's rules: {summary}"),
                             f"a scripted reply breaks the API's rules: {summary}")

    def _count_tokens(self, call: _Call) -> HttpReply:
        body, spec, prompt = self._validated(call, validate_count_tokens, files=True)
        context = plan_context(body, spec, prompt, call.betas, compact=False,  # counting never summarizes
                               image_sizes=self._image_sizes)
        payload: dict[str, Any] = {"input_tokens": context.prompt.total}
        if body.get("context_management") is not None:
            payload["context_management"] = {"original_input_tokens": prompt.total}
        return self._scripted(call) or _json_reply(200, payload, {})

    def _answer_batch_request(self, params: dict[str, Any], custom_id: str = "",
                              created: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One batch request's Message (batches run through the same path as create), validated now, with
        the create call's version and betas (``created``); refused params raise ``InvalidBatchRequest``."""
        created = created or {}
        betas = frozenset(created.get("betas", ()))
        try:
            body, spec, prompt = validate_batch_request(
                params, version=created.get("version", API_VERSION_2023), options=self.options, betas=betas,
                files=self._file_bytes)
            check_file_references(body, self.files)
        except ApiError as exc:
            raise InvalidBatchRequest(exc.status, exc.message, exc.type, path=exc.path) from None
        except RecursionError:
            raise InvalidBatchRequest(400, _TOO_DEEP) from None
        context = plan_context(body, spec, prompt, betas, image_sizes=self._image_sizes)
        counted, prompt = (context.body, context.prompt) if context.changed else (body, prompt)
        parsed = ParsedRequest(body, {}, "/v1/messages/batches", "POST", custom_id)
        try:
            outcome = self.script.next_outcome(parsed)
            if isinstance(outcome, ScriptedReply):
                self._check_reply(parsed, outcome)
        except ScriptError as exc:
            script_log.warning("the script failed on the batch request %r: %s", custom_id, exc)
            raise _script_failed(exc) from None
        if isinstance(outcome, ApiError):
            raise dataclasses.replace(outcome)  # a fresh exception each time a queued error answers
        if isinstance(outcome, JsonReply):
            return dict(outcome.body)
        message = compose_message(
            request=parsed, spec=spec, reply=outcome, ids=self._ids, seed=self.config.seed,
            usage_in=self._input_usage(counted, spec, prompt), service_tier="batch", tool_policy=self.config.tool_policy,
            server_script=self.server_tools, now=self.clock.now(),
        ).message
        finish_context(message, context, spec)
        return message

    # ----- batches and models -----------------------------------------------------------------------
    def _batch_create(self, call: _Call) -> HttpReply:
        requests = self._validated(call, validate_batch_create)
        scripted = self._scripted(call)
        if scripted is not None:
            return scripted
        try:
            created = self.batches.create(requests, {"version": call.version, "betas": sorted(call.betas)},
                                          weight=len(call.request.body))
        except RecursionError:  # a request nested deeper than the JSON writer goes
            raise ApiError(400, _TOO_DEEP) from None
        return _json_reply(200, created, {})

    def _batch_list(self, call: _Call) -> HttpReply:
        self._authenticate(call)
        scripted = self._scripted(call)
        if scripted is not None:
            return scripted
        before, after, limit = _page_query(call.request.query)
        return _json_reply(200, self.batches.list(before, after, limit), {})

    def _batch_item(self, call: _Call, batch_id: str, action: str, method: str) -> HttpReply:
        self._authenticate(call)
        scripted = self._scripted(call)
        if scripted is not None:
            return scripted
        if action == "/cancel":
            return self._only(method, "POST") or _json_reply(200, self.batches.cancel(batch_id), {})
        if action == "/results":
            self._only(method, "GET")
            headers = {"content-type": "application/x-jsonl",
                       "content-disposition": f"attachment; filename*=utf-8''{batch_id}_results.jsonl"}
            return HttpReply(200, headers, self.batches.results(batch_id))
        if method == "DELETE":
            return _json_reply(200, self.batches.delete(batch_id), {})
        self._only(method, "GET")
        batch = self.batches.retrieve(batch_id)
        polled = {} if batch["processing_status"] == "ended" else {"retry-after": str(RETRY_AFTER_SECONDS)}
        return _json_reply(200, batch, polled)

    def _files(self, call: _Call) -> HttpReply:
        self._authenticate(call)
        return self._scripted(call) or answer_files(self.files, call.request, call.betas)

    def _models(self, call: _Call) -> HttpReply:
        self._authenticate(call)
        scripted = self._scripted(call)
        if scripted is not None:
            return scripted
        before, after, limit = _page_query(call.request.query)
        return _json_reply(200, list_models_page(before, after, limit,
                                                 include_retired=self.options.accept_retired_models), {})


def _script_failed(error: ScriptError) -> ApiError:
    """The one answer to a failed script: a 400 naming it that no SDK retries (the test fails with it)."""
    return ApiError(400, f"fakeclaude: the test's script failed: {error}", "invalid_request_error",
                    should_retry=False)


def _page_query(query: Mapping[str, str]) -> tuple[str | None, str | None, int]:
    raw = query.get("limit")
    if raw is None:
        return query.get("before_id"), query.get("after_id"), 20
    try:
        limit = int(raw)
    except ValueError:
        raise ApiError(400, "limit: Input should be a valid integer, unable to parse string as an integer") from None
    return query.get("before_id"), query.get("after_id"), limit
