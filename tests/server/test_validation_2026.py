"""What today's clients send, accepted where the API accepts it and refused with the API's texts where it
refuses: empty conversations, whitespace-only text, mid-conversation system messages with per-message
effort, thinking ``display``, adaptive thinking and effort, task budgets, ``container`` objects and the other
fields SDK 2.x sends."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock

MODEL = "claude-opus-4-8"
V2023 = "2023-06-01"
V2026 = "2026-10-21"


def post(body: dict[str, Any], *, betas: str | None = None, beta: bool = False, version: str = V2023,
         fake: FakeClaude | None = None) -> httpx2.Response:
    fake = fake or FakeClaude(seed=1, clock=FakeClock())
    headers = {"x-api-key": "sk-test", "anthropic-version": version, "content-type": "application/json"}
    if betas:
        headers["anthropic-beta"] = betas
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post("/v1/messages", params={"beta": "true"} if beta or betas else None, headers=headers,
                               content=json.dumps(body).encode())
        response.read()
        return response


def body(*messages: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 1024,
            "messages": list(messages) or [{"role": "user", "content": "Hello"}], **extra}


def ok(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return dict(response.json())


def refused(response: httpx2.Response) -> str:
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "invalid_request_error"
    return str(response.json()["error"]["message"])


USER = {"role": "user", "content": "Summarise the repository."}
ASSISTANT = {"role": "assistant", "content": "It is a test harness."}


# ----- empty and blank input ------------------------------------------------------------------------------
def test_empty_messages_are_refused() -> None:
    assert refused(post(body(messages=[]))) == "messages: at least one message is required"
    fake = FakeClaude()
    with pytest.raises(anthropic.BadRequestError, match="at least one message is required"):
        anthropic.Anthropic(api_key="k", max_retries=0, http_client=httpx2.Client(transport=fake.httpx2_transport())
                            ).messages.create(model=MODEL, max_tokens=16, messages=[])


@pytest.mark.parametrize("content", ["   ", "\n\t", [{"type": "text", "text": " \n"}]])
def test_whitespace_only_user_text_is_refused(content: Any) -> None:
    assert refused(post(body({"role": "user", "content": content}))) == (
        "messages: text content blocks must contain non-whitespace text")


def test_whitespace_in_an_assistant_turn_is_accepted() -> None:
    ok(post(body(USER, {"role": "assistant", "content": [{"type": "text", "text": " "}]},
                 {"role": "user", "content": "go on"}, model="claude-sonnet-4-5")))


# ----- mid-conversation system messages ------------------------------------------------------------------------
def test_system_message_with_per_message_effort_on_the_beta_surface() -> None:
    effort = {"role": "system", "content": "Answer tersely.", "output_config": {"effort": "low"}}
    ok(post(body(USER, effort), betas="mid-conversation-output-config-2026-07-01"))
    assert refused(post(body(USER, effort), version=V2026)) == "messages.1.output_config: Extra inputs are not permitted"
    assert refused(post(body(USER, {**effort, "output_config": {"effort": "extreme"}}), beta=True)) == (
        "messages.1.output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")


def test_an_effort_only_system_message() -> None:
    effort_only = {"role": "system", "content": [], "output_config": {"effort": "max"}}
    ok(post(body(USER, ASSISTANT, effort_only, {"role": "user", "content": "More"}), beta=True))
    assert refused(post(body(USER, {"role": "system", "content": []}), beta=True)) == (
        "messages.1: a `system` message must have content or `output_config` fields.")


def test_per_message_effort_levels_are_checked_against_the_model() -> None:
    effort = {"role": "system", "content": "Think hard.", "output_config": {"effort": "xhigh"}}
    assert refused(post(body(USER, effort, model="claude-opus-4-6"), beta=True)).startswith(
        "This model does not support effort level 'xhigh'. Supported levels:")


@pytest.mark.parametrize(("messages", "message"), [
    ([{"role": "system", "content": "x"}, USER],
     "messages.0: a `system` message cannot be the first message; use the top-level `system` parameter."),
    ([USER, ASSISTANT, {"role": "system", "content": "x"}],
     "messages.2: a `system` message must follow a `user` message or an `assistant` message that ends with a "
     "server tool use."),
    ([USER, {"role": "system", "content": "x"}, {"role": "user", "content": "y"}],
     "messages.1: a `system` message must be the last message or be followed by an `assistant` message."),
])
def test_system_message_placement(messages: list[dict[str, Any]], message: str) -> None:
    assert refused(post(body(*messages), beta=True)) == message


def test_adjacent_system_messages_and_clear_at_are_accepted() -> None:
    ok(post(body(USER, {"role": "system", "content": "a"}, {"role": "system", "content": "b",
                                                          "clear_at": "next_user_message"}), beta=True))


def test_system_messages_need_the_beta_surface_or_the_new_version() -> None:
    system = {"role": "system", "content": "Be brief."}
    assert refused(post(body(USER, system))) == "messages.1.role: Input should be 'user' or 'assistant'"
    ok(post(body(USER, system), version=V2026))


def test_a_coding_agent_first_request() -> None:
    """The shape of a coding agent's first request of a session (beta surface, effort turn, display updates)."""
    request = body(
        {"role": "user", "content": [{"type": "text", "text": "say hi", "cache_control": {"type": "ephemeral"}}]},
        {"role": "system", "content": [{"type": "text", "text": "Mode: interactive"}], "output_config": {"effort": "high"}},
        system=[{"type": "text", "text": "You are a coding agent."}],
        tools=[{"name": "Bash", "description": "Run a shell command", "input_schema": {
            "type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}}],
        thinking={"type": "adaptive", "display": "updates"}, output_config={"effort": "high"},
        metadata={"user_id": "u"}, stream=True, max_tokens=32000,
    )
    betas = "claude-code-20250219,interleaved-thinking-2025-05-14,thinking-display-updates-2026-08-18," \
            "mid-conversation-output-config-2026-07-01"
    response = post(request, betas=betas)
    assert response.status_code == 200, response.text
    assert '"tool_use"' not in response.text, "asked to say hi, an agent gets text"


# ----- thinking, effort, task budgets ---------------------------------------------------------------------------
def test_display_updates_on_the_beta_surface() -> None:
    thinking = {"type": "adaptive", "display": "updates"}
    message = ok(post(body(thinking=thinking), betas="thinking-display-updates-2026-08-18"))
    assert message["content"][0]["type"] == "thinking" and message["content"][0]["thinking"] == ""
    assert message["content"][0]["signature"]
    assert refused(post(body(thinking=thinking))) == (
        "thinking.adaptive.display: Input should be 'summarized' or 'omitted'")


def test_display_omitted_streams_only_a_signature() -> None:
    response = post(body(thinking={"type": "enabled", "budget_tokens": 1024, "display": "omitted"}, stream=True,
                         model="claude-sonnet-4-5", max_tokens=2048))
    assert response.status_code == 200, response.text
    events = [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")]
    deltas = [e["delta"]["type"] for e in events if e["type"] == "content_block_delta" and e["index"] == 0]
    assert deltas == ["signature_delta"]


def test_beta_thinking_shapes() -> None:
    ok(post(body(thinking={"type": "between_tools"}), beta=True))
    ok(post(body(thinking={"type": "adaptive", "block_binding": {"prefix_mismatch_behavior": "drop_block"}}),
            beta=True))
    assert refused(post(body(thinking={"type": "between_tools"}))).startswith(
        "thinking: Input tag 'between_tools' found using 'type' does not match any of the expected tags")


def test_effort_and_adaptive_thinking() -> None:
    message = ok(post(body(thinking={"type": "adaptive"}, output_config={"effort": "max"})))
    assert message["content"][0]["type"] == "thinking"
    assert refused(post(body(output_config={"effort": "xhigh"}, model="claude-opus-4-6"))) == (
        "This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.")


def test_task_budget_reports_iterations() -> None:
    budget = {"effort": "high", "task_budget": {"type": "tokens", "total": 20000, "remaining": 500}}
    message = ok(post(body(output_config=budget), betas="task-budgets-2026-03-13"))
    (iteration,) = message["usage"]["iterations"]
    assert iteration["type"] == "message" and iteration["output_tokens"] == message["usage"]["output_tokens"]
    assert refused(post(body(output_config={"task_budget": {"type": "tokens"}}))) == (
        "output_config.task_budget.total: Field required")


# ----- container and the other SDK 2.x fields ------------------------------------------------------------------
def test_container_string_and_object() -> None:
    skills = {"skills": [{"type": "anthropic", "skill_id": "xlsx", "version": "latest"}]}
    ok(post(body(container="container_011CYVPF4iP8oD6Vsz1NhVih")))
    ok(post(body(container=skills), version=V2026))
    ok(post(body(container={"id": "container_1", **skills}), betas="skills-2025-10-02"))
    assert refused(post(body(container={"id": "container_1"}), beta=True)) == "container: Input should be a valid string"
    many = {"skills": [{"type": "custom", "skill_id": f"skill_{n}"} for n in range(9)]}
    assert refused(post(body(container=many), version=V2026)) == (
        "container.skills: List should have at most 8 items after validation, not 9")


def test_sdk_sends_the_container_object() -> None:
    fake = FakeClaude()
    client = anthropic.Anthropic(api_key="k", max_retries=0, http_client=httpx2.Client(transport=fake.httpx2_transport()),
                                 default_headers={"anthropic-version": V2026})
    message = client.messages.create(model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "hi"}],
                                     container={"skills": [{"type": "anthropic", "skill_id": "pdf", "version": "latest"}]})
    assert message.stop_reason == "end_turn"


@pytest.mark.parametrize(("field", "value"), [
    ("compaction", {"type": "summarize"}),
    ("fallbacks", "default"),
    ("fallback_credit_token", "tok"),
    ("billing_policy", {"type": "billing_policy", "bill_to": "self"}),
])
def test_beta_fields_accepted_on_the_beta_surface_only(field: str, value: Any) -> None:
    ok(post(body(**{field: value}), beta=True))
    assert refused(post(body(**{field: value}))) == f"{field}: Extra inputs are not permitted"


def test_tool_changes_inside_system_messages() -> None:
    deferred = {"name": "lookup", "defer_loading": True, "input_schema": {"type": "object"}}
    change = {"role": "system", "content": [{"type": "tool_addition", "tool": {"type": "tool_reference", "name": "lookup"}},
                                            {"type": "tool_removal", "tool": {"type": "tool_reference", "name": "x"}}]}
    ok(post(body(USER, change, tools=[deferred]), beta=True))


def test_sdk_system_turns_with_effort() -> None:
    fake = FakeClaude()
    client = anthropic.Anthropic(api_key="k", max_retries=0, http_client=httpx2.Client(transport=fake.httpx2_transport()))
    message = client.beta.messages.create(
        model=MODEL, max_tokens=256, betas=["mid-conversation-output-config-2026-07-01"],
        output_config={"effort": "high"}, thinking={"type": "adaptive", "display": "summarized"},
        messages=[{"role": "user", "content": "Plan the refactor."},
                  {"role": "system", "content": "From now on, be terse.", "output_config": {"effort": "low"}}],
    )
    assert message.stop_reason in ("end_turn", "max_tokens") and message.content[0].type == "thinking"
    sent = fake.requests[-1]
    assert "mid-conversation-output-config-2026-07-01" in sent.headers["anthropic-beta"]
    assert sent.body["messages"][1]["output_config"] == {"effort": "low"}
