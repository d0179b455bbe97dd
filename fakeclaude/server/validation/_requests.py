"""Request validation for the fake Messages API: pure functions that raise the real API's errors.

Each function returns the (unchanged) body when it is acceptable, with its resolved model and its input
tokens counted once (:class:`Validated`), and raises
:class:`~fakeclaude.server.errors.ApiError` with the API's status, type and message otherwise. Only the
first error is reported, as the API does.

Order of the checks. First the schema, walking the body in document order (missing required fields are
reported before anything else, as pydantic does); then, in strict mode, the semantic rules: model
(404), ``max_tokens`` cap, sampling parameters, ``thinking``, ``output_config.effort``, tools, system,
messages (merge, empty content, tool pairing, prefill, thinking history, 2026-10-21 rules), image and
PDF bytes, cache breakpoints, and last the context window (the only check that counts tokens; it counts
the prompt the model reads: context-management edits applied, messages before a compaction block dropped).

Modes (:class:`ValidationOptions`): ``strict`` (default) is everything above; ``lenient`` checks the
schema only (types, required fields, unknown fields; no ranges, patterns or semantic rules). An unknown
model is a 404 in both modes: nothing can answer without a model.

Versions: ``2026-10-21`` refuses ``temperature``/``top_p``/``top_k`` as unknown fields
(``temperature: Extra inputs are not permitted``), ``document`` blocks in assistant turns and user text
blocks with citations.

Betas: the ``betas`` argument holds the request's ``anthropic-beta`` names (see :func:`parse_betas`,
which also marks a ``?beta=true`` request that sent no header with :data:`BETA_SURFACE`: SDKs up to 2.0 sent
it on every ``client.beta`` call, and recordings kept it where they dropped the header; later SDKs send only
the header, so their ``client.beta`` calls without ``betas`` are GA requests here). When it is
non-empty, the beta-only fields (``mcp_servers``, ``context_management``, ``compaction``, ``fallbacks``...,
listed in ``_body``) and ``system``-role messages are accepted, as on the SDK's ``client.beta``
surface; which beta unlocks which field is not checked (recordings often drop the header), except for
``output_format`` (``structured-outputs-2025-11-13``) and ``thread`` (``message-threads-2026-08-12``),
which need their own name. Specific names change rules:
``interleaved-thinking-2025-05-14`` lets ``thinking.budget_tokens`` exceed ``max_tokens``,
``output-128k-2025-02-19`` raises Claude 3.7 Sonnet's cap to 128000,
``model-context-window-exceeded-2025-08-26`` drops the input + ``max_tokens`` check, and
``skills-2025-10-02`` allows the object form of ``container``. ``system``-role messages are also
accepted on version 2026-10-21 (the SDK 2.x ``MessageParam`` includes them).

Batches are checked in ``_batch``. API-shaped texts written here (no observed original): the unknown
``anthropic-version`` text, thinking with ``top_k``/``top_p``, thinking types a
model lacks, ``effort`` on a model without it, ``` `top_p` is deprecated for this model. ```.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from fakeclaude.server.catalog import ModelSpec, resolve_model
from fakeclaude.server.context_management import plan_context
from fakeclaude.server.errors import ApiError
from fakeclaude.server.tokens import FileBytes, PromptTokens, measure_prompt
from fakeclaude.server.validation._base import Ctx
from fakeclaude.server.validation._body import check_body
from fakeclaude.server.validation._rules import check_rules
from fakeclaude.server.wire import API_VERSIONS

__all__ = [
    "API_VERSIONS",
    "BETA_SURFACE",
    "Validated",
    "ValidationOptions",
    "authenticate",
    "check_version",
    "parse_betas",
    "validate_count_tokens",
    "validate_create",
]

BETA_SURFACE = "beta=true"
"""Put in ``betas`` for a ``?beta=true`` request that named no beta."""



@dataclass(frozen=True)
class ValidationOptions:
    mode: Literal["strict", "lenient"] = "strict"
    accept_retired_models: bool = True
    image_sizes: tuple[tuple[str, tuple[int, int]], ...] = ()  # declared (URL or file id, (width, height))


class Validated(NamedTuple):
    """An accepted ``create`` / ``count_tokens`` body, its model, and its input tokens (counted once)."""

    body: dict[str, Any]
    spec: ModelSpec
    prompt: PromptTokens


def authenticate(headers: Mapping[str, str], valid_keys: Callable[[str], bool] | None) -> str:
    """The caller's key (``x-api-key`` wins over ``Authorization: Bearer``); ``headers`` lower-cased.

    ``valid_keys`` None accepts any non-empty key.
    """
    key = headers.get("x-api-key")
    if not key:
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        key = token.strip() if scheme.lower() == "bearer" else ""
    if not key:
        raise ApiError(401, "x-api-key header is required")
    if valid_keys is not None and not valid_keys(key):
        raise ApiError(401, "invalid x-api-key")
    return key


def check_version(headers: Mapping[str, str]) -> str:
    """The ``anthropic-version`` header's value (lower-cased ``headers``)."""
    version = headers.get("anthropic-version")
    if version is None or not version.strip():
        raise ApiError(400, "anthropic-version: header is required")
    version = version.strip()
    if version not in API_VERSIONS:
        raise ApiError(
            400,
            f"anthropic-version: Invalid value {version!r}. Supported versions: {', '.join(API_VERSIONS)}.",
        )
    return version


