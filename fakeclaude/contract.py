"""Would the real API accept what my app sends? The fake's own validation, public, for your tests.

    >>> from fakeclaude.contract import validate_request
    >>> validate_request({"model": "claude-sonnet-4-5", "max_tokens": 1024,
    ...                   "messages": [{"role": "user", "content": "Hello"}]})
    []
    >>> [v.message for v in validate_request({"model": "claude-sonnet-4-5", "max_tokens": "many",
    ...                                       "messages": [{"role": "robot", "content": "Hello"}]})]
    ['max_tokens: Input should be a valid integer', "messages.0.role: Input should be 'user' or 'assistant'"]

:func:`validate_request` runs exactly the code :class:`~fakeclaude.server.FakeClaude` validates every
request with (``fakeclaude.server.validation``): there is one implementation, so a body it accepts is
a body the fake answers, and the first :class:`Violation` it returns is, word for word, the 4xx the fake
(and the API, for every rule the fake knows) answers.

More than one violation. The API stops at its first error; a list of one would make you fix and rerun
once per mistake. The validator therefore has *recovery points*: places where the checks after them do
not depend on the part that failed, so a pass can note the violation and go on. They are each missing
required field, each top-level field and each message of the schema pass, each semantic rule (the
``max_tokens`` cap, sampling parameters, thinking, effort, tools, system, the conversation's turns,
media bytes, cache breakpoints, the context window), and each request of a batch. The semantic rules run
only on a body that passed the schema (they read its fields), and nothing runs after an unknown model
(a 404: nothing can be checked against a model that does not exist). Within one part only its first
violation is reported. The fake passes no list and stops at the first violation, as the API does.

Batches are checked in the API's two stages. A violation of the envelope (``requests``, ``custom_id``,
``params`` not an object) refuses the whole create; those come first and have ``custom_id`` None. Each
request's ``params`` is checked as the batch runs: a violation there does not refuse the create but
makes that one request ``errored`` in the results; it has the request's ``custom_id``, the errored
line's exact ``message`` (no prefix), and its ``path`` inside the body (``requests.1.params.model``).

    >>> batch = {"requests": [{"custom_id": "ok", "params": {"model": "claude-sonnet-4-5", "max_tokens": 9,
    ...                        "messages": [{"role": "user", "content": "Hi"}]}},
    ...                       {"custom_id": "bad", "params": {"model": "claude-sonnet-4-5", "max_tokens": 0,
    ...                        "messages": [{"role": "user", "content": "Hi"}]}}]}
    >>> [str(v) for v in validate_request(batch, endpoint="batches")]
    ["request 'bad' errored: 400 invalid_request_error: max_tokens: must be greater than or equal to 1"]

Headers are not part of a body: ``api_version`` and ``betas`` say what the ``anthropic-version`` and
``anthropic-beta`` headers would be (the 2026-10-21 version refuses ``temperature``, a beta unlocks the
beta-only fields; see ``fakeclaude.server.validation``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation import (
    API_VERSIONS,
    ValidationOptions,
    validate_batch_create,
    validate_batch_request,
    validate_count_tokens,
    validate_create,
)
from fakeclaude.server.wire import BODY_TOO_DEEP

__all__ = ["ENDPOINTS", "ContractError", "Endpoint", "Violation", "assert_valid_request", "validate_request"]

Endpoint = Literal["messages", "count_tokens", "batches"]
ENDPOINTS: tuple[Endpoint, ...] = ("messages", "count_tokens", "batches")
"""``messages`` is ``POST /v1/messages``, ``count_tokens`` its ``/count_tokens``, ``batches`` batch create."""

_VALIDATORS: dict[str, Callable[..., Any]] = {
    "messages": validate_create,
    "count_tokens": validate_count_tokens,
    "batches": validate_batch_create,
}
_STRICT = ValidationOptions(mode="strict")
_LENIENT = ValidationOptions(mode="lenient")


@dataclass(frozen=True)
class Violation:
    """One reason the API would refuse a request, as it would answer it.

    ``status`` and ``type`` are the answer's HTTP status and ``error.type``; ``message`` is the API's
    exact ``error.message``; ``path`` is where in the body the problem is, dotted as the API writes it
    (``messages.0.content.1.tool_result.tool_use_id``), empty for a rule about the whole request.
    ``custom_id`` is set only for a batch request's violation: the batch is accepted and that request
    alone ends ``errored`` with this error (see the module docstring).

        >>> v = Violation(400, "invalid_request_error", "max_tokens", "max_tokens: Field required")
        >>> str(v)
        '400 invalid_request_error: max_tokens: Field required'
    """

    status: int
    type: str
    path: str
    message: str
    custom_id: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        text = f"{self.status} {self.type}: {self.message}"
        return text if self.custom_id is None else f"request {self.custom_id!r} errored: {text}"


class ContractError(AssertionError):
    """Raised by :func:`assert_valid_request`; ``violations`` holds every :class:`Violation` found."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        count = len(self.violations)
        lines = [f"the API would refuse this request ({count} violation{'s' if count != 1 else ''}):"]
        lines += [f"  {v}" for v in self.violations]
        super().__init__("\n".join(lines))


