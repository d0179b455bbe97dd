"""A fast smoke test of the ecosystem check's harness, with the project's own .venv (no extra installs).

The real check (``make ecosystem``) installs eight clients; here the official SDK's scenario script,
which the .venv already has, runs against a real ``fakeclaude serve``, and small probe scripts exercise
the fail, crash and timeout paths. The table writer is checked on a hand-made report.
"""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ecosystem import harness
from ecosystem.harness import (
    SCENARIOS,
    Client,
    Outcome,
    Report,
    Status,
    client_named,
    parse_result_line,
    render_results,
    render_summary,
    replace_readme_section,
    run_client,
    run_scenario,
    scenario_named,
)
from ecosystem.harness.run import scenario_environment
from ecosystem.harness.table import README_BEGIN, README_END

REPOSITORY = Path(__file__).resolve().parents[2]


def test_all_is_sorted_and_importable() -> None:
    exported = list(harness.__all__)
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n))
    assert all(getattr(harness, name) is not None for name in exported)


def test_the_official_sdk_script_passes_chat_and_error_against_fakeclaude_serve(tmp_path: Path) -> None:
    """The whole path a client takes: fakeclaude serve on a free port, a scenario process, its verdict."""
    sdk = client_named("anthropic-python")
    outcomes = run_client(sdk, [scenario_named("chat"), scenario_named("error")], python=Path(sys.executable),
                          log_dir=tmp_path, timeout=120)
    assert outcomes == {"chat": Outcome(Status.PASS), "error": Outcome(Status.PASS)}
    log = (tmp_path / "anthropic-python" / "error.log").read_text()
    assert "outcome: pass" in log and "anthropic_sdk_scenarios.py error" in log


def test_a_scenario_a_script_has_no_runner_for_is_a_fail() -> None:
    sdk = client_named("anthropic-python")
    outcome = run_scenario(sdk, harness.Scenario("brand_new", "brand new", "-"), base_url="http://127.0.0.1:9",
                           python=Path(sys.executable), timeout=60)
    assert outcome == Outcome(Status.FAIL, "no runner for scenario 'brand_new' in anthropic_sdk_scenarios.py")


PROBE = textwrap.dedent('''
    import os, subprocess, sys, time
    sys.path.insert(0, {clients!r})
    from _scenario import NeedsRealModel, NotApplicable, main, scenario

    @scenario("chat")
    def chat():
        raise ValueError("the answer was\\n  empty")

    @scenario("stream")
    def stream():
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        open({pid_file!r}, "w").write(str(child.pid))
        time.sleep(120)

    @scenario("tool_loop")
    def tool_loop():
        raise NotApplicable("no tools here")

    @scenario("thinking")
    def thinking():
        raise NeedsRealModel("only a model would know")

    if sys.argv[1] == "count_tokens":
        print("Traceback: something broke before main()", file=sys.stderr)
        sys.exit(3)
    main()
''')


@pytest.fixture
def probe(tmp_path: Path) -> Client:
    script = tmp_path / "probe_scenarios.py"
    script.write_text(PROBE.format(clients=str(REPOSITORY / "ecosystem" / "clients"), pid_file=str(tmp_path / "pid")))
    return Client("probe", "probe", str(script))


@pytest.mark.parametrize(("name", "expected"), [
    ("chat", Outcome(Status.FAIL, "ValueError: the answer was empty")),
    ("tool_loop", Outcome(Status.NOT_APPLICABLE, "no tools here")),
    ("thinking", Outcome(Status.NEEDS_REAL_MODEL, "only a model would know")),
    ("count_tokens", Outcome(Status.FAIL, "exited 3 without a result: Traceback: something broke before main()")),
])
def test_verdicts_of_a_probe_script(probe: Client, name: str, expected: Outcome) -> None:
    assert run_scenario(probe, scenario_named(name), base_url="http://127.0.0.1:9", timeout=60) == expected


