"""Running scenarios: each in its own process, throwaway HOME and working directory, with a timeout.

A scenario process sees only the fake: ``ANTHROPIC_BASE_URL`` points at the ``fakeclaude serve`` of its
client, the key is a fake one, the host's other API keys, proxies and client settings are dropped, HOME
and every config/cache folder are a fresh temporary directory (also the working directory), and the
telemetry / update switches the clients document are off. Its whole process group is killed when it
ends or its timeout runs out, so nothing it started outlives it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .clients import ECOSYSTEM_DIR, Client
from .outcome import Outcome, Status, parse_result_line
from .scenarios import Scenario
from .server import fakeclaude_serve

__all__ = ["DEFAULT_MODEL", "DEFAULT_TIMEOUT", "LOG_DIR", "run_client", "run_scenario", "scenario_environment"]

#: The model every scenario asks for: a current model every client here knows.
DEFAULT_MODEL = "claude-sonnet-4-6"
#: Seconds one scenario may take, start-up of its client included.
DEFAULT_TIMEOUT = 120.0
#: Where each scenario's full output and each server's log are kept (git-ignored).
LOG_DIR = ECOSYSTEM_DIR / ".logs"

_API_KEY = "fakeclaude-ecosystem-key"

# Variables of the host that would change what a client does or where it sends things.
_DROPPED_PREFIXES = ("ANTHROPIC_", "CLAUDE_", "LITELLM_", "LLM_", "OPENAI_", "LANGCHAIN_", "LANGSMITH_",
                     "LOGFIRE_", "OTEL_", "AWS_", "GOOGLE_", "AZURE_", "NODE_OPTIONS")
_DROPPED = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
            "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "VIRTUAL_ENV",
            "PYTHONPATH", "PYTHONHOME"}

# Each client's documented switches for telemetry, update checks and downloads at start-up.
_QUIET = {
    "DO_NOT_TRACK": "1",
    "DISABLE_TELEMETRY": "1",  # Claude Code
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "DISABLE_BUG_COMMAND": "1",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY": "1",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # litellm: no download of the price list at import
    "LITELLM_TELEMETRY": "False",
    "LANGCHAIN_TRACING_V2": "false",
    "LANGSMITH_TRACING": "false",
    "LOGFIRE_SEND_TO_LOGFIRE": "false",
    "OTEL_SDK_DISABLED": "true",
    "HF_HUB_OFFLINE": "1",  # litellm imports tokenizers, which may look for files on the hub
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
    "NO_COLOR": "1",
}


def scenario_environment(base_url: str, home: Path, *, model: str = DEFAULT_MODEL, timeout: float = DEFAULT_TIMEOUT,
                         host: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of one scenario process: the host's, less what could leak, plus the fake's."""
    environment = {
        name: value for name, value in (os.environ if host is None else host).items()
        if name not in _DROPPED and not name.startswith(_DROPPED_PREFIXES)
    }
    environment.update(_QUIET)
    environment.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "TMPDIR": str(home),
        "LLM_USER_PATH": str(home / "llm"),
        "ANTHROPIC_BASE_URL": base_url,
        "ANTHROPIC_API_KEY": _API_KEY,
        "ECOSYSTEM_MODEL": model,
        "ECOSYSTEM_WORKDIR": str(home),
        "ECOSYSTEM_TIMEOUT": f"{timeout:g}",
        "NO_PROXY": "127.0.0.1,localhost",
    })
    return environment


@dataclass(frozen=True)
class _Finished:
    returncode: int | None  # None: timed out
    stdout: str
    stderr: str


def _run(command: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float) -> _Finished:
    process = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               errors="replace", start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        return _Finished(process.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        return _Finished(None, stdout, stderr)
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever the scenario left running in its group
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _judge(finished: _Finished, timeout: float) -> Outcome:
    reported = parse_result_line(finished.stdout)
    if finished.returncode is None:
        return Outcome(Status.FAIL, f"timed out after {timeout:g} s; last output: "
                       f"{_last_line(finished.stderr) or _last_line(finished.stdout) or 'none'}")
    if reported is not None:
        return reported
    return Outcome(Status.FAIL, f"exited {finished.returncode} without a result: "
                   f"{_last_line(finished.stderr) or _last_line(finished.stdout) or 'no output'}")


def run_scenario(client: Client, scenario: Scenario, *, base_url: str, timeout: float = DEFAULT_TIMEOUT,
                 model: str = DEFAULT_MODEL, python: Path | None = None, log: Path | None = None) -> Outcome:
    """Run one scenario of ``client`` against the fake at ``base_url`` and judge it.

    ``python`` overrides the client's interpreter (the smoke test runs a script with the project's own);
    ``log``, if given, receives the command, its exit status and its full output.
    """
    with tempfile.TemporaryDirectory(prefix=f"fakeclaude-eco-{client.key}-") as scratch:
        home = Path(scratch)
        command = client.command(scenario.name, python=python)
        finished = _run(command, cwd=home, env=scenario_environment(base_url, home, model=model, timeout=timeout),
                        timeout=timeout)
    outcome = _judge(finished, timeout)
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"$ {' '.join(command)}\nexit: {finished.returncode}\noutcome: {outcome.status} "
                       f"{outcome.reason}\n--- stdout\n{finished.stdout}\n--- stderr\n{finished.stderr}")
    return outcome


def run_client(client: Client, scenarios: Sequence[Scenario], *, timeout: float = DEFAULT_TIMEOUT,
               model: str = DEFAULT_MODEL, python: Path | None = None, log_dir: Path = LOG_DIR,
               progress: Callable[[Client, Scenario, Outcome], None] | None = None) -> dict[str, Outcome]:
    """Run ``scenarios`` of ``client`` against one fresh ``fakeclaude serve``; outcomes by scenario name.

    A client whose environment is not installed fails every scenario with the reason, without running.
    """
    outcomes: dict[str, Outcome] = {}
    missing = client.missing() if python is None else None
    if missing is not None:
        outcomes = {scenario.name: Outcome(Status.FAIL, missing) for scenario in scenarios}
    else:
        with fakeclaude_serve(log=log_dir / client.key / "fakeclaude-serve.log") as base_url:
            for scenario in scenarios:
                outcomes[scenario.name] = run_scenario(
                    client, scenario, base_url=base_url, timeout=timeout, model=model, python=python,
                    log=log_dir / client.key / f"{scenario.name}.log")
                if progress is not None:
                    progress(client, scenario, outcomes[scenario.name])
    return outcomes
