"""The engine's answers through its pure interface: verdicts, stop reasons, usage, determinism."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from fakeclaude.server import FakeClaude, FakeClock, Reply, text, thinking, tool_use
from fakeclaude.streaming import MessageAccumulator, SSEDecoder
from fakeclaude.types import parse_stream_event

from .conftest import body_of, call

MODEL = "claude-sonnet-4-20250514"
WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
        "required": ["city"],
    },
}


def create(fake: FakeClaude, **body: Any) -> Any:
    params = {"model": MODEL, "max_tokens": 256, "messages": [{"role": "user", "content": "Hello there"}], **body}
    reply = call(fake, "POST", "/v1/messages", params)
    assert reply.status == 200, reply.body
    return body_of(reply)


def accumulate(raw: bytes) -> dict[str, Any]:
    decoder = SSEDecoder()
    events = decoder.feed(raw) + decoder.flush()
    acc = MessageAccumulator()
    for event in events:
        if event.event and event.event != "ping":
            acc.apply(parse_stream_event(json.loads(event.data)))
    return acc.message.to_dict()


def test_text_answer_has_the_real_shape(fake: FakeClaude) -> None:
    message = create(fake)
    assert list(message) == ["model", "id", "type", "role", "content", "stop_reason", "stop_sequence", "stop_details", "usage"]
    assert message["stop_details"] is None
    assert message["model"] == MODEL and message["id"].startswith("msg_") and len(message["id"]) == 28
    assert message["content"][0]["type"] == "text" and message["content"][0]["text"]
    assert message["stop_reason"] == "end_turn"
    usage = message["usage"]
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert usage["cache_creation"] == {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}


def test_same_request_same_seed_same_text() -> None:
    a = create(FakeClaude(seed=3, clock=FakeClock()))
    b = create(FakeClaude(seed=3, clock=FakeClock()))
    c = create(FakeClaude(seed=4, clock=FakeClock()))
    assert a == b
    assert a["content"] != c["content"]


def test_alias_answers_with_dated_id(fake: FakeClaude) -> None:
    assert create(fake, model="claude-sonnet-4-5")["model"] == "claude-sonnet-4-5-20250929"


def test_max_tokens_cuts_exactly(fake: FakeClaude) -> None:
    message = create(fake, max_tokens=5)
    assert message["stop_reason"] == "max_tokens"
    assert message["usage"]["output_tokens"] == 5


def test_stop_sequence_cuts_before_it(fake: FakeClaude) -> None:
    fake.reply("one two STOP three")
    message = create(fake, stop_sequences=["STOP", "three"])
    assert message["content"][0]["text"] == "one two "
    assert message["stop_reason"] == "stop_sequence" and message["stop_sequence"] == "STOP"


def test_forced_tool_choice_gives_schema_valid_input(fake: FakeClaude) -> None:
    message = create(fake, tools=[WEATHER], tool_choice={"type": "tool", "name": "get_weather"})
    assert [b["type"] for b in message["content"]] == ["tool_use"]
    block = message["content"][0]
    assert block["id"].startswith("toolu_") and block["name"] == "get_weather"
    jsonschema.validate(block["input"], WEATHER["input_schema"])
    assert message["stop_reason"] == "tool_use"


def test_auto_tools_loop_terminates(fake: FakeClaude) -> None:
    question = [{"role": "user", "content": "What is the weather in Paris?"}]
    first = create(fake, tools=[WEATHER], messages=question)
    calls = [b for b in first["content"] if b["type"] == "tool_use"]
    assert first["stop_reason"] == "tool_use" and len(calls) == 1
    messages = [
        *question,
        {"role": "assistant", "content": first["content"]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": calls[0]["id"], "content": "18C"}]},
    ]
    second = create(fake, tools=[WEATHER], messages=messages)
    assert second["stop_reason"] == "end_turn"
    assert [b["type"] for b in second["content"]] == ["text"]


def test_thinking_block_comes_first_with_signature(fake: FakeClaude) -> None:
    message = create(fake, max_tokens=4000, thinking={"type": "enabled", "budget_tokens": 2000})
    assert [b["type"] for b in message["content"]] == ["thinking", "text"]
    assert message["content"][0]["signature"]


def test_prefill_is_continued_not_repeated(fake: FakeClaude) -> None:
    messages = [{"role": "user", "content": "Count"}, {"role": "assistant", "content": "One, two,"}]
    message = create(fake, messages=messages)
    assert not message["content"][0]["text"].startswith("One, two,")


def test_scripted_reply_goes_through_usage_and_stop_logic(fake: FakeClaude) -> None:
    fake.reply(thinking("hmm"), text("Let me check."), tool_use("get_weather", {"city": "Paris"}))
    message = create(fake, tools=[WEATHER])
    assert [b["type"] for b in message["content"]] == ["thinking", "text", "tool_use"]
    assert message["content"][2]["input"] == {"city": "Paris"}
    assert message["stop_reason"] == "tool_use"
    fake.reply(Reply(["Sorry."], stop_reason="refusal", usage={"output_tokens": 7}))
    refused = create(fake)
    assert refused["stop_reason"] == "refusal" and refused["usage"]["output_tokens"] == 7


def test_scripted_error_has_the_api_body_and_headers(fake: FakeClaude) -> None:
    fake.error(429, retry_after=3)
    reply = call(fake, "POST", "/v1/messages", {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]})
    assert reply.status == 429
    assert reply.headers["retry-after"] == "3" and reply.headers["x-should-retry"] == "true"
    body = json.loads(reply.body)
    assert body["type"] == "error" and body["error"]["type"] == "rate_limit_error"
    assert body["request_id"] == reply.headers["request-id"]


def test_rules_and_handler(fake: FakeClaude) -> None:
    route = fake.on(last_user_text="weather").respond("Sunny.")
    fake.handler(lambda request: f"echo {request.last_user_text}")
    assert create(fake, messages=[{"role": "user", "content": "the weather?"}])["content"][0]["text"] == "Sunny."
    assert create(fake, messages=[{"role": "user", "content": "hi"}])["content"][0]["text"] == "echo hi"
    assert route.call_count == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"max_tokens": 3},
        {"tools": [WEATHER]},
        {"tools": [WEATHER], "tool_choice": {"type": "any"}},
        {"max_tokens": 3000, "thinking": {"type": "enabled", "budget_tokens": 1024}},
        {"stop_sequences": ["e"]},
    ],
)
def test_accumulated_stream_equals_the_message(params: dict[str, Any]) -> None:
    plain = create(FakeClaude(seed=9, clock=FakeClock()), **params)
    raw = create(FakeClaude(seed=9, clock=FakeClock()), stream=True, **params)
    assert accumulate(raw) == plain


def test_stream_grammar(fake: FakeClaude) -> None:
    raw = create(fake, stream=True, tools=[WEATHER], tool_choice={"type": "any"})
    decoder = SSEDecoder()
    events = decoder.feed(raw) + decoder.flush()
    names = [e.event for e in events]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-2:] == ["message_delta", "message_stop"]
    for event in events:
        assert json.loads(event.data)["type"] == event.event
    deltas = [json.loads(e.data)["delta"] for e in events if e.event == "content_block_delta"]
    assert deltas[0] == {"type": "input_json_delta", "partial_json": ""}


def test_mid_stream_error_and_drop(fake: FakeClaude) -> None:
    fake.reply(Reply(["a long answer " * 5], error_after=4))
    raw = create(fake, stream=True)
    assert b"event: error" in raw and b"overloaded_error" in raw and b"message_stop" not in raw
    fake.reply(Reply(["x"], drop_after=2))
    reply = call(fake, "POST", "/v1/messages", {"model": MODEL, "max_tokens": 9, "stream": True,
                                               "messages": [{"role": "user", "content": "x"}]})
    assert reply.stream is not None
    assert [c.drop for c in reply.stream][-1] is True


def test_auth_version_and_paths(fake: FakeClaude) -> None:
    body = {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}
    assert call(fake, "POST", "/v1/messages", body, headers={"x-api-key": ""}).status == 401
    missing = call(fake, "POST", "/v1/messages", body, headers={"anthropic-version": ""})
    assert json.loads(missing.body)["error"]["message"] == "anthropic-version: header is required"
    assert call(fake, "GET", "/v1/nothing").status == 404
    assert call(fake, "GET", "/v1/messages").status == 405
    bad = call(fake, "POST", "/v1/messages", b"{not json")
    assert bad.status == 400 and json.loads(bad.body)["error"]["type"] == "invalid_request_error"
    unknown = call(fake, "POST", "/v1/messages", {**body, "model": "claude-nope"})
    assert unknown.status == 404 and json.loads(unknown.body)["error"]["message"] == "model: claude-nope"


def test_count_tokens_agrees_with_usage(fake: FakeClaude) -> None:
    params = {"model": MODEL, "messages": [{"role": "user", "content": "What is the capital of France?"}]}
    counted = body_of(call(fake, "POST", "/v1/messages/count_tokens", params))
    message = create(fake, **params)
    assert counted == {"input_tokens": message["usage"]["input_tokens"]}


def test_requests_are_recorded(fake: FakeClaude) -> None:
    create(fake)
    last = fake.requests[-1]
    assert last.path == "/v1/messages" and last.body["model"] == MODEL and last.status == 200


def test_prompt_cache_writes_then_reads_within_ttl() -> None:
    fake = FakeClaude(seed=2, clock=FakeClock())
    system = [{"type": "text", "text": "You are a careful assistant. " * 400, "cache_control": {"type": "ephemeral"}}]
    first = create(fake, system=system)["usage"]
    assert first["cache_creation_input_tokens"] > 1024 and first["cache_read_input_tokens"] == 0
    assert first["cache_creation"]["ephemeral_5m_input_tokens"] == first["cache_creation_input_tokens"]
    second = create(fake, system=system, messages=[{"role": "user", "content": "And now?"}])["usage"]
    assert second["cache_read_input_tokens"] == first["cache_creation_input_tokens"]
    assert second["cache_creation_input_tokens"] == 0
    fake.advance(301)
    third = create(fake, system=system)["usage"]
    assert third["cache_read_input_tokens"] == 0 and third["cache_creation_input_tokens"] > 0


def test_rate_limits_answer_429_with_retry_after_and_headers() -> None:
    from fakeclaude.server import RateLimits

    fake = FakeClaude(seed=2, clock=FakeClock(), rate_limits=RateLimits(requests_per_minute=2))
    params = {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}
    ok = call(fake, "POST", "/v1/messages", params)
    assert ok.headers["anthropic-ratelimit-requests-limit"] == "2"
    assert ok.headers["anthropic-ratelimit-requests-remaining"] == "1"
    call(fake, "POST", "/v1/messages", params)
    limited = call(fake, "POST", "/v1/messages", params)
    assert limited.status == 429 and int(limited.headers["retry-after"]) >= 1
    assert json.loads(limited.body)["error"]["type"] == "rate_limit_error"
    fake.advance(60)
    assert call(fake, "POST", "/v1/messages", params).status == 200


def test_batches_lifecycle_through_the_engine(fake: FakeClaude) -> None:
    requests = [
        {"custom_id": "a", "params": {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}},
        {"custom_id": "b", "params": {"model": "claude-nope", "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}},
    ]
    assert call(fake, "POST", "/v1/messages/batches", {"requests": [*requests, requests[0]]}).status == 400
    requests.pop()
    fake.on(custom_id="b").error(500)  # one request inside the batch (a plain fake.error answers /v1/messages only)
    requests.append({"custom_id": "b", "params": {"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "y"}]}})
    batch = body_of(call(fake, "POST", "/v1/messages/batches", {"requests": requests}))
    assert batch["processing_status"] == "in_progress" and batch["request_counts"]["processing"] == 2
    ended = body_of(call(fake, "GET", f"/v1/messages/batches/{batch['id']}"))
    assert ended["processing_status"] == "ended" and ended["results_url"].endswith(f"/{batch['id']}/results")
    results = call(fake, "GET", f"/v1/messages/batches/{batch['id']}/results")
    assert results.headers["content-type"] == "application/x-jsonl"
    lines = [json.loads(line) for line in results.body.decode().splitlines()]
    kinds = {line["custom_id"]: line["result"]["type"] for line in lines}
    assert sorted(kinds.values()) == ["errored", "succeeded"]
    succeeded = next(line for line in lines if line["result"]["type"] == "succeeded")
    assert succeeded["result"]["message"]["usage"]["service_tier"] == "batch"
    assert body_of(call(fake, "DELETE", f"/v1/messages/batches/{batch['id']}"))["type"] == "message_batch_deleted"
    assert call(fake, "GET", f"/v1/messages/batches/{batch['id']}").status == 404


def test_models_list_and_retrieve(fake: FakeClaude) -> None:
    page = body_of(call(fake, "GET", "/v1/models", query={"limit": "3"}))
    assert len(page["data"]) == 3 and page["has_more"] is True and page["first_id"] == page["data"][0]["id"]
    model = body_of(call(fake, "GET", "/v1/models/claude-sonnet-4-5"))
    assert model["id"] == "claude-sonnet-4-5-20250929" and model["type"] == "model"


def test_a_bug_in_a_test_handler_is_a_script_failure_answered_with_a_400_no_sdk_retries(fake: FakeClaude) -> None:
    def runaway(request: Any) -> Any:
        return runaway(request)  # a recursion bug in the test's own handler

    fake.handler(runaway)
    reply = call(fake, "POST", "/v1/messages", {"model": MODEL, "max_tokens": 5,
                                                 "messages": [{"role": "user", "content": "hi"}]})
    assert reply.status == 400 and reply.headers["x-should-retry"] == "false"
    assert "fake.handler(runaway) raised RecursionError" in body_of(reply)["error"]["message"]
    assert [type(f) for f in fake.failures] == [RecursionError]
    assert fake.requests[-1].verdict == "script-failed"
    with pytest.raises(RecursionError):
        fake.verify()


def test_a_body_too_deep_to_walk_is_a_400(fake: FakeClaude) -> None:
    deep = '{"a":' * 1000 + '"x"' + "}" * 1000  # within the parser's 1024 levels, beyond what a walk may recurse
    raw = ('{"model":"' + MODEL + '","max_tokens":5,"messages":[{"role":"user","content":"hi"}],'
           '"tools":[{"name":"t","input_schema":{"type":"object","properties":{"a":' + deep + "}}}]}")
    reply = call(fake, "POST", "/v1/messages", raw.encode())
    assert reply.status == 400
    assert body_of(reply)["error"]["message"].endswith("nesting too deep")


def test_the_engines_log_entries_are_the_dataclass_as_built_by_its_constructor() -> None:
    import dataclasses

    from fakeclaude.server.engine import RecordedRequest
    from fakeclaude.server.request_log import RequestLog

    values = ("POST", "/v1/messages", {"q": "1"}, {"x-api-key": "k"}, {"model": "m"}, "req_1", 200, None, True, False,
              b"{}", 2)
    log = RequestLog()
    log.add(*values)
    logged, built = log[0], RecordedRequest(*values)
    assert logged == built and vars(logged) == vars(built) and repr(logged) == repr(built)
    assert log[-1] is logged and list(log) == [logged] and log[:] == [logged]  # made once, on the first read
    assert dataclasses.replace(logged, body=None).body is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        logged.status = 500  # type: ignore[misc]
    with pytest.raises(IndexError):
        log[1]



def test_log_entries_copy_pickle_and_dump_as_dataclasses_do(fake: FakeClaude) -> None:
    """What a test does with an entry it keeps: copy it, pickle it (xdist, multiprocessing), ``asdict`` and dump it."""
    import copy
    import dataclasses
    import pickle

    call(fake, "POST", "/v1/messages", {"model": "claude-sonnet-4-5", "max_tokens": 16,
                                        "messages": [{"role": "user", "content": "Hi"}]})
    call(fake, "GET", "/v1/models", query={"limit": "2"})
    for entry in fake.requests:
        assert copy.deepcopy(entry) == entry and pickle.loads(pickle.dumps(entry)) == entry
        as_dict = dataclasses.asdict(entry)
        fields = {"query": as_dict["query"], "headers": dict(entry.headers), "body": as_dict["body"]}
        assert json.loads(json.dumps(fields))["query"] == dict(entry.query)
    assert fake.requests[0].query == {} and fake.requests[1].query == {"limit": "2"}


def test_the_engines_handler_request_is_the_dataclass_as_built_by_its_constructor() -> None:
    import dataclasses

    from fakeclaude.server.script import ParsedRequest

    body, headers = {"model": "m", "messages": []}, {"x-api-key": "k"}
    fast, built = ParsedRequest.message(body, headers), ParsedRequest(body, headers)
    assert fast == built and vars(fast) == vars(built) and repr(fast) == repr(built)
    assert fast.is_message and dataclasses.replace(fast, path="/v1/models").path == "/v1/models"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.path = "/"  # type: ignore[misc]
