"""What every server-tool family sees when it answers: the request, the model, the seed, the script, the time."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalog import ModelSpec
from ..clock import rfc3339
from ..generation._rng import derive_seed
from ..generation._text import content_words
from ..script import ParsedRequest
from ._script import ServerToolScript

__all__ = ["DIRECT_CALLER_FAMILIES", "Context", "direct_caller"]

Block = dict[str, Any]

DIRECT_CALLER_FAMILIES = frozenset({"claude-4-5", "claude-5"})
"""Models whose ``server_tool_use`` blocks carry ``caller: {"type": "direct"}``.

Recorded (rec, spec 2026 §6.1): present on ``web_search`` / ``web_fetch`` / ``tool_search`` uses of the 4.5-era
models and later (DataDog, crewAI, anthropic-sdk-python 2026 recordings), absent on Sonnet 4 / Opus 4.1 and
never seen on code execution sub-tools or the advisor. Some later recordings drop it; the fake decides for
the newer era (change it here)."""

_CALLER_NAMES = ("web_search", "web_fetch", "tool_search_tool_regex", "tool_search_tool_bm25", "code_execution")


def direct_caller(spec: ModelSpec, name: str) -> dict[str, Any] | None:
    """The ``caller`` a direct ``server_tool_use`` of ``name`` carries on ``spec``'s model, or None."""
    if spec.family in DIRECT_CALLER_FAMILIES and name in _CALLER_NAMES:
        return {"type": "direct"}
    return None


@dataclass(frozen=True)
class Context:
    """One unscripted answer being planned."""

    request: ParsedRequest
    spec: ModelSpec
    seed: int
    script: ServerToolScript
    now: float

    @property
    def prompt(self) -> str:
        """The last user turn's text."""
        return self.request.last_user_text

    def rng(self, *parts: int | str) -> random.Random:
        """A generator for one decision of this answer."""
        return random.Random(derive_seed("server-tools", self.seed, *parts))

    def keywords(self, limit: int = 6) -> list[str]:
        """The prompt's content words (what a query is made of)."""
        return content_words(self.prompt, limit)

    def timestamp(self) -> str:
        """Now, as ``web_fetch`` writes ``retrieved_at`` (microseconds, ``+00:00``)."""
        return rfc3339(self.now, micro=True)

    def use(self, name: str, tool_input: Mapping[str, Any]) -> Block:
        """A direct ``server_tool_use`` of ``name`` (id filled in later)."""
        block: Block = {"type": "server_tool_use", "name": name, "input": dict(tool_input)}
        caller = direct_caller(self.spec, name)
        if caller is not None:
            block["caller"] = caller
        return block
