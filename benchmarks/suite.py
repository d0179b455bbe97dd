"""``python -m benchmarks`` (``make bench``): every ratio side by side in one run, written to RESULTS.md.

Four groups, each against its own floor, all in one run on one machine:

- in-process calls: the official SDK on ``httpx2.MockTransport`` answering canned bytes (the floor), the
  fake through its httpx2 transport, its cassette replay, respx on httpcore2 (pytest-httpx2),
  httpx2-pytest, and vcrpy replay;
- loopback calls: a minimal aiohttp server answering canned bytes (the floor), ``fakeclaude serve``,
  and the LLM mock servers from the registries (llmock, fakellm from PyPI; aimock from npm);
- per-test overhead: pytest sessions of empty tests using each tool's fixture or marker;
- import time: ``import fakeclaude`` against ``import anthropic``.

Then the long forms (``benchmarks/long_runs.py``), each a section of its own: the soak runs (``soak``) and the
replay suite over xdist workers (``scaling``).

Every alternative runs in its own environment (``benchmarks/envs.py``); each case is a worker process
(``benchmarks/worker.py``) and the harness times them in interleaved rounds. How each figure and ratio is
computed is written into RESULTS.md itself (:data:`METHOD`).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from benchmarks import cold_cache, envs, instructions, long_runs, stop_process
from benchmarks.cases import PARAMS

__all__ = ["Case", "Settings", "main", "run_suite"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROJECT = "project"  # the project's own environment (this interpreter)
_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive", "date", "server"}


@dataclass(frozen=True)
class Settings:
    """How much to time: rounds per group and calls per batch (``--quick`` and ``--smoke`` shrink them)."""

    name: str
    rounds: int
    batch: int
    stream_batch: int
    loop_rounds: int
    loop_batch: int
    tests: int
    test_rounds: int
    import_rounds: int
    generations: int = 1
    """Each group's rounds are cut into this many runs, each on fresh worker processes (and fresh loopback
    servers): a process's own luck (its memory layout, its core) then weighs on that share of a row, not all."""
    alternatives: bool = True

    def available(self, env: str) -> bool:
        """Whether cases of ``env`` run: the project's always, an alternative's when installed (and wanted)."""
        return env == PROJECT or (self.alternatives and envs.installed(env))


FULL = Settings("full", rounds=160, batch=50, stream_batch=10, loop_rounds=80, loop_batch=40, tests=1000,
                test_rounds=3, import_rounds=5, generations=4)
QUICK = Settings("quick", rounds=30, batch=30, stream_batch=6, loop_rounds=15, loop_batch=20, tests=500,
                 test_rounds=2, import_rounds=5, generations=2)
SMOKE = Settings("smoke", rounds=1, batch=2, stream_batch=1, loop_rounds=1, loop_batch=2, tests=5,
                 test_rounds=1, import_rounds=1)


# ----- servers -------------------------------------------------------------------------------------------
@dataclass
class Server:
    """A loopback server the harness starts: a command with ``{port}``, a URL suffix, its environment."""

    label: str
    env: str
    command: list[str]
    suffix: str = ""
    files: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    url: str = ""

    def start(self, folder: Path, canned: Path) -> str:
        port = _free_port()
        work = folder / f"server-{self.label.replace(' ', '-')}"
        work.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (work / name).write_text(text, encoding="utf-8")
        command = [c.format(port=port, canned=canned, work=work, python=_python(PROJECT),
                            project_bin=Path(sys.executable).parent) for c in self.command]
        log = open(work / "server.log", "wb")  # noqa: SIM115 (kept open while the server runs)
        self.process = subprocess.Popen(command, cwd=work, stdout=log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited ({self.process.returncode}): "
                                   + (work / "server.log").read_text(errors="replace")[-400:])
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                self.url = f"http://127.0.0.1:{port}{self.suffix}"
                return self.url
            time.sleep(0.1)
        raise RuntimeError(f"{self.label} did not listen on 127.0.0.1:{port} within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        self.process = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


_FAKELLM_RULES = """version: 1
rules:
  - name: bench
    when:
      messages_contain: "haiku"
    respond:
      content: {text}
"""


#: The minimal server on uvloop's event loop, as ``fakeclaude serve`` runs (the floor runs on asyncio's own).
MINIMAL_UVLOOP = "minimal aiohttp on uvloop"


def servers(text: str) -> list[Server]:
    """The loopback servers, the floor first and ``fakeclaude serve`` second; each answers PARAMS with ``text``
    (the fake's answer)."""
    quoted = json.dumps(text)
    aimock = json.dumps({"fixtures": [{"match": {"userMessage": PARAMS["messages"][0]["content"]},
                                       "response": {"content": text}}]})
    return [
        Server("minimal aiohttp", PROJECT, ["{python}", "-m", "benchmarks.minimal_server", "{canned}", "{port}"]),
        Server("fakeclaude serve", PROJECT, ["{project_bin}/fakeclaude", "serve", "--port", "{port}",
                                             "--no-access-log"]),
        Server("llmock", "llmock", [str(envs.python("llmock").parent / "llmock"), "serve", "--host", "127.0.0.1",
                                    "--port", "{port}", "--log-level", "warning"], suffix="/anthropic"),
        Server("fakellm", "fakellm", [str(envs.python("fakellm").parent / "fakellm"), "serve", "--host",
                                      "127.0.0.1", "--port", "{port}", "--config", "fakellm.yaml"],
               files={"fakellm.yaml": _FAKELLM_RULES.format(text=quoted)}),
        Server("aimock", "aimock", [str(envs.node_bin("aimock", "llmock")), "--host", "127.0.0.1", "--port",
                                    "{port}", "--fixtures", "fixtures.json", "--log-level", "silent"],
               files={"fixtures.json": aimock}),
        Server(MINIMAL_UVLOOP, PROJECT, ["{python}", "-m", "benchmarks.minimal_server", "{canned}", "{port}",
                                         "uvloop"]),
    ]


# ----- cases and workers ---------------------------------------------------------------------------------
@dataclass
class Case:
    """One row: a worker case in an environment; ``server`` names the loopback server it calls."""

    label: str
    env: str
    worker: str
    call: str = "create"
    server: str = ""
    check_text: bool = True
    process: subprocess.Popen[str] | None = None
    error: str = ""
    samples: list[float] = field(default_factory=list)

    def start(self, options: dict[str, Any], folder: Path) -> None:
        log = open(folder / f"worker-{self.worker}-{self.call}-{self.env}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(_python(self.env)), "-m", "benchmarks.worker", self.worker, json.dumps({**options, "call": self.call})],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONWARNINGS": "ignore"})

    def ready(self) -> bool:
        assert self.process is not None and self.process.stdout is not None
        line = self.process.stdout.readline()
        answer: dict[str, Any] = json.loads(line) if line.strip() else {}
        if not answer.get("ready"):
            self.error = str(answer.get("error", "the worker exited at start"))
            self.stop()
        return not self.error

    def time(self, n: int, clock: str) -> float:
        assert self.process is not None and self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{n}\n")
        self.process.stdin.flush()
        seconds: float = json.loads(self.process.stdout.readline())[clock] / n
        self.samples.append(seconds)
        return seconds

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(BrokenPipeError, OSError):
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.close()
        stop_process(self.process, terminate=False)  # the line on its stdin asks it to end
        self.process = None


