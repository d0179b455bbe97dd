"""``fakeclaude replay DIR --port P`` serves the project's cassettes to any HTTP client."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import anthropic
import httpx2
import pytest
import yaml

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


def _paced_copy(folder: Path) -> tuple[Path, int]:
    """The project's streamed cassette with recorded timing spread out: 0.3 s before the answer, 0.05 s
    between events; returns the folder and the number of events."""
    source = CASSETTES / "test_project_cassettes" / "test_sdk_async_stream.yaml"
    data = yaml.safe_load(source.read_text())
    response = data["interactions"][0]["response"]
    response["latency"] = 0.3
    events = response["body"]["events"]
    for n, event in enumerate(events):
        event["at"] = round(0.05 * n, 2)
    (folder / "paced.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder, len(events)


@pytest.mark.skipif(not (CASSETTES / "test_project_cassettes").is_dir(), reason="cassettes not recorded")
def test_replay_with_the_recorded_pace_and_the_requests_it_received(tmp_path: Path) -> None:
    folder, count = _paced_copy(tmp_path)
    with fakeclaude_command("replay", str(folder), "--pace", "recorded") as url:
        started = time.perf_counter()
        arrivals: list[float] = []
        with httpx2.stream("POST", f"{url}/v1/messages", json={**MSG, "stream": True},
                           headers={"x-api-key": "sk-replay-secret", "anthropic-version": "2023-06-01"}) as response:
            headers_at = time.perf_counter() - started
            for line in response.iter_lines():
                if line.startswith("event:"):
                    arrivals.append(time.perf_counter() - started)
        assert len(arrivals) == count
        # lower bounds only (a sleep never ends early): the answer waited its latency, the events their gaps
        assert headers_at >= 0.29 and arrivals[-1] - arrivals[0] >= 0.05 * (count - 1) * 0.9
        assert httpx2.post(f"{url}/v1/messages", json={**MSG, "max_tokens": 3}).status_code == 404

        received = httpx2.get(f"{url}/_fakeclaude/requests").json()["requests"]
        assert [(r["method"], r["path"], r["status"], r["verdict"], r["interaction"]) for r in received] == [
            ("POST", "/v1/messages", 200, "replayed", 0), ("POST", "/v1/messages", 404, "miss", None)]
        assert received[0]["body"]["stream"] is True and received[1]["body"]["max_tokens"] == 3
        assert received[0]["headers"]["x-api-key"] == "[redacted]"
        assert httpx2.get(f"{url}/_fakeclaude/requests", params={"limit": 1}).json()["requests"] == received[1:]
        assert httpx2.get(f"{url}/_fakeclaude/requests", params={"limit": "x"}).status_code == 400
        assert httpx2.get(f"{url}/_fakeclaude/script").status_code == 404


def test_an_unknown_pace_is_one_clean_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "fakeclaude", "replay", str(tmp_path), "--pace", "slow"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "invalid choice: 'slow'" in done.stderr and "Traceback" not in done.stderr
