"""Request validation for the fake Messages API: the API's rules and its exact error texts.

``validate_create`` and ``validate_count_tokens`` (in ``_requests``) and ``validate_batch_request``
(in ``_batch``, with ``validate_batch_create``, which checks a batch's envelope only) return
the body with its resolved model and input tokens (:class:`Validated`) or raise the API's
:class:`~fakeclaude.server.errors.ApiError`; ``authenticate``, ``check_version`` and ``parse_betas``
read the request's headers. The stages: ``_body`` walks the schema (with ``_blocks`` and ``_tools``),
``_rules`` applies the semantic rules (with ``_messages`` and ``_media``); ``_base`` holds what they share.
"""

from fakeclaude.server.validation._batch import (
    validate_batch_create,
    validate_batch_request,
)
from fakeclaude.server.validation._requests import (
    API_VERSIONS,
    BETA_SURFACE,
    Validated,
    ValidationOptions,
    authenticate,
    check_version,
    parse_betas,
    validate_count_tokens,
    validate_create,
)

__all__ = [
    "API_VERSIONS",
    "BETA_SURFACE",
    "Validated",
    "ValidationOptions",
    "authenticate",
    "check_version",
    "parse_betas",
    "validate_batch_create",
    "validate_batch_request",
    "validate_count_tokens",
    "validate_create",
]
