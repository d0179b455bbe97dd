"""Claude Code in print mode (``claude -p``, from npm) against ``fakeclaude serve``.

Run as a user runs it, with ``ANTHROPIC_BASE_URL`` pointing at the fake and the harness's temporary HOME
and working directory, telemetry and update checks off (the harness sets ``DISABLE_TELEMETRY``,
``DISABLE_AUTOUPDATER``, ``CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC``, ...). It never gets to act outside
that directory: ``--permission-mode dontAsk`` refuses every tool use not allowed up front (read-only tools
stay inside the working directory), and every tool that writes, runs commands, reaches the network or
schedules work is removed with ``--disallowedTools``. Standard library only: it runs with any Python.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from _scenario import WORKDIR, Failed, NeedsRealModel, NotApplicable, expect, main, scenario

CLAUDE = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "claude"
DEBUG_LOG = Path(WORKDIR) / "claude-debug.log"
#: Tools that act on the world; none of them is ever offered.
DENIED = ("Bash", "PowerShell", "Write", "Edit", "MultiEdit", "NotebookEdit", "WebFetch", "WebSearch",
          "CronCreate", "CronDelete", "ScheduleWakeup", "EnterWorktree", "ExitWorktree", "Workflow")
#: Seconds one ``claude -p`` may run: a little less than the harness gives the whole scenario.
TIMEOUT = max(10.0, float(os.environ.get("ECOSYSTEM_TIMEOUT", "120")) - 15)
SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "country": {"type": "string"}, "population": {"type": "integer"}},
    "required": ["name", "country", "population"],
}


def _claude(prompt: str, *options: str) -> tuple[int, list[dict[str, Any]]]:
    """Run ``claude -p prompt`` with stream-json output; its exit status and every event it printed."""
    command = [str(CLAUDE), "-p", prompt, "--output-format", "stream-json", "--verbose",
               "--permission-mode", "dontAsk", "--disallowedTools", ",".join(DENIED),
               "--strict-mcp-config", "--no-session-persistence", "--debug-file", str(DEBUG_LOG), *options]
    try:
        finished = subprocess.run(command, cwd=WORKDIR, env=os.environ, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"claude -p did not finish within {TIMEOUT:g} s") from exc
    events = []
    for line in finished.stdout.splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
            if events[-1].get("type") in ("assistant", "user", "result"):  # the conversation, for the log
                print(line[:600], file=sys.stderr)
    if not any(event.get("type") == "result" for event in events):
        raise AssertionError(f"claude -p exited {finished.returncode} without a result: "
                             f"{(finished.stderr.strip().splitlines() or ['no output'])[-1]}")
    return finished.returncode, events


def _api_errors() -> list[str]:
    """The API errors Claude Code logged and worked around (it retries, or drops a feature, silently)."""
    if not DEBUG_LOG.exists():
        return []
    found = []
    for line in DEBUG_LOG.read_text(errors="replace").splitlines():
        if "[ERROR] API error" in line:
            detail = line.split("[ERROR] API error", 1)[1]
            message = re.search(r'"message":"((?:[^"\\]|\\.)*)"', detail)
            status = re.search(r"\): (\d{3})", detail)
            found.append(f"{status.group(1) if status else '?'} {message.group(1) if message else detail.strip()}")
    return found


def _result(events: list[dict[str, Any]]) -> dict[str, Any]:
    return [event for event in events if event.get("type") == "result"][-1]


def _main_thread(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The content blocks of the top-level conversation's ``kind`` ("assistant" / "user") messages."""
    return [block for event in events if event.get("type") == kind and event.get("parent_tool_use_id") is None
            for block in event["message"]["content"] if isinstance(block, dict)]


class _Checks:
    """The problems one session showed: all are reported together, so one does not hide another."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def check(self, condition: object, problem: str) -> None:
        if not condition:
            self.problems.append(problem)

    def verdict(self, *, needs_real_model: str = "") -> None:
        """Fail with every problem (the API errors last); else mark ``needs_real_model`` if given; else pass."""
        errors = _api_errors()
        self.check(not errors, f"worked around {len(errors)} API error(s) the real API does not give: "
                               + "; ".join(sorted(set(errors))))
        if self.problems:
            raise Failed(" | ".join(self.problems + ([needs_real_model] if needs_real_model else [])))
        if needs_real_model:
            raise NeedsRealModel(needs_real_model)


def _succeeded(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The session's result; a session that failed ends the scenario at once."""
    result = _result(events)
    expect(not result.get("is_error") and result.get("subtype") == "success",
           f"the session failed: {result.get('subtype')} {result.get('api_error_status') or ''} "
           f"{str(result.get('result'))[:160]}")
    return result


