"""``fakeclaude.contract``: every violation listed, the first one exactly the fake's answer.

The fake is reached the way an app reaches it (``FakeClaude`` through ``httpx2_transport()``), so the
"one implementation" claim is checked end to end: what ``validate_request`` returns first is the error
body the fake sends back, status, type and message.
"""

from __future__ import annotations

import doctest
from typing import Any

import httpx2
import pytest

import fakeclaude.contract
from fakeclaude.contract import ContractError, Violation, assert_valid_request, validate_request
from fakeclaude.server import FakeClaude, FakeClock

MODEL = "claude-sonnet-4-5"
USER = {"role": "user", "content": "What is the weather in Paris?"}
VALID = {"model": MODEL, "max_tokens": 1024, "messages": [USER]}
PATHS = {"messages": "/v1/messages", "count_tokens": "/v1/messages/count_tokens", "batches": "/v1/messages/batches"}


def fake_answer(body: Any, *, endpoint: str = "messages", version: str = "2023-06-01", beta: str = "") -> tuple[int, str, str]:
    headers = {"x-api-key": "sk-ant-test", "anthropic-version": version}
    if beta:
        headers["anthropic-beta"] = beta
    fake = FakeClaude(seed=0, clock=FakeClock())
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post(PATHS[endpoint], json=body, headers=headers)
    if response.status_code == 200:
        return 200, "", ""
    error = response.json()["error"]
    return response.status_code, error["type"], error["message"]


def first(violations: list[Violation]) -> tuple[int, str, str]:
    return (violations[0].status, violations[0].type, violations[0].message) if violations else (200, "", "")


def test_a_valid_request_has_no_violations() -> None:
    assert validate_request(VALID) == []
    assert validate_request({"model": MODEL, "messages": [USER]}, endpoint="count_tokens") == []
    assert validate_request({"requests": [{"custom_id": "a", "params": VALID}]}, endpoint="batches") == []
    assert_valid_request(VALID)


# Bodies with several independent mistakes, and every violation the contract reports for each.
CASES: dict[str, tuple[dict[str, Any], list[tuple[int, str, str]]]] = {
    "schema: several top-level fields": (
        {"model": MODEL, "max_tokens": "many", "messages": [USER], "stop_sequences": "STOP", "colour": "red"},
        [(400, "max_tokens", "max_tokens: Input should be a valid integer"),
         (400, "stop_sequences", "stop_sequences: Input should be a valid list"),
         (400, "colour", "colour: Extra inputs are not permitted")],
    ),
    "schema: every missing required field": (
        {"messages": "hello"},
        [(400, "model", "model: Field required"),
         (400, "max_tokens", "max_tokens: Field required"),
         (400, "messages", "messages: Input should be a valid list")],
    ),
    "schema: one violation per message": (
        {"model": MODEL, "max_tokens": 5, "messages": [
            {"role": "robot", "content": "x"},
            {"role": "assistant", "content": [{"type": "text"}]},
            {"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/tiff", "data": "AA=="}}]},
        ]},
        [(400, "messages.0.role", "messages.0.role: Input should be 'user' or 'assistant'"),
         (400, "messages.1.content.0.text.text", "messages.1.content.0.text.text: Field required"),
         (400, "messages.2.content.0.image.source.base64.media_type",
          "messages.2.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'")],
    ),
    "semantic: one violation per rule": (
        {"model": MODEL, "max_tokens": 100_000, "messages": [
            USER,
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}]},
            {"role": "user", "content": "Well?"},
        ], "system": [{"type": "text", "text": ""}],
         "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}], "tool_choice": {"type": "tool", "name": "nope"}},
        [(400, "max_tokens", "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929"),
         (400, "tool_choice.tool.name", "tool_choice.tool.name: Tool 'nope' not found in tools."),
         (400, "system", "system: text content blocks must be non-empty"),
         (400, "messages.1", "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. "
                             "Each `tool_use` block must have a corresponding `tool_result` block in the next message.")],
    ),
    "semantic rules wait for a body that passed the schema": (
        {"model": MODEL, "max_tokens": 100_000, "messages": [USER], "metadata": {"user": "u"}},
        [(400, "metadata.user", "metadata.user: Extra inputs are not permitted")],
    ),
    "an unknown model stops the checks": (
        {"model": "claude-nope", "max_tokens": 100_000, "messages": [USER]},
        [(404, "model", "model: claude-nope")],
    ),
    "not an object": ([], [(400, "", "Input should be a valid dictionary or object to extract fields from")]),  # type: ignore[dict-item]
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_independent_violation_is_listed(name: str) -> None:
    body, expected = CASES[name]
    violations = validate_request(body)
    assert [(v.status, v.path, v.message) for v in violations] == expected
    for v in violations:
        assert v.type == ("not_found_error" if v.status == 404 else "invalid_request_error")
        assert v.message.startswith(f"{v.path}: ") or not v.path


@pytest.mark.parametrize("name", list(CASES))
def test_the_first_violation_is_what_the_fake_answers(name: str) -> None:
    body, _ = CASES[name]
    assert first(validate_request(body)) == fake_answer(body)


