"""The engine's analysis memo: a body sent again skips its validation and planning, and changes nothing.

Every test compares a fake with the memo against one without it (``AnalysisMemo(size=0)`` keeps nothing),
or checks what must still run on every send.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.analysis_memo import MAX_BODY_BYTES, AnalysisMemo
from fakeclaude.server.http import HttpReply

from .conftest import call

WEATHER = {"name": "get_weather", "description": "Weather for a city",
           "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
BODIES: list[dict[str, Any]] = [
    {"model": "claude-sonnet-4-5", "max_tokens": 256, "messages": [{"role": "user", "content": "Write a haiku."}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 256, "tools": [WEATHER],
     "messages": [{"role": "user", "content": "What's the weather in Paris?"}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "Tell a long story."}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 256, "stop_sequences": ["the"],
     "messages": [{"role": "user", "content": "Describe the sea."}, {"role": "assistant", "content": "The sea"}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 2048, "thinking": {"type": "enabled", "budget_tokens": 1024},
     "messages": [{"role": "user", "content": "Think about primes."}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 256, "stream": True,
     "messages": [{"role": "user", "content": "Write a haiku."}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 256, "system": [{"type": "text", "text": "Be brief.",
                                                                  "cache_control": {"type": "ephemeral"}}],
     "messages": [{"role": "user", "content": "Hi"}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 256, "tools": [{"type": "web_search_20250305", "name": "web_search"}],
     "messages": [{"role": "user", "content": "Search the web for the weather in Paris"}]},
    {"model": "claude-sonnet-4-5", "max_tokens": 0, "messages": [{"role": "user", "content": "bad"}]},  # a 400
    {"model": "no-such-model", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]},  # a 404
]


def _without_memo(fake: FakeClaude) -> FakeClaude:
    fake.engine._memo = AnalysisMemo(size=0)
    return fake


def _reply(reply: HttpReply) -> tuple[int, dict[str, str], bytes]:
    body = b"".join(chunk.data for chunk in reply.stream) if reply.stream is not None else reply.body
    return reply.status, reply.headers, body


def test_answers_with_the_memo_equal_answers_without_it() -> None:
    memo, plain = FakeClaude(seed=5, clock=FakeClock()), _without_memo(FakeClaude(seed=5, clock=FakeClock()))
    order = [0, 0, 1, 2, 1, 3, 4, 4, 5, 0, 5, 6, 6, 7, 7, 8, 8, 9, 2, 3]
    for index in order:
        got, expected = (_reply(call(f, "POST", "/v1/messages", BODIES[index])) for f in (memo, plain))
        assert got == expected, f"body {index} answered differently with the memo"
    assert memo.engine._memo.hits >= 8  # the repeats of valid bodies skipped their analysis
    assert plain.engine._memo.hits == 0
    assert len(memo.requests) == len(plain.requests) == len(order)


def test_the_official_sdk_gets_the_same_messages_and_the_prompt_cache_still_counts() -> None:
    fakes = [FakeClaude(seed=2, clock=FakeClock()), _without_memo(FakeClaude(seed=2, clock=FakeClock()))]
    answers = []
    for fake in fakes:
        client = anthropic.Anthropic(api_key="sk-test", max_retries=0, base_url="http://fake",
                                     http_client=httpx2.Client(transport=fake.httpx2_transport()))
        params = dict(BODIES[6])
        system = [{"type": "text", "text": "You answer questions about a long manual. " * 300,
                   "cache_control": {"type": "ephemeral"}}]
        answers.append([client.messages.create(**{**params, "system": system}).model_dump() for _ in range(3)])
    assert answers[0] == answers[1]
    usages = [a["usage"] for a in answers[0]]
    assert usages[0]["cache_creation_input_tokens"] > 0 and usages[1]["cache_read_input_tokens"] > 0


def test_a_handler_that_changes_the_body_does_not_change_what_is_kept() -> None:
    def meddle(request: Any) -> None:
        if isinstance(request.body.get("messages"), list) and request.body["messages"]:
            request.body["messages"][0]["content"] = "something else entirely"  # a handler misbehaving
            request.body["max_tokens"] = 1

    memo, plain = FakeClaude(seed=9, clock=FakeClock()), _without_memo(FakeClaude(seed=9, clock=FakeClock()))
    for fake in (memo, plain):
        call(fake, "POST", "/v1/messages", BODIES[0])  # analysed and kept, no handler yet
        fake.handler(meddle)
        call(fake, "POST", "/v1/messages", BODIES[0])
        fake.handler(None)
    again = [_reply(call(f, "POST", "/v1/messages", BODIES[0])) for f in (memo, plain)]
    assert again[0] == again[1]
    assert json.loads(again[0][2])["usage"]["output_tokens"] > 1


def test_a_handler_that_changes_the_first_send_does_not_change_the_next_answers() -> None:
    def meddle(request: Any) -> None:
        request.body["messages"][0]["content"] = "Use the weather tool for Oslo."  # then answers as the fake would

    memo, plain = FakeClaude(seed=4, clock=FakeClock()), _without_memo(FakeClaude(seed=4, clock=FakeClock()))
    for fake in (memo, plain):
        fake.handler(meddle)
        call(fake, "POST", "/v1/messages", BODIES[1])
        fake.handler(None)
    again = [_reply(call(f, "POST", "/v1/messages", BODIES[1])) for f in (memo, plain)]
    assert again[0] == again[1]


@pytest.mark.parametrize("key", ['"file_id"', '"file\\u005fid"'], ids=["plain", "escaped"])
def test_a_body_naming_a_file_is_checked_on_every_send(key: str) -> None:
    r"""Also under an escaped key: ``"file\u005fid"`` is ``"file_id"`` once parsed."""
    fake = FakeClaude(seed=1, clock=FakeClock())
    file_id = fake.files.create(b"%PDF-1.4 not really", filename="a.pdf", mime_type="application/pdf")["id"]
    body = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": [
        {"type": "document", "source": {"type": "file", "file_id": file_id}},
        {"type": "text", "text": "Summarise it."}]}]}
    raw = json.dumps(body).replace('"file_id"', key).encode()
    headers = {"anthropic-beta": "files-api-2025-04-14"}
    assert call(fake, "POST", "/v1/messages", raw, headers=headers).status == 200
    fake.files.delete(file_id)
    gone = call(fake, "POST", "/v1/messages", raw, headers=headers)
    assert gone.status == 404 and file_id in json.loads(gone.body)["error"]["message"]
    assert len(fake.engine._memo) == 0


def test_the_beta_header_is_part_of_the_key() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock())
    body = {"model": "claude-3-7-sonnet-20250219", "max_tokens": 100_000,
            "messages": [{"role": "user", "content": "A very long essay, please."}]}
    assert call(fake, "POST", "/v1/messages", body, headers={"anthropic-beta": "output-128k-2025-02-19"}).status == 200
    refused = call(fake, "POST", "/v1/messages", body)  # the same bytes without the beta: over the model's cap
    assert refused.status == 400 and "max_tokens" in json.loads(refused.body)["error"]["message"]


def test_large_bodies_are_not_kept() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock())
    text = "word " * (MAX_BODY_BYTES // 5 + 1)
    body = {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": text}]}
    assert call(fake, "POST", "/v1/messages", body).status == 200
    assert len(fake.engine._memo) == 0


def test_the_memo_keeps_its_newest_entries_only() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock())
    fake.engine._memo = AnalysisMemo(size=3)
    for n in range(10):
        call(fake, "POST", "/v1/messages", {"model": "claude-sonnet-4-5", "max_tokens": 16,
                                            "messages": [{"role": "user", "content": f"prompt {n}"}]})
    assert len(fake.engine._memo) == 3


def _kept(fake: FakeClaude, body: dict[str, Any]) -> Any:
    found = [analysis for key, analysis in fake.engine._memo._entries.items() if json.loads(key[0]) == body]
    return found[0].answer if found else None


def test_a_repeat_answers_the_kept_answer_and_the_log_reads_as_composed() -> None:
    """Only an answer made of the body alone is kept whole, streamed or not: not a tool use (it draws a tool
    id), a prompt-cache breakpoint (the second send reads the cache) or a server tool."""
    memo, plain = FakeClaude(seed=3, clock=FakeClock()), _without_memo(FakeClaude(seed=3, clock=FakeClock()))
    for index in (0, 1, 4, 5, 6, 7):
        for _ in range(3):
            got, expected = (_reply(call(f, "POST", "/v1/messages", BODIES[index])) for f in (memo, plain))
            assert got == expected, f"body {index} answered differently from its kept answer"
    assert all(_kept(memo, BODIES[i]) is not None for i in (0, 4, 5))  # text; thinking; a stream
    assert _kept(memo, BODIES[5]).stream is not None and _kept(memo, BODIES[0]).stream is None
    assert all(_kept(memo, BODIES[i]) is None for i in (1, 6, 7))
    assert [r.answer for r in memo.requests] == [r.answer for r in plain.requests]
    ids = [r.answer["id"] for r in memo.requests if r.path == "/v1/messages" and isinstance(r.answer, dict)]
    assert len(set(ids)) == len(ids)  # every repeat got a message id of its own


def test_a_script_added_after_a_kept_answer_answers_the_next_send() -> None:
    fake = FakeClaude(seed=3, clock=FakeClock())
    for _ in range(2):
        call(fake, "POST", "/v1/messages", BODIES[0])
    assert _kept(fake, BODIES[0]) is not None
    fake.on(last_user_text="Write a haiku.").reply("Scripted.")
    assert json.loads(call(fake, "POST", "/v1/messages", BODIES[0]).body)["content"][0]["text"] == "Scripted."
    fake.script.reset()
    fake.handler(lambda request: "From the handler.")
    assert json.loads(call(fake, "POST", "/v1/messages", BODIES[0]).body)["content"][0]["text"] == "From the handler."
    fake.handler(None)
    assert fake.requests[-1].scripted
    plain = json.loads(call(fake, "POST", "/v1/messages", BODIES[0]).body)
    assert plain["content"][0]["text"] != "From the handler." and not fake.requests[-1].scripted


def _same_answers(handler: Any, sends: int = 3, bodies: tuple[int, ...] = (0, 1, 4)) -> FakeClaude:
    """Every answer of a fake keeping answers equals one keeping nothing, ``handler`` scripting both."""
    memo, plain = FakeClaude(seed=6, clock=FakeClock()), _without_memo(FakeClaude(seed=6, clock=FakeClock()))
    for fake in (memo, plain):
        fake.handler(handler)
    for index in bodies:
        for send in range(sends):
            got, expected = (_reply(call(f, "POST", "/v1/messages", BODIES[index])) for f in (memo, plain))
            assert got == expected, f"body {index}, send {send}: the kept scripted answer differs"
            replies = [f.engine.requests[-1] for f in (memo, plain)]
            assert replies[0].answer == replies[1].answer and replies[0].scripted and replies[1].scripted
    return memo


def test_a_scripted_reply_repeated_answers_as_composed() -> None:
    from fakeclaude.server import Reply

    memo = _same_answers(lambda request: Reply(["Scripted, again."], usage={"output_tokens": 7}, ttft=0.25))
    assert all(_kept(memo, BODIES[i]) is None for i in (0, 1, 4))  # kept under the scripted replies instead
    entries = [a for a in memo.engine._memo._entries.values() if a._scripted]
    assert len(entries) == 3
    assert memo.engine.requests[-1].answer["usage"]["output_tokens"] == 7


def test_scripted_tool_uses_and_thinking_repeated_answer_as_composed() -> None:
    from fakeclaude.server import Reply

    def handler(request: Any) -> Any:
        if request.tools:
            return Reply([{"type": "tool_use", "id": "toolu_01fixed", "name": "get_weather", "input": {"city": "Paris"}}])
        return Reply([{"type": "thinking", "thinking": "Primes."}, "Two, three, five."])

    _same_answers(handler)
    _same_answers(lambda request: Reply([{"type": "tool_use", "name": "get_weather", "input": {"city": "Oslo"}}])
                  if request.tools else Reply(["x"]), bodies=(1,))  # a tool id drawn each time: never kept


def test_a_reply_the_test_changes_afterwards_answers_as_changed() -> None:
    from fakeclaude.server import Reply

    reply = Reply(["First."])
    memo = _same_answers(lambda request: reply, sends=2, bodies=(0,))
    reply.content[0] = "Second."  # the same object, changed in place
    assert json.loads(call(memo, "POST", "/v1/messages", BODIES[0]).body)["content"][0]["text"] == "Second."


def test_a_handler_that_changes_the_body_and_replies_answers_as_composed() -> None:
    from fakeclaude.server import Reply

    calls = itertools.count()

    def shorten(request: Any) -> Any:
        if next(calls) // 2 >= 2:  # (each send reaches both fakes) two sends as they came (kept), two changed
            request.body["max_tokens"] = 1  # the reply is cut at one token, as composing it says
        return Reply(["A reply longer than one token."])

    memo = _same_answers(shorten, sends=4, bodies=(0,))
    assert [r.answer["stop_reason"] for r in memo.engine.requests] == ["end_turn"] * 2 + ["max_tokens"] * 2


def test_a_script_that_never_reads_a_repeated_body_never_parses_it() -> None:
    """A repeat reaches the script as its bytes: a handler that never reads ``body`` costs no parse, one that
    reads it gets its own parse (changing it changes this answer only), and every answer and log entry reads
    as without the memo."""
    from fakeclaude.server import Reply
    from fakeclaude.server._frozen import unread

    seen: list[bool] = []

    def blind(request: Any) -> Any:
        seen.append(unread(request, "body"))
        return Reply(["Not looking."])

    memo = _same_answers(blind, bodies=(0, 5))
    assert seen[::2] == [False, True, True] * 2  # each send reaches the memo's fake, then the plain one
    assert not any(seen[1::2])  # a fake keeping nothing parses every body
    entries = memo.engine.requests
    assert [type(vars(r)["body"]) is dict for r in entries] == [True, False, False] * 2  # logged as bytes
    assert [r.body for r in entries] == [BODIES[0]] * 3 + [BODIES[5]] * 3

    def reader(request: Any) -> Any:
        return Reply([f"You said {request.last_user_text!r}."])

    _same_answers(reader)
    fakes = [FakeClaude(seed=6, clock=FakeClock()), _without_memo(FakeClaude(seed=6, clock=FakeClock()))]
    for fake in fakes:
        fake.handler(lambda request: None)  # "answer as the fake would", the body never read
    answers = [[_reply(call(f, "POST", "/v1/messages", BODIES[i])) for i in (0, 0, 1, 1, 5, 5)] for f in fakes]
    assert answers[0] == answers[1]
    assert not any(r.scripted for r in fakes[0].requests)


def test_a_kept_answer_is_still_rate_limited() -> None:
    from fakeclaude.server import RateLimits

    fakes = [FakeClaude(seed=1, clock=FakeClock(), rate_limits=RateLimits(requests_per_minute=2)),
             _without_memo(FakeClaude(seed=1, clock=FakeClock(), rate_limits=RateLimits(requests_per_minute=2)))]
    answers = [[_reply(call(f, "POST", "/v1/messages", BODIES[0])) for _ in range(3)] for f in fakes]
    assert answers[0] == answers[1]
    assert [status for status, _, _ in answers[0]] == [200, 200, 429]
    assert _kept(fakes[0], BODIES[0]) is not None


def test_a_kept_scripted_answer_is_still_rate_limited_before_the_script_is_asked() -> None:
    """A repeat whose scripted answer is kept still gets its 429 first: the refused send takes no reply
    from the queue, and the reply answers the next send the limit lets in."""
    from fakeclaude.server import RateLimits, Reply

    def limited() -> FakeClaude:
        return FakeClaude(seed=1, clock=FakeClock(), rate_limits=RateLimits(requests_per_minute=2))

    fakes = [limited(), _without_memo(limited())]
    answers = []
    for fake in fakes:
        fake.handler(lambda request: Reply(["From the handler."]))
        sent = [_reply(call(fake, "POST", "/v1/messages", BODIES[0])) for _ in range(2)]
        fake.reply("Queued.")
        sent.append(_reply(call(fake, "POST", "/v1/messages", BODIES[0])))
        assert fake.engine.script.pending == 1  # the 429 took nothing
        fake.advance(61)
        sent.append(_reply(call(fake, "POST", "/v1/messages", BODIES[0])))
        answers.append(sent)
    assert answers[0] == answers[1]
    assert [status for status, _, _ in answers[0]] == [200, 200, 429, 200]
    assert json.loads(answers[0][3][2])["content"][0]["text"] == "Queued."
    assert fakes[0].engine._memo.hits == 3


def test_a_kept_scripted_answer_answers_a_repeat_without_composing_it(monkeypatch: Any) -> None:
    """The kept scripted answer is what a repeat gets (nothing composed again), with its own id and headers;
    a handler's other outcomes on the same body (an error, a generated answer, another reply) still answer."""
    from fakeclaude.server import Reply, engine
    from fakeclaude.server.errors import ApiError

    fake = FakeClaude(seed=1, clock=FakeClock())
    outcomes: list[Any] = [Reply(["Kept."]), Reply(["Kept."]), Reply(["Kept."]),
                           ApiError(529, "Overloaded", "overloaded_error"), None, Reply(["Another."]), Reply(["Kept."])]
    fake.handler(lambda request: outcomes.pop(0))
    composed = 0
    compose = engine.compose_message

    def counting(**kwargs: Any) -> Any:
        nonlocal composed
        composed += 1
        return compose(**kwargs)

    monkeypatch.setattr(engine, "compose_message", counting)
    replies = [call(fake, "POST", "/v1/messages", BODIES[0]) for _ in range(7)]
    assert [r.status for r in replies] == [200, 200, 200, 529, 200, 200, 200]
    texts = [json.loads(r.body)["content"][0]["text"] for r in replies if r.status == 200]
    assert texts[:3] == ["Kept."] * 3 and texts[4:] == ["Another.", "Kept."]
    assert composed == 3  # the first "Kept.", the generated answer, "Another."
    assert len({json.loads(r.body)["id"] for r in replies if r.status == 200}) == 6
    assert [r.scripted for r in fake.requests] == [True, True, True, True, False, True, True]
    assert all("anthropic-ratelimit-requests-remaining" in r.headers for r in replies if r.status == 200)


