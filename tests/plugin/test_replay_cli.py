"""``fakeclaude replay DIR --port P`` serves the project's cassettes to any HTTP client."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import anthropic
import httpx2
import pytest

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
MSG = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Say hello"}]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.skipif(not (CASSETTES / "test_project_cassettes").is_dir(), reason="cassettes not recorded")
def test_replay_command_serves_recorded_answers_and_explains_misses() -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "fakeclaude", "replay", str(CASSETTES), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        else:
            pytest.fail("fakeclaude replay did not start")
        client = anthropic.Anthropic(base_url=f"http://127.0.0.1:{port}", api_key="any", max_retries=0)
        message = client.messages.create(**MSG)  # type: ignore[call-overload]
        assert message.content[0].type == "text" and message.id.startswith("msg_")
        with client.messages.stream(**MSG) as stream:  # type: ignore[arg-type]
            assert "".join(stream.text_stream) == stream.get_final_message().content[0].text  # type: ignore[union-attr]
        miss = httpx2.post(f"http://127.0.0.1:{port}/v1/messages", json={**MSG, "max_tokens": 3})
        assert miss.status_code == 404
        body = miss.json()
        assert body["type"] == "error" and "no recorded interaction matches" in body["error"]["message"]
    finally:
        process.terminate()
        process.wait(timeout=10)