def test_batch_envelope_refuses_the_create_and_each_request_errors_on_its_own() -> None:
    body = {"requests": [
        {"custom_id": "a", "params": {**VALID, "model": "claude-nope"}},
        {"custom_id": "a", "params": VALID},
        {"custom_id": "c", "params": {**VALID, "max_tokens": "x", "stream": True}},
        {"custom_id": "d", "params": {**VALID, "max_tokens": "x", "top_k": -1}},
    ]}  # fmt: skip
    violations = validate_request(body, endpoint="batches")
    assert [(v.custom_id, v.status, v.path, v.message) for v in violations] == [
        (None, 400, "requests", "requests: custom_id's must be unique within a batch. Duplicate custom_id found: a"),
        ("a", 404, "requests.0.params.model", "model: claude-nope"),
        ("c", 400, "requests.2.params.stream", '"stream=True" is not supported in the Message Batches API'),
        ("c", 400, "requests.2.params.max_tokens", "max_tokens: Input should be a valid integer"),
        ("d", 400, "requests.3.params.max_tokens", "max_tokens: Input should be a valid integer"),
        ("d", 400, "requests.3.params.top_k", "top_k: Input should be greater than or equal to 0"),
    ]
    assert str(violations[1]) == "request 'a' errored: 404 not_found_error: model: claude-nope"
    assert first(violations) == fake_answer(body, endpoint="batches")  # the envelope's violation refuses it
    body["requests"][1]["custom_id"] = "b"
    assert all(v.custom_id for v in validate_request(body, endpoint="batches"))
    assert fake_answer(body, endpoint="batches") == (200, "", "")  # only errored requests are left


def test_count_tokens_refuses_create_only_fields() -> None:
    body = {"model": MODEL, "max_tokens": 5, "messages": [USER], "stream": True}
    violations = validate_request(body, endpoint="count_tokens")
    assert [v.message for v in violations] == ["max_tokens: Extra inputs are not permitted",
                                               "stream: Extra inputs are not permitted"]
    assert first(violations) == fake_answer(body, endpoint="count_tokens")


def test_api_version_and_betas_change_the_rules() -> None:
    sampled = {**VALID, "temperature": 0.5}
    assert validate_request(sampled) == []
    newer = validate_request(sampled, api_version="2026-10-21")
    assert [v.message for v in newer] == ["temperature: Extra inputs are not permitted"]
    assert first(newer) == fake_answer(sampled, version="2026-10-21")
    beta_only = {**VALID, "context_management": {"edits": []}}
    assert [v.message for v in validate_request(beta_only)] == ["context_management: Extra inputs are not permitted"]
    assert validate_request(beta_only, betas=["context-management-2025-06-27"]) == []
    assert validate_request(beta_only, betas="context-management-2025-06-27, other-2025-01-01") == []
    assert fake_answer(beta_only, beta="context-management-2025-06-27") == (200, "", "")
    budget = {**VALID, "thinking": {"type": "enabled", "budget_tokens": 2048}}
    assert [v.message for v in validate_request(budget)] == ["`max_tokens` must be greater than `thinking.budget_tokens`."]
    assert validate_request(budget, betas=["interleaved-thinking-2025-05-14"]) == []


def test_lenient_checks_the_schema_only() -> None:
    body = {**VALID, "max_tokens": 100_000}
    assert [v.path for v in validate_request(body)] == ["max_tokens"]
    assert validate_request(body, strict=False) == []
    assert [v.path for v in validate_request({**body, "max_tokens": "x"}, strict=False)] == ["max_tokens"]


def test_a_body_too_deep_to_walk_is_a_violation_not_a_crash() -> None:
    deep: Any = 1
    for _ in range(5000):
        deep = {"a": deep}
    call = {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": deep}
    answer = {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18 C"}
    messages = [USER, {"role": "assistant", "content": [call]}, {"role": "user", "content": [answer]}]
    violations = validate_request({**VALID, "messages": messages})
    assert len(violations) == 1 and violations[0].status == 400
    assert violations[0].message == "There was an error parsing the body of your request as JSON: nesting too deep"


@pytest.mark.parametrize(("kwargs", "error", "text"), [
    ({"endpoint": "complete"}, ValueError, "endpoint must be one of 'messages', 'count_tokens', 'batches', not 'complete'"),
    ({"api_version": "2024-01-01"}, ValueError, "api_version must be one of '2023-06-01', '2026-10-21', not '2024-01-01'"),
    ({"betas": [1]}, TypeError, "betas must be beta names (strings), not int"),
])  # fmt: skip
def test_bad_arguments_are_refused_with_a_clear_error(kwargs: dict[str, Any], error: type[Exception], text: str) -> None:
    with pytest.raises(error) as raised:
        validate_request(VALID, **kwargs)
    assert str(raised.value) == text


def test_assert_valid_request_lists_every_violation() -> None:
    body, expected = CASES["schema: several top-level fields"]
    with pytest.raises(ContractError) as raised:
        assert_valid_request(body)
    assert [v.message for v in raised.value.violations] == [m for _, _, m in expected]
    assert str(raised.value) == (
        "the API would refuse this request (3 violations):\n"
        "  400 invalid_request_error: max_tokens: Input should be a valid integer\n"
        "  400 invalid_request_error: stop_sequences: Input should be a valid list\n"
        "  400 invalid_request_error: colour: Extra inputs are not permitted"
    )
    assert isinstance(raised.value, AssertionError)  # pytest reports it as a failed assertion


def test_violations_are_frozen_values() -> None:
    v = validate_request({**VALID, "max_tokens": "x"})[0]
    assert v == Violation(400, "invalid_request_error", "max_tokens", "max_tokens: Input should be a valid integer")
    with pytest.raises(AttributeError):
        v.status = 500  # type: ignore[misc]
    assert hash(v) == hash(Violation(400, "invalid_request_error", "max_tokens", v.message))


def test_the_module_examples_run() -> None:
    assert doctest.testmod(fakeclaude.contract).failed == 0
