"""Request validation: each rule answers with the real API's status and text."""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest

from fakeclaude.server.errors import ApiError
from fakeclaude.server.tokens import count_request_tokens
from fakeclaude.server.validation import (
    API_VERSIONS,
    BETA_SURFACE,
    ValidationOptions,
    authenticate,
    check_version,
    parse_betas,
    validate_batch_create,
    validate_batch_request,
    validate_count_tokens,
    validate_create,
)

STRICT = ValidationOptions()
LENIENT = ValidationOptions(mode="lenient")
OLD, NEW = API_VERSIONS
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32).decode()
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 32).decode()


def body(**over: Any) -> dict[str, Any]:
    b: dict[str, Any] = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 4096,
        "messages": [{"role": "user", "content": "Hello"}],
    }
    b.update(over)
    return b


def tool(name: str = "get_weather", **over: Any) -> dict[str, Any]:
    t: dict[str, Any] = {"name": name, "input_schema": {"type": "object", "properties": {}}}
    t.update(over)
    return t


def fails(b: object, message: str, *, status: int = 400, version: str = OLD, **kw: Any) -> None:
    with pytest.raises(ApiError) as info:
        validate_create(b, version=version, options=kw.pop("options", STRICT), **kw)
    assert (info.value.status, info.value.message) == (status, message)


def passes(b: object, *, version: str = OLD, **kw: Any) -> None:
    validate_create(b, version=version, options=kw.pop("options", STRICT), **kw)


TOOL_LOOP: list[dict[str, Any]] = [
    {"role": "user", "content": "Weather in Paris?"},
    {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}],
    },
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "20C"}]},
]


# --- headers -------------------------------------------------------------------------------------


def test_authenticate_prefers_x_api_key_and_accepts_bearer() -> None:
    assert authenticate({"x-api-key": "a", "authorization": "Bearer b"}, None) == "a"
    assert authenticate({"authorization": "Bearer b"}, None) == "b"
    assert authenticate({"x-api-key": "good"}, lambda k: k == "good") == "good"


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, "x-api-key header is required"), ({"authorization": "Basic x"}, "x-api-key header is required")],
)
def test_authenticate_missing(headers: dict[str, str], message: str) -> None:
    with pytest.raises(ApiError) as info:
        authenticate(headers, None)
    assert (info.value.status, info.value.type, info.value.message) == (401, "authentication_error", message)


def test_authenticate_invalid_key() -> None:
    with pytest.raises(ApiError) as info:
        authenticate({"x-api-key": "bad"}, lambda k: k == "good")
    assert (info.value.status, info.value.message) == (401, "invalid x-api-key")


def test_version_header() -> None:
    assert check_version({"anthropic-version": NEW}) == NEW
    with pytest.raises(ApiError, match=r"^400 invalid_request_error: anthropic-version: header is required$"):
        check_version({})
    with pytest.raises(ApiError, match="anthropic-version: Invalid value '2020-01-01'"):
        check_version({"anthropic-version": "2020-01-01"})


def test_parse_betas() -> None:
    assert parse_betas({"anthropic-beta": "a-1, b-2"}) == {"a-1", "b-2"}
    assert parse_betas({}, beta_surface=True) == {BETA_SURFACE}
    assert parse_betas({}) == frozenset()


# --- schema --------------------------------------------------------------------------------------


def test_valid_body_returns_body_resolved_model_and_tokens() -> None:
    b = body()
    out, spec, prompt = validate_create(b, version=OLD, options=STRICT)
    assert out is b
    assert spec.id == "claude-sonnet-4-5-20250929"
    assert prompt.total == count_request_tokens(b, spec) > 0
    assert prompt.marks == ()


