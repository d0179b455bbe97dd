"""Request bodies a user writes are accepted by the TypedDicts; malformed ones are rejected."""

import copy
from typing import Any

import pydantic
import pytest

from fakeclaude.types.params import (
    InputSchema,
    MessageCreateParamsNonStreaming,
    MessageCreateParamsStreaming,
    Request,
)

from .params_validators import validate_count_tokens, validate_create

MODEL = "claude-sonnet-4-6"
B64 = "aGVsbG8="

# The request bodies of the seed's usage examples (seed-examples.md), in order.
SEED_BODIES: list[dict[str, Any]] = [
    {
        "model": MODEL,
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "What is the capital of France?"}],
    },
    {
        "model": MODEL,
        "max_tokens": 1024,
        "messages": [
            {"role": "user", "content": "Hello, can you help me with Python?"},
            {"role": "assistant", "content": "Of course! What would you like help with?"},
            {"role": "user", "content": "How do I read a CSV file?"},
        ],
    },
    {
        "model": MODEL,
        "max_tokens": 1024,
        "system": "You are a helpful coding assistant. Always provide code examples when relevant.",
        "messages": [{"role": "user", "content": "How do I sort a list in Python?"}],
    },
    {
        "model": MODEL,
        "max_tokens": 1024,
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": B64}},
                    {"type": "text", "text": "What do you see in this image?"},
                ],
            }
        ],
    },
    {
        "model": MODEL,
        "max_tokens": 1024,
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "document",
                        "source": {"type": "base64", "media_type": "application/pdf", "data": B64},
                    },
                    {"type": "text", "text": "Summarize this document"},
                ],
            }
        ],
    },
    {
        "model": MODEL,
        "max_tokens": 1024,
        "stream": True,
        "messages": [{"role": "user", "content": "Write a short story"}],
    },
    {"model": MODEL, "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello!"}]},
    {
        "model": MODEL,
        "max_tokens": 4000,
        "thinking": {"type": "enabled", "budget_tokens": 2000},
        "messages": [{"role": "user", "content": "Analyze this complex business problem..."}],
    },
    {
        "model": MODEL,
        "max_tokens": 1024,
        "service_tier": "auto",
        "messages": [{"role": "user", "content": "Urgent request requiring priority processing"}],
    },
]

CACHE = {"type": "ephemeral", "ttl": "1h"}
SCHEMA = {
    "type": "object",
    "properties": {"location": {"type": "string"}},
    "required": ["location"],
    "additionalProperties": False,
    "$defs": {},
}
CITATIONS = [
    {"type": "char_location", "cited_text": "a", "document_index": 0, "document_title": None,
     "start_char_index": 0, "end_char_index": 1},
    {"type": "page_location", "cited_text": "a", "document_index": 0, "document_title": "t",
     "start_page_number": 1, "end_page_number": 2},
    {"type": "content_block_location", "cited_text": "a", "document_index": 1, "document_title": None,
     "start_block_index": 0, "end_block_index": 1},
    {"type": "web_search_result_location", "cited_text": "a", "encrypted_index": "Eo8", "title": None,
     "url": "https://example.com"},
    {"type": "search_result_location", "cited_text": "a", "search_result_index": 0, "source": "s",
     "title": "t", "start_block_index": 0, "end_block_index": 1},
]  # fmt: skip

