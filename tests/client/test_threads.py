"""Message threads on both clients: ``client.beta.messages.thread(...)`` and the tool runner, which threads by
default, against the fake (in-process and over loopback). Each scenario runs on the official SDK and on
fakeclaude with the same seed; what the fake received (``fake.requests``) must be the same request for
request, and is then checked against the spec (2026 §2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pydantic
import pytest

from fakeclaude.server import ApiError, FakeClaude, Reply, tool_use

from .dropin_support import MODEL, MODULES, async_client, sync_client

THREADS_BETA = "message-threads-2026-08-12"
WIRE_HEADERS = ("anthropic-beta", "x-stainless-helper", "x-stainless-helper-method", "x-stainless-stream-helper")
SEARCH = {"type": "server_tool_use", "id": "srvtoolu_01AAAAAAAAAAAAAAAAAAAAAA", "name": "web_search",
          "input": {"query": "news"}}
ERRORS = {  # error_code -> (status, the SDK's class name, its parent)
    "thread_not_found": (404, "ThreadNotFoundError", "NotFoundError"),
    "thread_already_continued": (400, "ThreadAlreadyContinuedError", "BadRequestError"),
    "thread_continue_in_flight": (400, "ThreadContinueInFlightError", "BadRequestError"),
    "thread_fingerprint_mismatch": (400, "ThreadFingerprintMismatchError", "BadRequestError"),
    "thread_unsupported_request": (400, "ThreadUnsupportedRequestError", "BadRequestError"),
}
Wire = list[tuple[Any, dict[str, str | None]]]


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def wire(fake: FakeClaude) -> Wire:
    """What the fake received: each body, and the headers the thread helpers set."""
    return [(r.body, {h: r.headers.get(h) for h in WIRE_HEADERS}) for r in fake.requests]


def thread_error(code: str, message: str = "scripted") -> ApiError:
    return ApiError(ERRORS[code][0], message, should_retry=False, details={"error_code": code})


def on_both(scenario: Callable[[ModuleType, Any, FakeClaude], None], *, seed: int = 3,
            loopback: bool = False) -> Wire:
    """Run ``scenario`` with each client on its own fake; the wire, the same for both."""
    seen: dict[str, Wire] = {}
    for name, module in MODULES.items():
        fake = FakeClaude(seed=seed)
        with sync_client(module, fake, loopback=loopback) as client:
            scenario(module, client, fake)
        seen[name] = wire(fake)
    assert seen["fakeclaude"] == seen["anthropic"]
    return seen["fakeclaude"]


def kinds(sent: Wire) -> list[str | None]:
    return [body.get("thread", {}).get("type") for body, _ in sent]


# ----- a thread continued three turns ---------------------------------------------------------------------
@pytest.mark.parametrize("loopback", [False, True], ids=["in-process", "loopback"])
def test_a_thread_continued_three_turns(loopback: bool) -> None:
    conversation_sizes: list[int] = []

    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        fake.handler(lambda request: conversation_sizes.append(len(request.messages)) or None)
        thread = client.beta.messages.thread(model=MODEL, max_tokens=64, system="Be brief.", betas=["b-1"])
        assert thread.previous_message_id is None and list(thread.messages) == []
        replies = [thread.send(user(f"Question {n}")) for n in range(1, 5)]
        assert thread.previous_message_id == replies[-1].id
        assert [m["role"] for m in thread.messages] == ["user", "assistant"] * 4
        assert [r.body["thread"].get("previous_message_id") for r in fake.requests[1:]] == [r.id for r in replies[:3]]

    sent = on_both(scenario, loopback=loopback)
    assert kinds(sent) == ["create", "continue", "continue", "continue"]
    assert [body["messages"] for body, _ in sent] == [[user(f"Question {n}")] for n in range(1, 5)]
    assert sent[0][0]["system"] == "Be brief." and all("system" not in body for body, _ in sent[1:])
    assert conversation_sizes == [1, 3, 5, 7] * 2, "the fake answered each turn with the whole conversation"
    for _, headers in sent:
        assert headers["anthropic-beta"] == f"b-1,{THREADS_BETA}"
        assert headers["x-stainless-helper"] == "message-thread"


async def test_an_async_thread_sends_parses_and_streams_over_loopback() -> None:
    class City(pydantic.BaseModel):
        name: str

    seen: dict[str, Wire] = {}
    for name, module in MODULES.items():
        fake = FakeClaude(seed=5)
        async with async_client(module, fake, loopback=True) as client:
            thread = client.beta.messages.thread(model=MODEL, max_tokens=200, output_format=City)
            parsed = await thread.parse(user("Name a city."))
            assert isinstance(parsed.parsed_output, City)
            async with thread.stream(user("Another one.")) as stream:
                texts = [text async for text in stream.text_stream]
            assert json.loads("".join(texts))["name"]
            assert thread.previous_message_id == (await stream.get_final_message()).id
            assert len(thread.messages) == 4
        seen[name] = wire(fake)
    assert seen["fakeclaude"] == seen["anthropic"]
    (create, create_headers), (follow, follow_headers) = seen["fakeclaude"]
    assert create["output_config"]["format"]["type"] == "json_schema" == follow["output_config"]["format"]["type"]
    assert follow["stream"] is True and follow["thread"]["type"] == "continue"
    assert follow_headers["x-stainless-helper-method"] == "stream" and create_headers["x-stainless-helper-method"] is None


# ----- the tool runner threads by default -----------------------------------------------------------------
def _weather_tool(module: ModuleType, ran: list[str]) -> Any:
    @module.beta_tool
    def get_weather(city: str) -> str:
        """The current weather in a city."""
        ran.append(city)
        return f"Sunny in {city}"

    return get_weather


@pytest.mark.parametrize("stream", [False, True], ids=["replies", "streams"])
def test_the_tool_runner_threads_to_a_final_answer(stream: bool) -> None:
    ran: list[str] = []

    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        fake.reply(tool_use("get_weather", {"city": "Paris"}))
        fake.reply(tool_use("get_weather", {"city": "Lyon"}))
        fake.reply("Sunny in both.")
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=300, system="Use tools.", messages=[user("Weather in Paris and Lyon?")],
            tools=[_weather_tool(module, ran)], stream=stream,
        )
        for item in runner:
            if stream:
                item.get_final_message()
        final = runner.until_done()
        assert final.content[-1].text == "Sunny in both."

    sent = on_both(scenario)
    assert ran == ["Paris", "Lyon"] * 2
    assert kinds(sent) == ["create", "continue", "continue"]
    first = sent[0][0]
    assert first["system"] == "Use tools." and [t["name"] for t in first["tools"]] == ["get_weather"]
    for body, headers in sent[1:]:
        assert "tools" not in body and "system" not in body
        assert [[b["type"] for b in m["content"]] for m in body["messages"]] == [["tool_result"]]
        assert headers["x-stainless-helper"] == "BetaToolRunner, message-thread"
        assert headers["anthropic-beta"] == THREADS_BETA


@pytest.mark.parametrize("stream", [False, True], ids=["replies", "streams"])
async def test_the_async_tool_runner_threads_by_default(stream: bool) -> None:
    seen: dict[str, Wire] = {}
    for name, module in MODULES.items():
        fake = FakeClaude(seed=4)
        fake.reply(tool_use("lookup_order", {"order_id": "42"}))
        fake.reply("It has shipped.")

        @module.beta_async_tool
        async def lookup_order(order_id: str) -> str:
            """Look up an order by its id."""
            return "shipped"

        async with async_client(module, fake) as client:
            runner = client.beta.messages.tool_runner(
                model=MODEL, max_tokens=300, tools=[lookup_order], messages=[user("Where is order 42?")], stream=stream
            )
            async for item in runner:
                if stream:
                    await item.get_final_message()
            final = await runner.until_done()
        assert final.stop_reason == "end_turn"
        seen[name] = wire(fake)
    assert seen["fakeclaude"] == seen["anthropic"]
    assert kinds(seen["fakeclaude"]) == ["create", "continue"]


def test_thread_false_sends_the_whole_conversation_unthreaded() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        fake.reply(tool_use("get_weather", {"city": "Paris"}))
        fake.reply("Sunny.")
        client.beta.messages.tool_runner(
            model=MODEL, max_tokens=300, messages=[user("Weather?")], tools=[_weather_tool(module, [])], thread=False
        ).until_done()

    sent = on_both(scenario)
    assert kinds(sent) == [None, None]
    assert len(sent[1][0]["messages"]) == 3 and "tools" in sent[1][0]
    assert all(h["x-stainless-helper"] == "BetaToolRunner" and h["anthropic-beta"] is None for _, h in sent)


def test_a_runner_falls_back_to_full_history_when_the_server_cannot_thread() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        fake.reply(thread_error("thread_unsupported_request"))
        fake.reply(tool_use("get_weather", {"city": "Paris"}))
        fake.reply("Sunny.")
        client.beta.messages.tool_runner(
            model=MODEL, max_tokens=300, messages=[user("Weather?")], tools=[_weather_tool(module, [])]
        ).until_done()

    sent = on_both(scenario)
    assert kinds(sent) == ["create", None, None], "the rejected turn is sent again, and every later one, unthreaded"
    assert len(sent[2][0]["messages"]) == 3 and "tools" in sent[2][0]
    assert sent[2][1] == {**sent[0][1], "anthropic-beta": None}, "no beta once unthreaded; the helper stays"


# ----- the thread's own surface ----------------------------------------------------------------------------
def test_append_update_fork_and_params() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        thread = client.beta.messages.thread(model=MODEL, max_tokens=64, messages=[user("Hello")], system="Hi.")
        first = thread.send()
        thread.append(first, user("More"))  # the reply given back is not sent again
        thread.update(max_tokens=32, metadata={"user_id": "u-1"})
        second = thread.send(user("And more"), stop_sequences=["END"])
        with pytest.raises(TypeError, match="unexpected keyword argument 'temperature'"):
            thread.send(user("Sampled"), temperature=0.5)
        fork = thread.fork()
        assert fork.previous_message_id is None and list(fork.messages) == list(thread.messages)
        thread.send(user("Original"))
        fork.send(user("Fork"))
        params = thread.params
        assert params["system"] == "Hi." and params["max_tokens"] == 32
        assert params["unsupported_request_behavior"] == "error"
        assert [m["role"] for m in params["messages"]] == ["user", "assistant", "user", "user", "assistant",
                                                          "user", "assistant"]
        assert thread.messages[4]["content"] == second.content

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue", "continue", "create"]
    assert sent[1][0]["messages"] == [user("More"), user("And more")]
    assert sent[1][0]["max_tokens"] == 32 and sent[1][0]["stop_sequences"] == ["END"]
    assert sent[2][0]["max_tokens"] == 32 and "stop_sequences" not in sent[2][0], "a turn's own fields are its own"
    fork_body = sent[3][0]
    assert fork_body["system"] == "Hi." and len(fork_body["messages"]) == 6 and fork_body["messages"][-1] == user("Fork")


def test_system_and_tools_are_refused_when_changed_on_a_continue() -> None:
    messages: dict[str, list[str]] = {}
    for name, module in MODULES.items():
        fake = FakeClaude(seed=3)
        with sync_client(module, fake) as client:
            thread = client.beta.messages.thread(model=MODEL, max_tokens=64, system="Be brief.")
            thread.send(user("Hi"))
            errors = []
            for override in ({"system": "Be long."}, {"tools": [{"name": "t", "input_schema": {"type": "object"}}]}):
                with pytest.raises(module.AnthropicError) as caught:
                    thread.send(user("Again"), **override)
                errors.append(str(caught.value))
            thread.send(user("Again"), system="Be brief.")  # the same value is fine (and not sent)
        messages[name] = errors
        assert len(fake.requests) == 2 and "system" not in fake.requests[1].body
        assert fake.requests[1].body["messages"] == [user("Again")], "a refused turn's message is not kept"
    assert messages["fakeclaude"] == messages["anthropic"]
    assert messages["fakeclaude"][0].startswith("Cannot change `system` on a thread")
    assert "`tool_addition` or `tool_removal`" in messages["fakeclaude"][1]


def test_a_paused_turn_is_resumed_with_no_messages() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        fake.reply(Reply([SEARCH], stop_reason="pause_turn"))
        thread = client.beta.messages.thread(
            model=MODEL, max_tokens=64, tools=[{"type": "web_search_20250305", "name": "web_search"}]
        )
        paused = thread.send(user("Search the news"))
        assert paused.stop_reason == "pause_turn"
        assert thread.send().stop_reason == "end_turn"

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue"] and sent[1][0]["messages"] == []


# ----- the error classes --------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ERRORS)
@pytest.mark.parametrize("name", MODULES)
def test_each_error_code_raises_its_class(name: str, code: str) -> None:
    module = MODULES[name]
    status, class_name, parent = ERRORS[code]
    fake = FakeClaude(seed=3)
    fake.reply(ApiError(status, "scripted", should_retry=False, details={"error_code": code, "unsupported": ["x"]}))
    fake.reply(ApiError(status, "no code", should_retry=False, details={"error_code": "some_new_code"}))
    with sync_client(module, fake) as client:
        with pytest.raises(getattr(module.types, class_name)) as caught:
            client.beta.messages.create(model=MODEL, max_tokens=8, messages=[user("Hi")])
        with pytest.raises(getattr(module, parent)) as unknown:
            client.beta.messages.create(model=MODEL, max_tokens=8, messages=[user("Hi")])
    error = caught.value
    assert type(error).__name__ == class_name and isinstance(error, getattr(module, parent))
    assert error.status_code == status and error.error_code == code and error.api_message == "scripted"
    assert type(unknown.value) is getattr(module, parent), "an unknown code gets the status's class"


@pytest.mark.parametrize("code", ["thread_not_found", "thread_already_continued", "thread_continue_in_flight"])
def test_a_lost_continuation_is_replayed_under_create(code: str) -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        thread = client.beta.messages.thread(model=MODEL, max_tokens=64, system="Be brief.")
        cached = {"role": "user", "content": [{"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral"}}]}
        first = thread.send(cached)
        fake.reply(thread_error(code))
        second = thread.send(user("Again"))
        assert thread.previous_message_id == second.id != first.id
        thread.send(user("Third"))

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue", "create", "continue"]
    replay = sent[2][0]
    assert replay["system"] == "Be brief."
    assert replay["messages"][0] == {"role": "user", "content": [{"type": "text", "text": "Hi"}]}, \
        "an answered message goes again without its cache_control"
    assert [m["role"] for m in replay["messages"]] == ["user", "assistant", "user"]
    assert sent[3][0]["messages"] == [user("Third")]


def test_a_real_continuation_conflict_is_recovered() -> None:
    """The fake's own ``thread_already_continued``: a reply continued elsewhere is replayed, not raised."""

    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        thread = client.beta.messages.thread(model=MODEL, max_tokens=64)
        thread.send(user("Hi"))
        fork_like = client.beta.messages.create(
            model=MODEL, max_tokens=64, messages=[user("Elsewhere")], betas=[THREADS_BETA],
            thread={"type": "continue", "previous_message_id": thread.previous_message_id},
        )
        assert fork_like.stop_reason == "end_turn"
        thread.send(user("Again"))

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue", "continue", "create"]


