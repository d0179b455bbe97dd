"""A process killed while it writes a cassette leaves no temporary file and never a damaged cassette."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fakeclaude.cassettes.format import deserialize

from .conftest import Live, write_inner

TWO_CALLS = '''
import os, httpx2, pytest

@pytest.mark.claude_cassette("kept", record_mode="new_episodes")
def test_calls():
    for prompt in os.environ["PROMPTS"].split(","):
        r = httpx2.post(os.environ["TARGET"] + "/v1/messages", headers={"anthropic-version": "2023-06-01", "x-api-key": "k"},
                        json={"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": [{"role": "user", "content": prompt}]})
        assert r.status_code == 200
'''

# the process dies (as under SIGKILL: no cleanup, no finally) at one step of the write
KILL_AT = '''
import os
_real = os.{name}
def _die(*args, **kwargs):
    os._exit(9)
os.{name} = _die
'''


def _prompts(path: Path) -> list[str]:
    import json

    return [json.loads(i["request"]["body"])["messages"][0]["content"] for i in deserialize(path.read_text())["interactions"]]


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_kill_during_the_write_leaves_no_temporary_file_and_loses_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live, step: str
) -> None:
    write_inner(pytester, TWO_CALLS)
    monkeypatch.setenv("TARGET", live.url)
    folder = pytester.path / "cassettes" / "test_app"
    monkeypatch.setenv("PROMPTS", "a,b")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    before = (folder / "kept.yaml").read_bytes()

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # pytest itself must not meet the patched step
    conftest = pytester.makeconftest(KILL_AT.format(name=step))
    monkeypatch.setenv("PROMPTS", "a,b,c")
    killed = pytester.runpytest_subprocess()
    assert killed.ret == 9  # the writer died at that step
    conftest.unlink()
    assert (folder / "kept.yaml").read_bytes() == before  # the cassette as it was
    if step == "fsync":  # killed while writing the data: nothing at all is left
        assert os.listdir(folder) == ["kept.yaml"]

    pytester.runpytest_subprocess().assert_outcomes(passed=1)  # the next save tidies whatever a kill left
    assert sorted(os.listdir(folder)) == ["kept.yaml"]
    assert _prompts(folder / "kept.yaml") == ["a", "b", "c"]
    assert oct((folder / "kept.yaml").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