RICH_BODY: dict[str, Any] = {
    "model": "claude-opus-4-6",
    "max_tokens": 8192,
    "system": [{"type": "text", "text": "You are terse.", "cache_control": CACHE}],
    "stop_sequences": ["\n\nHuman:"],
    "temperature": 1.0,
    "top_k": 40,
    "top_p": 0.99,
    "metadata": {"user_id": "3f1c"},
    "service_tier": "standard_only",
    "container": {"id": "container_011C", "skills": [{"skill_id": "pptx", "type": "anthropic", "version": "latest"}]},
    "cache_control": {"type": "ephemeral"},
    "output_config": {"effort": "high", "format": {"type": "json_schema", "schema": SCHEMA}},
    "inference_geo": "us",
    "speed": "standard",
    "diagnostics": {"previous_message_id": "msg_01"},
    "stream": False,
    "thinking": {"type": "enabled", "budget_tokens": 2048, "display": "summarized"},
    "tool_choice": {"type": "auto", "disable_parallel_tool_use": True},
    "tools": [
        {"name": "get_weather", "description": "Weather", "input_schema": SCHEMA, "cache_control": CACHE,
         "type": "custom", "strict": True, "defer_loading": False, "eager_input_streaming": None,
         "input_examples": [{"location": "Paris"}], "allowed_callers": ["direct", "code_execution_20250825"]},
        {"type": "bash_20250124", "name": "bash"},
        {"type": "text_editor_20250124", "name": "str_replace_editor"},
        {"type": "text_editor_20250429", "name": "str_replace_based_edit_tool"},
        {"type": "text_editor_20250728", "name": "str_replace_based_edit_tool", "max_characters": 10000},
        {"type": "memory_20250818", "name": "memory"},
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 3, "allowed_domains": ["example.com"],
         "blocked_domains": None, "user_location": {"type": "approximate", "city": "Paris", "region": None,
                                                    "country": "FR", "timezone": "Europe/Paris"}},
        {"type": "web_search_20260209", "name": "web_search"},
        {"type": "web_search_20260318", "name": "web_search", "response_inclusion": "excluded"},
        {"type": "web_fetch_20250910", "name": "web_fetch", "citations": {"enabled": True},
         "max_content_tokens": 5000, "url_sources": {"user_input": {"type": "all"}}},
        {"type": "web_fetch_20260209", "name": "web_fetch"},
        {"type": "web_fetch_20260309", "name": "web_fetch", "use_cache": False},
        {"type": "web_fetch_20260318", "name": "web_fetch", "response_inclusion": "full"},
        {"type": "code_execution_20250522", "name": "code_execution"},
        {"type": "code_execution_20250825", "name": "code_execution"},
        {"type": "code_execution_20260120", "name": "code_execution", "cache_control": None},
        {"type": "code_execution_20260521", "name": "code_execution"},
        {"type": "tool_search_tool_regex_20251119", "name": "tool_search_tool_regex"},
        {"type": "tool_search_tool_bm25", "name": "tool_search_tool_bm25"},
    ],
    "messages": [
        {"role": "user", "content": [
            {"type": "text", "text": "Look at these.", "cache_control": {"type": "ephemeral", "ttl": "5m"}},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": B64},
             "transformations": {"oversized_image": "error"}},
            {"type": "image", "source": {"type": "url", "url": "https://example.com/a.webp"}},
            {"type": "image", "source": {"type": "file", "file_id": "file_011"}},
            {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": B64},
             "title": "T", "context": "C", "citations": {"enabled": True}, "cache_control": CACHE},
            {"type": "document", "source": {"type": "url", "url": "https://example.com/a.pdf"}},
            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "plain"}},
            {"type": "document", "source": {"type": "content", "content": [
                {"type": "text", "text": "block"},
                {"type": "image", "source": {"type": "url", "url": "https://example.com/b.gif"}}]}},
            {"type": "document", "source": {"type": "content", "content": "just a string"}},
            {"type": "document", "source": {"type": "file", "file_id": "file_012"}},
            {"type": "search_result", "source": "https://example.com", "title": "R",
             "content": [{"type": "text", "text": "found"}], "citations": {"enabled": True}},
            {"type": "container_upload", "file_id": "file_013"},
        ]},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": "Let me see.", "signature": "EqQB"},
            {"type": "redacted_thinking", "data": "EmwK"},
            {"type": "text", "text": "Paris is in France.", "citations": CITATIONS},
            {"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {"query": "q"},
             "caller": {"type": "direct"}},
            {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01", "content": [
                {"type": "web_search_result", "url": "https://example.com", "title": "E",
                 "encrypted_content": "Eq", "page_age": None}]},
            {"type": "server_tool_use", "id": "srvtoolu_02", "name": "web_search", "input": {"query": "q"}},
            {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_02",
             "content": {"type": "web_search_tool_result_error", "error_code": "max_uses_exceeded"}},
            {"type": "web_fetch_tool_result", "tool_use_id": "srvtoolu_03",
             "content": {"type": "web_fetch_result", "url": "https://example.com", "content": {}}},
            {"type": "code_execution_tool_result", "tool_use_id": "srvtoolu_04",
             "content": {"type": "code_execution_result", "stdout": "", "stderr": "", "return_code": 0,
                         "content": []}},
            {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_05",
             "content": {"type": "bash_code_execution_result", "stdout": "ok"}},
            {"type": "text_editor_code_execution_tool_result", "tool_use_id": "srvtoolu_06",
             "content": {"type": "text_editor_code_execution_view_result", "content": "x"}},
            {"type": "tool_search_tool_result", "tool_use_id": "srvtoolu_07",
             "content": {"type": "tool_search_tool_search_result", "tool_references": []}},
            {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"location": "Paris"},
             "caller": {"type": "code_execution_20250825", "tool_id": "srvtoolu_04"}},
        ]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_01", "is_error": False, "content": [
                {"type": "text", "text": "18C"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/gif", "data": B64}},
                {"type": "search_result", "source": "s", "title": "t", "content": [{"type": "text", "text": "x"}]},
                {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "d"}},
                {"type": "tool_reference", "tool_name": "get_weather"},
            ]},
            {"type": "tool_result", "tool_use_id": "toolu_02", "content": "boom", "is_error": True},
            {"type": "text", "text": "Thanks."},
        ]},
        {"role": "system", "content": "Answer in French from now on."},
        {"role": "assistant", "content": "Bien"},
    ],
}  # fmt: skip


@pytest.mark.parametrize("body", SEED_BODIES, ids=[f"seed{i}" for i in range(len(SEED_BODIES))])
def test_seed_example_bodies_are_accepted(body: dict[str, Any]) -> None:
    assert validate_create(body) == body


def test_seed_bodies_pass_the_plain_type_adapter() -> None:
    adapter = pydantic.TypeAdapter(MessageCreateParamsNonStreaming)
    for body in SEED_BODIES:
        if not body.get("stream"):
            assert adapter.validate_python(body) == body


