"""SIGKILL at random moments while recording never damages a cassette or loses a saved interaction."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from vcr.request import Request

from fakeclaude.cassettes import ClaudeCassette, Recorder

RECORD_FOREVER = """
import sys, time
from vcr.request import Request
from fakeclaude.cassettes import ClaudeCassette, Recorder

path, n = sys.argv[1], 0
while True:
    cassette = ClaudeCassette(path, record_mode="new_episodes", run_started=time.time())
    n = len(cassette)
    body = ('{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"q%d"}]}' % n).encode()
    Recorder(cassette).record(Request("POST", "http://x/v1/messages", body, {}),
                              {"status": {"code": 200, "message": "OK"}, "headers": {},
                               "body": {"string": b'{"n": %d, "pad": "%s"}' % (n, b"x" * 20000)}})
    cassette.save()
    print(n + 1, flush=True)
"""


def test_random_kills_while_recording_never_corrupt_or_lose(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    rng = random.Random(1)
    saved = 0
    for _ in range(6):
        process = subprocess.Popen([sys.executable, "-c", RECORD_FOREVER, str(path)], stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        process.stdout.readline()  # at least one save done: now kill it somewhere in the loop
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        last = int(([line for line in out.split() if line] or ["0"])[-1] or 0)
        cassette = ClaudeCassette(path, record_mode="none")  # always loads
        assert len(cassette) >= max(saved, last)  # nothing that was saved is ever lost
        saved = len(cassette)
    assert saved >= 6
    # a kill between naming the written file and renaming it may leave that name: the next save removes it
    cassette = ClaudeCassette(path, record_mode="new_episodes", run_started=time.time())
    Recorder(cassette).record(Request("POST", "http://x/v1/messages", b"{}", {}),
                              {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": b"{}"}})
    cassette.save()
    assert os.listdir(tmp_path) == ["c.yaml"] and len(ClaudeCassette(path)) == saved + 1