def test_a_scenario_that_overruns_is_killed_with_everything_it_started(probe: Client, tmp_path: Path) -> None:
    outcome = run_scenario(probe, scenario_named("stream"), base_url="http://127.0.0.1:9", timeout=3)
    assert outcome.status is Status.FAIL and outcome.reason.startswith("timed out after 3 s")
    child = int((tmp_path / "pid").read_text())
    for _ in range(100):  # the kill is immediate; give the kernel a moment to deliver it
        if not _alive(child):
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail(f"the scenario's child process {child} outlived the timeout")


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a killed, orphaned child may stay a zombie until someone reaps it)."""
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_scenario_sees_only_the_fake() -> None:
    host = {"PATH": "/usr/bin", "HOME": "/root", "ANTHROPIC_AUTH_TOKEN": "sk-ant-real", "HTTPS_PROXY": "http://p",
            "CLAUDE_CONFIG_DIR": "/root/.claude", "OPENAI_API_KEY": "sk-real", "LANG": "C.UTF-8"}
    env = scenario_environment("http://127.0.0.1:1234", Path("/tmp/x"), host=host, timeout=30)
    assert env["ANTHROPIC_BASE_URL"] == "http://127.0.0.1:1234" and env["HOME"] == "/tmp/x"
    assert env["ANTHROPIC_API_KEY"].startswith("fakeclaude-")
    assert not {"ANTHROPIC_AUTH_TOKEN", "HTTPS_PROXY", "CLAUDE_CONFIG_DIR", "OPENAI_API_KEY"} & set(env)
    assert env["PATH"] == "/usr/bin" and env["LANG"] == "C.UTF-8" and env["ECOSYSTEM_TIMEOUT"] == "30"
    assert env["DISABLE_TELEMETRY"] == env["DISABLE_AUTOUPDATER"] == env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"


def test_result_lines() -> None:
    assert parse_result_line("noise\n") is None
    assert parse_result_line('ECOSYSTEM-RESULT {"status": "fail", "reason": "a"}\n'
                             'ECOSYSTEM-RESULT {"status": "pass"}\n') == Outcome(Status.PASS)
    broken = parse_result_line('ECOSYSTEM-RESULT {"status": "great"}')
    assert broken is not None and broken.status is Status.FAIL and "unreadable result line" in broken.reason
    assert len(Outcome(Status.FAIL, "x" * 1000).reason) == 400


def _report() -> Report:
    first, second = SCENARIOS[0], SCENARIOS[1]
    return Report(
        scenarios=[first, second],
        outcomes={"alpha": {first.name: Outcome(Status.PASS), second.name: Outcome(Status.FAIL, "400 thread")},
                  "beta": {first.name: Outcome(Status.NOT_APPLICABLE, "no chat"),
                           second.name: Outcome(Status.NEEDS_REAL_MODEL, "picks a file")}},
        versions={"alpha": {"alpha-lib": "1.2.3"}, "beta": {"beta-lib": "missing"}},
        date="2026-12-01", command="make ecosystem", fakeclaude="0.1.0 (commit abc1234)",
    )


def test_results_table() -> None:
    text = render_results(_report())
    assert f"| client | {SCENARIOS[0].title} | {SCENARIOS[1].title} |" in text
    assert "| alpha | pass | **fail** [1](#note-1) |" in text
    assert "| beta | n/a [2](#note-2) | real model [3](#note-3) |" in text
    assert '1. <a id="note-1"></a>**alpha, stream** (fail): 400 thread' in text
    assert "**beta, stream** (needs a real model): picks a file" in text
    assert "| alpha | alpha-lib 1.2.3 |" in text and "| beta | beta-lib missing |" in text
    assert "Run on 2026-12-01 against fakeclaude 0.1.0 (commit abc1234) with `make ecosystem`" in text
    assert "1 pass, 1 fail, 1 n/a, 1 real model" in text


def test_readme_section_is_replaced_in_place() -> None:
    readme = f"# Title\n\nbefore\n\n{README_BEGIN}\nold table\n{README_END}\n\nafter\n"
    summary = render_summary(_report())
    once = replace_readme_section(readme, summary)
    assert once == f"# Title\n\nbefore\n\n{README_BEGIN}\n{summary}\n{README_END}\n\nafter\n"
    assert replace_readme_section(once, summary) == once
    assert "[ecosystem/RESULTS.md](ecosystem/RESULTS.md)" in summary and "note-" not in summary
    with pytest.raises(ValueError, match="ecosystem-table:begin"):
        replace_readme_section("# no markers\n", summary)


def test_the_project_readme_shows_the_committed_table() -> None:
    readme = (REPOSITORY / "README.md").read_text()
    section = readme[readme.index(README_BEGIN) + len(README_BEGIN): readme.index(README_END)]
    results = (REPOSITORY / "ecosystem" / "RESULTS.md").read_text()
    grid = [line for line in section.splitlines() if line.startswith("| ")]
    assert len(grid) == 1 + len(harness.CLIENTS), "a header and one row per client"
    for line in grid[1:]:
        client = line.split(" | ")[0].removeprefix("| ")
        assert any(row.startswith(f"| {client} | ") for row in results.splitlines()), client
