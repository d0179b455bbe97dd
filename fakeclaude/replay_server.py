"""``fakeclaude replay DIR``: serve a folder of cassettes over HTTP, for clients in any language.

Every ``*.yaml`` / ``*.yml`` / ``*.json`` cassette under DIR (fakeclaude's format or vcrpy's) is
loaded; a request is answered by the first unplayed interaction with the same method, path and
canonical JSON body (then the last one again), streams event by event. A request nothing matches
gets an API-shaped 404 whose message explains the miss (a 404 is never retried by the SDKs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_replay_command", "load_folder", "make_replay_app"]


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


def make_replay_app(cassette: Any) -> Any:
    from aiohttp import web
    from vcr.request import Request

    from fakeclaude.cassettes import miss_message, prepare
    from fakeclaude.cassettes.matching import decoded_request_body

    async def handle(request: web.Request) -> web.StreamResponse:
        body, _ = decoded_request_body(await request.read(), request.headers)
        key = cassette.key(request.method, str(request.url), body)
        hit = cassette.play(key)
        if hit is None:
            message = miss_message(cassette, Request(request.method, str(request.url), body, {}), key,
                                   "record it with pytest --claude-record-mode=new_episodes")
            error = {"type": "error", "error": {"type": "not_found_error", "message": message}}
            return web.json_response(error, status=404)
        prepared = prepare(hit[1])
        headers = [(k, v) for k, v in prepared.headers if k.lower() != "content-length"]
        if len(prepared.chunks) <= 1 and prepared.dropped is None:
            response = web.Response(status=prepared.status, reason=prepared.reason or None,
                                    body=b"".join(prepared.chunks))
            response.headers.extend(headers)
            return response
        stream = web.StreamResponse(status=prepared.status, reason=prepared.reason or None)
        stream.headers.extend(headers)
        await stream.prepare(request)
        for chunk in prepared.chunks:
            await stream.write(chunk)
        if prepared.dropped is not None and request.transport is not None:
            request.transport.close()  # cut as it was while recording: the client sees a broken body
            return stream
        await stream.write_eof()
        return stream

    app = web.Application(client_max_size=64 * 2**20)
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
    print(f"fakeclaude: replaying {len(cassette)} interaction(s) from {folder} on http://{args.host}:{args.port}",
          flush=True)
    try:
        web.run_app(make_replay_app(cassette), host=args.host, port=args.port, print=None)
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
    replay.set_defaults(command=_replay)
