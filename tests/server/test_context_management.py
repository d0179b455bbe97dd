"""Context management and compaction (spec 2026 §7) through the official SDK, unchanged, and fakeclaude's client.

Each edit is applied before the prompt is counted: the answer's ``input_tokens`` shrink by exactly the
``cleared_input_tokens`` it reports; a compacted conversation sent back (compaction block included) is
counted from the block on; streamed compaction accumulates to the non-streamed message.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic
import httpx2
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock, Reply
from fakeclaude.server.context_management import CLEARED_TOOL_RESULT
from fakeclaude.server.validation._context import COMPACTION_WITH_CONTEXT_MANAGEMENT
from tests.server.conftest import HEADERS

MODEL = "claude-sonnet-4-6"
LONG = "The quick brown fox jumps over the lazy dog. " * 6000 + "Now say hello."
COMPACT = {"edits": [{"type": "compact_20260112", "trigger": {"type": "input_tokens", "value": 50000}}]}


def sdk(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-test", http_client=httpx2.Client(transport=fake.httpx2_transport()),
                               max_retries=0)


def post(fake: FakeClaude, body: dict[str, Any]) -> httpx2.Response:
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post("/v1/messages", params={"beta": "true"}, headers=HEADERS, content=json.dumps(body).encode())
        response.read()
        return response


def tool_loop(uses: int) -> list[dict[str, Any]]:
    """A conversation of ``uses`` tool calls, each answered with a long result, ending on a user turn."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Look up every order."}]
    for n in range(uses):
        name = "audit" if n == 0 else "lookup"
        messages.append({"role": "assistant", "content": [
            {"type": "tool_use", "id": f"toolu_{n:02d}", "name": name, "input": {"order": f"A-{n}", "pad": "x " * 40}}]})
        messages.append({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": f"toolu_{n:02d}", "content": f"Order A-{n}: " + "shipped and paid. " * 80}]})
    return messages


TOOLS = [{"name": name, "description": f"{name} an order", "input_schema": {"type": "object", "properties": {
    "order": {"type": "string"}, "pad": {"type": "string"}}}} for name in ("audit", "lookup")]


def create(client: anthropic.Anthropic, messages: list[dict[str, Any]], **extra: Any) -> Any:
    return client.beta.messages.create(model=MODEL, max_tokens=64, messages=messages, tools=TOOLS,  # type: ignore[arg-type]
                                       betas=["context-management-2025-06-27"], **extra)


def test_clear_tool_uses_shrinks_the_counted_prompt_by_what_it_reports() -> None:
    client = sdk(FakeClaude(seed=3, clock=FakeClock()))
    messages = tool_loop(5)
    plain = create(client, messages)
    assert plain.context_management.applied_edits == [], "the beta named: reported, nothing applied"
    edit = {"type": "clear_tool_uses_20250919", "trigger": {"type": "input_tokens", "value": 1000},
            "keep": {"type": "tool_uses", "value": 2}}
    edited = create(client, messages, context_management={"edits": [edit]})
    [applied] = edited.context_management.applied_edits
    assert applied.type == "clear_tool_uses_20250919" and applied.cleared_tool_uses == 3
    assert applied.cleared_input_tokens > 0
    assert edited.usage.input_tokens == plain.usage.input_tokens - applied.cleared_input_tokens
    # the client's history is never changed; the edit is applied again on every request
    assert messages[2]["content"][0]["content"] != CLEARED_TOOL_RESULT


def test_clear_tool_uses_options() -> None:
    client = sdk(FakeClaude(seed=3, clock=FakeClock()))
    messages = tool_loop(5)
    base = {"type": "clear_tool_uses_20250919", "trigger": {"type": "tool_uses", "value": 5},
            "keep": {"type": "tool_uses", "value": 1}}

    def applied(**options: Any) -> tuple[list[Any], int]:
        answer = create(client, messages, context_management={"edits": [{**base, **options}]})
        return answer.context_management.applied_edits, answer.usage.input_tokens

    [plain], plain_tokens = applied()
    assert plain.cleared_tool_uses == 4
    [excluded], _ = applied(exclude_tools=["audit"])
    assert excluded.cleared_tool_uses == 3, "the audit call is kept"
    [inputs], input_tokens = applied(clear_tool_inputs=True)
    assert inputs.cleared_tool_uses == 4 and input_tokens < plain_tokens, "inputs cleared too"
    assert inputs.cleared_input_tokens > plain.cleared_input_tokens
    assert applied(clear_at_least={"type": "input_tokens", "value": 10**6})[0] == [], "cannot clear that much"
    assert applied(trigger={"type": "tool_uses", "value": 6})[0] == [], "trigger not reached"


def test_clear_thinking_keeps_the_last_turns() -> None:
    client = sdk(FakeClaude(seed=3, clock=FakeClock()))
    messages: list[dict[str, Any]] = []
    for n in range(3):
        messages.append({"role": "user", "content": f"Question {n}"})
        messages.append({"role": "assistant", "content": [
            {"type": "thinking", "thinking": "Let me think about it carefully. " * 20, "signature": "sig"},
            {"type": "text", "text": f"Answer {n}"}]})
    messages.append({"role": "user", "content": "Last question"})
    thinking = {"type": "enabled", "budget_tokens": 1024}
    answer = client.beta.messages.create(
        model=MODEL, max_tokens=2048, messages=messages, thinking=thinking, betas=["context-management-2025-06-27"],  # type: ignore[arg-type]
        context_management={"edits": [{"type": "clear_thinking_20251015", "keep": {"type": "thinking_turns", "value": 1}}]})
    [applied] = answer.context_management.applied_edits
    assert applied.type == "clear_thinking_20251015" and applied.cleared_thinking_turns == 2
    assert applied.cleared_input_tokens > 0
    kept = client.beta.messages.create(
        model=MODEL, max_tokens=2048, messages=messages, thinking=thinking, betas=["context-management-2025-06-27"],  # type: ignore[arg-type]
        context_management={"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]})
    assert kept.context_management.applied_edits == []


def test_a_compacted_conversation_continues_from_its_compaction_block() -> None:
    client = sdk(FakeClaude(seed=4, clock=FakeClock()))
    history: list[dict[str, Any]] = [{"role": "user", "content": LONG}]
    answers = []
    for question in ("What did I ask you to do?", "And before that?"):
        answer = client.beta.messages.create(model=MODEL, max_tokens=256, messages=history,  # type: ignore[arg-type]
                                             betas=["compact-2026-01-12"], context_management=COMPACT)
        answers.append(answer)
        history += [{"role": "assistant", "content": answer.content}, {"role": "user", "content": question}]
    answers.append(client.beta.messages.create(model=MODEL, max_tokens=256, messages=history,  # type: ignore[arg-type]
                                               betas=["compact-2026-01-12"], context_management=COMPACT))
    first, second, third = answers
    assert [b.type for b in first.content] == ["compaction", "text"] and first.stop_reason == "end_turn"
    assert "Now say hello." in first.content[0].content, "the summary keeps the request"
    assert [i.type for i in first.usage.iterations] == ["compaction", "message"]
    compaction, message = first.usage.iterations
    assert compaction.input_tokens > 50000 and compaction.output_tokens > 0
    assert (first.usage.input_tokens, first.usage.output_tokens) == (message.input_tokens, message.output_tokens)
    assert first.usage.input_tokens < 500, "the model answers from the summary"
    for later in (second, third):
        assert [b.type for b in later.content] == ["text"], "below the trigger: no new compaction"
        assert [i.type for i in later.usage.iterations] == ["message"]
        assert later.usage.input_tokens < 1000, "everything before the compaction block is dropped"
    assert third.usage.input_tokens > second.usage.input_tokens
    assert all(a.context_management.applied_edits == [] for a in answers)


def test_streamed_compaction_accumulates_to_the_message_over_a_socket() -> None:
    kwargs: dict[str, Any] = {"model": MODEL, "max_tokens": 256, "messages": [{"role": "user", "content": LONG}],
                              "betas": ["compact-2026-01-12"], "context_management": COMPACT}
    streamed_fake, plain_fake = FakeClaude(seed=5, clock=FakeClock()), FakeClaude(seed=5, clock=FakeClock())
    with streamed_fake.serve() as base_url:
        client = anthropic.Anthropic(api_key="sk-test", base_url=base_url, max_retries=0)
        with client.beta.messages.stream(**kwargs) as stream:
            events = list(stream)
            streamed = stream.get_final_message()
    plain = sdk(plain_fake).beta.messages.create(**kwargs)
    assert streamed.model_dump() == plain.model_dump()
    kinds = [(e.type, getattr(getattr(e, "delta", None), "type", None)) for e in events]
    assert ("content_block_delta", "compaction_delta") in kinds
    start = next(e for e in events if e.type == "content_block_start")
    assert start.content_block.type == "compaction" and start.content_block.content is None


def test_pause_after_compaction_stops_then_the_next_request_goes_on() -> None:
    client = sdk(FakeClaude(seed=6, clock=FakeClock()))
    edits = {"edits": [{**COMPACT["edits"][0], "pause_after_compaction": True, "instructions": "Keep names."}]}
    paused = client.beta.messages.create(model=MODEL, max_tokens=256, messages=[{"role": "user", "content": LONG}],
                                         betas=["compact-2026-01-12"], context_management=edits)
    assert paused.stop_reason == "compaction" and [b.type for b in paused.content] == ["compaction"]
    assert "Keep names." in paused.content[0].content
    assert [i.type for i in paused.usage.iterations] == ["compaction"]
    resumed = client.beta.messages.create(
        model=MODEL, max_tokens=256, betas=["compact-2026-01-12"], context_management=edits,
        messages=[{"role": "user", "content": LONG}, {"role": "assistant", "content": paused.content}])
    assert resumed.stop_reason == "end_turn" and [b.type for b in resumed.content] == ["text"]
    assert resumed.usage.input_tokens < 500


def test_explicit_compaction_on_a_thread_then_the_thread_continues() -> None:
    fake = FakeClaude(seed=7, clock=FakeClock())
    client = sdk(fake)
    thread = client.beta.messages.thread(model=MODEL, max_tokens=256, betas=["compact-2026-09-04"])
    first = thread.send({"role": "user", "content": LONG})
    summary = thread.send(compaction={"type": "summarize"})
    assert summary.stop_reason == "compaction" and [b.type for b in summary.content] == ["compaction"]
    later = thread.send({"role": "user", "content": "What next?"})
    assert later.stop_reason == "end_turn"
    assert first.usage.input_tokens > 50000 and later.usage.input_tokens < 1000, "counted from the compaction block"
    assert [r.status for r in fake.requests] == [200, 200, 200]


def test_scripted_compaction_is_kept_and_reported() -> None:
    fake = FakeClaude(seed=8, clock=FakeClock())
    fake.reply(Reply([{"type": "compaction", "content": "Summary: the user said hello."}, "Hello again!"]))
    answer = sdk(fake).beta.messages.create(model=MODEL, max_tokens=256, messages=[{"role": "user", "content": "Hi"}],
                                            betas=["compact-2026-01-12"], context_management={"edits": [{"type": "compact_20260112"}]})
    assert answer.content[0].content == "Summary: the user said hello." and answer.content[1].text == "Hello again!"
    assert [i.type for i in answer.usage.iterations] == ["compaction", "message"]


def test_fakeclaude_client_streams_compaction_and_context_management() -> None:
    fake = FakeClaude(seed=9, clock=FakeClock())
    client = fakeclaude.Anthropic(api_key="sk-test", http_client=httpx2.Client(transport=fake.httpx2_transport()))
    kwargs: dict[str, Any] = {"model": MODEL, "max_tokens": 256, "messages": [{"role": "user", "content": LONG}],
                              "betas": ["compact-2026-01-12"], "context_management": COMPACT}
    with client.beta.messages.stream(**kwargs) as stream:
        message = stream.get_final_message()
    block = message.content[0].model_dump()
    assert block["type"] == "compaction" and "Now say hello." in block["content"]
    assert message.model_dump()["context_management"] == {"applied_edits": []}
    assert [i["type"] for i in message.model_dump()["usage"]["iterations"]] == ["compaction", "message"]


@pytest.mark.parametrize(("extra", "message"), [
    ({"context_management": {"edits": [{"type": "compact_20260112", "trigger": {"type": "input_tokens", "value": 100}}]}},
     "context_management.edits.0.compact_20260112.trigger.value: Input should be greater than or equal to 50000"),
    ({"context_management": {"edits": [{"type": "clear_everything"}]}},
     "context_management.edits.0: Input tag 'clear_everything' found using 'type' does not match any of the expected "
     "tags: 'clear_tool_uses_20250919', 'clear_thinking_20251015', 'compact_20260112'"),
    ({"context_management": {"edits": [{"type": "clear_tool_uses_20250919", "keep": {"type": "tool_uses", "value": -1}}]}},
     "context_management.edits.0.clear_tool_uses_20250919.keep.value: Input should be greater than or equal to 0"),
    ({"context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "some"}]}},
     "context_management.edits.0.clear_thinking_20251015.keep: Input should be 'all'"),
    ({"context_management": {"edits": []}, "compaction": {"type": "summarize"}}, COMPACTION_WITH_CONTEXT_MANAGEMENT),
    ({"compaction": {"type": "condense"}}, "compaction.type: Input should be 'summarize'"),
    ({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": [{"type": "compaction", "content": ""}]},
                   {"role": "user", "content": "b"}]},
     "messages.1.content.0.compaction.content: String should have at least 1 character"),
])
def test_bad_edits_get_the_api_texts(extra: dict[str, Any], message: str) -> None:
    body = {"model": MODEL, "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}], **extra}
    response = post(FakeClaude(seed=1, clock=FakeClock()), body)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == {"type": "invalid_request_error", "message": message}


def test_a_null_compaction_block_is_a_no_op() -> None:
    body = {"model": MODEL, "max_tokens": 16, "messages": [
        {"role": "user", "content": "Hello there"}, {"role": "assistant", "content": [{"type": "compaction", "content": None}]},
        {"role": "user", "content": "Hi"}]}
    with_block = post(FakeClaude(seed=1, clock=FakeClock()), body)
    assert with_block.status_code == 200, with_block.text
    assert with_block.json()["usage"]["input_tokens"] > 10, "nothing before a failed compaction is dropped"


def test_count_tokens_counts_the_edited_prompt_and_reports_the_original() -> None:
    client = sdk(FakeClaude(seed=3, clock=FakeClock()))
    messages = tool_loop(5)
    edit = {"type": "clear_tool_uses_20250919", "trigger": {"type": "tool_uses", "value": 2}}
    counted = client.beta.messages.count_tokens(model=MODEL, messages=messages, tools=TOOLS,  # type: ignore[arg-type]
                                                betas=["context-management-2025-06-27"],
                                                context_management={"edits": [edit]})
    answer = create(client, messages, context_management={"edits": [edit]})
    plain = client.beta.messages.count_tokens(model=MODEL, messages=messages, tools=TOOLS)  # type: ignore[arg-type]
    assert counted.context_management is not None
    assert counted.context_management.original_input_tokens == plain.input_tokens
    assert counted.input_tokens == answer.usage.input_tokens < plain.input_tokens
    compacting = client.beta.messages.count_tokens(model=MODEL, messages=[{"role": "user", "content": LONG}],
                                                   betas=["compact-2026-01-12"], context_management=COMPACT)
    assert compacting.input_tokens == compacting.context_management.original_input_tokens > 50000, "counting never compacts"  # type: ignore[union-attr]


def test_explicit_compaction_blocks_are_signed_and_checked() -> None:
    fake = FakeClaude(seed=10, clock=FakeClock())
    first = post(fake, {"model": MODEL, "max_tokens": 64, "compaction": {"type": "summarize"},
                        "messages": [{"role": "user", "content": "Hello there, long story."}]}).json()
    [block] = first["content"]
    assert block["signature"]

    def follow(sent: dict[str, Any]) -> httpx2.Response:
        return post(fake, {"model": MODEL, "max_tokens": 64, "messages": [
            {"role": "assistant", "content": [sent]}, {"role": "user", "content": "Go on"}]})

    assert follow(block).status_code == 200
    changed = follow({**block, "content": "A different summary."})
    assert changed.status_code == 400
    assert changed.json()["error"]["details"] == {"error_code": "compaction_content_mismatch"}
    thinking_signed = post(fake, {"model": MODEL, "max_tokens": 2048, "thinking": {"type": "enabled", "budget_tokens": 1024},
                                  "messages": [{"role": "user", "content": "Hi"}]}).json()["content"][0]["signature"]
    forged = follow({**block, "signature": thinking_signed})
    assert forged.json()["error"]["details"] == {"error_code": "compaction_signature_invalid"}


@pytest.mark.parametrize(("extra", "code", "message"), [
    ({"messages": [{"role": "user", "content": [{"type": "compaction", "content": "S"}]}]}, "compaction_block_misplaced",
     "messages.0.content.0: `compaction` blocks may only appear in `assistant` messages."),
    ({"compaction": {"type": "summarize"}, "messages": [{"role": "assistant", "content": [{"type": "compaction", "content": "S"}]}]},
     "compaction_nothing_to_summarize", "messages: There is nothing to summarize after the last `compaction` block."),
    ({"compaction": {"type": "summarize"}, "tools": TOOLS, "messages": [
        {"role": "user", "content": "Go"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "audit", "input": {}}]}]},
     "compaction_incomplete_turn",
     "messages: The conversation to compact ends on an unfinished `assistant` turn (a `tool_use` without its result)."),
    ({"compaction": {"type": "summarize"}, "stop_sequences": ["END"]}, None,
     "stop_sequences: `stop_sequences` cannot be used with `compaction`: a compaction request returns only the compaction block."),
])
def test_compaction_rules(extra: dict[str, Any], code: str | None, message: str) -> None:
    body = {"model": MODEL, "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}], **extra}
    response = post(FakeClaude(seed=1, clock=FakeClock()), body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["message"] == message
    assert error.get("details") == (None if code is None else {"error_code": code})


def test_sdk_tool_runner_resumes_after_a_paused_compaction() -> None:
    fake = FakeClaude(seed=3, clock=FakeClock())

    @anthropic.beta_tool
    def get_weather(city: str) -> str:
        """Get the weather for a city."""
        return f"Sunny in {city}"

    edits = {"edits": [{**COMPACT["edits"][0], "pause_after_compaction": True}]}
    runner = sdk(fake).beta.messages.tool_runner(
        model=MODEL, max_tokens=256, tools=[get_weather], betas=["compact-2026-01-12"], context_management=edits,
        messages=[{"role": "user", "content": LONG.replace("Now say hello.", "What is the weather in Paris?")}])
    answers = list(runner)
    assert [a.stop_reason for a in answers] == ["compaction", "tool_use", "end_turn"]
    assert answers[1].content[0].text == answers[1].content[0].text.lstrip(), "a resumed compaction is no prefill"
    assert all(a.usage.input_tokens < 1000 for a in answers[1:]), "counted from the compaction block"
    statuses = [(r.status, (r.error or {}).get("message")) for r in fake.requests]
    assert statuses[0] == (400, "This request cannot be used with `thread`."), "context_management is not threaded"
    assert [s for s, _ in statuses[1:]] == [200, 200, 200]


def test_history_before_a_compaction_block_does_not_count_against_the_window() -> None:
    huge = "The quick brown fox jumps over the lazy dog. " * 24000  # over Haiku 4.5's 200k tokens
    messages = [{"role": "user", "content": huge}, {"role": "assistant", "content": [
        {"type": "compaction", "content": "Summary: a long pangram."}, {"type": "text", "text": "Hello!"}]},
        {"role": "user", "content": "What was it?"}]
    fake = FakeClaude(seed=1, clock=FakeClock())
    without_block = post(fake, {"model": "claude-haiku-4-5", "max_tokens": 64, "messages": [messages[0], {"role": "assistant", "content": "Hello!"},
                                                                           messages[2]]})
    assert without_block.status_code == 400 and "prompt is too long" in without_block.json()["error"]["message"]
    compacted = post(fake, {"model": "claude-haiku-4-5", "max_tokens": 64, "messages": messages})
    assert compacted.status_code == 200, compacted.text
    assert compacted.json()["usage"]["input_tokens"] < 100
