"""Wall time of a large replay-only suite over 1, 2 and 4 pytest-xdist workers, and over xdist's remote execution.

    .venv/bin/python -m benchmarks.xdist_replay [N]        # N tests, one cassette each (default 1000)

A suite of N tests is generated in a temporary folder, each replaying its own cassette (one non-streamed
Messages call through the official ``anthropic`` SDK, matched on method, path and body) with
``--claude-record-mode=none``, as CI runs it. The cassette is recorded once from a ``FakeClaude`` on
loopback (stopped before the suite runs: a miss cannot reach it), then copied N times. The suite runs with
no xdist, ``-n 2`` and ``-n 4``, then on two "remote hosts" (xdist's own remote execution: ``-d --tx
socket=127.0.0.1:PORT`` once per host, each an execnet socket server started from its own temporary folder,
the project sent over with ``--rsyncdir``; one socket server serves one worker at a time). Each run is bounded (``XDIST_RUN_TIMEOUT``, 600 s) and so is the whole benchmark
(``XDIST_MAX_SECONDS``, 1,800 s: the rows not run by then are skipped); the folders are removed at the end.

Printed per row: wall time, tests per second, speed-up over one process, the fixed cost F (an empty suite
on the same workers: start-up, collection, worker spawn) and the per-test cost (wall - F) / N, in
milliseconds of wall time. ``docs/scaling.md`` uses F and the per-test cost for its 100-host arithmetic.
``make_project`` and ``socket_gateway`` are shared with ``tests/plugin/test_xdist_remote.py``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from benchmarks import stop_process
from fakeclaude.cassettes import interception, recorder
from fakeclaude.cassettes.store import ClaudeCassette
from fakeclaude.server import FakeClaude

BODY = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Say hello"}]}
WORKERS = (1, 2, 4)
REMOTE_WORKERS = 2
TIMEOUT = float(os.environ.get("XDIST_RUN_TIMEOUT", "600"))
MAX_SECONDS = float(os.environ.get("XDIST_MAX_SECONDS", "1800"))
#: Set in a gateway's environment: the generated tests check they run under it (on the "remote host").
REMOTE_ROOT_VARIABLE = "FAKECLAUDE_XDIST_REMOTE_ROOT"
#: ``lean=True``: no plugin autoloading (this environment's schemathesis, hypothesis, ... cost seconds per
#: worker); only the two the suite needs, on the controller and (through its arguments) every worker.
LEAN_ENV = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
LEAN_ARGS = ("-p", "xdist.plugin", "-p", "fakeclaude_pytest.plugin")

SUITE = '''
import os
from pathlib import Path

import anthropic
import pytest

URL = {url!r}
CASES = [pytest.param(i, marks=pytest.mark.claude_cassette(f"c{{i}}", cassette_dir="cassettes")) for i in range({n})]


@pytest.mark.parametrize("i", CASES)
def test_replays(i, claude_cassette):
    remote = os.environ.get("{variable}")
    if remote:  # run by a gateway: from the copy sent to the remote host, not the controller's folder
        assert Path(__file__).resolve().is_relative_to(Path(remote).resolve()), __file__
    client = anthropic.Anthropic(api_key="sk-ant-bench", base_url=URL, max_retries=0)
    message = client.messages.create(model="claude-sonnet-4-5", max_tokens=64,
                                     messages=[{{"role": "user", "content": "Say hello"}}])
    assert message.content[0].text
'''


def record(folder: Path) -> str:
    """One recorded cassette at ``folder/c0.yaml``; returns the base URL it was recorded from (now closed)."""
    cassette = ClaudeCassette(folder / "c0.yaml", record_mode="rewrite")
    with FakeClaude(seed=0).serve() as base:
        interception.activate(recorder.Recorder(cassette))
        try:
            httpx2.post(base + "/v1/messages", json=BODY,
                        headers={"x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01"})
        finally:
            interception.deactivate()
    cassette.save()
    return base


def make_project(project: Path, n: int) -> None:
    """A suite of ``n`` replay tests in ``project`` (``test_replay.py``, ``cassettes/c*.yaml``) and an empty one."""
    cassettes = project / "cassettes"
    cassettes.mkdir(parents=True)
    url = record(cassettes)
    for i in range(1, n):
        shutil.copyfile(cassettes / "c0.yaml", cassettes / f"c{i}.yaml")
    (project / "test_replay.py").write_text(SUITE.format(url=url, n=n, variable=REMOTE_ROOT_VARIABLE))
    (project / "test_empty.py").write_text("")
    (project / "pytest.ini").write_text("[pytest]\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def socket_gateway(remote_root: Path, *, lean: bool = False) -> Iterator[str]:
    """execnet's socket server on 127.0.0.1, run from ``remote_root`` by this interpreter (a "remote host"):
    the ``--tx`` spec of one worker on it (``socket=127.0.0.1:PORT``); stopped after. It accepts one
    connection at a time, so ``2*socket=...`` would wait forever for its second worker: one server a worker."""
    import execnet

    script = Path(execnet.__file__).parent / "script" / "socketserver.py"
    port = _free_port()
    server = subprocess.Popen([sys.executable, str(script), f"127.0.0.1:{port}"], cwd=remote_root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, **(LEAN_ENV if lean else {}), REMOTE_ROOT_VARIABLE: str(remote_root)})
    try:
        deadline = time.monotonic() + 30
        while True:  # wait until it listens (a probe that sends nothing is one failed exec: it loops on)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("execnet's socket server did not start") from None
                time.sleep(0.05)
        yield f"socket=127.0.0.1:{port}"
    finally:
        stop_process(server)


def remote_args(specs: Sequence[str], project: Path) -> list[str]:
    """The pytest options distributing the tests over one worker per gateway spec, ``project`` sent by rsync."""
    return ["-d", *(arg for spec in specs for arg in ("--tx", spec)), "--rsyncdir", str(project)]


def run(project: Path, workers: int, *args: str, timeout: float = TIMEOUT, lean: bool = False) -> tuple[float, str]:
    """``pytest`` on ``project`` (``-n workers`` unless ``args`` say how to distribute): (wall s, its output)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
               *(LEAN_ARGS if lean else ()), "-W", "ignore::DeprecationWarning", "--claude-record-mode=none", *args]
    if workers > 1 and "-d" not in args:
        command += ["-n", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **(LEAN_ENV if lean else {}), "PYTHONDONTWRITEBYTECODE": "1"})
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 5):  # 5: no tests collected (the empty suite)
        raise SystemExit(f"pytest {' '.join(args)} (workers {workers}) failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


@dataclass(frozen=True)
class ScalingRow:
    """One run of the suite: its label, N, wall s, the fixed cost F s (the empty suite) and the speed-up base."""

    label: str
    n: int
    wall: float
    fixed: float
    base: float

    @property
    def per_test_ms(self) -> float:
        """(wall - F) / N in milliseconds: what one more test costs on these workers."""
        return max(0.0, self.wall - self.fixed) / self.n * 1000

    @property
    def speed_up(self) -> float:
        """The first run's wall time (one process) over this one's."""
        return self.base / self.wall


@dataclass
class Scaling:
    """What :func:`measure` ran: the rows measured, the labels skipped at the time bound, the load at the start."""

    n: int
    max_seconds: float
    rows: list[ScalingRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    load: float = float("nan")
    seconds: float = 0.0


def _row(row: ScalingRow) -> str:
    return (f"{row.label:>16} {row.wall:>8.1f} {row.n / row.wall:>8.1f} {row.speed_up:>7.2f}x {row.fixed:>8.1f} "
            f"{row.per_test_ms:>11.2f}")


def measure(n: int = 1000, *, workers: Sequence[int] = WORKERS, remote: bool = True, max_seconds: float = MAX_SECONDS,
            timeout: float = TIMEOUT, lean: bool = False, progress: Callable[[str], None] = print) -> Scaling:
    """The suite of ``n`` replay tests with each of ``workers`` (and on ``REMOTE_WORKERS`` socket hosts when
    ``remote``), stopping before a run once ``max_seconds`` have passed; ``progress`` gets a line per run.
    ``lean``: pytest without plugin autoloading (see :data:`LEAN_ENV`), the controller and the hosts alike."""
    started = time.monotonic()
    project = Path(tempfile.mkdtemp(prefix="fakeclaude-xdist-"))
    remote_root = Path(tempfile.mkdtemp(prefix="fakeclaude-xdist-remote-"))
    hosts = [remote_root / f"host{i}" for i in range(REMOTE_WORKERS)]
    result = Scaling(n, max_seconds, load=os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"))
    try:
        for host in hosts:
            host.mkdir()
        make_project(project, n)
        base = 0.0
        runs: list[tuple[str, list[str], int]] = [(f"{w}", [], w) for w in workers]
        if remote:
            runs.append((f"{REMOTE_WORKERS} remote hosts", ["remote"], REMOTE_WORKERS))
        for label, kind, count in runs:
            if time.monotonic() - started > max_seconds:
                result.skipped.append(label)
                progress(f"{label:>16} skipped: the benchmark reached its {max_seconds:.0f} s bound")
                continue
            if kind:
                with ExitStack() as gateways:
                    specs = [gateways.enter_context(socket_gateway(host, lean=lean)) for host in hosts]
                    args = remote_args(specs, project)
                    fixed, _ = run(project, count, *args, str(project / "test_empty.py"), timeout=timeout, lean=lean)
                    wall, _ = run(project, count, *args, str(project / "test_replay.py"), timeout=timeout, lean=lean)
            else:
                fixed, _ = run(project, count, "test_empty.py", timeout=timeout, lean=lean)
                wall, _ = run(project, count, "test_replay.py", timeout=timeout, lean=lean)
            base = base or wall
            result.rows.append(ScalingRow(label, n, wall, fixed, base))
            progress(_row(result.rows[-1]))
    finally:
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(remote_root, ignore_errors=True)
        result.seconds = time.monotonic() - started
    return result


def main(argv: Sequence[str] = sys.argv[1:]) -> None:
    n = int(argv[0]) if argv else 1000
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{n} tests, one cassette each; {os.cpu_count()} CPUs, load {load:.1f}; python {sys.version.split()[0]}")
    print(f"{'workers':>16} {'wall s':>8} {'tests/s':>8} {'speed-up':>8} {'fixed s':>8} {'per test ms':>11}")
    measure(n, progress=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
