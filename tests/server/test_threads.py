"""Message threads (beta ``message-threads-2026-08-12``) on the fake: the official SDK's tool runner and
``thread()`` helper unchanged, and the API's thread errors with ``error.details.error_code``."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import httpx2
import pytest
from anthropic import beta_async_tool, beta_tool

from fakeclaude.server import FakeClaude, FakeClock, Reply, tool_use
from fakeclaude.server.threads import THREAD_TTL_SECONDS, THREADS_BETA, ThreadStore

MODEL = "claude-sonnet-4-6"
HEADERS = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01", "content-type": "application/json",
           "anthropic-beta": THREADS_BETA}
SEARCH = {"type": "server_tool_use", "id": "srvtoolu_01AAAAAAAAAAAAAAAAAAAAAA", "name": "web_search",
          "input": {"query": "news"}}


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=2, clock=FakeClock())


def sdk(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-test", http_client=httpx2.Client(transport=fake.httpx2_transport()),
                               max_retries=0)


def post(fake: FakeClaude, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx2.Response:
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post("/v1/messages", params={"beta": "true"}, headers={**HEADERS, **(headers or {})},
                               content=json.dumps(body).encode())
        response.read()
        return response


def create(fake: FakeClaude, text: str = "Hello", **extra: Any) -> dict[str, Any]:
    response = post(fake, {"model": MODEL, "max_tokens": 256, "thread": {"type": "create"},
                           "messages": [{"role": "user", "content": text}], **extra})
    assert response.status_code == 200, response.text
    return dict(response.json())


def continue_(fake: FakeClaude, previous: str, messages: list[dict[str, Any]] | None = None,
              **extra: Any) -> httpx2.Response:
    return post(fake, {"model": MODEL, "max_tokens": 256, "thread": {"type": "continue", "previous_message_id": previous},
                       "messages": [{"role": "user", "content": "Again"}] if messages is None else messages, **extra})


def thread_error(response: httpx2.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["x-should-retry"] == "false"
    error = response.json()["error"]
    assert error["details"]["error_code"] == code
    return dict(error)


# ----- the official SDK, unchanged --------------------------------------------------------------------------
def test_sdk_tool_runner_threads_to_a_final_answer(fake: FakeClaude) -> None:
    ran: list[str] = []

    @beta_tool
    def get_weather(city: str) -> str:
        """Get the current weather for a city."""
        ran.append(city)
        return f"Sunny in {city}"

    @beta_tool
    def run_shell(command: str) -> str:
        """Run a shell command on the user's machine."""
        raise AssertionError("an unrelated tool must not be called")

    runner = sdk(fake).beta.messages.tool_runner(
        model=MODEL, max_tokens=512, tools=[get_weather, run_shell],
        messages=[{"role": "user", "content": "What is the weather in Paris?"}],
    )
    final = runner.until_done()
    assert final.stop_reason == "end_turn" and final.content[-1].type == "text"
    assert len(ran) == 1
    first, second = (r.body for r in fake.requests)
    assert first["thread"] == {"type": "create"} and "tools" in first
    assert second["thread"]["type"] == "continue" and "tools" not in second
    assert [b["type"] for b in second["messages"][0]["content"]] == ["tool_result"], "only the new turn is sent"
    assert THREADS_BETA in fake.requests[1].headers["anthropic-beta"]


def test_sdk_thread_continued_three_turns(fake: FakeClaude) -> None:
    seen: list[int] = []
    fake.handler(lambda request: seen.append(len(request.messages)) or None)
    thread = sdk(fake).beta.messages.thread(model=MODEL, max_tokens=256, system="Be brief.")
    replies = [thread.send({"role": "user", "content": f"Question {n}"}) for n in range(1, 5)]
    assert all(r.stop_reason == "end_turn" for r in replies)
    kinds = [r.body["thread"]["type"] for r in fake.requests]
    assert kinds == ["create", "continue", "continue", "continue"]
    assert [len(r.body["messages"]) for r in fake.requests] == [1, 1, 1, 1], "each turn sends only its message"
    assert seen == [1, 3, 5, 7], "the fake answers each turn with the whole conversation"
    assert [r.body["thread"].get("previous_message_id") for r in fake.requests[1:]] == [r.id for r in replies[:3]]
    assert "system" not in fake.requests[3].body


