"""The request log shared by ``serve --workers N``: the bounds of ``RequestLog`` on every backend, and every
worker's requests (each naming its worker) on any worker's ``GET /_fakeclaude/requests`` and page.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import anthropic
import httpx2

from fakeclaude._json import dumps
from fakeclaude.server.request_log_shared import SharedRequestLog

from ..cli_support import fakeclaude_process
from . import test_shared_state
from .test_shared_state import Opener

backend = test_shared_state.backend  # the same fixtures: memory, SQLite, a real redis-server
redis_url = test_shared_state.redis_url


def _entry(n: int, body_bytes: int, worker: str = "1") -> dict[str, Any]:
    return {"method": "POST", "path": "/v1/messages", "request_id": f"req_{n}", "status": 200, "verdict": "ok",
            "body": {"text": "x" * body_bytes}, "answer": {"type": "message", "content": []},
            "body_size": body_bytes, "body_dropped": False, "worker": worker}


def _stored_body_bytes(log: SharedRequestLog) -> int:
    return sum(len(dumps(e)) for e in log.entries() if not e["body_dropped"])


def test_the_shared_log_keeps_the_newest_entries_and_bodies_within_its_bounds(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    log = SharedRequestLog(opener(), max_entries=5, max_bytes=2_600)
    for n in range(8):
        log.append(_entry(n, 300))
    entries = log.entries()
    assert [e["request_id"] for e in entries] == [f"req_{n}" for n in range(3, 8)]  # the newest five, oldest first
    assert [e["body_dropped"] for e in entries] == [False] * 5  # 5 x 498 bytes: within 2,600
    for n in range(8, 12):
        log.append(_entry(n, 700))  # heavier: the oldest bodies go first
    entries = log.entries()
    assert [e["request_id"] for e in entries] == [f"req_{n}" for n in range(7, 12)]
    assert [e["body_dropped"] for e in entries] == [True, True, True, False, False]
    assert entries[0]["body"] is None and entries[0]["answer"] is None and entries[0]["body_size"] == 300
    assert entries[-1]["body"] == {"text": "x" * 700}
    assert _stored_body_bytes(log) <= 2_600
    log.append(_entry(99, 5_000))  # larger than the whole budget: kept without its body, the others keep theirs
    assert log.entries()[-1]["body_dropped"] is True and log.entries()[-1]["body_size"] == 5_000
    assert log.entries()[-2]["body_dropped"] is False
    log.clear()
    assert log.entries() == []
    log.append(_entry(100, 300))
    assert [e["body_dropped"] for e in log.entries()] == [False]


def test_workers_appending_at_once_stay_within_the_bounds(backend: tuple[str, Opener]) -> None:
    """8 threads over two handles (two workers) append 240 entries: at most 50 kept, their bodies within
    the byte budget, the newest whole, and the byte counter equal to what is stored."""
    _, opener = backend
    logs = [SharedRequestLog(opener(), max_entries=50, max_bytes=10_000) for _ in range(2)]

    def work(index: int) -> None:
        for n in range(30):
            logs[index % 2].append(_entry(index * 100 + n, 200 + 50 * (n % 5), worker=str(index % 2)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = logs[0].entries()
    assert len(entries) == 50
    stored = _stored_body_bytes(logs[1])
    assert stored <= 10_000 and stored > 10_000 - 2 * 1000  # full up to about one entry, not emptied
    assert not entries[-1]["body_dropped"]
    assert int(opener().get("control/requests-bytes") or b"0") == stored


def _get(url: str, path: str) -> httpx2.Response:
    with httpx2.Client(base_url=url) as http:  # a new connection each time
        return http.get(path)


def test_every_worker_shows_every_workers_requests_with_its_pid(tmp_path: Path) -> None:
    with fakeclaude_process("serve", "--no-access-log", "--workers", "2", "--state",
                            f"sqlite:///{tmp_path / 'state.db'}") as running:
        deadline = time.monotonic() + 20
        while running.output().count("listening on") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        answered: dict[str, str] = {}  # request id -> worker pid
        for n in range(40):
            with anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
                raw = sdk.messages.with_raw_response.create(
                    model="claude-haiku-4-5", max_tokens=8, messages=[{"role": "user", "content": f"Question {n}?"}])
            answered[raw.headers["request-id"]] = raw.headers["x-fakeclaude-worker"]
            if len(set(answered.values())) > 1 and len(answered) >= 4:
                break
        assert len(set(answered.values())) == 2
        served: set[str] = set()
        for attempt in range(40):  # whichever worker serves them, the log and the page hold both workers' requests
            listed = _get(running.url, "/_fakeclaude/requests")
            assert {r["request_id"]: r["worker"] for r in listed.json()["requests"]} == answered
            for limit in (1, len(answered) + 1):  # beyond what was received: all of it
                newest = _get(running.url, f"/_fakeclaude/requests?limit={limit}").json()["requests"]
                assert newest == listed.json()["requests"][-limit:]
            page = _get(running.url, "/_fakeclaude/")
            served |= {listed.headers["x-fakeclaude-worker"], page.headers["x-fakeclaude-worker"]}
            assert "<th>worker</th>" in page.text
            for request_id, pid in answered.items():
                assert request_id in page.text and f"<td><code>{pid}</code></td>" in page.text
            assert f"{len(answered)} request(s) received" in page.text
            if len(served) > 1 and attempt >= 3:
                break
        assert served == set(answered.values())  # both workers served the log and the page
