"""The schema of the ``thread`` field (beta ``message-threads-2026-08-12``); the threads themselves live in
``fakeclaude.server.threads``."""

from __future__ import annotations

from typing import Any

from fakeclaude.server.validation._base import Ctx, check_fields, check_str, tag_of
from fakeclaude.server.validation._wire_model import shapes, tags
from fakeclaude.types.params import BetaMessageThreadParam

__all__ = ["THREADS_BETA", "check_thread_field"]

THREADS_BETA = "message-threads-2026-08-12"

_TAGS = tags(BetaMessageThreadParam)
_FIELDS = shapes(BetaMessageThreadParam)


def check_thread_field(ctx: Ctx, v: Any, path: str) -> None:
    """The schema of ``thread``: ``{"type": "create"}`` or ``{"type": "continue", "previous_message_id"}``."""
    tag = tag_of(ctx, v, path, _TAGS)
    allowed, required = _FIELDS[tag]
    check_fields(ctx, v, f"{path}.{tag}", allowed, required)
    if tag == "continue":
        check_str(ctx, v["previous_message_id"], f"{path}.{tag}.previous_message_id")
