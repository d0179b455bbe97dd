"""``fakeclaude check PATH...``: every recorded request validated, one line per violation, exit status.

Cassettes are written here in each layout a user may have: fakeclaude's (``body: {json: ...}``),
vcrpy's YAML (``body: '<json text>'`` or ``{string: ...}``) and vcrpy's JSON serializer. The project's
own ``cassettes/`` folder, recorded by the plugin from real SDK calls, must come out clean.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakeclaude.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"model": "claude-sonnet-4-6", "max_tokens": 64, "messages": [{"role": "user", "content": "Say hello"}]}


def interaction(body: Any, *, uri: str = "https://api.anthropic.com/v1/messages", method: str = "POST",
                version: str | None = "2023-06-01", beta: str | None = None, layout: str = "json") -> dict[str, Any]:
    headers: dict[str, list[str]] = {"content-type": ["application/json"]}
    if version is not None:
        headers["anthropic-version"] = [version]
    if beta is not None:
        headers["anthropic-beta"] = [beta]
    stored: Any = {"json": body} if layout == "json" else json.dumps(body) if layout == "text" else {"string": json.dumps(body)}
    return {"request": {"method": method, "uri": uri, "body": stored, "headers": headers},
            "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": ""}}}


def write(path: Path, *interactions: dict[str, Any], as_json: bool = False) -> Path:
    data = {"version": 1, "interactions": list(interactions)}
    path.write_text(json.dumps(data) if as_json else yaml.safe_dump(data, sort_keys=False))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    status = main(["check", *args])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err.splitlines()


def test_the_projects_recorded_cassettes_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    cassettes = sorted((ROOT / "cassettes").rglob("*.yaml"))
    assert cassettes, "the project records cassettes"
    assert run(capsys, str(ROOT / "cassettes")) == (0, [], [])


def test_each_violation_gets_a_line_and_a_non_zero_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path / "app.yaml",
        interaction(GOOD),
        interaction({**GOOD, "max_tokens": "64", "colour": "red"}, layout="text"),
        interaction({**GOOD, "temperature": 0.5}, version="2026-10-21", layout="string"),
        interaction({"model": "claude-sonnet-4-6", "messages": [{"role": "user", "content": "x"}], "stream": True},
                    uri="https://api.anthropic.com/v1/messages/count_tokens"),
        interaction({"requests": [{"custom_id": "a b", "params": GOOD}]}, uri="https://api.anthropic.com/v1/messages/batches"),
        interaction(None, uri="https://api.anthropic.com/v1/models", method="GET"),  # not a request body: skipped
    )
    status, out, err = run(capsys, str(path))
    assert status == 1 and err == []
    assert out == [
        f"{path}: interaction 1: max_tokens: Input should be a valid integer",
        f"{path}: interaction 1: colour: Extra inputs are not permitted",
        f"{path}: interaction 2: temperature: Extra inputs are not permitted",
        f"{path}: interaction 3: stream: Extra inputs are not permitted",
        f"{path}: interaction 4: requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'",
    ]


def test_recorded_headers_decide_version_and_betas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    beta_body = {**GOOD, "context_management": {"edits": []}}
    path = write(
        tmp_path / "beta.json",
        interaction(beta_body, beta="context-management-2025-06-27"),
        interaction(beta_body, uri="https://api.anthropic.com/v1/messages?beta=true"),
        interaction({**GOOD, "temperature": 0.5}, version=None),  # no recorded version: 2023-06-01
        interaction(beta_body),
        interaction(GOOD, version="2024-02-02"),
        as_json=True,
    )
    status, out, _ = run(capsys, str(path))
    assert status == 1
    assert out == [
        f"{path}: interaction 3: context_management: Extra inputs are not permitted",
        f"{path}: interaction 4: anthropic-version: Invalid value '2024-02-02'. Supported versions: 2023-06-01, 2026-10-21.",
    ]


def test_folders_are_searched_and_unreadable_files_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "nested").mkdir()
    write(tmp_path / "nested" / "ok.yml", interaction(GOOD))
    bad = write(tmp_path / "bad.yaml", interaction({**GOOD, "max_tokens": -1}))
    (tmp_path / "broken.yaml").write_text("interactions: [unclosed\n")
    (tmp_path / "other.yaml").write_text("just: a mapping\n")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "notes.txt").write_text("not a cassette suffix: ignored")
    not_json = write(tmp_path / "text.yaml", {**interaction(GOOD), "request": {**interaction(GOOD)["request"], "body": "hello"}})
    missing = tmp_path / "missing.yaml"
    status, out, err = run(capsys, str(tmp_path), str(missing))
    assert status == 2
    assert out == [
        f"{bad}: interaction 0: max_tokens: Input should be greater than or equal to 0",
        f"{not_json}: interaction 0: the recorded body is not JSON: Expecting value: line 1 column 1 (char 0)",
    ]
    assert len(err) == 4 and all(line.startswith("fakeclaude check: ") for line in err)
    assert err[0].startswith(f"fakeclaude check: {tmp_path / 'binary.json'}: not UTF-8 text: ")
    assert err[1].startswith(f"fakeclaude check: {tmp_path / 'broken.yaml'}: not YAML or JSON: ")
    assert err[2] == f"fakeclaude check: {tmp_path / 'other.yaml'}: not a cassette: no list of 'interactions'"
    assert err[3] == f"fakeclaude check: {missing}: No such file or directory"


def test_lenient_validation_checks_the_schema_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.yaml", interaction({**GOOD, "max_tokens": 10**6}))
    assert run(capsys, str(path))[0] == 1
    assert run(capsys, "--validation", "lenient", str(path)) == (0, [], [])


def test_the_installed_command_runs(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", interaction(GOOD), interaction({**GOOD, "messages": []}), interaction({"model": 1}))
    done = subprocess.run([sys.executable, "-m", "fakeclaude", "check", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        f"{path}: interaction 1: messages: at least one message is required",
        f"{path}: interaction 2: messages: Field required",
        f"{path}: interaction 2: max_tokens: Field required",
        f"{path}: interaction 2: model: Input should be a valid string",
    ]
    assert done.stderr == ""