def test_a_repeat_is_logged_with_its_body_parsed_when_read() -> None:
    """A kept answer's request is logged without parsing its body: the entry reads as the body anyway, each
    entry its own copy (a test that changes one changes no other), as the full path logs it."""
    memo, plain = FakeClaude(seed=3, clock=FakeClock()), _without_memo(FakeClaude(seed=3, clock=FakeClock()))
    for fake in (memo, plain):
        for _ in range(3):
            call(fake, "POST", "/v1/messages", BODIES[0])
    assert memo.engine._memo.hits == 2 and _kept(memo, BODIES[0]) is not None
    first, second = memo.requests[1], memo.requests[2]
    assert "body" in vars(second) and type(vars(second)["body"]) is not dict  # not parsed yet
    assert second.body == BODIES[0] and vars(second)["body"] is second.body  # parsed once, on read
    assert [(r.body, r.answer, r.request_id) for r in memo.requests] == [
        (r.body, r.answer, r.request_id) for r in plain.requests]
    first.body["max_tokens"] = 1
    assert second.body == BODIES[0] and memo.requests[2].body["max_tokens"] == 256
    assert f"body={BODIES[0]!r}" in repr(memo.requests[2])


def test_a_repeat_still_checks_its_key_and_version_first() -> None:
    fake = FakeClaude(seed=3, clock=FakeClock(), api_keys=["good-key"])
    headers = {"x-api-key": "good-key"}
    for _ in range(2):
        assert call(fake, "POST", "/v1/messages", BODIES[0], headers=headers).status == 200
    assert _kept(fake, BODIES[0]) is not None
    assert call(fake, "POST", "/v1/messages", BODIES[0], headers={"x-api-key": "bad"}).status == 401
    assert call(fake, "POST", "/v1/messages", BODIES[0], headers={**headers, "anthropic-version": "1999-01-01"}).status == 400