def _python(env: str) -> Path:
    return Path(sys.executable) if env == PROJECT else envs.python(env)


def in_process_cases() -> list[Case]:
    return [
        Case("floor: SDK on httpx2.MockTransport (canned bytes)", PROJECT, "floor"),
        Case(A_A + " (the floor's case in a second worker)", PROJECT, "floor"),
        Case("fakeclaude in-process (generated answer)", PROJECT, "fake"),
        Case("fakeclaude in-process (scripted handler)", PROJECT, "fake_scripted"),
        Case("fakeclaude in-process (a new prompt every call)", PROJECT, "fake_new_prompts"),
        Case("fakeclaude cassette replay", PROJECT, "replay"),
        Case("respx on httpcore2 (pytest-httpx2)", "pytest-httpx2", "respx_httpx2"),
        Case("httpx2-pytest httpx2_mock", "httpx2-pytest", "httpx2_pytest"),
        Case("vcrpy replay (pytest-recording)", "vcrpy", "vcrpy"),
    ]


def in_process_stream_cases() -> list[Case]:
    return [Case("floor: SDK on httpx2.MockTransport (canned SSE)", PROJECT, "floor", call="stream"),
            Case("fakeclaude in-process, stream", PROJECT, "fake", call="stream")]


def loopback_cases(call: str = "create") -> list[Case]:
    """The SDK (in the project's environment) against each loopback server; the LLM mocks for creates only."""
    labels = ["minimal aiohttp", MINIMAL_UVLOOP, "fakeclaude serve"] + (["llmock", "fakellm", "aimock"]
                                                                        if call == "create" else [])
    suffix = ", stream" if call == "stream" else ""
    cases = [Case(("floor: " if i == 0 else "") + label + suffix, PROJECT, "loopback", call=call, server=label,
                  check_text=label not in _OWN_TEXT)
             for i, label in enumerate(labels)]
    cases.insert(1, Case(A_A + " (a second client worker on the minimal server)" + suffix, PROJECT, "loopback",
                         call=call, server="minimal aiohttp"))
    return cases


#: The label of a group's second floor worker: its ratio to the floor is what two processes doing the same
#: work differ by (caches, memory layout), the part of every other row's ratio that is not the tool's.
A_A = "A/A: the floor again"

_OWN_TEXT = {"llmock": "answers a text of its own (its rules cannot set one): only the answer's shape is checked"}


# ----- statistics ----------------------------------------------------------------------------------------
def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """``(median, p10, p90)``; with fewer than 5 values p10 / p90 are the minimum and maximum."""
    if not values:
        return float("nan"), float("nan"), float("nan")
    if len(values) < 5:
        return statistics.median(values), min(values), max(values)
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    return statistics.median(values), deciles[0], deciles[-1]


