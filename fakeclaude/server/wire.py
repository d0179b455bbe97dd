"""Wire facts the fake states once: the API versions it speaks and what each error status means.

``status_facts(status)`` gives the ``error.type``, the default message and the ``x-should-retry``
value for a status (spec §5.2 and §9: ``true`` on 429 and every 5xx, ``false`` on other 4xx); the
engine, the adapters and scripted errors all take them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["API_VERSIONS", "API_VERSION_2023", "API_VERSION_2026", "BODY_TOO_DEEP", "StatusFacts", "status_facts"]

#: The seed's version (sampling parameters allowed) and the one SDK 2.x sends.
API_VERSION_2023: Final = "2023-06-01"
API_VERSION_2026: Final = "2026-10-21"
API_VERSIONS: Final = (API_VERSION_2023, API_VERSION_2026)

#: The 400 for a body nested deeper than the JSON parser or the validator can walk.
BODY_TOO_DEEP: Final = "There was an error parsing the body of your request as JSON: nesting too deep"

_DEFAULT_MESSAGE = "Error"


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """What the API answers with an error status: its ``error.type``, a default message, the retry hint."""

    type: str
    message: str
    should_retry: bool


def _should_retry(status: int) -> bool:
    return status == 429 or status >= 500


_TABLE: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "Invalid request"),
    401: ("authentication_error", "invalid x-api-key"),
    402: ("billing_error", _DEFAULT_MESSAGE),
    403: ("permission_error", "Permission denied"),
    404: ("not_found_error", "Not found"),
    408: ("timeout_error", _DEFAULT_MESSAGE),
    409: ("conflict_error", _DEFAULT_MESSAGE),
    413: ("request_too_large", "Request exceeds the maximum size"),
    422: ("invalid_request_error", _DEFAULT_MESSAGE),
    429: ("rate_limit_error", "Number of requests has exceeded your per-minute rate limit"),
    500: ("api_error", "Internal server error"),
    503: ("api_error", _DEFAULT_MESSAGE),
    504: ("timeout_error", _DEFAULT_MESSAGE),
    529: ("overloaded_error", "Overloaded"),
}
_FACTS = {status: StatusFacts(kind, message, _should_retry(status)) for status, (kind, message) in _TABLE.items()}


def status_facts(status: int) -> StatusFacts:
    """The facts for ``status``; an unlisted one is an ``api_error`` from 500, else ``invalid_request_error``."""
    facts = _FACTS.get(status)
    if facts is None:
        kind = "api_error" if status >= 500 else "invalid_request_error"
        facts = StatusFacts(kind, _DEFAULT_MESSAGE, _should_retry(status))
    return facts