def test_a_repeated_stream_answers_the_composed_events_with_its_own_id_and_pace() -> None:
    """A kept stream answers the SSE bytes composing it again gives (a new id in message_start only), with the
    same delays: the fake's pace, or a scripted reply's; a reply that faults its stream is never kept."""
    from fakeclaude.server import Reply

    for make in (lambda: FakeClaude(seed=3, clock=FakeClock(), ttft=0.2, tokens_per_second=400),
                 lambda: FakeClaude(seed=3, clock=FakeClock(), pad_events=True)):
        memo, plain = make(), _without_memo(make())
        for _ in range(3):
            got, expected = (call(f, "POST", "/v1/messages", BODIES[5]) for f in (memo, plain))
            assert got.stream is not None and expected.stream is not None
            assert [(c.data, c.delay) for c in got.stream] == [(c.data, c.delay) for c in expected.stream]
        assert _kept(memo, BODIES[5]) is not None
        assert [r.answer for r in memo.requests] == [r.answer for r in plain.requests]
    for reply, kept in ((Reply(["Paced."], ttft=0.3, tokens_per_second=50), True),
                        (Reply(["Cut."], error_after=2), False), (Reply(["Dropped."], drop_after=3), False)):
        memo, plain = (FakeClaude(seed=3, clock=FakeClock()), _without_memo(FakeClaude(seed=3, clock=FakeClock())))
        for fake in (memo, plain):
            fake.handler(lambda request, reply=reply: reply)
        for _ in range(3):
            got, expected = (call(f, "POST", "/v1/messages", BODIES[5]) for f in (memo, plain))
            assert [(c.data, c.delay, c.drop) for c in got.stream] == [(c.data, c.delay, c.drop) for c in expected.stream]
        assert bool([a for a in memo.engine._memo._entries.values() if a._scripted]) is kept


