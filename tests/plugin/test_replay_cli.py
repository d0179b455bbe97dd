"""``fakeclaude replay DIR --port P`` serves the project's cassettes to any HTTP client."""

from __future__ import annotations

from pathlib import Path

import anthropic
import httpx2
import pytest

from ..cli_support import fakeclaude_command

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
MSG = {"model": "claude-sonnet-4-6", "max_tokens": 64, "messages": [{"role": "user", "content": "Say hello"}]}


@pytest.mark.skipif(not (CASSETTES / "test_project_cassettes").is_dir(), reason="cassettes not recorded")
def test_replay_command_serves_recorded_answers_and_explains_misses() -> None:
    with fakeclaude_command("replay", str(CASSETTES)) as url:
        client = anthropic.Anthropic(base_url=url, api_key="any", max_retries=0)
        message = client.messages.create(**MSG)  # type: ignore[call-overload]
        assert message.content[0].type == "text" and message.id.startswith("msg_")
        with client.messages.stream(**MSG) as stream:  # type: ignore[arg-type]
            assert "".join(stream.text_stream) == stream.get_final_message().content[0].text  # type: ignore[union-attr]
        miss = httpx2.post(f"{url}/v1/messages", json={**MSG, "max_tokens": 3})
        assert miss.status_code == 404
        body = miss.json()
        assert body["type"] == "error" and "no recorded interaction matches" in body["error"]["message"]
