"""Validation agrees with the real API on every recorded ``POST /v1/messages`` and count_tokens.

200 recorded -> must pass; 400/404 recorded -> same status and, where recorded, the same text.
Run ``pytest tests/server/test_validation_real_traffic.py -s`` to see the agreement figure and the
disagreements (the known ones are 2024 recordings the current API would refuse: a png-labelled jpeg,
and an edited ``tool_result`` id).
"""

from __future__ import annotations

from typing import Any

import pytest

from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation import (
    API_VERSIONS,
    ValidationOptions,
    parse_betas,
    validate_count_tokens,
    validate_create,
)
from tests.real_traffic import INTERACTIONS, interactions

pytestmark = pytest.mark.skipif(
    not INTERACTIONS.exists(), reason=f"no real-traffic recordings at {INTERACTIONS}"
)


def _status(row: dict[str, Any]) -> int | None:
    s = row.get("status")
    return s.get("code") if isinstance(s, dict) else s


def _cases() -> list[dict[str, Any]]:
    out = []
    for row in interactions():
        url = row["url"]
        if row["method"] != "POST" or "api.anthropic.com/v1/messages" not in url or "/batches" in url:
            continue
        if _status(row) in (200, 400, 404):
            out.append(row)
    return out


def _verdict(row: dict[str, Any]) -> tuple[int, str | None]:
    headers = {
        k: ",".join(v) if isinstance(v, list) else v for k, v in (row.get("req_headers") or {}).items()
    }
    version = headers.get("anthropic-version", API_VERSIONS[0])
    if version not in API_VERSIONS:  # REDACTED by the recording project
        version = API_VERSIONS[0]
    betas = parse_betas(headers, beta_surface="beta=true" in row["url"])
    fn = validate_count_tokens if "/count_tokens" in row["url"] else validate_create
    try:
        fn(row["req_body"], version=version, options=ValidationOptions(), betas=betas)
    except ApiError as e:
        return e.status, e.message
    return 200, None


def test_agreement_with_real_traffic() -> None:
    cases = _cases()
    assert len(cases) > 1000
    agree = 0
    misses = []
    for row in cases:
        status = _status(row)
        expected = (row.get("resp_json") or {}).get("error", {}).get("message") if status != 200 else None
        got_status, got_message = _verdict(row)
        if got_status == status and (expected is None or got_message == expected):
            agree += 1
        else:
            misses.append(
                f"{row['repo']} {row['path']}: recorded {status} {expected!r}, got {got_status} {got_message!r}"
            )
    rate = agree / len(cases)
    print(f"\nvalidation agrees with real traffic on {agree}/{len(cases)} = {rate:.2%}")
    for miss in misses:
        print("  ", miss[:300])
    assert rate >= 0.95, "\n".join(misses)


def test_every_recorded_error_text_is_reproduced() -> None:
    """The recorded 400/404 answers are few and precious: all of them must match exactly."""
    for row in _cases():
        status = _status(row)
        if status == 200:
            continue
        expected = (row.get("resp_json") or {}).get("error", {}).get("message")
        assert _verdict(row) == (status, expected), f"{row['repo']} {row['path']}"
