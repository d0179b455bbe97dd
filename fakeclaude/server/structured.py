"""Structured outputs: where a request's JSON schema lives, the answer generated from it, and the check
that a scripted answer is one the API's constrained decoding could have produced.

Two spellings ask for JSON (spec 2026 §1.1): ``output_config.format`` (GA, no header) and the legacy
top-level ``output_format`` (only with ``anthropic-beta: structured-outputs-2025-11-13``; validation
refuses it otherwise). Both are ``{"type": "json_schema", "schema": {...}}``.

The answer is one ``text`` block whose text is compact JSON valid against the schema, generated from the
schema by the fake's JSON Schema generator (deterministic per seed). Everything the API applies to any
answer still applies: thinking comes first when it is on, a tool may be called first (the format
constrains text, not tool inputs), a ``max_tokens`` cut leaves a JSON prefix that does not parse
(``stop_reason: "max_tokens"``), and streams carry the JSON as ordinary ``text_delta`` slices.

A scripted reply must be a possible answer: with a format in force, each of its text blocks must be JSON
valid against the schema (unless it forces ``stop_reason`` ``refusal``, ``max_tokens`` or
``pause_turn``, where the API makes no promise), and a ``tool_use`` it gives for a ``strict`` tool must
have an input valid against that tool's schema. :func:`scripted_block_problems` says what is wrong with
one that is not; the engine then fails the script (a ``ScriptError``, as for every impossible reply: see
:mod:`fakeclaude.server.script_checks`) instead of serving it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .generation import SchemaGenerationError, generate_from_schema
from .schema import matches

__all__ = [
    "FORMAT_BETA",
    "UNPROMISED_STOP_REASONS",
    "json_answer",
    "output_schema",
    "scripted_block_problems",
    "strict_tools",
]

FORMAT_BETA = "structured-outputs-2025-11-13"
"""The beta that unlocks the legacy top-level ``output_format``."""

UNPROMISED_STOP_REASONS = frozenset({"refusal", "max_tokens", "pause_turn"})
"""Stop reasons under which the API does not promise schema-valid text (spec 2026 §1.6)."""


def output_schema(body: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
    """``(path, schema)`` of the request's format (``output_config.format.schema`` or
    ``output_format.schema``), or None when the request asks for free text."""
    config = body.get("output_config")
    if config is None and "output_format" not in body:
        return None
    if isinstance(config, Mapping):
        fmt = config.get("format")
        if isinstance(fmt, Mapping) and isinstance(fmt.get("schema"), Mapping):
            return "output_config.format.schema", fmt["schema"]
    legacy = body.get("output_format")
    if isinstance(legacy, Mapping) and isinstance(legacy.get("schema"), Mapping):
        return "output_format.schema", legacy["schema"]
    return None


def strict_tools(body: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """``(index, tool)`` of the custom tools with ``strict: true`` (their inputs are schema-constrained)."""
    return [
        (i, t) for i, t in enumerate(body.get("tools") or [])
        if isinstance(t, Mapping) and t.get("strict") is True and t.get("type") in (None, "custom")
    ]  # fmt: skip


def json_answer(schema: Mapping[str, Any], rng_seed: int) -> str:
    """Compact JSON text valid against ``schema`` (a pure function of the seed).

    >>> json_answer({"type": "array", "items": {"type": "integer"}, "minItems": 1}, 3).startswith("[")
    True
    """
    try:
        value = generate_from_schema(schema, rng_seed)
    except (SchemaGenerationError, RecursionError):
        value = {} if schema.get("type") == "object" else None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _text_problem(text: str, schema: Mapping[str, Any]) -> str | None:
    try:
        value = json.loads(text)
    except ValueError as exc:
        return f"its text is not JSON ({exc}): {text[:80]!r}"
    if not matches(schema, value, schema):
        return f"its JSON does not match the schema: {text[:120]}"
    return None


def scripted_block_problems(
    blocks: Sequence[Mapping[str, Any]], body: Mapping[str, Any], stop_reason: str | None
) -> list[str]:
    """Why scripted ``blocks`` are not an answer the API could give under the request's format and strict
    tools (empty when they could be)."""
    problems: list[str] = []
    found = output_schema(body)
    if found is not None and stop_reason not in UNPROMISED_STOP_REASONS:
        path, schema = found
        for index, block in enumerate(blocks):
            if block.get("type") != "text":
                continue
            problem = _text_problem(str(block.get("text", "")), schema)
            if problem is not None:
                problems.append(
                    f"the scripted reply's content.{index} breaks the request's {path}: {problem}. With a "
                    "format the API only answers JSON valid against it; script json.dumps(<a valid value>), "
                    "or leave the reply unscripted to get generated JSON, or force stop_reason='refusal' "
                    "or 'max_tokens' for an answer outside the schema"
                )
    strict = {str(t.get("name")): (i, t) for i, t in strict_tools(body)}
    for index, block in enumerate(blocks):
        if block.get("type") != "tool_use" or "input" not in block or str(block.get("name")) not in strict:
            continue
        i, tool = strict[str(block.get("name"))]
        input_schema = tool.get("input_schema")
        if isinstance(input_schema, Mapping) and not matches(input_schema, block["input"], input_schema):
            problems.append(
                f"the scripted reply's content.{index} calls the strict tool {block.get('name')!r} (tools.{i}) "
                f"with an input that breaks its input_schema: {json.dumps(block['input'])[:120]}. Strict tools "
                "only get schema-valid inputs; script a valid input or omit it to get a generated one"
            )
    return problems
