"""``x-should-retry`` follows one rule whichever part of the fake answers (spec §6.3 and §9 item 5).

``true`` on 429 and every status from 500 (529 included), ``false`` on every other 4xx: scripted
errors answered by the engine and errors the adapters answer themselves (an ``ApiError`` escaping an
engine) carry the same value, through the in-process transport and the aiohttp server on loopback.
"""

from __future__ import annotations

import httpx2
import pytest

from fakeclaude.server import ApiError, FakeClaude, Httpx2Transport, ServerThread
from fakeclaude.server.http import HttpReply, HttpRequest

BODY = {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}
HEADERS = {"x-api-key": "sk-ant-fake", "anthropic-version": "2023-06-01"}
EXPECTED = {400: "false", 401: "false", 403: "false", 404: "false", 408: "false", 409: "false",
            413: "false", 422: "false", 429: "true", 500: "true", 503: "true", 504: "true", 529: "true"}  # fmt: skip


@pytest.mark.parametrize("status", sorted(EXPECTED))
def test_scripted_errors(status: int) -> None:
    fake = FakeClaude(seed=1)
    fake.error(status)
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post("/v1/messages", json=BODY, headers=HEADERS)
    assert response.status_code == status
    assert response.headers["x-should-retry"] == EXPECTED[status]


class _Raising:
    """An engine that lets an ``ApiError`` escape, for the adapters to answer."""

    def __init__(self, status: int) -> None:
        self.status = status

    def handle(self, request: HttpRequest) -> HttpReply:
        raise ApiError(self.status, "escaped")


@pytest.mark.parametrize("status", [409, 429, 529])
def test_adapter_answers_agree_with_the_engine(status: int) -> None:
    engine = _Raising(status)
    with httpx2.Client(transport=Httpx2Transport(engine), base_url="http://fake") as client:
        in_process = client.post("/v1/messages", json=BODY)
    server = ServerThread(engine)
    server.start()
    try:
        with httpx2.Client(base_url=server.base_url) as client:
            on_socket = client.post("/v1/messages", json=BODY)
    finally:
        server.stop()
    for response in (in_process, on_socket):
        assert response.status_code == status
        assert response.headers["x-should-retry"] == EXPECTED[status]