def test_a_fingerprint_mismatch_is_raised_not_replayed() -> None:
    for name, module in MODULES.items():
        fake = FakeClaude(seed=3)
        with sync_client(module, fake) as client:
            thread = client.beta.messages.thread(model=MODEL, max_tokens=64)
            thread.send(user("Hi"))
            fake.reply(thread_error("thread_fingerprint_mismatch", "`tools` differs from the request that created "
                                                                   "this Thread."))
            with pytest.raises(module.types.ThreadFingerprintMismatchError, match="`tools` differs"):
                thread.send(user("Again"))
            assert len(fake.requests) == 2, name
            thread.send(user("Later"))
        assert fake.requests[2].body["messages"] == [user("Later")], "the failed turn's message is dropped"


@pytest.mark.parametrize("behavior", ["error", "continue_unthreaded"])
def test_an_unsupported_request(behavior: str) -> None:
    for module in MODULES.values():
        fake = FakeClaude(seed=3)
        with sync_client(module, fake) as client:
            thread = client.beta.messages.thread(model=MODEL, max_tokens=64, unsupported_request_behavior=behavior)
            fake.reply(thread_error("thread_unsupported_request"))
            if behavior == "error":
                with pytest.raises(module.types.ThreadUnsupportedRequestError):
                    thread.send(user("Hi"))
                assert len(fake.requests) == 1
                continue
            thread.send(user("Hi"))
            thread.send(user("Again"))
        assert kinds(wire(fake)) == ["create", None, None]
        assert [len(r.body["messages"]) for r in fake.requests] == [1, 1, 3]
        assert fake.requests[2].headers.get("x-stainless-helper") == "message-thread"
        assert fake.requests[2].headers.get("anthropic-beta") is None
        assert thread.previous_message_id is None


