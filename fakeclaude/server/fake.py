"""``FakeClaude``: one fake Messages API, reachable in-process (no socket) or on a loopback port.

    fake = FakeClaude(seed=0)
    client = fake.client()                      # fakeclaude.Anthropic wired to it, no socket
    sdk = anthropic.Anthropic(api_key="k", http_client=httpx2.Client(transport=fake.httpx2_transport()))
    with fake.serve() as base_url: ...          # aiohttp on 127.0.0.1, a free port
    fake.reply("Paris.");  fake.error(529);  fake.requests[-1].body
    fake.verify()                               # raise what went wrong in the script, list what was unused
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .clock import Clock, FakeClock, SystemClock
from .engine import EngineConfig, MessagesEngine, RecordedRequest
from .files import FileLimits, FileStore
from .ratelimit import RateLimits
from .request_log import DEFAULT_MAX_RECORDED_BYTES
from .script import Handler, ParsedRequest, PathPattern, Reply, Route, Script
from .server_tools import FetchedPage, McpAnswer, ProgramOutput
from .statestore import StateStore, open_state
from .tool_policy import ToolPolicy

if TYPE_CHECKING:

    from ..client import Anthropic, AsyncAnthropic
    from .adapters.transports import Httpx2Transport, HttpxTransport

__all__ = ["FAKE_API_KEY", "FakeClaude"]

FAKE_API_KEY = "sk-ant-fake-key"
"""The made-up key ``client()`` sends and the fixtures put in ``ANTHROPIC_API_KEY`` (any key is accepted)."""


class FakeClaude:
    """A fake Claude Messages API with the real API's validation, answers, streams and errors.

    Parameters (all optional):

    - ``seed``: ids and generated content derive from it (same seed and request, same answer).
    - ``validation``: ``"strict"`` applies the API's semantic checks, ``"lenient"`` only its schema.
    - ``clock``: a ``FakeClock`` makes time-based behaviour (batches, caches, rate limits) steppable.
    - ``ttft`` / ``tokens_per_second``: latency of every answer (seconds before the first byte; pace).
    - ``rate_limits``: a ``RateLimits`` to enforce (429s with the API's headers).
    - ``api_keys``: the only keys accepted (401 otherwise); default: any non-empty key.
    - ``accept_retired_models``: answer retired model ids (as when they were recorded) or 404 them.
    - ``batch_processing_seconds``: how long a batch takes to end (on ``clock``).
    - ``pad_events``: pad stream JSON with spaces as the real API does.
    - ``max_recorded_requests``: how many requests ``requests`` keeps.
    - ``max_recorded_bytes``: how many bytes of bodies it keeps (older requests lose theirs first,
      ``body_dropped`` then says so; default 8 MiB; a body larger than that is never kept).
    - ``state``: where batches live: a :class:`~fakeclaude.server.statestore.StateStore` or its URL
      (``memory://``, the default; ``sqlite:///PATH``; ``redis://HOST:PORT/DB``), shared by every fake
      (or ``fakeclaude serve`` worker) that opens the same one (``docs/scaling.md``).
    - ``worker``: this fake's name among several sharing one ``state``: its ids (``msg_...``,
      ``msgbatch_...``) are drawn from a sequence of their own, so two fakes never mint the same id;
      generated content still depends on ``seed`` only. ``fakeclaude serve --workers`` names each
      worker by its pid.
    - ``tool_policy``: unscripted tool calls: ``"relevant"`` (default) calls a tool only when the last
      user turn plausibly asks for it (see :mod:`fakeclaude.server.tool_policy`), ``"every"`` calls every
      offered tool at once.
    - ``image_sizes``: ``{url or file id: (width, height)}`` of images the fake cannot see, so their
      tokens are ``width * height / 750`` like the API's; an undeclared one costs a typical web image's
      (``fakeclaude.server.tokens.URL_IMAGE_SIZE``, about 260 tokens).
    - ``file_limits``: a ``FileLimits`` bounding the Files API store (per file, in all, how many).
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        validation: Literal["strict", "lenient"] = "strict",
        clock: Clock | None = None,
        ttft: float = 0.0,
        tokens_per_second: float | None = None,
        rate_limits: RateLimits | None = None,
        api_keys: Collection[str] | None = None,
        accept_retired_models: bool = True,
        batch_processing_seconds: float = 0.0,
        pad_events: bool = False,
        max_recorded_requests: int = 1000,
        max_recorded_bytes: int = DEFAULT_MAX_RECORDED_BYTES,
        tool_policy: ToolPolicy = "relevant",
        image_sizes: Mapping[str, tuple[int, int]] | None = None,
        file_limits: FileLimits | None = None,
        state: StateStore | str | None = None,
        worker: str = "",
    ) -> None:
        self.seed = seed
        self.clock: Clock = clock or SystemClock()
        self.script = Script()
        self.config = EngineConfig(
            seed=seed, validation=validation, accept_retired_models=accept_retired_models, api_keys=api_keys,
            rate_limits=rate_limits, ttft=ttft, tokens_per_second=tokens_per_second, pad_events=pad_events,
            batch_processing_seconds=batch_processing_seconds, max_recorded_requests=max_recorded_requests,
            max_recorded_bytes=max_recorded_bytes, tool_policy=tool_policy, image_sizes=image_sizes,
            file_limits=file_limits, state=open_state(state) if isinstance(state, str) else state, worker=worker,
        )
        self.engine = MessagesEngine(self.config, clock=self.clock, script=self.script)
        self.base_url: str | None = None
        """Where the fake is served while ``serve()`` runs (or where a fixture serves it)."""

    # ----- ways in ---------------------------------------------------------------------------------
    def httpx2_transport(self) -> Httpx2Transport:
        """A transport for ``httpx2.Client`` and ``httpx2.AsyncClient`` alike (what the official SDK uses)."""
        from .adapters.transports import Httpx2Transport

        return Httpx2Transport(self.engine)

    def httpx_transport(self) -> HttpxTransport:
        """The same for clients on the ``httpx`` package."""
        from .adapters.transports import HttpxTransport

        return HttpxTransport(self.engine)

    def client(self, *, api_key: str = FAKE_API_KEY, **kwargs: Any) -> Anthropic:
        """A ``fakeclaude.Anthropic`` wired to this fake in-process."""
        import httpx2

        from ..client import Anthropic

        http = httpx2.Client(transport=self.httpx2_transport())
        return Anthropic(api_key=api_key, base_url="http://fakeclaude.local", http_client=http, **kwargs)

    def async_client(self, *, api_key: str = FAKE_API_KEY, **kwargs: Any) -> AsyncAnthropic:
        """A ``fakeclaude.AsyncAnthropic`` wired to this fake in-process (the async twin of ``client()``)."""
        import httpx2

        from ..client import AsyncAnthropic

        http = httpx2.AsyncClient(transport=self.httpx2_transport())
        return AsyncAnthropic(api_key=api_key, base_url="http://fakeclaude.local", http_client=http, **kwargs)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve on a loopback port in a background thread; yields the base URL.

        A script that failed while serving (an impossible reply, a raising handler) was answered with the
        non-retried 400 naming it, as in-process; its first failure is raised again here when the block
        ends (as ``verify(unused=False)`` would), so the test fails with it even if the app swallowed the 400.
        """
        from .adapters.runner import ServerThread

        server = ServerThread(self.engine, host=host, port=port)
        server.start()
        self.base_url = server.base_url
        known = list(self.script.failures)  # held, so that ``reset()`` clearing the list loses none
        try:
            yield server.base_url
        finally:
            server.stop()
            self.base_url = None
        new = [f for f in self.script.failures if not any(f is k for k in known)]
        if new:
            raise new[0]

    # ----- scripting ---------------------------------------------------------------------------------
    def reply(self, *content: dict[str, Any] | str | Reply, **kwargs: Any) -> None:
        """Queue the next answer of ``POST /v1/messages``: text, blocks (``text()``, ``tool_use()``,
        ``thinking()``) or a ``Reply``; keyword arguments are ``Reply`` fields (``stop_reason=``...)."""
        self.script.reply(*content, **kwargs)

    def error(self, status: int, message: str | None = None, **kwargs: Any) -> None:
        """Queue an error answer of ``POST /v1/messages`` (``retry_after=``, ``should_retry=``, ``type=``,
        ``headers=``, ``error_code=`` and ``details=`` for ``error.details``); ``status`` must be 400-599
        (``ValueError`` at once otherwise). Other endpoints: ``fake.on(method=..., path=...).error(...)``."""
        self.script.error(status, message, **kwargs)

    def on(
        self, *, model: str | None = None, last_user_text: str | re.Pattern[str] | None = None,
        tools_offered: str | None = None, turn: int | None = None, method: str | None = None,
        path: PathPattern | None = None, custom_id: str | None = None, in_batch: bool | None = None,
        where: Callable[[ParsedRequest], bool] | None = None,
    ) -> Route:
        """A rule matched on the request; chain ``.reply()`` / ``.respond()`` / ``.error()`` / ``.json()``.

        Without ``method`` / ``path`` it matches Message requests (``POST /v1/messages`` and the requests
        inside a batch); with them that endpoint (``path`` exact, with ``*`` wildcards, or a compiled
        pattern). ``custom_id=`` (or ``in_batch=True``) matches only requests inside a batch,
        ``in_batch=False`` only ``POST /v1/messages``.
        """
        return self.script.on(model=model, last_user_text=last_user_text, tools_offered=tools_offered, turn=turn,
                              method=method, path=path, custom_id=custom_id, in_batch=in_batch, where=where)

    def handler(self, function: Handler | None) -> None:
        """A function receiving every unscripted Message request (``ParsedRequest``) and returning a reply or
        None (answer as the fake would). If it raises, the request gets a 400 no SDK retries and the
        exception is kept in ``failures`` (the ``fake_claude`` fixture fails the test with it)."""
        self.script.handler(function)

    # ----- what the server tools return (unscripted answers that use them) ------------------------------
    def web_search(
        self, results: Sequence[Mapping[str, Any]] | Callable[[str], Sequence[Mapping[str, Any]]] | None = None, *,
        queries: Sequence[str] | None = None, pause_after: int | None = None,
    ) -> None:
        """What web searches find: ``results`` (``web_search_result(...)`` items, or a function of the query);
        ``queries``: the searches the model makes in one turn; ``pause_after``: searches before ``pause_turn``."""
        self.engine.server_tools.set_search(results, queries, pause_after)

    def web_fetch(
        self, url: str | None = None, text: str = "", *, title: str | None = None, media_type: str = "text/plain",
        error_code: str | None = None,
    ) -> None:
        """What fetching ``url`` (``None``: any URL) returns: a text document, or an ``error_code`` result."""
        self.engine.server_tools.set_page(url, FetchedPage(text, title, media_type, error_code))

    def code_execution(
        self, stdout: str | Callable[[str], str] = "", *, stderr: str = "", return_code: int = 0,
        files: Sequence[str] = (),
    ) -> None:
        """What executed code prints (``stdout`` may be a function of the code or command)."""
        if callable(stdout):
            function = stdout
            self.engine.server_tools.set_program(
                lambda code: ProgramOutput(function(code), stderr, return_code, tuple(files)))
        else:
            self.engine.server_tools.set_program(ProgramOutput(stdout, stderr, return_code, tuple(files)))

    def mcp_tool(
        self, name: str, result: str | Callable[[Mapping[str, Any]], str], *, server_name: str | None = None,
        is_error: bool = False, input: Mapping[str, Any] | None = None, description: str = "",
    ) -> None:
        """What MCP tool ``name`` (of ``server_name``, default any offered server) answers; the fake then calls
        it when its server is in ``mcp_servers``."""
        self.engine.server_tools.set_mcp(name, McpAnswer(server_name, result, is_error, input, description))

    def advisor(self, text: str) -> None:
        """What the advisor tool answers."""
        self.engine.server_tools.set_advice(text)

    def reset(self) -> None:
        """Forget the script, its failures, the server tools' script and the recorded requests (state such as
        batches and caches stays)."""
        self.script.reset()
        self.engine.server_tools.reset()
        self.engine.requests.clear()

    # ----- the truth about the script ----------------------------------------------------------------
    @property
    def failures(self) -> list[BaseException]:
        """Exceptions the script raised (handler, rule, side effect) and ``ScriptError``s, oldest first."""
        return list(self.script.failures)

    def unused(self) -> list[str]:
        """What was scripted but never used: queued replies and errors, rules that never matched."""
        return self.script.unused()

    def assert_all_used(self) -> None:
        """Raise ``AssertionError`` listing ``unused()`` when something scripted was never used."""
        unused = self.unused()
        if unused:
            raise AssertionError("fakeclaude: the script was not used up:\n" + "\n".join(f"  - {u}" for u in unused))

    def verify(self, *, unused: bool = True) -> None:
        """Raise the script's first failure (its original exception and traceback), then ``assert_all_used()``."""
        failures = self.script.failures
        if failures:
            first = failures[0]
            if len(failures) > 1:
                first.add_note(f"(and {len(failures) - 1} more failure(s) of the script: "
                               + "; ".join(f"{type(f).__name__}: {f}" for f in failures[1:]) + ")")
            raise first
        if unused:
            self.assert_all_used()

    # ----- inspection --------------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """What the fake received, oldest first (bounded by ``max_recorded_requests`` and ``max_recorded_bytes``)."""
        return list(self.engine.requests)

    @property
    def files(self) -> FileStore:
        """The Files API's store: what was uploaded; ``files.create(..., downloadable=True)`` stands in for
        a file a tool made (the only kind the API lets you download)."""
        return self.engine.files

    @property
    def last_request(self) -> RecordedRequest | None:
        """The newest request the fake received, or None."""
        return self.engine.requests[-1] if self.engine.requests else None

    def advance(self, seconds: float) -> None:
        """Move a ``FakeClock`` forward (cache lifetimes, rate-limit windows, batch processing)."""
        if not isinstance(self.clock, FakeClock):
            raise TypeError("advance() needs FakeClaude(clock=FakeClock())")
        self.clock.advance(seconds)


