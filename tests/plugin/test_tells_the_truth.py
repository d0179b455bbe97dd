"""Tell the truth (pytester): unused scripts, raising handlers, rule-breaking replies, refused requests."""

from __future__ import annotations

import pytest

from .conftest import write_inner
from .test_fail_closed import failures_by_test

TRUTH = '''
import anthropic, pytest
from fakeclaude.server import tool_use

MODEL = "claude-sonnet-4-6"
HI = [{"role": "user", "content": "hi"}]

def ask(**params):
    return anthropic.Anthropic().messages.create(model=MODEL, max_tokens=16, **{"messages": HI, **params})

def test_reply_never_consumed(fake_claude):
    fake_claude.reply("Paris.")

def test_route_never_matched(fake_claude):
    fake_claude.on(last_user_text="weather").reply("Sunny.")
    ask()

@pytest.mark.fake_claude(allow_unused=True)
def test_opted_out(fake_claude):
    fake_claude.reply("spare")

def test_error_queued_for_batches_create_is_reported_unused(fake_claude):
    fake_claude.error(500)
    anthropic.Anthropic().messages.batches.create(requests=[
        {"custom_id": "a", "params": {"model": MODEL, "max_tokens": 8, "messages": HI}}])

def test_handler_bug_caught_by_the_app(fake_claude):
    def handler(request):
        return {"type": "text", "text": request.body["no_such_field"]}
    fake_claude.handler(handler)
    with pytest.raises(anthropic.BadRequestError):
        ask()
    assert len(fake_claude.requests) == 1  # no retries

def test_handler_bug_uncaught(fake_claude):
    fake_claude.handler(lambda request: 1 / 0)
    ask()

def test_tool_use_without_tools(fake_claude):
    fake_claude.reply(tool_use("get_weather", {"city": "Paris"}))
    try:
        ask()
    except anthropic.BadRequestError:
        pass

def test_prose_for_a_format_swallowed_by_the_app(fake_claude):
    fake_claude.reply("Sure! Ada, 36.")
    try:
        ask(output_config={"format": {"type": "json_schema", "schema": {
            "type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"],
            "additionalProperties": False}}})
    except anthropic.APIError:  # the app's own "Claude is busy" fallback
        pass
    assert len(fake_claude.requests) == 1  # one answer, never retried

def test_strict_tool_input_against_its_schema(fake_claude):
    fake_claude.reply(tool_use("book", {"n": "three"}))
    ask(tools=[{"name": "book", "strict": True, "input_schema": {"type": "object", "properties": {
        "n": {"type": "integer"}}, "required": ["n"], "additionalProperties": False}}])

def test_impossible_status(fake_claude):
    with pytest.raises(ValueError, match="999 is not an HTTP status"):
        fake_claude.error(999)

def test_used_up_script_passes(fake_claude):
    fake_claude.reply("one")
    fake_claude.on(last_user_text="hi").respond("always")
    assert ask().content[0].text == "one"
    assert ask().content[0].text == "always"
'''


def test_scripts_that_were_not_used_up_or_failed_fail_the_test(pytester: pytest.Pytester) -> None:
    write_inner(pytester, TRUTH)
    failures = failures_by_test(pytester)
    assert sorted(failures) == [
        "test_error_queued_for_batches_create_is_reported_unused (teardown)",
        "test_handler_bug_caught_by_the_app (teardown)",
        "test_handler_bug_uncaught",
        "test_handler_bug_uncaught (teardown)",
        "test_prose_for_a_format_swallowed_by_the_app (teardown)",
        "test_reply_never_consumed (teardown)",
        "test_route_never_matched (teardown)",
        "test_strict_tool_input_against_its_schema",
        "test_strict_tool_input_against_its_schema (teardown)",
        "test_tool_use_without_tools (teardown)",
    ]
    assert "fake.reply('Paris.') was never used" in failures["test_reply_never_consumed (teardown)"]
    assert "fake.on(last_user_text='weather') never matched a request" in failures["test_route_never_matched (teardown)"]
    unused_error = failures["test_error_queued_for_batches_create_is_reported_unused (teardown)"]
    assert "fake.error(500) was never used" in unused_error and "answer POST /v1/messages only" in unused_error
    caught = failures["test_handler_bug_caught_by_the_app (teardown)"]
    assert "KeyError: 'no_such_field'" in caught
    assert 'request.body["no_such_field"]' in caught  # the handler's own line, from the original traceback
    assert "ZeroDivisionError" in failures["test_handler_bug_uncaught (teardown)"]
    assert "BadRequestError" in failures["test_handler_bug_uncaught"]  # what the app saw: a 400, not a 500
    assert "offered no tools" in failures["test_tool_use_without_tools (teardown)"]
    swallowed = failures["test_prose_for_a_format_swallowed_by_the_app (teardown)"]
    assert "ScriptError" in swallowed and "content.0 breaks the request's output_config.format.schema" in swallowed
    assert "BadRequestError" in failures["test_strict_tool_input_against_its_schema"]  # a 400, not a 500
    assert "strict tool 'book'" in failures["test_strict_tool_input_against_its_schema (teardown)"]


INVALID = '''
import anthropic, pytest

def send_bad_request():
    with pytest.raises(anthropic.BadRequestError):  # the app (or the test) catches the 400
        anthropic.Anthropic().messages.create(model="claude-sonnet-4-6", max_tokens=-1,
                                              messages=[{"role": "user", "content": "hi"}])

@pytest.mark.fake_claude(fail_invalid_requests=True)
def test_opted_in_by_marker(fake_claude):
    send_bad_request()

def test_default(fake_claude):
    send_bad_request()

@pytest.mark.fake_claude(fail_invalid_requests=True)
def test_a_scripted_error_is_not_the_apps_fault(fake_claude):
    fake_claude.error(400, "scripted")
    with pytest.raises(anthropic.BadRequestError):
        anthropic.Anthropic().messages.create(model="claude-sonnet-4-6", max_tokens=16,
                                              messages=[{"role": "user", "content": "hi"}])
'''


def test_requests_the_api_would_refuse_fail_the_test_when_asked(pytester: pytest.Pytester) -> None:
    write_inner(pytester, INVALID)
    failures = failures_by_test(pytester)
    assert sorted(failures) == ["test_opted_in_by_marker (teardown)"]
    text = failures["test_opted_in_by_marker (teardown)"]
    assert "the app sent 1 request(s) the real API would refuse" in text
    assert "POST /v1/messages (req_" in text and "400 invalid_request_error: max_tokens: Input should be greater than or equal to 0" in text
    everywhere = failures_by_test(pytester, "--claude-fail-invalid-requests")
    assert sorted(everywhere) == ["test_default (teardown)", "test_opted_in_by_marker (teardown)"]


def test_unknown_marker_options_are_a_usage_error(pytester: pytest.Pytester) -> None:
    write_inner(pytester, '''
import pytest

@pytest.mark.fake_claude(allow_unsed=True)
def test_typo(fake_claude):
    pass
''')
    failures = failures_by_test(pytester)
    assert list(failures) == ["test_typo (setup)"]
    assert "fake_claude marker: unknown option(s) ['allow_unsed']" in failures["test_typo (setup)"]