# ----- turns the server does not keep -----------------------------------------------------------------------
def test_refused_and_fallback_turns_start_a_new_thread() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        thread = client.beta.messages.thread(model=MODEL, max_tokens=64)
        thread.send(user("Hi"))
        fake.reply(Reply(["I can't help with that."], stop_reason="refusal"))
        assert thread.send(user("Something bad")).stop_reason == "refusal"
        assert thread.previous_message_id is None and len(thread.messages) == 2, "the refused exchange is dropped"
        fake.reply(Reply(["From the fallback."], usage={"iterations": [{"type": "fallback_message"}]}))
        thread.send(user("Fine then"))
        assert thread.previous_message_id is None and len(thread.messages) == 4, "a fallback reply is kept locally"
        thread.send(user("Last"))

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue", "create", "create"]
    assert [len(body["messages"]) for body, _ in sent] == [1, 1, 3, 5]


def test_a_stream_cut_before_message_stop_is_sent_again() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        thread = client.beta.messages.thread(model=MODEL, max_tokens=64)
        thread.send(user("Hi"))
        fake.reply(Reply(["A long answer that is cut"], drop_after=3))
        with pytest.raises(module.APIConnectionError, match="peer closed connection"), \
                thread.stream(user("Tell me more")) as stream:
            stream.until_done()
        assert thread.previous_message_id is None
        assert [m["role"] for m in thread.messages] == ["user", "assistant", "user"], "no partial reply is kept"
        with thread.stream() as stream:
            stream.until_done()
        assert thread.previous_message_id == stream.get_final_message().id

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue", "create"]
    assert sent[2][0]["messages"][-1] == user("Tell me more") and len(sent[2][0]["messages"]) == 3


