"""Running the aiohttp application: in a background thread (tests) or in the foreground (the CLI).

    with ServerThread(engine) as server:        # 127.0.0.1, a free port
        httpx2.get(f"{server.base_url}/v1/models")

    serve_forever(engine, "127.0.0.1", 8765, on_ready=print)   # until SIGINT / SIGTERM

Both run their event loop on uvloop where it is installed (a dependency on Linux and macOS): it takes
about a fifth of the HTTP layer's CPU time off every request. ``FAKECLAUDE_EVENT_LOOP=asyncio`` keeps
the standard library's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from fakeclaude.server.adapters._protocol import ApiShapedServerRunner, Timeouts
from fakeclaude.server.adapters.app import Service
from fakeclaude.server.control import ControlApi
from fakeclaude.server.http import Engine

__all__ = ["ServerThread", "Timeouts", "event_loop_factory", "serve_forever"]

logger = logging.getLogger("fakeclaude.server")

#: Seconds in-flight requests get to finish at shutdown before they are cancelled (streams are cut).
SHUTDOWN_GRACE = 0.5
_JOIN_TIMEOUT = 5.0
#: Connections the kernel queues before they are accepted (aiohttp's default, 128, drops a burst of 1,000).
BACKLOG = 2048


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop where it is installed, unless ``FAKECLAUDE_EVENT_LOOP=asyncio``; ``None``: asyncio's own."""
    if os.environ.get("FAKECLAUDE_EVENT_LOOP", "").strip().lower() == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:  # not installed (Windows, PyPy): the standard loop serves the same, a little slower
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def _run(main: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run(main)`` on the loop of :func:`event_loop_factory`."""
    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
        runner.run(main)


def base_url(host: str, port: int) -> str:
    """The URL a client uses to reach ``host:port`` (a wildcard host is reached on loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def _serve(engine: Engine, host: str, port: int, stop: asyncio.Event, on_ready: Callable[[int], None],
                 control: ControlApi | None = None, timeouts: Timeouts | None = None,
                 reuse_port: bool = False) -> None:
    """Listen on ``host:port``, call ``on_ready(bound_port)``, serve until ``stop`` is set, shut down."""
    timeouts = timeouts or Timeouts()
    service = Service(engine, control, body_timeout=timeouts.body)
    runner = ApiShapedServerRunner(service.handle_bare, timeouts=timeouts, server_options={"access_log": None},
                                   handle_signals=False, shutdown_timeout=SHUTDOWN_GRACE)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, backlog=BACKLOG, reuse_port=reuse_port or None)
        await site.start()
        on_ready(runner.addresses[0][1])
        await stop.wait()
    finally:
        await runner.cleanup()
        await _finish_leftover_tasks()


async def _finish_leftover_tasks() -> None:
    """Cancel what outlived the shutdown (aiohttp can leave a connection lingering on an unread upload)."""
    leftover = {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}
    for task in leftover:
        task.cancel()
    if leftover:
        logger.debug("fakeclaude: cancelled %d task(s) left after the server stopped", len(leftover))
        _, leftover = await asyncio.wait(leftover, timeout=SHUTDOWN_GRACE)
    if leftover:
        logger.warning("fakeclaude: %d task(s) still pending after the server stopped: %r", len(leftover), leftover)


class ServerThread:
    """The engine served on a real socket by an event loop in a daemon thread.

    ``start()`` returns once the socket listens (``port=0`` picks a free port); ``stop()`` closes
    open streams, shuts down within about a second and joins the thread; it may be called twice.
    ``timeouts`` close slow or silent connections (:class:`Timeouts`: 60 s for a request head, 30 s of silence within a body).
    """

    def __init__(self, engine: Engine, host: str = "127.0.0.1", port: int = 0, *,
                 timeouts: Timeouts | None = None) -> None:
        self.engine = engine
        self.timeouts = timeouts
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the server is not running; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        return base_url(self.host, self.port)

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError("a ServerThread can be started once")
        self._thread = threading.Thread(target=self._run, name="fakeclaude-server", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error
        return self

    def stop(self) -> None:
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or loop is None or stop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop already closed: nothing left to stop
            loop.call_soon_threadsafe(stop.set)
        thread.join(_JOIN_TIMEOUT)
        if thread.is_alive():
            logger.warning("fakeclaude: the server thread did not stop within %.0f s", _JOIN_TIMEOUT)
        self._port = None

    def _run(self) -> None:
        try:
            _run(self._main())
        except BaseException as exc:
            self._error = exc
        finally:
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()

        def ready(port: int) -> None:
            self._port = port
            self._ready.set()

        await _serve(self.engine, self.host, self._requested_port, self._stop, ready, timeouts=self.timeouts)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "not running"
        return f"ServerThread({where})"


def serve_forever(
    engine: Engine, host: str = "127.0.0.1", port: int = 8765, *, on_ready: Callable[[str], object] | None = None,
    control: ControlApi | None = None, reuse_port: bool = False,
) -> None:
    """Serve ``engine`` on ``host:port`` in this thread until SIGINT or SIGTERM, then shut down cleanly.

    ``on_ready(base_url)`` is called once the socket listens. Bind errors (``OSError``) propagate.
    ``control`` serves the control API under ``/_fakeclaude/``. ``reuse_port`` (``SO_REUSEPORT``) lets
    several worker processes listen on the same port, the kernel spreading connections among them.
    """

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        signals = (signal.SIGINT, signal.SIGTERM)
        installed = []
        for sig in signals:
            try:
                loop.add_signal_handler(sig, stop.set)
                installed.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
                pass

        def ready(bound_port: int) -> None:
            if on_ready is not None:
                on_ready(base_url(host, bound_port))

        try:
            await _serve(engine, host, port, stop, ready, control, reuse_port=reuse_port)
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)

    _run(main())