@pytest.mark.parametrize(
    ("b", "message"),
    [
        ([1, 2], "Input should be a valid dictionary or object to extract fields from"),
        ({"model": "claude-sonnet-4-5", "messages": []}, "max_tokens: Field required"),
        (body(foo=1), "foo: Extra inputs are not permitted"),
        (body(max_tokens="10"), "max_tokens: Input should be a valid integer"),
        (
            body(max_tokens=10.5),
            "max_tokens: Input should be a valid integer, got a number with a fractional part",
        ),
        (body(messages=["hi"]), "messages.0: Input does not match the expected shape."),
        (
            body(messages=[{"role": "bot", "content": "x"}]),
            "messages.0.role: Input should be 'user' or 'assistant'",
        ),
        (body(messages=[{"role": "user"}]), "messages.0.content: Field required"),
        (body(stream="yes"), "stream: Input should be a valid boolean"),
        (body(stop_sequences=["a", 1]), "stop_sequences.1: Input should be a valid string"),
        (body(temperature=1.5), "temperature: Input should be less than or equal to 1"),
        (body(temperature=-0.1), "temperature: Input should be greater than or equal to 0"),
        (body(metadata={"user_id": 5}), "metadata.user_id: Input should be a valid string"),
        (body(metadata={"x": 1}), "metadata.x: Extra inputs are not permitted"),
        (body(service_tier="fast"), "service_tier: Input should be 'auto' or 'standard_only'"),
        (body(container={"id": "c"}), "container: Input should be a valid string"),
        (
            body(messages=[{"role": "user", "content": [{"text": "x"}]}]),
            "messages.0.content.0: Unable to extract tag using discriminator 'type'",
        ),
        (
            body(messages=[{"role": "user", "content": [{"type": "text", "text": "x", "extra": 1}]}]),
            "messages.0.content.0.text.extra: Extra inputs are not permitted",
        ),
        (
            body(
                messages=[
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "x"},
                            {
                                "type": "image",
                                "source": {"type": "base64", "media_type": "image/bmp", "data": PNG},
                            },
                        ],
                    }
                ]
            ),
            "messages.0.content.1.image.source.base64.media_type: "
            "Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
        ),
        (
            body(system=[{"type": "text", "text": "x", "cache_control": {"type": "ephemeral", "ttl": "2h"}}]),
            "system.0.text.cache_control.ttl: Input should be '5m' or '1h'",
        ),
        (
            body(thinking={"type": "enabled", "budget_tokens": 512}),
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
        ),
        (
            body(tool_choice={"type": "maybe"}),
            "tool_choice: Input tag 'maybe' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'",
        ),
        (
            body(tools=[tool("bad name")]),
            "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
        ),
        (
            body(tools=[tool(input_schema={"type": "array"})]),
            "tools.0.custom.input_schema.type: Input should be 'object'",
        ),
        (
            body(output_config={"effort": "extreme"}),
            "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'",
        ),
    ],
)
def test_schema_errors(b: object, message: str) -> None:
    fails(b, message)


def test_first_error_in_document_order() -> None:
    fails(
        {"model": "claude-sonnet-4-5", "max_tokens": "x", "messages": [], "zzz": 1},
        "max_tokens: Input should be a valid integer",
    )
    fails(
        {"zzz": 1, "model": "claude-sonnet-4-5", "max_tokens": "x", "messages": []},
        "zzz: Extra inputs are not permitted",
    )


def test_lenient_checks_only_the_schema() -> None:
    passes(
        body(temperature=7, tools=[tool("bad name")], messages=[{"role": "user", "content": ""}]),
        options=LENIENT,
    )
    fails(body(temperature="hot"), "temperature: Input should be a valid number", options=LENIENT)
    fails(body(bogus=1), "bogus: Extra inputs are not permitted", options=LENIENT)


# --- model and limits ----------------------------------------------------------------------------


def test_unknown_model_is_404() -> None:
    with pytest.raises(ApiError) as info:
        validate_create(body(model="claude-sonet-4-5"), version=OLD, options=STRICT)
    assert (info.value.status, info.value.type, info.value.message) == (
        404,
        "not_found_error",
        "model: claude-sonet-4-5",
    )


def test_max_tokens_cap() -> None:
    fails(
        body(max_tokens=64_001),
        "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929",
    )


