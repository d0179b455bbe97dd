"""The ``fakeclaude`` command line: argument parsing in-process, ``serve`` as a real subprocess."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anthropic
import pytest

from fakeclaude.cli import main

ROOT = Path(__file__).resolve().parents[2]


def fake_claude_built() -> bool:
    try:
        return importlib.util.find_spec("fakeclaude.server.fake") is not None
    except ImportError:
        return False


needs_fake = pytest.mark.skipif(not fake_claude_built(), reason="FakeClaude not built yet")


def test_help_lists_the_serve_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "serve" in capsys.readouterr().out


def test_serve_help_lists_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--seed", "--validation", "strict", "lenient", "8765", "127.0.0.1"):
        assert option in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([], "fakeclaude: the following arguments are required: COMMAND"),
        (["nonsense"], "fakeclaude: argument COMMAND: invalid choice: 'nonsense'"),
        (["serve", "--port", "70000"], "fakeclaude serve: argument --port: 70000 is not a port (0-65535"),
        (["serve", "--port", "abc"], "fakeclaude serve: argument --port: 'abc' is not a port number (0-65535"),
        (["replay", "x", "--port", "abc"], "fakeclaude replay: argument --port: 'abc' is not a port number"),
        (["serve", "--validation", "loose"], "fakeclaude serve: argument --validation: invalid choice: 'loose'"),
    ],
)
def test_bad_command_lines_exit_with_one_clean_line(argv: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(says), err
    assert "--help" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import fakeclaude

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"fakeclaude {fakeclaude.__version__}\n"


class Served:
    def __init__(self, process: subprocess.Popen[str], banner: list[str]) -> None:
        self.process = process
        self.banner = banner
        self.base_url = banner[0].rsplit(" ", 1)[-1]


def start_serve(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "fakeclaude", "serve", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture
def served() -> Iterator[Served]:
    process = start_serve("--host", "127.0.0.1", "--port", "0", "--seed", "7", "--validation", "lenient")
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline().rstrip("\n") for _ in range(4)]  # blocks until ready
        assert banner[0].startswith("fakeclaude: serving the fake Messages API on http://127.0.0.1:"), banner
        yield Served(process, banner)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@needs_fake
def test_serve_prints_how_to_point_a_client_at_it(served: Served) -> None:
    assert f"export ANTHROPIC_BASE_URL={served.base_url}" in [line.strip() for line in served.banner]
    assert "export ANTHROPIC_API_KEY=sk-ant-fake-key" in [line.strip() for line in served.banner]


@needs_fake
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_answers_the_official_sdk_and_stops_on_a_signal(served: Served, sig: signal.Signals) -> None:
    with anthropic.Anthropic(base_url=served.base_url, api_key="any-key", max_retries=0) as client:
        model = client.models.list().data[0].id
        message = client.messages.create(model=model, max_tokens=32, messages=[{"role": "user", "content": "Hi"}])
        assert message.role == "assistant" and message.content
        assert message._request_id is not None
    served.process.send_signal(sig)
    out, err = served.process.communicate(timeout=10)
    assert served.process.returncode == 0, err
    assert "fakeclaude: stopped" in out
    assert "Traceback" not in err


@needs_fake
def test_serve_reports_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_serve("--port", str(port))
        _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert f"fakeclaude: cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_replay_reports_a_port_in_use_and_warns_about_an_empty_folder(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = subprocess.run([sys.executable, "-m", "fakeclaude", "replay", str(tmp_path), "--port", str(port)],
                                 cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert process.returncode == 1
    assert f"fakeclaude replay: cannot listen on 127.0.0.1:{port}" in process.stderr
    assert f"fakeclaude replay: warning: no interactions found under {tmp_path}" in process.stderr
    assert "Traceback" not in process.stderr
