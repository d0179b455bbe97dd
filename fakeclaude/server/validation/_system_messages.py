"""``role: "system"`` messages inside ``messages`` (mid-conversation system messages, spec 2026 §3).

Rules (docs): a system message with content is not the first message, comes right after a ``user``
message (or after an ``assistant`` message that ends in a ``server_tool_use``, a paused turn), and is the
last message or is followed by an ``assistant`` message. Adjacent system messages count as one (a
recorded 200 sends two in a row). An effort-only message (``"content": []`` with
``output_config.effort``, beta ``mid-conversation-output-config-2026-07-01``) may sit anywhere but first;
a system message with neither content nor ``output_config`` fields is refused.

The API's texts for these are not published; written here:

- ``messages.<i>: a `system` message cannot be the first message; use the top-level `system` parameter.``
- ``messages.<i>: a `system` message must follow a `user` message or an `assistant` message that ends
  with a server tool use.``
- ``messages.<i>: a `system` message must be the last message or be followed by an `assistant` message.``
- ``messages.<i>: a `system` message must have content or `output_config` fields.``

``<i>`` is the index in the request's ``messages`` (not merged).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fakeclaude.server.validation._base import Ctx, fail

__all__ = ["check_system_messages", "system_efforts"]

_FIRST = "a `system` message cannot be the first message; use the top-level `system` parameter."
_AFTER = (
    "a `system` message must follow a `user` message or an `assistant` message that ends with a server tool use."
)
_BEFORE = "a `system` message must be the last message or be followed by an `assistant` message."
_EMPTY = "a `system` message must have content or `output_config` fields."


def _has_content(message: Mapping[str, Any]) -> bool:
    return bool(message.get("content"))


def _ends_paused(message: Mapping[str, Any]) -> bool:
    content = message.get("content")
    return isinstance(content, list) and bool(content) and content[-1].get("type") == "server_tool_use"


def check_system_messages(ctx: Ctx, messages: Sequence[Mapping[str, Any]]) -> None:
    """The placement and content rules above, in message order."""
    for i, message in enumerate(messages):
        if message.get("role") != "system":
            continue
        config = message.get("output_config")
        if not _has_content(message) and not config:
            fail(ctx, f"messages.{i}", _EMPTY)
        if i == 0:
            fail(ctx, f"messages.{i}", _FIRST)
        if not _has_content(message):
            continue
        before = next((m for m in reversed(messages[:i]) if m.get("role") != "system"), None)
        after = next((m for m in messages[i + 1 :] if m.get("role") != "system"), None)
        if before is None:
            fail(ctx, f"messages.{i}", _FIRST)
        if before.get("role") != "user" and not _ends_paused(before):
            fail(ctx, f"messages.{i}", _AFTER)
        if after is not None and after.get("role") != "assistant":
            fail(ctx, f"messages.{i}", _BEFORE)


def system_efforts(messages: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """``(path, effort)`` of every per-message ``output_config.effort``."""
    out = []
    for i, message in enumerate(messages):
        config = message.get("output_config") if message.get("role") == "system" else None
        if isinstance(config, Mapping) and isinstance(config.get("effort"), str):
            out.append((f"messages.{i}.output_config.effort", config["effort"]))
    return out