def _betas(betas: Iterable[str] | str) -> frozenset[str]:
    names = betas.split(",") if isinstance(betas, str) else list(betas)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"betas must be beta names (strings), not {type(name).__name__}")
    return frozenset(n.strip() for n in names if n.strip())


def _violation(error: ApiError) -> Violation:
    return Violation(error.status, error.type, error.path, error.message)


def validate_request(
    body: object,
    *,
    endpoint: Endpoint = "messages",
    api_version: str = "2023-06-01",
    betas: Iterable[str] | str = (),
    strict: bool = True,
) -> list[Violation]:
    """Every violation the API would refuse ``body`` for; an empty list when it would accept it.

    ``body`` is the parsed JSON body (a ``dict``, e.g. the keyword arguments your app passes to
    ``client.messages.create``). ``endpoint`` picks the request kind; ``api_version`` and ``betas`` are
    the ``anthropic-version`` and ``anthropic-beta`` headers (``betas`` an iterable of names, or the
    header's comma-separated value). ``strict=False`` checks the schema only (types, required and
    unknown fields), as the fake's lenient mode does. The first violation is the API's answer; see the
    module docstring for how the others are found, and for a batch's (those of its requests, which do
    not refuse the create, come last and name their ``custom_id``).

        >>> validate_request({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hi"}]},
        ...                  endpoint="count_tokens")
        []
        >>> validate_request({"model": "claude-sonnet-4-5", "max_tokens": 5, "temperature": 0.5,
        ...                   "messages": [{"role": "user", "content": "Hi"}]}, api_version="2026-10-21")
        [Violation(status=400, type='invalid_request_error', path='temperature', message='temperature: Extra inputs are not permitted')]
    """
    if endpoint not in _VALIDATORS:
        raise ValueError(f"endpoint must be one of {', '.join(map(repr, ENDPOINTS))}, not {endpoint!r}")
    if api_version not in API_VERSIONS:
        raise ValueError(f"api_version must be one of {', '.join(map(repr, API_VERSIONS))}, not {api_version!r}")
    check = functools.partial(_violations, version=api_version, options=_STRICT if strict else _LENIENT,
                              betas=_betas(betas))
    found = check(_VALIDATORS[endpoint], body)
    if endpoint == "batches":
        found += _batch_request_violations(body, check)
    return found


def _violations(validator: Callable[..., object], body: object, *, version: str, options: ValidationOptions,
                betas: frozenset[str]) -> list[Violation]:
    errors: list[ApiError] = []
    try:
        validator(body, version=version, options=options, betas=betas, errors=errors)
    except ApiError as first:
        return [_violation(e) for e in errors] if errors else [_violation(first)]
    except RecursionError:  # the fake answers a body too deep to walk with this 400
        return [Violation(400, "invalid_request_error", "", BODY_TOO_DEEP)]
    return []


def _batch_request_violations(body: object, check: Callable[..., list[Violation]]) -> list[Violation]:
    """What makes each request of a batch ``errored`` (its params checked as the batch runs them)."""
    items = body.get("requests") if isinstance(body, dict) else None
    found: list[Violation] = []
    for i, item in enumerate(items if isinstance(items, list) else ()):
        if not (isinstance(item, dict) and isinstance(item.get("params"), dict)):
            continue  # an envelope violation already
        custom_id = item.get("custom_id")
        prefix = f"requests.{i}.params"
        for v in check(validate_batch_request, item["params"]):
            path = f"{prefix}.{v.path}" if v.path else prefix
            found.append(dataclasses.replace(v, path=path, custom_id=custom_id if isinstance(custom_id, str) else ""))
    return found


def assert_valid_request(
    body: object,
    *,
    endpoint: Endpoint = "messages",
    api_version: str = "2023-06-01",
    betas: Iterable[str] | str = (),
    strict: bool = True,
) -> None:
    """Raise :class:`ContractError` listing every violation when the API would refuse ``body``.

    The arguments are :func:`validate_request`'s.

        >>> assert_valid_request({"model": "claude-sonnet-4-5", "max_tokens": 1024,
        ...                       "messages": [{"role": "user", "content": "Hello"}]})
        >>> assert_valid_request({"model": "claude-sonnet-4-5", "messages": []})
        Traceback (most recent call last):
        ...
        fakeclaude.contract.ContractError: the API would refuse this request (1 violation):
          400 invalid_request_error: max_tokens: Field required
    """
    violations = validate_request(body, endpoint=endpoint, api_version=api_version, betas=betas, strict=strict)
    if violations:
        raise ContractError(violations)