def test_a_threads_tool_runner_and_a_turn_after_it() -> None:
    ran: list[str] = []

    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        fake.reply(tool_use("get_weather", {"city": "Oslo"}))
        fake.reply("Sunny in Oslo.")
        thread = client.beta.messages.thread(model=MODEL, max_tokens=300, tools=[_weather_tool(module, ran)])
        thread.append(user("Weather in Oslo?"))
        final = thread.tool_runner().until_done()
        assert final.content[-1].text == "Sunny in Oslo." and thread.previous_message_id == final.id
        assert [m["role"] for m in thread.messages] == ["user", "assistant", "user", "assistant"]
        thread.send(user("Thanks"))

    sent = on_both(scenario)
    assert ran == ["Oslo", "Oslo"]
    assert kinds(sent) == ["create", "continue", "continue"]
    assert sent[2][0]["messages"] == [user("Thanks")] and sent[2][1]["x-stainless-helper"] == "message-thread"
    assert sent[1][1]["x-stainless-helper"] == "BetaToolRunner, message-thread"


def test_one_turn_at_a_time_and_the_callers_beta_header_gains_the_threads_beta_once() -> None:
    errors: dict[str, str] = {}

    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        thread = client.beta.messages.thread(
            model=MODEL, max_tokens=64, extra_headers={"anthropic-beta": "own-beta, " + THREADS_BETA}
        )
        with thread.stream(user("Hi")) as stream:
            with pytest.raises(module.AnthropicError) as caught:
                thread.send(user("Meanwhile"))
            errors[module.__name__] = str(caught.value)
            stream.until_done()
        thread.send(user("After"))
        with pytest.raises(TypeError, match="unexpected keyword argument 'top_k'"):
            client.beta.messages.thread(model=MODEL, max_tokens=64, top_k=3)

    sent = on_both(scenario)
    assert errors["fakeclaude"] == errors["anthropic"] == (
        "Another `send()`, `parse()` or `stream()` is already in progress on this thread")
    assert kinds(sent) == ["create", "continue"] and sent[1][0]["messages"] == [user("After")]
    assert [h["anthropic-beta"] for _, h in sent] == [f"own-beta, {THREADS_BETA}"] * 2


