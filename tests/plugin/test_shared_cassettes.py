"""One cassette shared by many tests keeps every test's interactions in every record mode (pytester)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fakeclaude.cassettes.format import deserialize

from .conftest import Live, write_inner

SHARED = '''
import os, httpx2, pytest

def ask(prompt):
    r = httpx2.post(os.environ["TARGET"] + "/v1/messages", headers={"anthropic-version": "2023-06-01", "x-api-key": "k"},
                    json={"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": [{"role": "user", "content": prompt}]})
    assert r.status_code == 200
    return r.json()["content"][0]["text"]

@pytest.mark.claude_cassette("shared")
@pytest.mark.parametrize("n", range(20))
def test_two_calls(n):
    ask(f"first question of test {n}")
    ask(f"second question of test {n}")
'''


def _prompts(path: Path) -> list[str]:
    import json

    interactions = deserialize(path.read_text())["interactions"]
    return [json.loads(i["request"]["body"])["messages"][0]["content"] for i in interactions]


EXPECTED = sorted(f"{which} question of test {n}" for n in range(20) for which in ("first", "second"))


@pytest.mark.parametrize("mode", ["once", "new_episodes", "all", "rewrite"])
def test_a_cassette_shared_by_twenty_tests_keeps_all_forty_interactions(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live, mode: str
) -> None:
    write_inner(pytester, SHARED)
    monkeypatch.setenv("TARGET", live.url)
    path = pytester.path / "cassettes" / "test_app" / "shared.yaml"
    # a fresh folder for once; an existing cassette (recorded once before) for the others
    if mode != "once":
        pytester.runpytest_inprocess("--claude-record-mode=once", "-p", "no:randomly").assert_outcomes(passed=20)
        assert sorted(_prompts(path)) == EXPECTED
    pytester.runpytest_inprocess(f"--claude-record-mode={mode}", "-p", "no:randomly").assert_outcomes(passed=20)
    assert sorted(_prompts(path)) == EXPECTED  # 40 of 40, none twice
    live.stop()
    pytester.runpytest_inprocess().assert_outcomes(passed=20)  # every test replays offline


def test_rewrite_by_two_xdist_workers_keeps_every_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, SHARED)
    monkeypatch.setenv("TARGET", live.url)
    path = pytester.path / "cassettes" / "test_app" / "shared.yaml"
    pytester.runpytest_inprocess("--claude-record-mode=once").assert_outcomes(passed=20)
    before = path.read_text()
    pytester.runpytest_subprocess("-n", "2", "--claude-record-mode=rewrite").assert_outcomes(passed=20)
    assert sorted(_prompts(path)) == EXPECTED and path.read_text() != before


def test_a_miss_on_a_shared_cassette_never_suggests_a_rewrite_that_would_wipe_the_others(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, SHARED)
    monkeypatch.setenv("TARGET", live.url)
    pytester.runpytest_inprocess("--claude-record-mode=once").assert_outcomes(passed=20)
    live.stop()
    pytester.makepyfile(test_app=SHARED.replace('f"second question', 'f"another question'))
    result = pytester.runpytest_inprocess("-rN", "test_app.py::test_two_calls[3]")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "no recorded interaction matches" in out
    assert "--claude-record-mode=rewrite" not in out
    assert "--claude-record-mode=new_episodes" in out and "shared" in out


def test_fail_unused_on_a_shared_cassette_counts_only_the_current_tests_interactions(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, SHARED.replace("range(20)", "range(3)"))
    monkeypatch.setenv("TARGET", live.url)
    path = pytester.path / "cassettes" / "test_app" / "shared.yaml"
    pytester.runpytest_inprocess("--claude-record-mode=once").assert_outcomes(passed=3)
    live.stop()
    # one test alone: the other two tests' four interactions are theirs, not unused
    pytester.runpytest_inprocess("--claude-fail-unused", "test_app.py::test_two_calls[1]").assert_outcomes(passed=1)
    pytester.runpytest_inprocess("--claude-fail-unused").assert_outcomes(passed=3)
    # test 2 stops making its second call: only test 2 fails, naming its own interaction
    pytester.makepyfile(test_app=SHARED.replace("range(20)", "range(3)").replace(
        '    ask(f"second question of test {n}")', '    if n != 2:\n        ask(f"second question of test {n}")'))
    result = pytester.runpytest_inprocess("--claude-fail-unused", "-p", "no:randomly")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_two_calls[[]2[]]*",
                                 "*1 recorded interaction(s) in *shared.yaml were never played*", "*#5: POST *"])
    owners = [i.get("recorded_by") for i in yaml.safe_load(path.read_text())["interactions"]]
    assert sorted(owners) == sorted(f"test_app.py::test_two_calls[{n}]" for n in range(3) for _ in range(2))
