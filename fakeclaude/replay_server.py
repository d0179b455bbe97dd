"""``fakeclaude replay DIR``: serve a folder of cassettes over HTTP, for clients in any language.

Every ``*.yaml`` / ``*.yml`` / ``*.json`` cassette under DIR (fakeclaude's format or vcrpy's) is
loaded; a request is answered by the first unplayed interaction with the same method, path and
canonical JSON body (then the last one again), streams event by event. A request nothing matches
gets an API-shaped 404 whose message explains the miss (a 404 is never retried by the SDKs).

``--pace recorded`` replays with the recorded timing: each response after the time the server took
(``latency``), each stream event after its recorded gap; the default, ``instant``, sends at once.
``GET /_fakeclaude/requests`` lists what the replay received, oldest first (``?limit=N``: the newest
N), in the shape ``fakeclaude serve`` uses (credentials redacted) with the verdict ``replayed`` or
``miss`` and, for a replayed one, the position of its interaction (``interaction``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import deque
from pathlib import Path
from typing import Any

__all__ = ["PACES", "add_replay_command", "load_folder", "make_replay_app"]

PACES = ("instant", "recorded")
"""How ``fakeclaude replay`` times what it sends: at once, or as recorded."""


def load_folder(folder: Path) -> Any:
    """One cassette (replay only, repeats allowed) holding the interactions of every file under ``folder``."""
    from fakeclaude.cassettes import ClaudeCassette

    combined = ClaudeCassette(folder / ".fakeclaude-replay.yaml", record_mode="none", allow_playback_repeats=True)
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
            try:
                combined.add_read_only(path)
            except Exception as exc:  # a file that is not a cassette is skipped, loudly
                print(f"fakeclaude replay: skipping {path}: {exc}", file=sys.stderr)
    return combined


def _body_json(body: bytes | None) -> Any:
    """A request body as the requests list shows it: its JSON, else its text (None when empty)."""
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")


def make_replay_app(cassette: Any, *, pace: str = "instant", max_recorded: int = 1000) -> Any:
    """An aiohttp application answering from ``cassette``, timed by ``pace``, with ``GET /_fakeclaude/requests``."""
    from aiohttp import web
    from vcr.request import Request

    from fakeclaude.cassettes import miss_message, prepare
    from fakeclaude.cassettes.matching import decoded_request_body
    from fakeclaude.server.control import redacted_headers, redacted_query

    if pace not in PACES:
        raise ValueError(f"pace must be one of {', '.join(PACES)}, not {pace!r}")
    paced = pace == "recorded"
    received: deque[dict[str, Any]] = deque(maxlen=max_recorded)

    def note(request: web.Request, body: bytes | None, status: int, index: int | None) -> None:
        received.append({
            "method": request.method, "path": request.path, "query": redacted_query(request.query),
            "headers": redacted_headers(dict(request.headers.items())), "body": _body_json(body),
            "status": status, "verdict": "miss" if index is None else "replayed", "interaction": index,
        })

    async def requests_list(request: web.Request) -> web.StreamResponse:
        shown = list(received)
        limit = request.query.get("limit")
        if limit is not None:
            if not limit.isdigit():
                error = {"type": "error", "error": {"type": "invalid_request_error",
                                                    "message": "limit: a non-negative integer"}}
                return web.json_response(error, status=400)
            shown = shown[len(shown) - int(limit):] if int(limit) else []
        return web.json_response({"requests": shown})

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/_fakeclaude/"):
            error = {"type": "error", "error": {"type": "not_found_error", "message": "fakeclaude replay serves "
                                                "GET /_fakeclaude/requests only"}}
            return web.json_response(error, status=404)
        body, _ = decoded_request_body(await request.read(), request.headers)
        key = cassette.key(request.method, str(request.url), body)
        hit = cassette.play(key)
        if hit is None:
            message = miss_message(cassette, Request(request.method, str(request.url), body, {}), key,
                                   "record it with pytest --claude-record-mode=new_episodes")
            error = {"type": "error", "error": {"type": "not_found_error", "message": message}}
            note(request, body, 404, None)
            return web.json_response(error, status=404)
        prepared = prepare(hit[1])
        note(request, body, prepared.status, hit[0])
        if paced and prepared.latency > 0:
            await asyncio.sleep(prepared.latency)
        headers = [(k, v) for k, v in prepared.headers if k.lower() != "content-length"]
        if len(prepared.chunks) <= 1 and prepared.dropped is None:
            response = web.Response(status=prepared.status, reason=prepared.reason or None,
                                    body=b"".join(prepared.chunks))
            response.headers.extend(headers)
            return response
        stream = web.StreamResponse(status=prepared.status, reason=prepared.reason or None)
        stream.headers.extend(headers)
        await stream.prepare(request)
        for chunk, delay in zip(prepared.chunks, prepared.delays, strict=False):
            if paced and delay > 0:
                await asyncio.sleep(delay)
            await stream.write(chunk)
        if prepared.dropped is not None and request.transport is not None:
            request.transport.close()  # cut as it was while recording: the client sees a broken body
            return stream
        await stream.write_eof()
        return stream

    app = web.Application(client_max_size=64 * 2**20)
    app.router.add_route("GET", "/_fakeclaude/requests", requests_list)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def _replay(args: argparse.Namespace) -> int:
    from aiohttp import web

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"fakeclaude replay: {folder} is not a folder", file=sys.stderr)
        return 2
    cassette = load_folder(folder)
    if not len(cassette):
        print(f"fakeclaude replay: warning: no interactions found under {folder} (*.yaml, *.yml, *.json); "
              "every request will get a 404", file=sys.stderr, flush=True)
    paced = " with the recorded timing" if args.pace == "recorded" else ""
    print(f"fakeclaude: replaying {len(cassette)} interaction(s) from {folder}{paced} on "
          f"http://{args.host}:{args.port} (what it received: /_fakeclaude/requests)", flush=True)
    try:
        web.run_app(make_replay_app(cassette, pace=args.pace), host=args.host, port=args.port, print=None)
    except OSError as exc:
        print(f"fakeclaude replay: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


def add_replay_command(commands: Any) -> None:
    """The ``replay`` subcommand, registered by ``fakeclaude.cli``."""
    replay = commands.add_parser("replay", help="serve a folder of cassettes over HTTP",
                                 description="Replay recorded Claude API interactions to any HTTP client.")
    replay.add_argument("dir", help="folder of cassettes (searched recursively)")
    replay.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    from fakeclaude.cli import port_number

    replay.add_argument("--port", type=port_number, default=8766, help="port to listen on (default: %(default)s)")
    replay.add_argument("--pace", choices=PACES, default="instant",
                        help="instant: answer at once; recorded: wait as the server did while recording, before the "
                             "response and between stream events (default: %(default)s)")
    replay.set_defaults(command=_replay)