def test_a_thread_lost_again_right_after_its_replay_continues_unthreaded() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        thread = client.beta.messages.thread(model=MODEL, max_tokens=64, unsupported_request_behavior="continue_unthreaded")
        thread.send(user("One"))
        fake.reply(thread_error("thread_not_found"))
        thread.send(user("Two"))  # replayed under create
        fake.reply(thread_error("thread_not_found"))
        thread.send(user("Three"))  # lost again at once: the server cannot keep it
        thread.send(user("Four"))

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue", "create", "continue", None, None]
    assert [len(body["messages"]) for body, _ in sent] == [1, 1, 3, 1, 5, 7]


def test_a_threaded_runner_takes_the_applications_own_tool_result() -> None:
    def scenario(module: ModuleType, client: Any, fake: FakeClaude) -> None:
        fake.reply(tool_use("get_weather", {"city": "Paris"}))
        fake.reply("Rainy then.")
        runner = client.beta.messages.tool_runner(
            model=MODEL, max_tokens=300, messages=[user("Weather?")], tools=[_weather_tool(module, [])]
        )
        for message in runner:
            if message.stop_reason == "tool_use":
                own = {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": message.content[0].id, "content": "Rain"}]}
                runner.append_messages(message, own)

    sent = on_both(scenario)
    assert kinds(sent) == ["create", "continue"], "the history given back extends the thread"
    assert sent[1][0]["messages"][0]["content"][0]["content"] == "Rain" and len(sent[1][0]["messages"]) == 1
