"""The scenario set every client runs: one source of truth for their names, order and meaning.

Adding a scenario: append a :class:`Scenario` here, then give each client script a function of that
name (``@scenario("name")`` in Python, ``scenario("name", fn)`` in JavaScript); a client that lacks the
feature raises / throws the not-applicable marker with its reason. A client script without the function
reports a fail ("no runner"), so no client silently skips a new scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCENARIOS", "Scenario", "scenario_named"]


@dataclass(frozen=True)
class Scenario:
    """A scenario: its name (the function name in every client script), a column title, what it checks."""

    name: str
    title: str
    checks: str


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("chat", "chat", "one user turn answered with text"),
    Scenario("stream", "stream", "the same streamed: text arrives in pieces and assembles"),
    Scenario("tool_loop", "tool loop", "a tool is called, its result sent back, the loop ends with a final text answer"),
    Scenario("structured_output", "structured output", "the answer parses as an instance of a given schema / model"),
    Scenario("thinking", "thinking", "extended thinking on: a thinking block comes back before the answer"),
    Scenario("count_tokens", "count tokens", "the count_tokens endpoint gives a positive input token count"),
    Scenario("error", "error", "an unknown model gives a 404 surfaced as the client's own error type"),
    Scenario("files", "files", "a PDF uploaded with the Files API is listed, answered about by file_id, then deleted"),
)


def scenario_named(name: str) -> Scenario:
    """The scenario called ``name``; a KeyError listing the known names otherwise."""
    for known in SCENARIOS:
        if known.name == name:
            return known
    raise KeyError(f"no scenario {name!r}; known: {', '.join(s.name for s in SCENARIOS)}")