def test_the_official_sdk_streams_a_kept_stream_as_composed() -> None:
    answers = []
    for fake in (FakeClaude(seed=2, clock=FakeClock()), _without_memo(FakeClaude(seed=2, clock=FakeClock()))):
        client = anthropic.Anthropic(api_key="sk-test", max_retries=0, base_url="http://fake",
                                     http_client=httpx2.Client(transport=fake.httpx2_transport()))
        params = {key: value for key, value in BODIES[5].items() if key != "stream"}
        streamed = []
        for _ in range(3):
            with client.messages.stream(**params) as stream:
                streamed.append((list(stream.text_stream), stream.get_final_message().model_dump()))
        answers.append(streamed)
    assert answers[0] == answers[1]
    assert len({message["id"] for _, message in answers[0]}) == 3


def test_a_reply_holding_a_read_only_mapping_answers_every_send() -> None:
    """A reply the memo cannot copy (a ``MappingProxyType`` usage) is composed each time, never a 500."""
    from types import MappingProxyType

    from fakeclaude.server import Reply

    fake = FakeClaude(seed=1, clock=FakeClock())
    fake.on().respond(Reply(["hello"], usage=MappingProxyType({"output_tokens": 5})))
    for _ in range(3):
        reply = call(fake, "POST", "/v1/messages", BODIES[0])
        assert reply.status == 200, reply.body
        message = json.loads(reply.body)
        assert message["content"][0]["text"] == "hello" and message["usage"]["output_tokens"] == 5
    assert not fake.script.failures and [r.verdict for r in fake.requests] == ["scripted"] * 3


