"""Scripting that tells the truth and reaches every endpoint, driven through the official SDK in-process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock, tool_use

MODEL = "claude-sonnet-4-6"
WEATHER = {"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                                                    "required": ["city"]}}
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=3, clock=FakeClock())


@pytest.fixture
def sdk(fake: FakeClaude) -> Iterator[anthropic.Anthropic]:
    """The official SDK, default retries on (a retried answer would show up as extra requests)."""
    http = httpx2.Client(transport=fake.httpx2_transport())
    with anthropic.Anthropic(api_key="k", base_url="http://fake.test", http_client=http) as client:
        yield client


def ask(sdk: anthropic.Anthropic, **params: Any) -> Any:
    return sdk.messages.create(model=MODEL, max_tokens=64, **{"messages": HI, **params})


# ----- a raising handler: the original exception, no retries -----------------------------------------
def test_a_raising_handler_is_answered_once_with_a_400_and_kept_as_the_failure(
    fake: FakeClaude, sdk: anthropic.Anthropic
) -> None:
    def handler(request: Any) -> str:
        return str(1 / 0)

    fake.handler(handler)
    with pytest.raises(anthropic.BadRequestError, match=r"fake.handler\(handler\) raised ZeroDivisionError"):
        ask(sdk)
    assert len(fake.requests) == 1  # the SDK did not retry
    with pytest.raises(ZeroDivisionError) as caught:
        fake.verify()
    assert any(frame.name == "handler" for frame in caught.traceback)  # the handler's own frame is shown


def test_a_rule_whose_condition_raises_fails_the_script_too(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.on(where=lambda request: request.body["nope"]).reply("never")
    with pytest.raises(anthropic.BadRequestError, match="raised KeyError"):
        ask(sdk)
    assert [type(f) for f in fake.failures] == [KeyError]


# ----- unused script ---------------------------------------------------------------------------------
def test_unused_replies_and_rules_are_listed_and_assert_all_used_fails(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.reply("first")
    fake.reply("second")
    fake.on(last_user_text="weather").reply("Sunny.")
    used = fake.on(last_user_text="hi").reply("a").reply("b")
    assert ask(sdk).content[0].text == "first"
    assert ask(sdk).content[0].text == "second"
    fake.reply("never taken")
    assert fake.unused() == [
        "fake.reply('never taken') was never used (no POST /v1/messages took it)",
        "fake.on(last_user_text='weather') never matched a request",
        "fake.on(last_user_text='hi') never matched a request",
    ]
    ask(sdk)  # takes 'never taken'
    assert ask(sdk).content[0].text == "a" and used.call_count == 1
    with pytest.raises(AssertionError, match=r"fake.on\(last_user_text='weather'\) never matched"):
        fake.assert_all_used()
    assert fake.unused()[-1] == "fake.on(last_user_text='hi').reply('b') was never used"


def test_a_fully_used_script_passes(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.reply("one")
    fake.on(last_user_text="hi").respond("always")
    ask(sdk)
    ask(sdk)
    fake.verify()


# ----- replies that break the API's rules ------------------------------------------------------------
@pytest.mark.parametrize(("tools", "block", "problem"), [
    ([], tool_use("get_weather", {"city": "Paris"}), "offered no tools"),
    ([WEATHER], tool_use("get_weather", {"city": 3}), "does not match the tool's input_schema"),
    ([WEATHER], tool_use("get_weather", {}), "does not match the tool's input_schema"),
])
def test_a_scripted_tool_use_the_api_could_not_send_is_refused(
    fake: FakeClaude, sdk: anthropic.Anthropic, tools: list[Any], block: Any, problem: str
) -> None:
    fake.reply(block)
    with pytest.raises(anthropic.BadRequestError) as caught:
        ask(sdk, tools=tools) if tools else ask(sdk)
    assert problem in caught.value.body["error"]["message"]  # type: ignore[index]
    assert len(fake.requests) == 1 and fake.requests[0].verdict == "script-failed"
    with pytest.raises(Exception, match="breaks the API's rules"):
        fake.verify()


def test_a_valid_scripted_tool_use_is_delivered(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.reply(tool_use("get_weather", {"city": "Paris"}))
    fake.reply(tool_use("get_weather"))  # input generated from the schema
    assert ask(sdk, tools=[WEATHER]).stop_reason == "tool_use"
    assert ask(sdk, tools=[WEATHER]).content[0].input["city"]  # type: ignore[union-attr]
    fake.reply(tool_use("get_time", {}))  # a tool the model made up: SDKs must cope with it, so it may be scripted
    assert ask(sdk, tools=[WEATHER]).content[0].name == "get_time"  # type: ignore[union-attr]
    fake.verify()


@pytest.mark.parametrize("status", [200, 302, 999, 0, "500"])
def test_an_impossible_error_status_is_refused_at_once(fake: FakeClaude, status: Any) -> None:
    with pytest.raises(ValueError, match=r"4xx or 5xx|must be an int"):
        fake.error(status)
    with pytest.raises(ValueError):
        fake.on(last_user_text="x").error(status)
    assert fake.script.pending == 0


# ----- every endpoint --------------------------------------------------------------------------------
def test_count_tokens_models_and_files_can_be_answered_or_failed(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.on(method="POST", path="/v1/messages/count_tokens").json({"input_tokens": 4242}).error(529)
    assert sdk.messages.count_tokens(model=MODEL, messages=HI).input_tokens == 4242
    with pytest.raises(anthropic.APIStatusError) as caught:
        sdk.with_options(max_retries=0).messages.count_tokens(model=MODEL, messages=HI)
    assert caught.value.status_code == 529
    fake.on(method="GET", path="/v1/models/*").error(404, "model: claude-x")
    with pytest.raises(anthropic.NotFoundError, match="model: claude-x"):
        sdk.models.retrieve("claude-sonnet-4-6")
    fake.on(method="GET", path="/v1/files").json({"data": [], "first_id": None, "last_id": None, "has_more": False})
    assert list(sdk.beta.files.list()) == []
    assert ask(sdk).content  # /v1/messages is untouched by these rules
    assert fake.unused() == []


def test_an_error_queued_with_fake_error_answers_messages_not_batches_create(
    fake: FakeClaude, sdk: anthropic.Anthropic
) -> None:
    fake.error(400, "for the next messages.create")
    batch = sdk.messages.batches.create(requests=[{"custom_id": "a", "params": {
        "model": MODEL, "max_tokens": 16, "messages": HI}}])
    assert batch.processing_status == "in_progress"
    results = list(sdk.messages.batches.results(batch.id))
    assert [r.result.type for r in results] == ["succeeded"]
    with pytest.raises(anthropic.BadRequestError, match=r"for the next messages\.create"):
        ask(sdk)
    fake.verify()


def test_batches_create_and_its_requests_are_scripted_by_route(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    params: Any = {"model": MODEL, "max_tokens": 16, "messages": HI}
    fake.on(method="POST", path="/v1/messages/batches").error(500).respond(None)  # fail once, then pass through
    with pytest.raises(anthropic.InternalServerError):
        sdk.with_options(max_retries=0).messages.batches.create(requests=[{"custom_id": "x", "params": params}])
    fake.on(custom_id="b").error(529)
    fake.on(in_batch=True).reply("first in order").reply("second in order")
    batch = sdk.messages.batches.create(requests=[{"custom_id": c, "params": params} for c in ("a", "b", "c")])
    results = {r.custom_id: r.result for r in sdk.messages.batches.results(batch.id)}
    assert results["b"].type == "errored" and results["b"].error.error.type == "overloaded_error"  # type: ignore[union-attr]
    texts = sorted(results[c].message.content[0].text for c in ("a", "c"))  # type: ignore[union-attr]
    assert texts == ["first in order", "second in order"]
    fake.verify()


def test_route_scope_rules_are_checked(fake: FakeClaude) -> None:
    with pytest.raises(ValueError, match="inside a batch"):
        fake.on(custom_id="a", path="/v1/messages")
    with pytest.raises(ValueError, match="2xx"):
        fake.on(path="/v1/models").json({}, status=404)


def test_a_message_reply_on_another_endpoint_is_a_script_failure(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.on(method="GET", path="/v1/models").reply("text is not a model list")
    with pytest.raises(anthropic.BadRequestError, match=r"answer it with \.json"):
        sdk.models.list()
    assert len(fake.failures) == 1