def median_interval(values: Sequence[float]) -> tuple[float, float]:
    """A 95 % confidence interval of the median of ``values`` (distribution-free: the order statistics
    ``n/2 -+ 0.98 sqrt(n)``, the binomial's normal approximation); NaNs with fewer than 6 values."""
    n = len(values)
    if n < 6:
        return float("nan"), float("nan")
    ordered = sorted(values)
    half = 0.98 * math.sqrt(n)
    low, high = max(0, math.floor(n / 2 - half)), min(n - 1, math.ceil(n / 2 + half) - 1)
    return ordered[low], ordered[high]


def paired_ratios(case: Sequence[float], floor: Sequence[float]) -> list[float]:
    """``case[i] / floor[i]`` for every round ``i`` (both batches of a round ran back to back)."""
    return [a / b for a, b in zip(case, floor, strict=True) if b > 0]


@dataclass
class Row:
    """One line of a RESULTS.md table."""

    label: str
    median: float = float("nan")
    low: float = float("nan")
    high: float = float("nan")
    ratio: float = float("nan")
    ratio_low: float = float("nan")
    ratio_high: float = float("nan")
    note: str = ""
    ratio_ci: tuple[float, float] = (float("nan"), float("nan"))  # 95 % confidence interval of the median ratio


@dataclass
class Group:
    """A table: its title, unit, what its floor is, how it was timed, and its rows."""

    key: str
    title: str
    unit: str
    clock: str
    rows: list[Row] = field(default_factory=list)


def run_rounds(cases: list[Case], rounds: int, batch: int, clock: str) -> None:
    """Time every ready case once per round, the order rotated each round and reversed every other one."""
    live = [c for c in cases if not c.error]
    for r in range(rounds):
        shift = r % len(live)
        order = live[shift:] + live[:shift]
        for case in order if r % 2 == 0 else reversed(order):
            case.time(batch, clock)


def rows_of(cases: list[Case], scale: float = 1e6) -> list[Row]:
    floor = cases[0]
    rows = []
    for case in cases:
        if case.error:
            rows.append(Row(case.label, note=f"did not run: {case.error}"))
            continue
        median, low, high = spread([s * scale for s in case.samples])
        row = Row(case.label, median, low, high, note=_OWN_TEXT.get(case.server, ""))
        if not floor.error:
            ratios = paired_ratios(case.samples, floor.samples)
            row.ratio, row.ratio_low, row.ratio_high = spread(ratios)
            row.ratio_ci = median_interval(ratios)
        rows.append(row)
    return rows


# ----- the groups ----------------------------------------------------------------------------------------
def prepare_canned(folder: Path) -> tuple[Path, str]:
    """The fake's answers to PARAMS (plain and streamed) and their headers, for the canned floors."""
    import httpx2

    from fakeclaude.server import FakeClaude

    canned = folder / "canned"
    canned.mkdir(parents=True, exist_ok=True)
    headers = {"x-api-key": "bench-made-up-key", "anthropic-version": "2023-06-01"}
    with httpx2.Client(transport=FakeClaude(seed=0).httpx2_transport(), base_url="http://fake") as client:
        plain = client.post("/v1/messages", json=PARAMS, headers=headers)
        streamed = client.post("/v1/messages", json={**PARAMS, "stream": True}, headers=headers)
    plain.raise_for_status()
    text = plain.json()["content"][0]["text"]

    def kept(h: Any) -> dict[str, str]:
        return {k: v for k, v in h.items() if k.lower() not in _HOP}

    (canned / "message.json").write_bytes(plain.content)
    (canned / "stream.sse").write_bytes(streamed.content)
    (canned / "meta.json").write_text(json.dumps({"text": text, "message_headers": kept(plain.headers),
                                                  "stream_headers": kept(streamed.headers)}), encoding="utf-8")
    return canned, text


class RunningServers:
    """The loopback servers of a run, started together; ``restart`` gives each a fresh process (a new port)."""

    def __init__(self, servers: list[Server], folder: Path, canned: Path, settings: Settings) -> None:
        self.servers, self.folder, self.canned, self.settings = servers, folder, canned, settings
        self.urls: dict[str, str] = {}
        self.problems: dict[str, str] = {}

    def start(self) -> None:
        self.problems.clear()
        for server in self.servers:
            if not self.settings.available(server.env):
                self.problems[server.label] = f"environment {server.env} not installed"
                continue
            try:
                self.urls[server.label] = server.start(self.folder, self.canned)
            except RuntimeError as exc:
                self.problems[server.label] = str(exc)

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        self.urls.clear()


