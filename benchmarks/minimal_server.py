"""``python -m benchmarks.minimal_server CANNED_DIR PORT [uvloop]``: the loopback floor, canned JSON on aiohttp.

The least a server can do for the SDK: read the body, answer the fake's own bytes and headers (the
stream when the body asks for one), no routing, no checks, no access log. Runs until terminated, on
asyncio's own event loop as ``web.run_app`` starts it, or with ``uvloop`` on uvloop's (as ``fakeclaude
serve`` runs where uvloop is installed: the table shows both, so the event loop's part is visible).
"""

from __future__ import annotations

import sys

from aiohttp import web

from benchmarks.cases import canned


def app(folder: str) -> web.Application:
    answers = canned(folder)

    async def answer(request: web.Request) -> web.Response:
        body = await request.read()
        if b'"stream":true' in body:
            return web.Response(body=answers["stream"], headers=answers["stream_headers"])
        return web.Response(body=answers["message"], headers=answers["message_headers"])

    application = web.Application()
    application.router.add_route("*", "/{tail:.*}", answer)
    return application


if __name__ == "__main__":
    if sys.argv[3:] == ["uvloop"]:
        import asyncio

        import uvloop

        asyncio.set_event_loop(uvloop.new_event_loop())
    web.run_app(app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), access_log=None, print=None)