async def test_sdk_async_tool_runner_threads(fake: FakeClaude) -> None:
    @beta_async_tool
    async def lookup_order(order_id: str) -> str:
        """Look up an order by its id."""
        return "shipped"

    client = anthropic.AsyncAnthropic(api_key="sk-test", max_retries=0,
                                      http_client=httpx2.AsyncClient(transport=fake.httpx2_transport()))
    runner = client.beta.messages.tool_runner(model=MODEL, max_tokens=512, tools=[lookup_order],
                                              messages=[{"role": "user", "content": "Where is order 42?"}])
    final = await runner.until_done()
    assert final.stop_reason == "end_turn"
    assert [r.body["thread"]["type"] for r in fake.requests] == ["create", "continue"]


# ----- the wire rules --------------------------------------------------------------------------------------
def test_thread_needs_its_beta(fake: FakeClaude) -> None:
    response = post(fake, {"model": MODEL, "max_tokens": 16, "thread": {"type": "create"},
                           "messages": [{"role": "user", "content": "hi"}]}, headers={"anthropic-beta": "other-beta"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "thread: Extra inputs are not permitted"


def test_a_reply_is_continued_once(fake: FakeClaude) -> None:
    first = create(fake)
    assert continue_(fake, first["id"]).status_code == 200
    error = thread_error(continue_(fake, first["id"]), 400, "thread_already_continued")
    assert error["type"] == "invalid_request_error" and error["message"].startswith(
        "The requested `previous_message_id` has already been continued.")


def test_unknown_and_expired_ids_are_not_found(fake: FakeClaude) -> None:
    error = thread_error(continue_(fake, "msg_011CAAAAAAAAAAAAAAAAAAAA"), 404, "thread_not_found")
    assert error["type"] == "not_found_error"
    first = create(fake)
    fake.advance(THREAD_TTL_SECONDS + 1)
    thread_error(continue_(fake, first["id"]), 404, "thread_not_found")


def test_system_and_tools_come_from_the_thread(fake: FakeClaude) -> None:
    tools = [{"name": "lookup", "input_schema": {"type": "object"}}]
    first = create(fake, system="Be brief.", tools=tools)
    same = continue_(fake, first["id"], system="Be brief.")
    assert same.status_code == 200
    error = thread_error(continue_(fake, same.json()["id"], tools=[]), 400, "thread_fingerprint_mismatch")
    assert error["message"] == "`tools` differs from the request that created this Thread."


def test_unsupported_fields_are_named(fake: FakeClaude) -> None:
    response = post(fake, {"model": MODEL, "max_tokens": 16, "thread": {"type": "create"},
                           "context_management": {"edits": []}, "messages": [{"role": "user", "content": "hi"}]})
    error = thread_error(response, 400, "thread_unsupported_request")
    assert error["details"]["unsupported"] == ["context_management"]
    assert error["message"] == "This request cannot be used with `thread`."


def test_continuing_a_stream_still_being_read_is_in_flight(fake: FakeClaude) -> None:
    first = create(fake)
    body = {"model": MODEL, "max_tokens": 64, "stream": True, "messages": [{"role": "user", "content": "Again"}],
            "thread": {"type": "continue", "previous_message_id": first["id"]}}
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client, \
            client.stream("POST", "/v1/messages", params={"beta": "true"}, headers=HEADERS, json=body) as streaming:
        thread_error(continue_(fake, first["id"]), 400, "thread_continue_in_flight")
        events = streaming.read().decode()
    reply_id = json.loads(events.split("data: ", 2)[1].split("\n", 1)[0])["message"]["id"]
    assert continue_(fake, reply_id).status_code == 200, "a stream read to its end is kept"
    thread_error(continue_(fake, first["id"]), 400, "thread_already_continued")


def test_a_cut_stream_a_refusal_and_a_fallback_turn_are_not_kept(fake: FakeClaude) -> None:
    fake.reply(Reply(["partial answer"], drop_after=3))
    body = {"model": MODEL, "max_tokens": 64, "stream": True, "thread": {"type": "create"},
            "messages": [{"role": "user", "content": "hi"}]}
    client = httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake")
    with pytest.raises(httpx2.RemoteProtocolError), \
            client.stream("POST", "/v1/messages", params={"beta": "true"}, headers=HEADERS, json=body) as cut:
        cut.read()
    client.close()
    assert len(fake.engine.threads) == 0
    fake.reply(Reply(["I can't help with that."], stop_reason="refusal"))
    refused = create(fake)
    thread_error(continue_(fake, refused["id"]), 404, "thread_not_found")
    fake.reply(Reply(["From the fallback model."], usage={"iterations": [{"type": "fallback_message"}]}))
    fallen_back = create(fake)
    thread_error(continue_(fake, fallen_back["id"]), 404, "thread_not_found")


def test_pause_turn_is_continued_with_no_messages(fake: FakeClaude) -> None:
    fake.reply(Reply([SEARCH], stop_reason="pause_turn"))
    paused = create(fake, "Search the news", tools=[{"type": "web_search_20250305", "name": "web_search"}])
    assert paused["stop_reason"] == "pause_turn"
    wrong = continue_(fake, paused["id"])
    assert wrong.status_code == 400
    assert wrong.json()["error"]["message"] == "messages.0: `server_tool_use` was not executed"
    resumed = continue_(fake, paused["id"], messages=[])
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["stop_reason"] == "end_turn"


def test_tool_loop_over_a_thread_on_the_wire(fake: FakeClaude) -> None:
    fake.reply(tool_use("lookup", {"q": "x"}))
    first = create(fake, tools=[{"name": "lookup", "input_schema": {"type": "object"}}])
    call = first["content"][-1]
    answer = continue_(fake, first["id"], messages=[
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call["id"], "content": "found"}]}])
    assert answer.status_code == 200 and answer.json()["stop_reason"] == "end_turn"


