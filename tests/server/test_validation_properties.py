"""Property: whatever the body, validation answers with an API error (400/404/413) or accepts it."""

from __future__ import annotations

import base64
import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation import (
    API_VERSIONS,
    ValidationOptions,
    validate_batch_create,
    validate_batch_request,
    validate_count_tokens,
    validate_create,
)

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16).decode()
PDF = base64.b64encode(b"%PDF-1.4\n<< /Type /Page >>\n").decode()

SEEDS: list[dict[str, Any]] = [
    {"model": "claude-sonnet-4-5", "max_tokens": 4096, "messages": [{"role": "user", "content": "Hello"}]},
    {
        "model": "claude-haiku-4-5",
        "max_tokens": 4096,
        "system": [{"type": "text", "text": "be brief", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
        "tools": [
            {
                "name": "get_weather",
                "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
            }
        ],
        "tool_choice": {"type": "auto"},
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Weather?"},
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}},
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "t", "signature": "s"},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_1",
                        "content": [{"type": "text", "text": "20C"}],
                    },
                    {
                        "type": "document",
                        "source": {"type": "base64", "media_type": "application/pdf", "data": PDF},
                    },
                ],
            },
        ],
    },
    {
        "model": "claude-opus-4-7",
        "max_tokens": 100,
        "stream": True,
        "metadata": {"user_id": "u"},
        "output_config": {"effort": "high", "format": {"type": "json_schema", "schema": {"type": "object", "additionalProperties": False}}},
        "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}],
    },
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["text", "image", "tool_use", "tool_result", "user", "assistant", "system", "enabled", "object", "base64", "custom"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "text", "role", "content", "id", "name", "input", "source", "data", "x"]) | st.text(max_size=5),
        children, max_size=4,
    ),
    max_leaves=20,
)  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_bodies(draw: st.DrawFn) -> Any:
    body: Any = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(body)
        path = draw(st.sampled_from(paths))
        if not path:
            body = draw(json_values)
            continue
        parent = body
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=6))] = draw(json_values)
        elif action == "add" and isinstance(parent, list):
            parent.insert(path[-1], draw(json_values))
        else:
            parent[path[-1]] = draw(json_values)
    return body


def _check(fn: Any, body: Any, version: str, mode: str) -> None:
    try:
        fn(body, version=version, options=ValidationOptions(mode=mode), betas=frozenset())  # type: ignore[arg-type]
    except ApiError as e:
        assert e.status in (400, 404, 413), e
        assert e.message and e.type


FNS = st.sampled_from([validate_create, validate_count_tokens])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, FNS, st.sampled_from(API_VERSIONS), st.sampled_from(["strict", "lenient"]))
def test_arbitrary_json_never_crashes(body: Any, fn: Any, version: str, mode: str) -> None:
    _check(fn, body, version, mode)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_bodies(), FNS, st.sampled_from(API_VERSIONS), st.sampled_from(["strict", "lenient"]))
def test_mutated_bodies_never_crash(body: Any, fn: Any, version: str, mode: str) -> None:
    _check(fn, body, version, mode)


@settings(max_examples=150, deadline=None)
@given(mutated_bodies())
def test_mutated_batches_never_crash(params: Any) -> None:
    _check(
        validate_batch_create, {"requests": [{"custom_id": "a", "params": params}]}, API_VERSIONS[0], "strict"
    )
    _check(validate_batch_request, params, API_VERSIONS[0], "strict")


def test_seeds_are_valid() -> None:
    for seed in SEEDS:
        validate_create(copy.deepcopy(seed), version=API_VERSIONS[0], options=ValidationOptions())