def test_context_window(monkeypatch: pytest.MonkeyPatch) -> None:
    import fakeclaude.server.validation._requests as validation
    from fakeclaude.server.tokens import PromptTokens

    monkeypatch.setattr(validation, "measure_prompt", lambda b, s, **_: PromptTokens(s.context_window + 5, ()))
    w = 1_000_000
    fails(body(), f"prompt is too long: {w + 5} tokens > {w} maximum")
    monkeypatch.setattr(validation, "measure_prompt", lambda b, s, **_: PromptTokens(s.context_window - 10, ()))
    fails(
        body(max_tokens=64),
        f"input length and `max_tokens` exceed context limit: {w - 10} + 64 > {w}, "
        "decrease input length or `max_tokens` and try again",
    )
    passes(body(max_tokens=64), betas=frozenset({"model-context-window-exceeded-2025-08-26"}))


# --- messages ------------------------------------------------------------------------------------


def test_consecutive_same_role_turns_are_merged_for_paths() -> None:
    msgs = [
        {"role": "user", "content": "Weather?"},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_X", "content": "sunny"}]},
    ]
    fails(
        body(messages=msgs),
        "messages.0.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_X. "
        "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
    )
    passes(body(messages=[{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]))


@pytest.mark.parametrize(
    ("messages", "message"),
    [
        (
            [{"role": "user", "content": ""}],
            "messages.0: all messages must have non-empty content except for the optional final assistant message",
        ),
        (
            [
                {"role": "user", "content": "a"},
                {"role": "assistant", "content": []},
                {"role": "user", "content": "b"},
            ],
            "messages.1: all messages must have non-empty content except for the optional final assistant message",
        ),
        (
            [{"role": "user", "content": [{"type": "text", "text": ""}]}],
            "messages: text content blocks must be non-empty",
        ),
        (
            [{"role": "user", "content": "a"}, {"role": "assistant", "content": "Sure "}],
            "final assistant content cannot end with trailing whitespace",
        ),
        (
            [*TOOL_LOOP[:2], {"role": "user", "content": "never mind"}],
            "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. "
            "Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
        ),
        (
            [TOOL_LOOP[0], {"role": "assistant", "content": TOOL_LOOP[1]["content"] * 2}, TOOL_LOOP[2]],
            "messages.1.content.1: `tool_use` ids must be unique",
        ),
        (
            [
                *TOOL_LOOP[:2],
                {"role": "user", "content": [{"type": "text", "text": "here"}, *TOOL_LOOP[2]["content"]]},
            ],
            "messages.2.content.1: `tool_result` blocks must come first in a `user` message that answers `tool_use` blocks.",
        ),
    ],
)
def test_message_rules(messages: list[dict[str, Any]], message: str) -> None:
    fails(body(messages=messages, tools=[tool()]), message)


def test_valid_conversations() -> None:
    passes(body(messages=TOOL_LOOP, tools=[tool()]))
    passes(body(messages=[{"role": "user", "content": "a"}, {"role": "assistant", "content": ""}]))
    passes(body(messages=[{"role": "assistant", "content": "first"}, {"role": "user", "content": "b"}]))


def test_prefill_refused_by_newest_models() -> None:
    fails(
        body(
            model="claude-sonnet-5",
            messages=[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}],
        ),
        "This model does not support assistant message prefill. The conversation must end with a user message.",
    )


def test_system_role_only_on_beta_or_new_version() -> None:
    msgs = [{"role": "user", "content": "a"}, {"role": "system", "content": "be brief"}]
    fails(body(messages=msgs), "messages.1.role: Input should be 'user' or 'assistant'")
    passes(body(messages=msgs), betas=frozenset({BETA_SURFACE}))
    passes(body(messages=msgs), version=NEW)


# --- tools ---------------------------------------------------------------------------------------


def test_tool_rules() -> None:
    fails(body(tools=[tool("a"), tool("a")]), "tools: Tool names must be unique.")
    fails(
        body(tools=[tool(input_schema={"type": "object", "properties": {"x": {"type": "strng"}}})]),
        "tools.0.custom.input_schema: JSON schema is invalid. It must match JSON Schema draft 2020-12.",
    )
    fails(
        body(tools=[tool()], tool_choice={"type": "tool", "name": "nope"}),
        "tool_choice.tool.name: Tool 'nope' not found in tools.",
    )
    passes(body(tools=[tool(), {"type": "web_search_20250305", "name": "web_search", "max_uses": 3}]))


# --- thinking ------------------------------------------------------------------------------------