def test_a_body_with_every_parameter_and_block_is_accepted_unchanged() -> None:
    assert validate_create(RICH_BODY) == RICH_BODY
    assert pydantic.TypeAdapter(MessageCreateParamsNonStreaming).validate_python(RICH_BODY) == RICH_BODY


def test_the_other_thinking_and_tool_choice_variants() -> None:
    base = SEED_BODIES[0]
    for thinking in ({"type": "disabled"}, {"type": "adaptive", "display": "omitted"}, {"type": "adaptive"}):
        validate_create({**base, "thinking": thinking})
    for choice in (
        {"type": "any"},
        {"type": "tool", "name": "x", "disable_parallel_tool_use": True},
        {"type": "none"},
    ):
        validate_create({**base, "tool_choice": choice})
    validate_create({**base, "container": "container_011C"})
    validate_create({**base, "container": None})


def test_count_tokens_body() -> None:
    body = {
        k: v
        for k, v in RICH_BODY.items()
        if k in {"model", "messages", "system", "tools", "tool_choice", "thinking"}
    }
    assert validate_count_tokens(body) == body
    with pytest.raises(pydantic.ValidationError, match="max_tokens"):
        validate_count_tokens({**body, "max_tokens": 10})


def test_batch_request_wraps_non_streaming_params() -> None:
    adapter = pydantic.TypeAdapter(list[Request], config=pydantic.ConfigDict(extra="forbid"))
    requests = [
        {"custom_id": f"r{i}", "params": body} for i, body in enumerate(SEED_BODIES) if not body.get("stream")
    ]
    assert adapter.validate_python(requests) == requests
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python([{"custom_id": "s", "params": {**SEED_BODIES[0], "stream": True}}])
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python([{"params": SEED_BODIES[0]}])


def _set(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    bad = copy.deepcopy(body)
    target: Any = bad
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return bad


_DELETE = object()

BAD_EDITS = {
    "missing max_tokens": (("max_tokens",), _DELETE),
    "role tool": (("messages", 0, "role"), "tool"),
    "image media type bmp": (("messages", 0, "content", 1, "source", "media_type"), "image/bmp"),
    "pdf with image media type": (("messages", 0, "content", 4, "source", "media_type"), "image/png"),
    "cache ttl 10m": (("system", 0, "cache_control", "ttl"), "10m"),
    "cache type persistent": (("system", 0, "cache_control", "type"), "persistent"),
    "thinking without budget": (("thinking",), {"type": "enabled"}),
    "thinking type on": (("thinking",), {"type": "on", "budget_tokens": 2048}),
    "tool_choice tool without name": (("tool_choice",), {"type": "tool"}),
    "tool_choice none with parallel flag": (("tool_choice",), {"type": "none", "disable_parallel_tool_use": True}),
    "bash tool renamed": (("tools", 1, "name"), "shell"),
    "unknown tool type": (("tools", 1, "type"), "bash_20991231"),
    "service tier priority": (("service_tier",), "priority"),
    "stop_sequences as a string": (("stop_sequences",), "STOP"),
    "stream as a string": (("stream",), "yes"),
    "unknown top-level field": (("frequency_penalty",), 0.5),
    "unknown block type": (("messages", 0, "content", 0, "type"), "audio"),
    "tool_use without id": (("messages", 1, "content", 12, "id"), _DELETE),
    "thinking block without signature": (("messages", 1, "content", 0, "signature"), _DELETE),
    "system message with an image": (("messages", 3, "content"), [{"type": "image", "source": {"type": "url", "url": "u"}}]),
    "server tool with unknown name": (("messages", 1, "content", 3, "name"), "python"),
    "metadata with an extra key": (("metadata", "email"), "a@b.c"),
}  # fmt: skip


@pytest.mark.parametrize("edit", BAD_EDITS.values(), ids=BAD_EDITS.keys())
def test_malformed_bodies_are_rejected(edit: tuple[tuple[Any, ...], Any]) -> None:
    path, value = edit
    bad = _set(RICH_BODY, path, value)
    with pytest.raises(pydantic.ValidationError):
        validate_create(bad)


def test_stream_flag_selects_the_params_type() -> None:
    body = SEED_BODIES[0]
    non_streaming = pydantic.TypeAdapter(MessageCreateParamsNonStreaming)
    streaming = pydantic.TypeAdapter(MessageCreateParamsStreaming)
    non_streaming.validate_python({**body, "stream": False})
    streaming.validate_python({**body, "stream": True})
    with pytest.raises(pydantic.ValidationError):
        non_streaming.validate_python({**body, "stream": True})
    for stream in (False, _DELETE):
        with pytest.raises(pydantic.ValidationError):
            streaming.validate_python(_set({**body, "stream": None}, ("stream",), stream))


def test_input_schema_keeps_extra_schema_keys_and_requires_an_object() -> None:
    adapter = pydantic.TypeAdapter(list[InputSchema], config=pydantic.ConfigDict(extra="forbid"))
    assert adapter.validate_python([SCHEMA]) == [SCHEMA]
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python([{"type": "array", "items": {}}])
