"""Requests the API refuses, each tagged with the rule it breaks and the exact error the API answers.

Each example is a valid body from :func:`create_params` with one rule broken on purpose, in a way that
makes that rule's error the first the API reports (the API reports one error: the schema pass walks the
body in document order, then the semantic rules run in a fixed order). The expected error is written
here from the rule, independently of the validator, so the two check each other.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from hypothesis import strategies as st

from fakeclaude.server.validation import API_VERSIONS
from fakeclaude.strategies._media import png_bytes
from fakeclaude.strategies._models import DEFAULT_MODELS, ModelFacts, check_models
from fakeclaude.strategies._options import as_dicts, check_choices
from fakeclaude.strategies._params import create_params
from fakeclaude.strategies._tools import tool_definitions

__all__ = ["INVALID_RULES", "InvalidRequest", "invalid_create_params"]

_BAD_REQUEST = "invalid_request_error"


class InvalidRequest(NamedTuple):
    """A body the API refuses: ``rule`` names the rule broken; ``status``, ``type`` and ``message`` are the
    answer (``error.type``, ``error.message``); ``api_version`` is the header the body is for."""

    body: dict[str, Any]
    rule: str
    status: int
    type: str
    message: str
    api_version: str


Breaker = Callable[[st.DrawFn, dict[str, Any], ModelFacts, str], tuple[dict[str, Any], int, str, str]]


def _bad(message: str) -> tuple[int, str, str]:
    return 400, _BAD_REQUEST, message


def _missing(name: str) -> Breaker:
    def breaker(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
        del body[name]
        return (body, *_bad(f"{name}: Field required"))

    return breaker


def _extra_field(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    name = draw(st.from_regex(r"x_[a-z]{1,10}", fullmatch=True))
    body[name] = draw(st.none() | st.integers() | st.text(max_size=5))
    return (body, *_bad(f"{name}: Extra inputs are not permitted"))


def _max_tokens_type(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    value = draw(st.sampled_from(["1024", None, True, [1024], {"n": 1}]) | st.text(max_size=5))
    if draw(st.booleans()):
        body["max_tokens"] = draw(st.floats(1.01, 1000.99).filter(lambda f: not f.is_integer()))
        return (body, *_bad("max_tokens: Input should be a valid integer, got a number with a fractional part"))
    body["max_tokens"] = value
    return (body, *_bad("max_tokens: Input should be a valid integer"))


def _max_tokens_cap(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    n = model.max_tokens + draw(st.integers(1, 100_000))
    body["max_tokens"] = n
    return (body, *_bad(f"max_tokens: {n} > {model.max_tokens}, which is the maximum allowed number of output tokens for {model.id}"))


def _unknown_model(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    name = "claude-nonexistent-" + draw(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True))
    body["model"] = name
    return body, 404, "not_found_error", f"model: {name}"


def _role(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body["messages"][0]["role"] = draw(st.sampled_from(["robot", "human", "User", ""]))
    roles = "'user', 'assistant' or 'system'" if version >= "2026-10-21" else "'user' or 'assistant'"
    return (body, *_bad(f"messages.0.role: Input should be {roles}"))


def _empty_text(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body["messages"][0]["content"] = [{"type": "text", "text": ""}]
    return (body, *_bad("messages: text content blocks must be non-empty"))


def _temperature(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body["temperature"] = draw(st.floats(1.01, 100))
    if version >= "2026-10-21":
        return (body, *_bad("temperature: Extra inputs are not permitted"))
    return (body, *_bad("temperature: Input should be less than or equal to 1"))


def _budget(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body["thinking"] = {"type": "enabled", "budget_tokens": draw(st.integers(0, 1023))}
    return (body, *_bad("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"))


_TOOL = {"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}


def _unanswered(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    use_id = "toolu_01" + draw(st.from_regex(r"[A-Za-z1-9]{22}", fullmatch=True))
    body.pop("thinking", None)
    body.update(tools=[_TOOL], messages=[
        {"role": "user", "content": "What is the weather in Paris?"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": use_id, "name": "get_weather", "input": {"city": "Paris"}}]},
        {"role": "user", "content": "Well?"},
    ])  # fmt: skip
    body.pop("tool_choice", None)
    return (body, *_bad(
        f"messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: {use_id}. "
        "Each `tool_use` block must have a corresponding `tool_result` block in the next message."
    ))  # fmt: skip


def _unexpected_result(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    use_id = "toolu_01" + draw(st.from_regex(r"[A-Za-z1-9]{22}", fullmatch=True))
    body.update(tools=[_TOOL], messages=[{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": use_id, "content": "18 C"}, {"type": "text", "text": "Thanks"}]}])
    body.pop("tool_choice", None)
    return (body, *_bad(
        f"messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: {use_id}. "
        "Each `tool_result` block must have a corresponding `tool_use` block in the previous message."
    ))  # fmt: skip


def _choice_unknown_tool(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body.pop("thinking", None)
    body.update(tools=[_TOOL], messages=[{"role": "user", "content": "What is the weather in Paris?"}])
    body["tool_choice"] = {"type": "tool", "name": "no_such_tool"}
    return (body, *_bad("tool_choice.tool.name: Tool 'no_such_tool' not found in tools."))


def _choice_without_tools(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body.pop("thinking", None)
    body.pop("tools", None)
    body["messages"] = [{"role": "user", "content": "What is the weather in Paris?"}]
    body["tool_choice"] = {"type": draw(st.sampled_from(["any", "tool"]))}
    if body["tool_choice"]["type"] == "tool":
        body["tool_choice"]["name"] = "get_weather"
    return (body, *_bad("tool_choice: tool_choice may only be specified while providing tools."))


def _tool_name(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    tool = draw(as_dicts(tool_definitions()))
    tool["name"] = draw(st.sampled_from(["get weather", "weather!", "", "x" * 129, "météo"]))
    body["tools"] = [tool]
    body.pop("tool_choice", None)
    return (body, *_bad("tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"))


def _too_many_breakpoints(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    n = draw(st.integers(5, 8))
    body["system"] = [{"type": "text", "text": f"Rule {i}.", "cache_control": {"type": "ephemeral"}} for i in range(n)]
    return (body, *_bad(f"A maximum of 4 blocks with cache_control may be provided. Found {n}."))


def _image_media_type(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    data = base64.b64encode(png_bytes(draw(st.integers(1, 16)), draw(st.integers(1, 16)))).decode()
    declared = draw(st.sampled_from(["image/jpeg", "image/gif", "image/webp"]))
    body["messages"] = [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": declared, "data": data}},
        {"type": "text", "text": "What is this?"}]}]  # fmt: skip
    return (body, *_bad("messages.0.content.0: Image does not match the provided media type"))


def _stop_sequences(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body["stop_sequences"] = draw(st.sampled_from(["STOP", 7, {"a": 1}]))
    return (body, *_bad("stop_sequences: Input should be a valid list"))


def _metadata(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body["metadata"] = {"user_id": "u-1", "session": "s"}
    return (body, *_bad("metadata.session: Extra inputs are not permitted"))


def _prefill(draw: st.DrawFn, body: dict[str, Any], model: ModelFacts, version: str) -> Any:
    body.pop("thinking", None)
    body["messages"] = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello "}]
    if not model.prefill:
        return (body, *_bad(
            "This model does not support assistant message prefill. The conversation must end with a user message."
        ))  # fmt: skip
    return (body, *_bad("final assistant content cannot end with trailing whitespace"))


_RULES: dict[str, Breaker] = {
    "required: model": _missing("model"),
    "required: messages": _missing("messages"),
    "required: max_tokens": _missing("max_tokens"),
    "unknown field": _extra_field,
    "max_tokens: integer": _max_tokens_type,
    "max_tokens: model cap": _max_tokens_cap,
    "model: unknown": _unknown_model,
    "messages: role": _role,
    "messages: empty text block": _empty_text,
    "temperature: range (or unknown on 2026-10-21)": _temperature,
    "thinking: budget_tokens >= 1024": _budget,
    "tool_use: answered in the next turn": _unanswered,
    "tool_result: answers a tool_use": _unexpected_result,
    "tool_choice: names an offered tool": _choice_unknown_tool,
    "tool_choice: needs tools": _choice_without_tools,
    "tools: name pattern": _tool_name,
    "cache_control: at most 4 breakpoints": _too_many_breakpoints,
    "image: bytes match media_type": _image_media_type,
    "stop_sequences: list": _stop_sequences,
    "metadata: known fields": _metadata,
    "prefill: allowed and without trailing whitespace": _prefill,
}
INVALID_RULES = tuple(_RULES)
"""The rules :func:`invalid_create_params` breaks, by name."""


@st.composite
def _invalid(draw: st.DrawFn, facts: tuple[ModelFacts, ...], versions: tuple[str, ...], rules: tuple[str, ...]) -> InvalidRequest:
    rule = draw(st.sampled_from(rules))
    version = draw(st.sampled_from(versions))
    model = draw(st.sampled_from(facts))
    body = draw(as_dicts(create_params(models=[model.name], api_version=version, stream=False, cache_control=False)))
    body, status, kind, message = _RULES[rule](draw, body, model, version)
    return InvalidRequest(body, rule, status, kind, message, version)


def invalid_create_params(
    *,
    rules: Sequence[str] = INVALID_RULES,
    models: Sequence[str] = DEFAULT_MODELS,
    api_versions: Sequence[str] = API_VERSIONS,
) -> st.SearchStrategy[InvalidRequest]:
    """:class:`InvalidRequest` examples: a ``POST /v1/messages`` body that breaks one of ``rules`` (see
    :data:`INVALID_RULES`), with the status, error type and message the API answers, for one of
    ``api_versions``.

        >>> bad = invalid_create_params(rules=["required: max_tokens"]).example()
        >>> bad.status, bad.type, bad.message
        (400, 'invalid_request_error', 'max_tokens: Field required')
    """
    chosen = check_choices("rules", rules, INVALID_RULES)
    versions = check_choices("api_versions", api_versions, API_VERSIONS)
    return _invalid(check_models(models), versions, chosen)
