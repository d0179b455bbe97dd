"""Shared pieces of request validation: the context, the error helper and pydantic-style checks.

Every check raises :class:`~fakeclaude.server.errors.ApiError` (400 ``invalid_request_error``) with the
API's message format ``<dotted.path>: <message>``. The messages copy pydantic v2's wording, which is what
the real API answers for schema errors (``max_tokens: Input should be a valid integer``,
``metadata.foo: Extra inputs are not permitted``, ``thinking.enabled.budget_tokens: Input should be
greater than or equal to 1024``). Tagged unions put the tag in the path, as the API does
(``tools.0.custom.name``, ``messages.0.content.1.image.source.base64.media_type``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation._wire_model import field_names, field_values
from fakeclaude.server.wire import API_VERSION_2026
from fakeclaude.types.params import CacheControlEphemeralParam

__all__ = [
    "MSG_DICT",
    "MSG_SHAPE",
    "Ctx",
    "check_bool",
    "check_cache_control",
    "check_fields",
    "check_int",
    "check_list",
    "check_literal",
    "check_number",
    "check_str",
    "fail",
    "literal_text",
    "recover",
    "tag_of",
]

MSG_DICT = "Input should be a valid dictionary or object to extract fields from"
MSG_SHAPE = "Input does not match the expected shape."


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a validation pass needs to know besides the body.

    ``prefix`` is put before every error path (``requests.3.params.`` inside a batch). ``strict`` turns
    on value constraints (ranges, patterns) and the semantic rules; lenient checks only the schema.
    ``beta`` is true when the request came through the beta surface (``?beta=true`` or an
    ``anthropic-beta`` header): beta-only fields and roles are then accepted.
    """

    version: str
    strict: bool
    betas: frozenset[str]
    prefix: str = ""

    @property
    def beta(self) -> bool:
        return bool(self.betas)

    @property
    def v2026(self) -> bool:
        return self.version >= API_VERSION_2026


def fail(ctx: Ctx, path: str, message: str) -> NoReturn:
    """Raise the 400 for ``path`` (empty path: a message with no location, prefixed in batches)."""
    if path:
        raise ApiError(400, f"{ctx.prefix}{path}: {message}", path=f"{ctx.prefix}{path}")
    if ctx.prefix:
        raise ApiError(400, f"{ctx.prefix[:-1]}: {message}", path=ctx.prefix[:-1])
    raise ApiError(400, message)


def recover(errors: list[ApiError] | None, error: ApiError) -> None:
    """A recovery point caught ``error``: re-raise it (``errors`` None: the API's first-error answer), or
    keep it and let the pass go on with the next independent part (the contract's every-violation list).

    Recovery points sit only where the parts after them do not depend on the part that failed: each
    missing required field, each top-level field and each message of the schema pass, each semantic
    rule, each request of a batch. The first error kept is always the one the API answers.
    """
    if errors is None:
        raise error
    if not any(kept is error for kept in errors):
        errors.append(error)


def literal_text(values: Iterable[object]) -> str:
    """pydantic's ``Input should be 'a', 'b' or 'c'``."""
    parts = [repr(v) if isinstance(v, str) else str(v) for v in values]
    if len(parts) == 1:
        return f"Input should be {parts[0]}"
    return f"Input should be {', '.join(parts[:-1])} or {parts[-1]}"


def check_str(ctx: Ctx, v: object, path: str) -> str:
    if not isinstance(v, str):
        fail(ctx, path, "Input should be a valid string")
    return v


def check_bool(ctx: Ctx, v: object, path: str) -> bool:
    if not isinstance(v, bool):
        fail(ctx, path, "Input should be a valid boolean")
    return v


def check_int(ctx: Ctx, v: object, path: str, *, ge: int | None = None) -> int:
    """An integer (integral floats such as ``1024.0`` pass, as in pydantic's lax mode)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        fail(ctx, path, "Input should be a valid integer")
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            fail(ctx, path, "Input should be a finite number")
        if not v.is_integer():
            fail(ctx, path, "Input should be a valid integer, got a number with a fractional part")
        v = int(v)
    if ge is not None and ctx.strict and v < ge:
        fail(ctx, path, f"Input should be greater than or equal to {ge}")
    return v


def check_number(
    ctx: Ctx, v: object, path: str, *, ge: float | None = None, le: float | None = None
) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        fail(ctx, path, "Input should be a valid number")
    if v != v or v in (float("inf"), float("-inf")):
        fail(ctx, path, "Input should be a finite number")
    if ctx.strict:
        if ge is not None and v < ge:
            fail(ctx, path, f"Input should be greater than or equal to {ge:g}")
        if le is not None and v > le:
            fail(ctx, path, f"Input should be less than or equal to {le:g}")
    return float(v)


def check_list(ctx: Ctx, v: object, path: str) -> list[Any]:
    if not isinstance(v, list):
        fail(ctx, path, "Input should be a valid list")
    return v


def check_literal(ctx: Ctx, v: object, path: str, values: tuple[str, ...]) -> str:
    if not isinstance(v, str) or v not in values:
        fail(ctx, path, literal_text(values))
    return v


def check_fields(
    ctx: Ctx,
    v: object,
    path: str,
    allowed: frozenset[str] | None,
    required: tuple[str, ...] = (),
    *,
    not_object: str = MSG_DICT,
) -> dict[str, Any]:
    """``v`` must be an object with every ``required`` key and (unless ``allowed`` is None) no other.

    Missing fields are reported first (in ``required`` order), then unknown ones in document order.
    """
    if not isinstance(v, dict):
        fail(ctx, path, not_object)
    dot = f"{path}." if path else ""
    for name in required:
        if name not in v:
            fail(ctx, f"{dot}{name}", "Field required")
    if allowed is not None:
        for name in v:
            if name not in allowed:
                fail(ctx, f"{dot}{name}", "Extra inputs are not permitted")
    return v


def tag_of(ctx: Ctx, v: object, path: str, tags: Mapping[str, object] | None = None) -> str:
    """The ``type`` of a tagged-union member, with pydantic's texts when it is missing or unknown."""
    if not isinstance(v, dict):
        fail(ctx, path, MSG_DICT)
    tag = v.get("type")
    if not isinstance(tag, str):
        fail(ctx, path, "Unable to extract tag using discriminator 'type'")
    if tags is not None and tag not in tags:
        expected = ", ".join(repr(t) for t in tags)
        fail(
            ctx,
            path,
            f"Input tag {tag!r} found using 'type' does not match any of the expected tags: {expected}",
        )
    return tag


_CACHE_CONTROL_FIELDS = field_names(CacheControlEphemeralParam)
_TTLS = field_values(CacheControlEphemeralParam, "ttl")


def check_cache_control(ctx: Ctx, v: object, path: str) -> bool:
    """``{"type": "ephemeral", "ttl"?: "5m"|"1h"}`` or null. Returns True when it sets a breakpoint."""
    if v is None:
        return False
    check_fields(ctx, v, path, _CACHE_CONTROL_FIELDS, ("type",))
    assert isinstance(v, dict)
    check_literal(ctx, v["type"], f"{path}.type", field_values(CacheControlEphemeralParam, "type"))
    if "ttl" in v and v["ttl"] is not None:
        check_literal(ctx, v["ttl"], f"{path}.ttl", _TTLS)
    return True
