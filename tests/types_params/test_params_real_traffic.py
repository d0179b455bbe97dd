"""Every recorded ``POST /v1/messages`` body (real traffic, see ../shared/real-traffic/README.md) is
accepted by the request TypedDicts, unless it uses a beta-only feature (skipped, reason listed) or the
real API itself rejected it with a 4xx."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.real_traffic import INTERACTIONS, interactions

from .params_validators import validate_create

TRAFFIC = INTERACTIONS

# Features only the beta namespace types (anthropic.types.beta): top-level keys, block and tool types.
BETA_TOP_LEVEL = {"output_format", "context_management", "mcp_servers", "betas"}
BETA_BLOCK_TYPES = {"mcp_tool_use", "mcp_tool_result", "compaction", "tool_addition", "advisor_tool_result"}
BETA_TOOL_PREFIXES = ("advisor_", "computer_", "mcp_toolset", "bash_20241022", "text_editor_20241022")


def beta_features(body: dict[str, Any]) -> list[str]:
    found = [f"top-level `{key}`" for key in sorted(BETA_TOP_LEVEL & body.keys())]
    output_config = body.get("output_config")
    if isinstance(output_config, dict) and "task_budget" in output_config:
        found.append("`output_config.task_budget`")
    for tool in body.get("tools") or []:
        kind = tool.get("type") if isinstance(tool, dict) else None
        if isinstance(kind, str) and kind.startswith(BETA_TOOL_PREFIXES):
            found.append(f"tool `{kind}`")
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict) and block.get("type") in BETA_BLOCK_TYPES:
                found.append(f"block `{block['type']}`")
    return sorted(set(found))


def _recorded_bodies() -> Iterator[Any]:
    if not TRAFFIC.exists():
        yield pytest.param(
            None, marks=pytest.mark.skip(reason=f"real traffic absent: {TRAFFIC}"), id="absent"
        )
        return
    for row in interactions():
        if row["method"] != "POST" or not row["url"].split("?")[0].endswith("/v1/messages"):
            continue
        if not isinstance(row.get("req_body"), dict):
            continue
        yield pytest.param(row, id=f"{row['repo']}:{Path(row['path']).name}#{row['idx']}")


def _api_error(row: dict[str, Any]) -> str | None:
    """The real API's error message, if it rejected the request as invalid."""
    body = row.get("resp_json")
    if 400 <= row.get("status", 0) < 500 and isinstance(body, dict):
        error = body.get("error") or {}
        if error.get("type") == "invalid_request_error":
            return str(error.get("message"))
    return None


@pytest.mark.parametrize("row", list(_recorded_bodies()))
def test_recorded_request_body_is_accepted(row: dict[str, Any]) -> None:
    body = row["req_body"]
    beta = beta_features(body)
    if beta:
        pytest.skip("beta-only: " + ", ".join(beta))
    try:
        validate_create(body)
    except pydantic.ValidationError as exc:
        rejected_by_api = _api_error(row)
        if rejected_by_api is None:
            raise
        # The real API refused this body too; the types may refuse it as well.
        assert exc.error_count() > 0, rejected_by_api