THINK = {"type": "enabled", "budget_tokens": 2048}


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"max_tokens": 2048}, "`max_tokens` must be greater than `thinking.budget_tokens`."),
        ({"temperature": 0.5}, "`temperature` may only be set to 1 when thinking is enabled."),
        ({"top_k": 5}, "`top_k` may not be set when thinking is enabled."),
        ({"top_p": 0.5}, "`top_p` must be between 0.95 and 1 when thinking is enabled."),
        (
            {"tools": [tool()], "tool_choice": {"type": "any"}},
            "Thinking may not be enabled when tool_choice forces tool use.",
        ),
    ],
)
def test_thinking_rules(over: dict[str, Any], message: str) -> None:
    fails(body(thinking=THINK, **over), message)


def test_thinking_ok_cases() -> None:
    passes(body(thinking=THINK, temperature=1, top_p=0.95))
    passes(body(thinking=THINK, max_tokens=2048), betas=frozenset({"interleaved-thinking-2025-05-14"}))
    passes(
        body(
            model="claude-opus-4-6",
            thinking={"type": "adaptive"},
            tools=[tool()],
            tool_choice={"type": "any"},
        )
    )


def test_thinking_history_rule() -> None:
    fails(
        body(thinking=THINK, messages=TOOL_LOOP, tools=[tool()]),
        "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` "
        "is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of "
        "`tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid "
        "this requirement, disable `thinking`. Please consult our documentation at "
        "https://docs.claude.com/en/docs/build-with-claude/extended-thinking",
    )
    loop = copy.deepcopy(TOOL_LOOP)
    loop[1]["content"].insert(0, {"type": "thinking", "thinking": "hmm", "signature": "sig"})
    passes(body(thinking=THINK, messages=loop, tools=[tool()]))


def test_enabled_thinking_refused_on_4_7() -> None:
    fails(
        body(model="claude-opus-4-7", thinking=THINK),
        "`thinking.type.enabled` is not supported for this model. Use `thinking.type.adaptive` and "
        "`output_config.effort` to control thinking behavior.",
    )


def test_effort_level_support() -> None:
    fails(
        body(model="claude-opus-4-6", output_config={"effort": "xhigh"}),
        "This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.",
    )


# --- caching, media ------------------------------------------------------------------------------


def test_cache_breakpoints_over_tools_system_messages() -> None:
    cc = {"type": "ephemeral"}
    b = body(
        tools=[tool("a", cache_control=cc), tool("b", cache_control=cc)],
        system=[{"type": "text", "text": "s", "cache_control": cc}],
        messages=[{"role": "user", "content": [{"type": "text", "text": "x", "cache_control": cc}] * 2}],
    )
    fails(b, "A maximum of 4 blocks with cache_control may be provided. Found 5.")


def _image(media_type: str, data: str) -> dict[str, Any]:
    return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}


def test_image_checks() -> None:
    passes(body(messages=[{"role": "user", "content": [_image("image/png", PNG)]}]))
    fails(
        body(
            messages=[{"role": "user", "content": [{"type": "text", "text": "x"}, _image("image/png", JPEG)]}]
        ),
        "messages.0.content.1: Image does not match the provided media type",
    )
    fails(
        body(messages=[{"role": "user", "content": [_image("image/png", "!!notbase64")]}]),
        "messages.0.content.0.image.source.base64.data: Invalid base64 data.",
    )
    big = "A" * (5 * 1024 * 1024 + 4)
    fails(
        body(messages=[{"role": "user", "content": [_image("image/png", big)]}]),
        f"messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: {len(big)} bytes > 5242880 bytes",
    )


def test_pdf_page_limit() -> None:
    pdf = b"%PDF-1.4\n" + b"1 0 obj << /Type /Page >> endobj\n" * 101 + b"<< /Type /Pages >>"
    doc = {
        "type": "document",
        "source": {"type": "base64", "media_type": "application/pdf", "data": base64.b64encode(pdf).decode()},
    }
    fails(body(messages=[{"role": "user", "content": [doc]}]), "A maximum of 100 PDF pages may be provided.")