@scenario("chat")
def chat() -> None:
    _, events = _claude("say hi")
    result, checks = _succeeded(events), _Checks()
    checks.check(str(result.get("result", "")).strip(), "the result has no text")
    tools = [block["name"] for block in _main_thread(events, "assistant") if block["type"] == "tool_use"]
    checks.check(not tools, f"'say hi' took {result.get('num_turns')} turns: the fake called {len(tools)} tools "
                            f"({', '.join(sorted(set(tools)))}), which Claude Code then ran or refused")
    checks.verdict()


@scenario("stream")
def stream() -> None:
    _, events = _claude("say hi", "--include-partial-messages", "--tools", "")
    _succeeded(events)
    checks = _Checks()
    deltas = [event["event"]["delta"].get("text", "") for event in events if event.get("type") == "stream_event"
              and event["event"].get("type") == "content_block_delta"
              and event["event"]["delta"].get("type") == "text_delta"]
    checks.check(deltas and "".join(deltas).strip(), f"{len(deltas)} text deltas")
    checks.verdict()


@scenario("tool_loop")
def tool_loop() -> None:
    secret = "periwinkle-42"
    (Path(WORKDIR) / "notes.txt").write_text(f"The password is {secret}.\n")
    _, events = _claude("Read the file notes.txt in the current directory and tell me what it says.",
                        "--tools", "Read", "--allowedTools", "Read")
    result, checks = _succeeded(events), _Checks()
    uses = [block for block in _main_thread(events, "assistant") if block["type"] == "tool_use"]
    results = [block for block in _main_thread(events, "user") if block["type"] == "tool_result"]
    checks.check(uses and results, f"no tool round trip: {len(uses)} tool uses, {len(results)} results")
    checks.check(str(result.get("result", "")).strip(), "the loop ended without a final text answer")
    reads = [use for use in uses if use["name"] == "Read"]
    checks.check(len(reads) == len(uses), "the fake also called tools it was not offered directly: "
                 + ", ".join(sorted({use["name"] for use in uses if use["name"] != "Read"})))
    needs_model = ""
    if reads and secret not in json.dumps(results):
        paths = sorted({str(use["input"].get("file_path")) for use in reads})
        needs_model = (f"Read was given {', '.join(paths)}, not notes.txt: only a model that reads the prompt "
                       "picks the file")
    checks.verdict(needs_real_model=needs_model)


@scenario("structured_output")
def structured_output() -> None:
    _, events = _claude("Describe Paris.", "--json-schema", json.dumps(SCHEMA), "--tools", "")
    result, checks = _succeeded(events), _Checks()
    data = result.get("structured_output")
    checks.check(isinstance(data, dict) and set(SCHEMA["required"]) <= set(data)
                 and isinstance(data["population"], int), f"structured_output {data!r}")
    checks.verdict()


@scenario("thinking")
def thinking() -> None:
    _, events = _claude("say hi", "--tools", "", "--effort", "high")
    _succeeded(events)
    checks = _Checks()
    kinds = [block["type"] for block in _main_thread(events, "assistant")]
    checks.check("thinking" in kinds and "text" in kinds[kinds.index("thinking"):], f"assistant blocks {kinds}")
    checks.verdict()


@scenario("count_tokens")
def count_tokens() -> None:
    raise NotApplicable("print mode has no token counting command")


@scenario("error")
def error() -> None:
    returncode, events = _claude("say hi", "--model", "claude-no-such-model", "--tools", "")
    result = _result(events)
    expect(returncode != 0 and result.get("is_error"), f"exit {returncode}, result {result.get('result')!r}")
    expect(result.get("api_error_status") == 404 and result.get("api_error_type") == "not_found_error",
           f"api error {result.get('api_error_status')} {result.get('api_error_type')}")



@scenario("files")
def files() -> None:
    raise NotApplicable("print mode has no Files API upload command")


if __name__ == "__main__":
    main()