def test_the_store_is_bounded() -> None:
    clock = FakeClock()
    store = ThreadStore(clock, max_states=2)
    for n in range(3):
        turn = store.begin({"thread": {"type": "create"}, "messages": [{"role": "user", "content": "hi"}]})
        store.commit(turn, {"id": f"msg_{n}", "content": [], "stop_reason": "end_turn"})
    assert len(store) == 2
    with pytest.raises(Exception, match="No thread state"):
        store.begin({"thread": {"type": "continue", "previous_message_id": "msg_0"}, "messages": []})


def test_sdk_thread_streamed_turns_over_a_socket(fake: FakeClaude) -> None:
    with fake.serve() as base_url:
        client = anthropic.Anthropic(api_key="sk-test", base_url=base_url, max_retries=0)
        thread = client.beta.messages.thread(model=MODEL, max_tokens=256)
        with thread.stream({"role": "user", "content": "First"}) as stream:
            first = stream.get_final_message()
        second = thread.send({"role": "user", "content": "Second"})
        with thread.stream({"role": "user", "content": "Third"}) as stream:
            third = "".join(stream.text_stream)
    assert first.stop_reason == second.stop_reason == "end_turn" and third
    assert [r.body["thread"].get("previous_message_id") for r in fake.requests] == [None, first.id, second.id]
    assert [r.status for r in fake.requests] == [200, 200, 200], "each streamed turn was kept and continued"


def test_sdk_recovers_from_an_expired_thread_by_replaying_it(fake: FakeClaude) -> None:
    thread = sdk(fake).beta.messages.thread(model=MODEL, max_tokens=256)
    thread.send({"role": "user", "content": "First"})
    fake.advance(THREAD_TTL_SECONDS + 1)
    reply = thread.send({"role": "user", "content": "Second"})
    assert reply.stop_reason == "end_turn"
    assert [(r.status, r.body["thread"]["type"]) for r in fake.requests] == [
        (200, "create"), (404, "continue"), (200, "create")]
    assert len(fake.requests[-1].body["messages"]) == 3, "the SDK replayed the whole history"
