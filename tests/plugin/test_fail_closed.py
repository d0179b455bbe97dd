"""Fail closed (pytester): real hosts are blocked in fake_claude and replaying claude_cassette tests."""

from __future__ import annotations

import pytest

from .conftest import Live, write_inner

BLOCKED = '''
import asyncio, socket, urllib.request
import aiohttp, anthropic, httpx, httpx2, pytest

MODEL = "claude-sonnet-4-6"

def test_official_sdk_built_with_the_real_base_url(fake_claude):
    client = anthropic.Anthropic(base_url="https://api.anthropic.com", api_key="not-a-real-key")
    client.messages.create(model=MODEL, max_tokens=8, messages=[{"role": "user", "content": "hi"}])

def test_httpx(fake_claude):
    httpx.get("https://api.anthropic.com/v1/models?limit=1")

async def test_httpx2_async(fake_claude):
    async with httpx2.AsyncClient() as client:
        await client.post("https://api.anthropic.com/v1/messages", json={})

async def test_aiohttp(fake_claude):
    async with aiohttp.ClientSession() as session:
        await session.get("https://api.anthropic.com/v1/models")

def test_urllib(fake_claude):
    urllib.request.urlopen("https://api.anthropic.com/v1/models", timeout=5)

def test_raw_socket_to_an_address(fake_claude):
    with socket.socket() as sock:
        sock.connect(("160.79.104.10", 443))

def test_swallowed_by_the_code_under_test(fake_claude):
    try:
        httpx2.get("https://api.anthropic.com/v1/models")
    except BaseException:
        pass
'''


def failures_by_test(pytester: pytest.Pytester, *args: str) -> dict[str, str]:
    """``{test name: its failure text}`` for every failed call or errored teardown of an inner run."""
    run = pytester.inline_run("-p", "no:randomly", *args)
    return {report.nodeid.split("::")[-1] + ("" if report.when == "call" else f" ({report.when})"):
            report.longreprtext for report in run.getreports("pytest_runtest_logreport") if report.failed}


def test_every_way_out_is_blocked_with_the_url_named(pytester: pytest.Pytester) -> None:
    write_inner(pytester, BLOCKED)
    failures = failures_by_test(pytester)
    prefix = "fakeclaude blocked a real network request to "
    suffix = " in a test using fake_claude: point the client at the fake"
    assert {name: text.split(": allow")[0][:200] for name, text in failures.items()} == {
        name: text[:200] for name, text in failures.items()}  # one line each, no traceback
    expected = {
        "test_official_sdk_built_with_the_real_base_url": "https://api.anthropic.com/v1/messages",
        "test_httpx": "https://api.anthropic.com/v1/models",
        "test_httpx2_async": "https://api.anthropic.com/v1/messages",
        "test_aiohttp": "https://api.anthropic.com/v1/models",
        "test_urllib": "api.anthropic.com:443 (a socket connection)",
        "test_raw_socket_to_an_address": "160.79.104.10:443 (a socket connection)",
    }
    for name, target in expected.items():
        assert failures[name].startswith(prefix + target + suffix), failures[name]
        assert "Traceback" not in failures[name]
    swallowed = failures["test_swallowed_by_the_code_under_test (teardown)"]
    assert "blocked 1 real network request(s)" in swallowed and "https://api.anthropic.com/v1/models" in swallowed
    assert len(failures) == 7


STILL_WORKS = '''
import os, aiohttp, anthropic, fakeclaude, httpx, pytest

MODEL = "claude-sonnet-4-6"
HI = [{"role": "user", "content": "hi"}]

def test_official_sdk_from_the_environment(fake_claude):
    fake_claude.reply("Hello.")
    assert anthropic.Anthropic().messages.create(model=MODEL, max_tokens=8, messages=HI).content[0].text == "Hello."

def test_in_process_clients_never_touch_the_network(fake_claude):
    fake_claude.reply("In process.")
    assert fake_claude.client().messages.create(model=MODEL, max_tokens=8, messages=HI).content[0].text == "In process."

async def test_aiohttp_to_the_fake(fake_claude):
    async with aiohttp.ClientSession() as session:
        async with session.get(fake_claude.base_url + "/v1/models", headers={"x-api-key": "k", "anthropic-version": "2023-06-01"}) as response:
            assert response.status == 200

def test_a_second_fake_served_on_loopback(fake_claude):
    other = fakeclaude.FakeClaude()
    with other.serve() as url:
        assert httpx.get(url + "/v1/models", headers={"x-api-key": "k", "anthropic-version": "2023-06-01"}).status_code == 200

@pytest.mark.fake_claude(allow_hosts=["example.invalid"])
def test_an_allowed_host_goes_through(fake_claude):
    with pytest.raises(httpx.ConnectError):  # the name does not resolve: the request really went out
        httpx.get("http://example.invalid:9/")

def test_allowed_from_the_command_line(fake_claude):
    with pytest.raises(httpx.ConnectError):
        httpx.get("http://cli.invalid:9/")

def test_no_guard_outside_the_fixtures():
    with pytest.raises(httpx.ConnectError):
        httpx.get("http://outside.invalid:9/")
'''


def test_the_fake_loopback_and_allowed_hosts_still_work(pytester: pytest.Pytester) -> None:
    write_inner(pytester, STILL_WORKS)
    result = pytester.runpytest_inprocess("-p", "no:randomly", "--claude-allow-hosts=cli.invalid,other.invalid")
    result.assert_outcomes(passed=7)


def test_the_allow_list_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\nclaude_allow_hosts =\n    ini.invalid\n")
    pytester.makepyfile(test_ini='''
import httpx, pytest

def test_ini_host(fake_claude):
    with pytest.raises(httpx.ConnectError):
        httpx.get("http://ini.invalid:9/")

def test_other_host_still_blocked(fake_claude):
    httpx.get("http://notlisted.invalid:9/")
''')
    result = pytester.runpytest_inprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*blocked a real network request to http://notlisted.invalid:9/ *"])


CASSETTE = '''
import os, urllib.request, anthropic, pytest

@pytest.mark.claude_cassette
def test_app():
    client = anthropic.Anthropic(base_url=os.environ["TARGET"], max_retries=0)
    message = client.messages.create(model="claude-sonnet-4-6", max_tokens=16,
                                     messages=[{"role": "user", "content": "hi"}])
    assert message.content[0].text
    if os.environ.get("ALSO_CALL_OUT"):
        urllib.request.urlopen("https://api.anthropic.com/v1/models", timeout=5)
'''


def test_replay_needs_no_api_key_and_blocks_other_hosts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, CASSETTE)
    monkeypatch.setenv("TARGET", live.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "used-only-while-recording")
    pytester.runpytest_inprocess("--claude-record-mode=once").assert_outcomes(passed=1)
    live.stop()
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    pytester.runpytest_inprocess().assert_outcomes(passed=1)  # replayed with no key in the environment
    import os

    assert "ANTHROPIC_API_KEY" not in os.environ  # the made-up key is gone after the test
    monkeypatch.setenv("ALSO_CALL_OUT", "1")
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*blocked a real network request to api.anthropic.com:443 (a socket connection) "
                                 "in a test using claude_cassette (replaying)*"])
