"""Validators built from the request TypedDicts.

``lenient`` is what the brief asks for (pydantic's default: unknown keys ignored); ``strict`` forbids
unknown keys everywhere except inside JSON Schemas, so a field the TypedDicts lack makes a test fail.
Pydantic refuses a config on a bare TypedDict, so the strict adapters wrap it in a one-item list.
"""

from typing import Any

import pydantic

from fakeclaude.types.params import (
    MessageCountTokensParams,
    MessageCreateParamsNonStreaming,
    MessageCreateParamsStreaming,
)

_FORBID = pydantic.ConfigDict(extra="forbid")
_LENIENT_NON_STREAMING = pydantic.TypeAdapter(MessageCreateParamsNonStreaming)
_LENIENT_STREAMING = pydantic.TypeAdapter(MessageCreateParamsStreaming)
_STRICT_NON_STREAMING = pydantic.TypeAdapter(list[MessageCreateParamsNonStreaming], config=_FORBID)
_STRICT_STREAMING = pydantic.TypeAdapter(list[MessageCreateParamsStreaming], config=_FORBID)
_STRICT_COUNT_TOKENS = pydantic.TypeAdapter(list[MessageCountTokensParams], config=_FORBID)


def validate_create(body: dict[str, Any]) -> object:
    """Validate a create body both ways; the strict result is returned (a ValidationError escapes)."""
    streaming = body.get("stream") is True
    (_LENIENT_STREAMING if streaming else _LENIENT_NON_STREAMING).validate_python(body)
    return (_STRICT_STREAMING if streaming else _STRICT_NON_STREAMING).validate_python([body])[0]


def validate_count_tokens(body: dict[str, Any]) -> object:
    return _STRICT_COUNT_TOKENS.validate_python([body])[0]
