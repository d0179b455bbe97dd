"""Message Batches validation, in the API's two stages (2026 spec section 11).

At create (:func:`validate_batch_create`) only the envelope is checked, and a problem there refuses
the whole batch with a 400: ``requests`` (a list of 1 to 100,000 items), each item an object with
exactly ``custom_id`` and ``params``, ``custom_id`` 1-64 characters of ``[a-zA-Z0-9_-]`` and unique,
``params`` an object. The recorded texts:

- ``requests: List should have at least 1 item after validation, not 0``
- ``requests.0.custom_id: Field required``
- ``requests.0.custom_id: String should have at most 64 characters``
- ``requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'``
- ``requests: custom_id's must be unique within a batch. Duplicate custom_id found: dup``

Each request's ``params`` is checked only when the batch runs (:func:`validate_batch_request`): a
request that fails becomes an ``errored`` result and the others run as usual. Its error is create's
(the same rules, texts and order, with no ``requests.<i>.params.`` prefix: ``messages: Field
required``, the 404 ``model: claude-does-not-exist-9``, the ``max_tokens`` cap) plus two rules of the
batch surface, both recorded: ``stream: true`` (``"stream=True" is not supported in the Message Batches
API``) and ``max_tokens: 0``, which synchronous create accepts (``max_tokens: must be greater than or
equal to 1``).

Decided here (no recording): an empty ``custom_id`` gets pydantic's ``String should have at least 1
character``; a ``params`` that is not an object refuses the create (the envelope's type); ``stream`` is
checked before create's rules and ``max_tokens >= 1`` after them. Lenient mode checks the schema only:
no ``custom_id`` pattern, length or uniqueness, no batch-only rules.
"""

from __future__ import annotations

from typing import Any

from fakeclaude.server.errors import ApiError
from fakeclaude.server.tokens import FileBytes
from fakeclaude.server.validation._base import MSG_DICT, MSG_SHAPE, Ctx, check_fields, fail, recover
from fakeclaude.server.validation._requests import Validated, ValidationOptions, _ctx, _validate
from fakeclaude.server.validation._wire_model import field_names, required_fields
from fakeclaude.types.params import BatchCreateParams, Request

__all__ = ["MAX_BATCH_REQUESTS", "STREAM_IN_BATCH", "validate_batch_create", "validate_batch_request"]

MAX_BATCH_REQUESTS = 100_000
STREAM_IN_BATCH = '"stream=True" is not supported in the Message Batches API'
_MAX_TOKENS_IN_BATCH = "max_tokens: must be greater than or equal to 1"
_F_BATCH = field_names(BatchCreateParams)
_F_REQUEST = field_names(Request)
_CUSTOM_ID_PATTERN = "String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"


def validate_batch_create(
    body: object,
    *,
    version: str,
    options: ValidationOptions,
    betas: frozenset[str] = frozenset(),
    errors: list[ApiError] | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """``POST /v1/messages/batches``: the envelope's ``[(custom_id, params), ...]``; params unchecked.

    Raises the API's first envelope error. With ``errors``, each request is a recovery point and the
    uniqueness of ``custom_id`` (checked once every item passed, as a pydantic model validator is) is
    one more (``errors`` as in ``validate_create``).
    """
    ctx = _ctx(version, options, betas)
    if not isinstance(body, dict):
        fail(ctx, "", MSG_DICT)
    check_fields(ctx, body, "", _F_BATCH, required_fields(BatchCreateParams))
    reqs = body["requests"]
    if not isinstance(reqs, list):
        fail(ctx, "requests", "Input should be a valid list")
    if ctx.strict and not reqs:
        fail(ctx, "requests", "List should have at least 1 item after validation, not 0")
    if ctx.strict and len(reqs) > MAX_BATCH_REQUESTS:
        fail(ctx, "requests", f"List should have at most {MAX_BATCH_REQUESTS} items after validation, not {len(reqs)}")
    out: list[tuple[str, dict[str, Any]]] = []
    failed = False
    for i, item in enumerate(reqs):
        try:
            out.append(_envelope(ctx, i, item))
        except ApiError as error:
            recover(errors, error)
            failed = True
    if not failed and ctx.strict:
        seen: set[str] = set()
        for custom_id, _ in out:
            if custom_id in seen:
                fail(ctx, "requests", f"custom_id's must be unique within a batch. Duplicate custom_id found: {custom_id}")
            seen.add(custom_id)
    if errors:
        raise errors[0]
    return out


def _envelope(ctx: Ctx, i: int, item: object) -> tuple[str, dict[str, Any]]:
    p = f"requests.{i}"
    check_fields(ctx, item, p, _F_REQUEST, required_fields(Request), not_object=MSG_SHAPE)
    assert isinstance(item, dict)
    custom_id = item["custom_id"]
    if not isinstance(custom_id, str):
        fail(ctx, f"{p}.custom_id", "Input should be a valid string")
    if ctx.strict:
        if not custom_id:
            fail(ctx, f"{p}.custom_id", "String should have at least 1 character")
        if len(custom_id) > 64:
            fail(ctx, f"{p}.custom_id", "String should have at most 64 characters")
        if not all(c.isascii() and (c.isalnum() or c in "_-") for c in custom_id):
            fail(ctx, f"{p}.custom_id", _CUSTOM_ID_PATTERN)
    params = item["params"]
    if not isinstance(params, dict):
        fail(ctx, f"{p}.params", MSG_DICT)
    return custom_id, params


def validate_batch_request(
    params: object,
    *,
    version: str,
    options: ValidationOptions,
    betas: frozenset[str] = frozenset(),
    errors: list[ApiError] | None = None,
    files: FileBytes | None = None,
) -> Validated:
    """One batch request's ``params`` as the batch runs it: create's checks plus the batch surface's.

    Raises the error of its ``errored`` result (see the module docstring); ``errors`` and ``files`` as in
    create.
    """
    strict = options.mode == "strict"
    if strict and isinstance(params, dict) and params.get("stream") is True:
        recover(errors, ApiError(400, STREAM_IN_BATCH, path="stream"))
    try:
        validated = _validate(params, "create", version, options, betas, errors=errors, files=files)
    except ApiError as error:
        recover(errors, error)  # raises it when no list is kept
        assert errors
        raise errors[0] from None
    max_tokens = validated.body.get("max_tokens")
    if strict and isinstance(max_tokens, int | float) and not isinstance(max_tokens, bool) and max_tokens < 1:
        recover(errors, ApiError(400, _MAX_TOKENS_IN_BATCH, path="max_tokens"))
    if errors:
        raise errors[0]
    return validated