def parse_betas(headers: Mapping[str, str], *, beta_surface: bool = False) -> frozenset[str]:
    """The names in ``anthropic-beta`` (comma-separated); plus :data:`BETA_SURFACE` for ``?beta=true``."""
    return _betas(headers.get("anthropic-beta", ""), beta_surface)


@lru_cache(maxsize=256)  # a client sends the same few header values again and again
def _betas(raw: str, beta_surface: bool) -> frozenset[str]:
    names = {n.strip() for n in raw.split(",") if n.strip()}
    if beta_surface and not names:
        names.add(BETA_SURFACE)
    return frozenset(names)


@lru_cache(maxsize=256)
def _ctx(version: str, options: ValidationOptions, betas: frozenset[str], prefix: str = "") -> Ctx:
    return Ctx(version=version, strict=options.mode == "strict", betas=betas, prefix=prefix)


def _model(ctx: Ctx, body: dict[str, Any], options: ValidationOptions) -> ModelSpec:
    name = body["model"]
    spec = resolve_model(name)
    if spec is None or (spec.retired and not options.accept_retired_models):
        raise ApiError(404, f"{ctx.prefix}model: {name}", path=f"{ctx.prefix}model")
    return spec


def _validate(
    body: object,
    endpoint: str,
    version: str,
    options: ValidationOptions,
    betas: frozenset[str],
    prefix: str = "",
    errors: list[ApiError] | None = None,
    files: FileBytes | None = None,
) -> Validated:
    ctx = _ctx(version, options, betas, prefix)
    start = 0 if errors is None else len(errors)
    walk = check_body(ctx, body, endpoint, errors)
    if errors is not None and len(errors) > start:
        raise errors[start]  # the semantic pass needs a body that passed the schema
    assert isinstance(body, dict)
    spec = _model(ctx, body, options)
    sizes = dict(options.image_sizes) if options.image_sizes else None
    prompt = measure_prompt(body, spec, image_sizes=sizes, files=files)
    if ctx.strict:
        # the context window holds what the model reads: edits applied, nothing before a compaction block
        read = plan_context(body, spec, prompt, betas, compact=False, image_sizes=sizes).prompt.total
        check_rules(ctx, body, spec, walk, read)
        if errors is not None and len(errors) > start:
            raise errors[start]
    return Validated(body, spec, prompt)


def validate_create(
    body: object,
    *,
    version: str,
    options: ValidationOptions,
    betas: frozenset[str] = frozenset(),
    errors: list[ApiError] | None = None,
    files: FileBytes | None = None,
) -> Validated:
    """``POST /v1/messages``: the body, its resolved model and its input tokens.

    Raises the API's first error. With an ``errors`` list, the independent violations after it are
    collected there too (the first of them is the one raised); see ``fakeclaude.contract``. ``files``
    gives the stored bytes of ``file_id`` sources, counted as the same bytes inline.
    """
    return _validate(body, "create", version, options, betas, errors=errors, files=files)


def validate_count_tokens(
    body: object,
    *,
    version: str,
    options: ValidationOptions,
    betas: frozenset[str] = frozenset(),
    errors: list[ApiError] | None = None,
    files: FileBytes | None = None,
) -> Validated:
    """``POST /v1/messages/count_tokens``: create's shape minus ``max_tokens``, ``stream``,
    ``stop_sequences``, ``metadata``, ``service_tier`` (unknown fields there). ``errors`` and ``files``
    as in create."""
    return _validate(body, "count_tokens", version, options, betas, errors=errors, files=files)