# --- versions and models -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["temperature", "top_p", "top_k"])
def test_2026_rejects_sampling_params(name: str) -> None:
    fails(body(**{name: 1}), f"{name}: Extra inputs are not permitted", version=NEW)
    passes(body(**{name: 1}), version=OLD)


def test_2026_document_and_citation_rules() -> None:
    doc = {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "d"}}
    msgs = [
        {"role": "user", "content": "a"},
        {"role": "assistant", "content": [doc]},
        {"role": "user", "content": "b"},
    ]
    fails(
        body(messages=msgs),
        "messages.1.content.0: `document` blocks are not allowed in `assistant` messages.",
        version=NEW,
    )
    passes(body(messages=msgs), version=OLD)
    cit = {
        "type": "char_location",
        "cited_text": "x",
        "document_index": 0,
        "document_title": None,  # required (nullable), in the mirror and the TypedDict alike
        "start_char_index": 0,
        "end_char_index": 1,
    }
    msgs = [{"role": "user", "content": [{"type": "text", "text": "t", "citations": [cit]}]}]
    fails(
        body(messages=msgs),
        "messages.0.content.0.text.citations: `citations` are not allowed on `text` blocks in `user` messages.",
        version=NEW,
    )


def test_sampling_deprecated_on_newest_models() -> None:
    fails(body(model="claude-opus-4-7", temperature=0.5), "`temperature` is deprecated for this model.")


# --- other endpoints -----------------------------------------------------------------------------


def test_count_tokens_shape() -> None:
    b = {"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": "hi"}]}
    assert validate_count_tokens(b, version=OLD, options=STRICT)[1].id == "claude-haiku-4-5-20251001"
    for name, value in [("max_tokens", 5), ("stream", True), ("service_tier", "auto")]:
        with pytest.raises(
            ApiError, match=f"^400 invalid_request_error: {name}: Extra inputs are not permitted$"
        ):
            validate_count_tokens({**b, name: value}, version=OLD, options=STRICT)


def test_batch_create_checks_the_envelope_only() -> None:
    reqs = [{"custom_id": "a", "params": body()}, {"custom_id": "b", "params": body(max_tokens="x", stream=True)}]
    out = validate_batch_create({"requests": reqs}, version=OLD, options=STRICT)
    assert [c for c, _ in out] == ["a", "b"]
    cases = [  # the texts recorded from the API (2026 spec section 11)
        ([reqs[0], {"custom_id": "a", "params": body()}],
         "requests: custom_id's must be unique within a batch. Duplicate custom_id found: a"),
        ([{"params": body()}], "requests.0.custom_id: Field required"),
        ([{"custom_id": "x" * 65, "params": body()}], "requests.0.custom_id: String should have at most 64 characters"),
        ([{"custom_id": "a b", "params": body()}],
         "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"),
        ([], "requests: List should have at least 1 item after validation, not 0"),
        ([{"custom_id": "a", "params": "hello"}],
         "requests.0.params: Input should be a valid dictionary or object to extract fields from"),
    ]  # fmt: skip
    for requests, message in cases:
        with pytest.raises(ApiError) as info:
            validate_batch_create({"requests": requests}, version=OLD, options=STRICT)
        assert (info.value.status, info.value.message) == (400, message)


def test_batch_request_params_are_checked_like_create_plus_the_batch_rules() -> None:
    cases = [
        (body(stream=True), 400, '"stream=True" is not supported in the Message Batches API'),
        (body(max_tokens=0), 400, "max_tokens: must be greater than or equal to 1"),
        (body(max_tokens="x"), 400, "max_tokens: Input should be a valid integer"),
        (body(model="claude-does-not-exist-9"), 404, "model: claude-does-not-exist-9"),
        ({k: v for k, v in body().items() if k != "messages"}, 400, "messages: Field required"),
    ]
    for params, status, message in cases:
        with pytest.raises(ApiError) as info:
            validate_batch_request(params, version=OLD, options=STRICT)
        assert (info.value.status, info.value.message) == (status, message)
    assert validate_create(body(max_tokens=0), version=OLD, options=STRICT).body["max_tokens"] == 0  # sync accepts it
    validate_batch_request(body(stream=False), version=OLD, options=STRICT)