def test_replies_equal_in_python_but_written_differently_answer_as_written() -> None:
    """``True == 1`` and ``7 == 7.0`` in Python; the kept answer of one must not answer the other."""
    from fakeclaude.server import Reply, tool_use

    flag = {"name": "set_flag", "description": "Set a flag", "input_schema": {"type": "object", "properties": {"on": {}}}}
    body = {**BODIES[0], "tools": [flag]}
    replies = iter([Reply([tool_use("set_flag", {"on": True}, id="toolu_01fixed")]),
                    Reply([tool_use("set_flag", {"on": 1}, id="toolu_01fixed")]),
                    Reply([tool_use("set_flag", {"on": 1}, id="toolu_01fixed")]),
                    Reply(["x"], usage={"output_tokens": 7}), Reply(["x"], usage={"output_tokens": 7.0})])
    fake = FakeClaude(seed=1, clock=FakeClock())
    fake.handler(lambda request: next(replies))
    sent = [call(fake, "POST", "/v1/messages", body).body for _ in range(3)]
    assert [b'"on":true' in s for s in sent] == [True, False, False]
    assert all(b'"on":1' in s for s in sent[1:])
    usage = [call(fake, "POST", "/v1/messages", body).body for _ in range(2)]
    assert b'"output_tokens":7,' in usage[0] and b'"output_tokens":7.0' in usage[1]


def test_a_handler_that_rewrites_the_prompt_is_answered_on_the_rewritten_prompt_at_any_size() -> None:
    """A handler that changes the body and answers ``None`` (as the fake would) gets the answer to what it left,
    for a body the memo keeps as for one too large to keep; the next send without the handler is unchanged."""
    def rewrite(request: Any) -> None:
        request.body["messages"][-1]["content"] = "What's the weather in Paris?"

    joke = {**BODIES[1], "messages": [{"role": "user", "content": "Tell me a joke."}]}
    large = {**joke, "system": "x " * (MAX_BODY_BYTES // 2)}
    for body in (joke, large):
        fake = FakeClaude(seed=1, clock=FakeClock())
        unscripted = json.loads(call(fake, "POST", "/v1/messages", body).body)
        assert [b["type"] for b in unscripted["content"]] == ["text"]
        fake.handler(rewrite)
        for _ in range(2):
            rewritten = json.loads(call(fake, "POST", "/v1/messages", body).body)
            assert rewritten["stop_reason"] == "tool_use", f"{len(json.dumps(body))} bytes: {rewritten['content']}"
        fake.handler(None)
        assert json.loads(call(fake, "POST", "/v1/messages", body).body)["content"] == unscripted["content"]
