"""``fakeclaude record --upstream URL --cassettes DIR``: a recording proxy, for clients in any language.

Point a client at it (``ANTHROPIC_BASE_URL=http://127.0.0.1:8767``): every request goes on to the
upstream API live, with the client's own headers (its key included); the answer comes back as it
arrives (each stream event is handed on when the upstream sends it); and the interaction is written
to ``DIR/NAME.yaml`` as soon as it ends, in the pytest plugin's cassette format, keys scrubbed,
atomically and merged under a lock (the file is complete after every interaction, whatever kills
the proxy). A connection the upstream cuts mid-stream is cut for the client too, and recorded as
cut. ``fakeclaude replay DIR`` then serves the folder.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["add_record_command", "make_record_app"]

# hop-by-hop headers (RFC 9110 7.6.1) and what the proxy itself sets
_REQUEST_DROP = frozenset({"host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
                           "proxy-connection", "te", "trailer", "accept-encoding"})
_RESPONSE_DROP = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"})


def _error(status: int, kind: str, message: str) -> Any:
    from aiohttp import web

    return web.json_response({"type": "error", "error": {"type": kind, "message": message}}, status=status)


def make_record_app(upstream: str, cassette_path: Path) -> Any:
    """The aiohttp application: proxy to ``upstream``, record into the cassette at ``cassette_path``."""
    import aiohttp
    from aiohttp import web
    from vcr.request import Request

    from fakeclaude.cassettes import ClaudeCassette, Tee
    from fakeclaude.cassettes.matching import decoded_request_body
    from fakeclaude.cassettes.recorder import drop_message, header_lists
    from fakeclaude.cassettes.store import timestamp

    base = upstream.rstrip("/")
    cassette = ClaudeCassette(cassette_path, record_mode="all", run_started=time.time())
    saving = asyncio.Lock()
    sessions: list[aiohttp.ClientSession] = []

    def sink(request: Any, response: dict[str, Any]) -> None:
        response["recorded_at"] = timestamp()
        cassette.append(request, response)
        task = asyncio.get_running_loop().create_task(save())
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)

    async def save() -> None:
        async with saving:
            try:
                await asyncio.to_thread(cassette.save)
            except Exception as exc:  # the proxy goes on; the reason is shown once per failure
                print(f"fakeclaude record: cannot write {cassette_path}: {exc}", file=sys.stderr, flush=True)

    async def handle(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _REQUEST_DROP]
        url = base + str(request.rel_url)
        body, stored_headers = decoded_request_body(raw, request.headers)
        stored = Request(request.method, url, body, {k: v for k, v in stored_headers.items()
                                                     if k.lower() not in _REQUEST_DROP})
        started = time.perf_counter()
        try:
            upstream_response = await sessions[0].request(request.method, url, data=raw or None, headers=headers,
                                                          allow_redirects=False)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            failure: web.StreamResponse = _error(
                502, "api_error", f"fakeclaude record: cannot reach the upstream {base}: {exc or type(exc).__name__}")
            return failure
        async with upstream_response:
            reply_headers = [(k, v) for k, v in upstream_response.headers.items() if k.lower() not in _RESPONSE_DROP]
            tee = Tee(sink, stored, upstream_response.status, upstream_response.reason or "",
                      header_lists(upstream_response.headers.items()), decoded=True, started=started)
            response = web.StreamResponse(status=upstream_response.status, reason=upstream_response.reason)
            response.headers.extend(reply_headers)
            await response.prepare(request)
            try:
                async for chunk in upstream_response.content.iter_any():
                    tee.chunk(chunk)
                    try:
                        await response.write(chunk)
                    except (ConnectionError, RuntimeError):
                        tee.finish(closed=True)  # the client went away: what it saw is what is kept
                        return response
            except (TimeoutError, aiohttp.ClientError) as exc:
                tee.finish(dropped=drop_message(exc))
                if request.transport is not None:
                    request.transport.close()  # cut for the client too, as the upstream cut it
                return response
            tee.finish()
            await response.write_eof()
            return response

    async def open_session(app: web.Application) -> None:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=600)
        sessions.append(aiohttp.ClientSession(timeout=timeout, auto_decompress=True))

    async def close_session(app: web.Application) -> None:
        for session in sessions:
            await session.close()
        async with saving:
            await asyncio.to_thread(cassette.save)

    app = web.Application(client_max_size=64 * 2**20)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


_TASKS: set[asyncio.Task[None]] = set()


def _upstream(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) URL (e.g. https://api.anthropic.com)")
    return value


def _record(args: argparse.Namespace) -> int:
    from aiohttp import web

    folder = Path(args.cassettes)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"fakeclaude record: cannot create {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    path = folder / (args.name if args.name.endswith((".yaml", ".yml")) else args.name + ".yaml")
    try:
        app = make_record_app(args.upstream, path)
    except ValueError as exc:  # an existing cassette that cannot be read
        print(f"fakeclaude record: {exc}", file=sys.stderr)
        return 2

    def ready(*_: Any) -> None:
        print(f"fakeclaude: recording {args.upstream} into {path} on http://{args.host}:{args.port}", flush=True)
        print(f"  export ANTHROPIC_BASE_URL=http://{args.host}:{args.port}", flush=True)

    try:
        web.run_app(app, host=args.host, port=args.port, print=ready)
    except OSError as exc:
        print(f"fakeclaude record: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def add_record_command(commands: Any, port: Callable[[str], int]) -> None:
    """The ``record`` subcommand, registered by ``fakeclaude.cli`` (``port``: its port type)."""
    record = commands.add_parser(
        "record", help="a recording proxy: pass requests to an upstream API and record them to cassettes",
        description="Proxy Claude API requests to an upstream live, recording every interaction to a cassette "
                    "(keys scrubbed); replay the folder with `fakeclaude replay DIR`.",
    )
    record.add_argument("--upstream", required=True, type=_upstream, help="the API to record, e.g. https://api.anthropic.com")
    record.add_argument("--cassettes", required=True, metavar="DIR", help="folder the cassette is written to")
    record.add_argument("--name", default="recorded", help="the cassette's file name in DIR (default: %(default)s)")
    record.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    record.add_argument("--port", type=port, default=8767, help="port to listen on (default: %(default)s)")
    record.set_defaults(command=_record)