def generations(rounds: int, count: int) -> list[int]:
    """``rounds`` cut into ``count`` runs of near-equal length (fewer when there are fewer rounds)."""
    count = max(1, min(count, rounds))
    return [rounds // count + (1 if i < rounds % count else 0) for i in range(count)]


def _start_workers(cases: list[Case], options: dict[str, Any], folder: Path, settings: Settings,
                   servers: RunningServers | None, log: IO[str]) -> None:
    for case in cases:
        if case.error:
            continue
        if not settings.available(case.env):
            case.error = f"environment {case.env} not installed"
            continue
        extra: dict[str, Any] = {}
        if case.server:
            assert servers is not None, "a loopback case needs the servers"
            if case.server not in servers.urls:
                case.error = servers.problems.get(case.server, f"{case.server} is not running")
                continue
            extra["base_url"] = servers.urls[case.server]
        if not case.check_text:
            extra["text"] = ""
        case.start({**options, **extra}, folder)
    for case in cases:
        if case.process is not None:
            case.ready()
            if case.error:
                print(f"  {case.label}: {case.error}", file=log, flush=True)


def _run_group(cases: list[Case], options: dict[str, Any], folder: Path, settings: Settings, rounds: int,
               batch: int, clock: str, log: IO[str], servers: RunningServers | None = None) -> list[Row]:
    """Time ``cases`` for ``rounds`` rounds, over ``settings.generations`` runs of fresh worker processes
    (with ``servers``, each run after the first on freshly started servers too)."""
    for run, share in enumerate(generations(rounds, settings.generations)):
        if run and servers is not None:
            servers.restart()
        _start_workers(cases, options, folder, settings, servers, log)
        try:
            if cases[0].error:
                break
            run_rounds(cases, share, batch, clock)
        finally:
            for case in cases:
                case.stop()
    return rows_of(cases)


def calls_groups(settings: Settings, folder: Path, log: IO[str], *, in_process: bool = True,
                 loopback: bool = True) -> list[Group]:
    """The in-process groups and the loopback groups (either may be left out)."""
    canned, text = prepare_canned(folder)
    groups = []
    started = RunningServers(servers(text) if loopback else [], folder, canned, settings)
    try:
        started.start()
        options = {"canned": str(canned), "text": text, "minimal_url": started.urls.get("minimal aiohttp", "")}

        if in_process:
            print("in-process calls ...", file=log, flush=True)
            groups.append(Group("in-process", "In-process calls: `messages.create`, the SDK's transport answered "
                                "without a socket", "µs per call", "cpu",
                                _run_group(in_process_cases(), options, folder, settings, settings.rounds,
                                           settings.batch, "cpu", log)))
            groups.append(Group("in-process-stream", "In-process streams: `messages.stream()` + `get_final_message()`",
                                "µs per call", "cpu",
                                _run_group(in_process_stream_cases(), options, folder, settings, settings.rounds,
                                           settings.stream_batch, "cpu", log)))
        loopback_groups = (("create", "loopback", "Loopback calls: `messages.create` on 127.0.0.1"),
                           ("stream", "loopback-stream", "Loopback streams on 127.0.0.1"))
        for call, key, title in loopback_groups if loopback else ():
            print(f"loopback {call} ...", file=log, flush=True)
            batch = settings.loop_batch if call == "create" else max(1, settings.loop_batch // 4)
            groups.append(Group(key, title, "µs per call", "wall",
                                _run_group(loopback_cases(call), options, folder, settings, settings.loop_rounds,
                                           batch, "wall", log, started)))
    finally:
        started.stop()
    return groups


TEST_VARIANTS: list[tuple[str, str, str]] = [
    # (label, environment, the variant test); the first is the floor
    ("floor: an empty yield fixture", PROJECT, "def test_variant(n, empty_fixture):\n    pass\n"),
    ("fake_claude", PROJECT, "def test_variant(n, fake_claude):\n    pass\n"),
    ("fake_claude_session", PROJECT, "def test_variant(n, fake_claude_session):\n    pass\n"),
    ("claude_cassette marker", PROJECT, "@pytest.mark.claude_cassette\ndef test_variant(n):\n    pass\n"),
    ("pytest-httpx2 httpx2_mock (respx)", "pytest-httpx2", "def test_variant(n, httpx2_mock):\n    pass\n"),
    ("httpx2-pytest httpx2_mock", "httpx2-pytest", "def test_variant(n, httpx2_mock):\n    pass\n"),
    ("pytest-recording vcr marker", "vcrpy", "@pytest.mark.vcr\ndef test_variant(n):\n    pass\n"),
]

_TIMING_CONFTEST = '''"""Written by benchmarks/suite.py: plain and variant tests alternate; each test's phases are timed on
the process CPU clock (all threads: a fixture's server thread counts), around every other plugin's hooks."""
import json
import os
import time

import pytest

_SECONDS = {}


@pytest.fixture
def empty_fixture(request):
    yield request


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: (item.callspec.params["n"], item.originalname))


def _timed(item):
    start = time.process_time()
    yield
    _SECONDS[item.nodeid] = _SECONDS.get(item.nodeid, 0.0) + time.process_time() - start


pytest_runtest_setup = pytest.hookimpl(wrapper=True, tryfirst=True)(lambda item: (yield from _timed(item)))
pytest_runtest_call = pytest.hookimpl(wrapper=True, tryfirst=True)(lambda item: (yield from _timed(item)))
pytest_runtest_teardown = pytest.hookimpl(wrapper=True, tryfirst=True)(
    lambda item, nextitem: (yield from _timed(item)))


def pytest_sessionfinish(session):
    with open(os.environ["BENCH_DURATIONS"], "w") as out:
        json.dump(_SECONDS, out)
'''


def _session_overhead(env: str, folder: Path, body: str, tests: int) -> float:
    """One pytest session of ``tests`` plain and ``tests`` variant tests, alternating: the median of the
    variant's setup + call + teardown minus the plain test's, in seconds."""
    (folder / "conftest.py").write_text(_TIMING_CONFTEST, encoding="utf-8")
    (folder / "test_bench.py").write_text(
        f"import pytest\n\nN = range({tests})\n\n@pytest.mark.parametrize('n', N)\ndef test_plain(n):\n    pass\n\n"
        f"@pytest.mark.parametrize('n', N)\n{body}", encoding="utf-8")
    durations = folder / "durations.json"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTHONPATH")}
    environment["BENCH_DURATIONS"] = str(durations)
    subprocess.run([str(_python(env)), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                    "-p", "no:xdist", str(folder)], check=True, capture_output=True, cwd=folder, env=environment)
    seconds: dict[str, float] = json.loads(durations.read_text(encoding="utf-8"))
    plain = [float(v) for k, v in seconds.items() if "::test_plain[" in k]
    variant = [float(v) for k, v in seconds.items() if "::test_variant[" in k]
    return statistics.median(variant) - statistics.median(plain)


def per_test_group(settings: Settings, folder: Path, log: IO[str]) -> Group:
    """Per-test overhead of each fixture or marker, measured inside pytest sessions (see METHOD)."""
    print("per-test overhead ...", file=log, flush=True)
    variants = [(label, env, body) for label, env, body in TEST_VARIANTS if settings.available(env)]
    missing = [(label, env) for label, env, _ in TEST_VARIANTS if not settings.available(env)]
    overheads: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    for r in range(settings.test_rounds):
        for label, env, body in variants if r % 2 == 0 else list(reversed(variants)):
            session = folder / env
            session.mkdir(parents=True, exist_ok=True)
            (session / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
            overheads[label].append(_session_overhead(env, session, body, settings.tests))
    floor = overheads[TEST_VARIANTS[0][0]]
    rows = []
    for label, _, _ in variants:
        median, low, high = spread([s * 1e3 for s in overheads[label]])
        row = Row(label, median, low, high)
        ratio = statistics.median(overheads[label]) / statistics.median(floor) if statistics.median(floor) > 0 else 0
        if ratio > 0:
            row.ratio = ratio
        rows.append(row)
    rows += [Row(label, note=f"did not run: environment {env} not installed") for label, env in missing]
    return Group("per-test", f"Per-test overhead: setup + call + teardown of an empty test using the fixture or "
                 f"marker, minus a plain empty test's, in one pytest session ({settings.tests} of each)",
                 "ms per test", "wall", rows)


def import_group(settings: Settings, log: IO[str]) -> Group:
    """Fresh interpreters: ``import X`` minus ``pass``, both from one warm bytecode cache."""
    print("import time ...", file=log, flush=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        def once(code: str) -> float:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-X", f"pycache_prefix={cache}", "-c", code], env=env, check=True)
            return time.perf_counter() - start

        for name in ("anthropic", "fakeclaude"):
            once(f"import {name}")  # primes the bytecode cache and the page cache
        samples: dict[str, list[float]] = {"anthropic": [], "fakeclaude": []}
        for r in range(settings.import_rounds):
            bare = once("pass")
            for name in ("anthropic", "fakeclaude") if r % 2 == 0 else ("fakeclaude", "anthropic"):
                samples[name].append(max(once(f"import {name}") - bare, 1e-6))
    rows = []
    for label, name in (("floor: import anthropic", "anthropic"), ("import fakeclaude", "fakeclaude")):
        median, low, high = spread([s * 1e3 for s in samples[name]])
        ratio, ratio_low, ratio_high = spread(paired_ratios(samples[name], samples["anthropic"]))
        rows.append(Row(label, median, low, high, ratio, ratio_low, ratio_high))
    return Group("import", "Import time: a fresh interpreter, minus a bare one, warm bytecode cache",
                 "ms", "wall", rows)


# ----- the report ----------------------------------------------------------------------------------------
METHOD = """\
## How the figures are computed

- **Workers, interleaved rounds.** Each case of a group is its own process (its tool's environment,
  the same `anthropic` and `httpx2` versions everywhere), built and warmed (one checked call) before any
  timing. A round times one batch of every case back to back; the order rotates every round and is
  reversed every other round, so no case always runs first or right after a given other. Workers wait on
  a pipe while another runs: cases never share the CPU with each other.
- **Fresh processes, four times.** A process keeps its own luck for its whole life (where its memory
  landed, which core it runs on, beside which server process): two workers doing the same work differed
  by up to 6 % for a whole run (the A/A rows below, 0.95-1.06x over earlier runs), more than the rounds'
  interval said. So the full run cuts each group's rounds into 4 runs (2 in `--quick`), each on newly
  started workers and, for the loopback groups, newly started servers; a row's rounds then come from
  four processes and no one process decides it. The interval below is still taken over rounds, as if
  they were independent: the A/A row is the check on how far two processes' luck still moves a ratio.
- **median, p10-p90.** The time per call of a case is its batch time / batch size; the table gives the
  median over rounds and the 10th-90th percentile of the rounds (minimum-maximum with fewer than 5).
- **ratio to the floor (the one documented method).** Per round, the case's time per call divided by the
  floor's in the *same* round; the table gives the median of these paired ratios and their p10-p90.
  A slow spell of this shared machine lands on both sides of a pair and cancels out, which a ratio of
  two medians taken over different moments does not do. The goals table adds the median's 95 % confidence
  interval (distribution-free: the paired ratios' order statistics at n/2 -+ 0.98 sqrt(n)). A round's
  ratio moves a lot on this shared machine (p10-p90 about 0.85-1.45 for every case, the floor's second
  worker included), so the full run times 160 in-process and 80 loopback rounds: the interval is then
  about +-0.03 wide, where 40 rounds left +-0.05 (a case's median moved 1.09-1.17x between runs of the
  same code).
- **A/A rows.** The in-process and the loopback groups each time the floor's own case a second time, in a
  second worker process. Its ratio to the floor is what two processes doing the same work differ by (their
  caches, their memory layout, their place in the rotation): the part of any other row's ratio that is not
  the tool's doing. The goals table shows it next to the goals.
- **Clocks.** In-process cases are timed on the worker's process CPU clock (`time.process_time`): all
  their work is in that process, and the CPU clock does not count the time the kernel gives other
  processes of this 2-core machine. Loopback cases need the server's work too and are timed on the wall
  clock, the server in its own process (as `fakeclaude serve` runs for tests in any language).
- **Same bytes.** The canned floors (MockTransport, the minimal aiohttp server) and the canned mockers
  (respx, httpx2-pytest) serve the fake's own answer to the same request, byte for byte with its headers;
  the cassette tools replay what they recorded from it; the LLM mock servers answer the same text from
  their own rule or fixture formats (their JSON differs: fewer fields, other ids).
- **One request, repeated.** Every call sends the same request (as a test suite sends the same fixture
  conversation again and again). The engine keeps the analysis of its last 256 distinct bodies (validation,
  prompt count, context plan, seed, and the plan of an unscripted answer when no server tool is offered:
  `fakeclaude/server/analysis_memo.py`) and the text generator its last 256 texts, so a repeated request
  skips validation, planning and generation, never the script, the rate limiter, the prompt cache, ids or
  the request log. An unstreamed answer made of the body alone is kept whole, as its bytes around the
  message id, and so is the answer composed from each of the last 4 distinct scripted replies to a body
  (an equal reply to an equal body, both compared in full every time). The *scripted handler* row's
  handler runs on every call; the *new prompt every call* row sends a prompt the fake has not seen before
  each time, so it pays all of it (the canned floor does not care which prompt it gets).
- **Per-test overhead.** One pytest session per tool and round, in the tool's environment: N empty plain
  tests and N empty tests using the tool's fixture or marker, alternating (plain 0, variant 0, plain 1, ...),
  making no request. Each test's setup, call and teardown are timed on the process CPU clock (hook
  wrappers around every other plugin's, all threads counted) and summed; the figure is the median over the variant's tests minus the median over the plain ones, so the sessions'
  start-up and collection (seconds, and noisy) drop out. The floor is an empty function-scoped yield
  fixture: what any fixture costs in pytest. **Import.** `python -c "import X"` minus `python -c pass`,
  paired per round; both packages read one warm bytecode cache (`-X pycache_prefix`).
- **Instructions and cold caches (their own sections).** `benchmarks.instructions` counts the machine
  instructions of the in-process cases under callgrind (load-independent, needs valgrind; not run in smoke
  mode); `benchmarks.cold_cache` times the floor plus a small loop of the fake's extra instructions and the
  floor plus the fake's engine work, the table's way, and the engine's work in a tight loop. Together they
  say how much of a time ratio is the fake's instruction count and how much its memory footprint.
- **Soak (its own section).** Streaming: N asyncio clients (aiohttp) each stream `messages` replies back to
  back from `fakeclaude serve` until the time bound; a stream counts when it is a 200 ending in
  `message_stop`, anything else is an error; latency is request sent to last byte (p50 / p99 over all
  streams), throughput is streams / wall seconds. Connections: all sockets are opened first, then each sends
  one request (`Connection: close`) and all are read at once. RSS is the server's `VmRSS` (`/proc`) before
  the first and after the last request. In-process: the requests are cut into tenths; per tenth, the rate
  (requests / wall seconds), the **CPU per request** (the process CPU clock over the tenth / its requests:
  the slowdown test that a loaded machine does not blur, where the rate moves with the load) and the
  process's RSS after `gc.collect()`. Flat CPU and RSS columns mean no slowdown and no leak. Each run says
  whether it stopped on its count or its time bound.
- **Scaling (its own section).** One wall-clock pytest run per row (the workers are separate processes),
  the suite then an empty file on the same workers: the empty run is the **fixed cost** F (start-up,
  collection, worker spawn, the remote hosts' rsync), the **per-test cost** is (wall - F) / N, the speed-up
  is the one-process wall time / the row's. The empty file imports nothing, so the suite module's own
  imports (`anthropic`, about a second) land in the per-test cost: read it at N = 1,000, not at the smoke
  run's 5. The short runs (`--quick`, `--smoke`) run pytest lean (no plugin autoloading), the full run loads
  every installed plugin as a user's environment does. A single run per row on a shared machine: the speed-up carries
  the load of the moment (given with the section); F and the per-test cost are what `docs/scaling.md`
  extrapolates to a CI fleet.

## Why two earlier methods disagreed (1.19-1.22x against 1.28-1.35x)

`benchmarks/server_transport.py` (median of 60 paired per-round ratios of 40 calls) and an outside
measurement (ratio of the medians of 5 interleaved rounds of 300 calls) timed different work, more than
they timed differently:

1. **Different fakes, same floor idea.** `server_transport.py` answers through a scripted handler
   (`fake.handler(lambda r: Reply([...]))`, `max_recorded_requests=100`); a plain `FakeClaude()`
   generates its answer (seeded text, token counts, ids) and keeps 1,000 recorded requests. Generation
   costs more than replaying a scripted text: the two in-process rows *generated answer* and *scripted
   handler* above show the gap in one run, on the same floor bytes.
2. **Noise against 5 rounds.** On this 2-core machine shared by several sessions, wall-clock batches move
   by +-30 %; a ratio of two medians of 5 rounds each carries that noise whole (one noisy round in five
   moves a median), while the median of many paired ratios cancels most of it. Re-running both methods
   side by side on one fake here gave 1.28-1.45x (paired) and 1.31-1.63x (ratio of medians) in
   consecutive runs: the same order of disagreement from noise alone.
3. **Not GC, not warm-up, not order.** Over 4,000 calls the collector ran 1-12 young and at most one
   middle generation collection (no full one), both workers are warmed before timing, and the order is
   rotated; these moved no ratio beyond the noise.

So the table reports both fakes, uses the paired method on the CPU clock for in-process rows, and names
which fake each row is.
"""


def _versions() -> dict[str, str]:
    found = {name: metadata.version(name) for name in ("fakeclaude", "anthropic", "httpx2", "aiohttp")}
    for env in envs.ENVS.values():
        if not envs.installed(env.name):
            found[env.name] = "not installed"
        elif env.npm:
            package = envs.root() / env.name / "node_modules" / env.npm.rsplit("@", 1)[0] / "package.json"
            found[env.npm.rsplit("@", 1)[0]] = json.loads(package.read_text(encoding="utf-8"))["version"]
        else:
            for pin in env.pip:
                if "==" in pin:
                    name, version = pin.split("==")
                    found[name] = version
    return found


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                             check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _fmt(value: float, digits: int = 1) -> str:
    return "-" if value != value else f"{value:,.{digits}f}"


def table(group: Group) -> str:
    digits = 2 if group.unit.startswith("ms") else 0
    ratio_head = "ratio to floor (p10-p90)"
    lines = [f"### {group.title}", "", f"| case | median {group.unit} | p10-p90 | {ratio_head} | note |",
             "| --- | ---: | ---: | ---: | --- |"]
    for row in group.rows:
        ratio = _fmt(row.ratio, 2) + ("x" if row.ratio == row.ratio else "")
        if row.ratio_low == row.ratio_low and row.ratio == row.ratio:
            ratio += f" ({row.ratio_low:.2f}-{row.ratio_high:.2f})"
        lines.append(f"| {row.label} | {_fmt(row.median, digits)} | {_fmt(row.low, digits)}-{_fmt(row.high, digits)} "
                     f"| {ratio} | {row.note} |")
    return "\n".join(lines)


def _find(groups: list[Group], key: str, label_start: str) -> Row | None:
    for group in groups:
        if group.key == key:
            for row in group.rows:
                if row.label.startswith(label_start):
                    return row
    return None


def goals(groups: list[Group]) -> list[tuple[str, str, str]]:
    """``(goal, figure, met)`` for each goal of issue #14 section 1 (and #12's no-worse-than-vcrpy)."""
    def check(key: str, label: str, limit: float, what: str, field_: str = "ratio",
              strict: bool = False) -> tuple[str, str, str]:
        row = _find(groups, key, label)
        value = getattr(row, field_) if row else float("nan")
        if value != value:
            return what, "not measured", "-"
        met = value < limit if strict else value <= limit
        figure = f"{value:.2f}" + ("x" if field_ == "ratio" else " ms")
        low, high = row.ratio_ci if row and field_ == "ratio" else (float("nan"), float("nan"))
        if low == low:
            figure += f" ({low:.2f}-{high:.2f})"
            if (low <= limit) != (high <= limit):  # the interval holds the limit: the run cannot tell
                return what, figure, "yes (within noise)" if met else "NO (within noise)"
        return what, figure, "yes" if met else "NO"

    out = [
        check("in-process", "fakeclaude in-process (generated", 1.10, "fake in-process (generated) <= 1.10x the floor"),
        check("in-process", "fakeclaude in-process (scripted", 1.10, "fake in-process (scripted) <= 1.10x the floor"),
        check("loopback", "fakeclaude serve", 1.0, "fakeclaude serve <= 1.0x the minimal aiohttp server"),
        check("in-process", "fakeclaude cassette replay", 1.10, "cassette replay <= 1.10x the floor"),
        check("per-test", "fake_claude", 1.0, "fake_claude per test < 1 ms", field_="median", strict=True),
        check("import", "import fakeclaude", 1 / 3, "import fakeclaude <= 1/3 of import anthropic"),
    ]
    for key, where in (("in-process", "in-process"), ("loopback", "loopback")):
        same = _find(groups, key, A_A)
        if same and same.ratio == same.ratio:
            low, high = same.ratio_ci
            interval = f" ({low:.2f}-{high:.2f})" if low == low else ""
            out.append((f"(no goal) A/A {where}: the floor's case in a second worker, against the floor",
                        f"{same.ratio:.2f}x{interval}", "-"))
    replay, vcr = _find(groups, "in-process", "fakeclaude cassette replay"), _find(groups, "in-process", "vcrpy")
    if replay and vcr and replay.median == replay.median and vcr.median == vcr.median:
        out.append(("replay per call no worse than vcrpy", f"{replay.median:.0f} vs {vcr.median:.0f} µs",
                    "yes" if replay.median <= vcr.median else "NO"))
    ours, theirs = _find(groups, "per-test", "claude_cassette"), _find(groups, "per-test", "pytest-recording")
    if ours and theirs and ours.median == ours.median and theirs.median == theirs.median:
        out.append(("claude_cassette per test no worse than pytest-recording's vcr",
                    f"{ours.median:.2f} vs {theirs.median:.2f} ms", "yes" if ours.median <= theirs.median else "NO"))
    return out


def report(groups: list[Group], settings: Settings, command: str, seconds: float, load: tuple[str, str],
           sections: Sequence[long_runs.Section] = ()) -> str:
    versions = _versions()
    lines = [
        "# Benchmarks: fakeclaude against the alternatives",
        "",
        f"Written by `{command}` ({settings.name} mode, {seconds:.0f} s) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {_commit()}. Regenerate with `make bench` "
        "(`make bench BENCH_ARGS=--quick` for a shorter run); the alternatives install themselves into "
        "`benchmarks/.envs/` (git-ignored) on first use.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; load average {load[0]} at the start, {load[1]} at the end "
        "(other sessions share this machine: the spread columns show how much that moved each case).",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "",
        "## Goals (issue #14 section 1, issue #12)",
        "",
        "The figure of a ratio goal is the median of the paired per-round ratios with its 95 % confidence interval "
        "(see *How the figures are computed*); a goal whose interval holds its limit is marked *within noise*.",
        "",
        "| goal | figure | met |",
        "| --- | ---: | :---: |",
        *(f"| {goal} | {figure} | {met} |" for goal, figure, met in goals(groups)),
        "",
        "## Tables",
        "",
    ]
    for group in groups:
        lines += [table(group), ""]
    for section in sections:
        lines += [section.text, ""]
    lines.append(METHOD)
    return "\n".join(lines)


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


#: The long forms, run after the table in this order, each a section of RESULTS.md (``--only instructions|cold|soak|scaling``).
LONG_RUNS: dict[str, Callable[[str, IO[str]], long_runs.Section]] = {
    "instructions": instructions.section,
    "cold": cold_cache.section,
    "soak": long_runs.soak_section,
    "scaling": long_runs.scaling_section,
}


def run_suite(settings: Settings, out: Path | None, *, install: bool, only: Sequence[str] = (),
              log: IO[str] = sys.stderr, command: str = "python -m benchmarks") -> tuple[list[Group], str]:
    """Run the groups, then the long forms (``only`` restricts them: calls, loopback, tests, imports, soak,
    scaling) and write the report to ``out``."""
    started, load_start = time.perf_counter(), _load()
    if install:
        for name in envs.ENVS:
            if not envs.installed(name):
                print(f"installing {name} into {envs.root() / name} ...", file=log, flush=True)
                try:
                    envs.ensure(name)
                except envs.EnvError as exc:
                    print(f"  {exc}", file=log, flush=True)
    groups: list[Group] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        if not only or "calls" in only or "loopback" in only:  # calls: in-process and loopback
            groups += calls_groups(settings, folder, log, in_process=not only or "calls" in only)
        if not only or "tests" in only:
            groups.append(per_test_group(settings, folder / "tests", log))
        if not only or "imports" in only:
            groups.append(import_group(settings, log))
    sections = [run(settings.name, log) for key, run in LONG_RUNS.items() if not only or key in only]
    text = report(groups, settings, command, time.perf_counter() - started, (load_start, _load()), sections)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return groups, text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer rounds and calls, short soak and scaling runs (a few minutes)")
    parser.add_argument("--smoke", action="store_true", help="one tiny round of everything (checks the harness)")
    parser.add_argument("--only", action="append", choices=["calls", "loopback", "tests", "imports", *LONG_RUNS],
                        default=[], help="run only these groups (repeatable; calls includes loopback)")
    parser.add_argument("--no-install", action="store_true", help="skip alternatives not installed yet")
    parser.add_argument("--project-only", action="store_true", help="only the project's own cases and floors")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="where to write the report")
    args = parser.parse_args(argv)
    settings = SMOKE if args.smoke else QUICK if args.quick else FULL
    if args.project_only:
        settings = dataclasses.replace(settings, alternatives=False)
    command = "python -m benchmarks" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    _, text = run_suite(settings, args.out, install=settings.alternatives and not args.no_install, only=args.only,
                        command=command)
    print(text)
    return 0
