"""Fixtures, xdist, the unused-interactions option and coexistence with pytest-recording (pytester)."""

from __future__ import annotations

import pytest

from fakeclaude.cassettes.format import deserialize

from .conftest import Live, write_inner

FIXTURES = '''
import json, os, anthropic, fakeclaude, pytest

def ask():
    return anthropic.Anthropic().messages.create(  # configured by ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY only
        model="claude-sonnet-4-6", max_tokens=40, messages=[{"role": "user", "content": "hi"}]).content[0].text

def test_seeded_from_the_test_id(fake_claude):
    with open(os.environ["OUT"], "a") as f:
        f.write(json.dumps(ask()) + "\\n")  # one line, whatever the answer holds
    assert fake_claude.requests[-1].body["messages"][0]["content"] == "hi"

def test_scripting_and_fakeclaude_client(fake_claude):
    fake_claude.reply("Scripted.")
    assert fakeclaude.Anthropic().messages.create(
        model="claude-sonnet-4-6", max_tokens=40, messages=[{"role": "user", "content": "hi"}]).content[0].text == "Scripted."
    assert os.environ["ANTHROPIC_BASE_URL"] == fake_claude.base_url

def test_session_variant(fake_claude_session):
    fake_claude_session.reply("Shared.")
    assert ask() == "Shared."
'''


def test_fake_claude_fixtures(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_inner(pytester, FIXTURES)
    out = pytester.path / "answers.txt"
    monkeypatch.setenv("OUT", str(out))
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    for _ in range(2):
        pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=3)
    first, second = out.read_text().splitlines()
    assert first == second  # same test id, same seed, same answer


SHARED = '''
import os, httpx2, pytest

@pytest.mark.claude_cassette("shared", record_mode="new_episodes")
@pytest.mark.parametrize("n", range(6))
def test_worker(n):
    r = httpx2.post(os.environ["TARGET"] + "/v1/messages", headers={"anthropic-version": "2023-06-01", "x-api-key": "k"},
                    json={"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": [{"role": "user", "content": f"q{n}"}]})
    assert r.status_code == 200
'''


def test_xdist_workers_recording_one_cassette_never_clobber_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, SHARED)
    monkeypatch.setenv("TARGET", live.url)
    pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider").assert_outcomes(passed=6)
    data = deserialize((pytester.path / "cassettes" / "test_app" / "shared.yaml").read_text())
    prompts = sorted(i["request"]["body"] for i in data["interactions"])
    assert len(prompts) == 6 and len(set(prompts)) == 6
    live.stop()
    pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider").assert_outcomes(passed=6)  # all replayed


UNUSED = '''
import os, httpx2, pytest

def call(prompt):
    return httpx2.post(os.environ["TARGET"] + "/v1/messages", headers={"anthropic-version": "2023-06-01"},
                       json={"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": [{"role": "user", "content": prompt}]})

@pytest.mark.claude_cassette
def test_app():
    call("a")
    if os.environ.get("BOTH"):
        call("b")

@pytest.mark.vcr
def test_pytest_recording_still_works():
    pass
'''


def test_unused_interactions_option_and_pytest_recording_side_by_side(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, UNUSED)
    monkeypatch.setenv("TARGET", live.url)
    monkeypatch.setenv("BOTH", "1")
    pytester.runpytest_inprocess("--claude-record-mode=once", "--record-mode=none").assert_outcomes(passed=2)
    live.stop()
    monkeypatch.delenv("BOTH")
    pytester.runpytest_inprocess("--record-mode=none").assert_outcomes(passed=2)
    result = pytester.runpytest_inprocess("--claude-fail-unused", "--record-mode=none")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*1 recorded interaction(s) in *test_app.yaml were never played*", "*#1: POST *"])
