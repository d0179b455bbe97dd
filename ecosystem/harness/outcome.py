"""What one scenario of one client came to, and the one-line protocol a scenario script reports it by.

A scenario script (``ecosystem/clients/*_scenarios.*``) ends by printing one line to stdout::

    ECOSYSTEM-RESULT {"status": "pass", "reason": ""}

``status`` is one of :class:`Status`; ``reason`` is a single line saying why (empty for a pass). The
harness reads the last such line; a script that prints none, dies or overruns its timeout is a fail with
the reason taken from what it left behind.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

__all__ = ["RESULT_PREFIX", "Outcome", "Status", "one_line", "parse_result_line"]

#: The prefix of the line a scenario script reports its outcome with (see the module docstring).
RESULT_PREFIX = "ECOSYSTEM-RESULT "

#: The longest reason kept; the table's readers want the gist, the full text is in the script's output.
_REASON_LIMIT = 400


class Status(enum.StrEnum):
    """The four verdicts of a scenario."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "n/a"  # the client lacks the feature
    NEEDS_REAL_MODEL = "needs a real model"  # only a model that understands the prompt could pass it


@dataclass(frozen=True)
class Outcome:
    """A verdict with its one-line reason (empty for a pass)."""

    status: Status
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", one_line(self.reason))


def one_line(text: str) -> str:
    """``text`` squeezed onto one line (whitespace runs become one space) and cut to a readable length."""
    squeezed = " ".join(text.split())
    return squeezed if len(squeezed) <= _REASON_LIMIT else squeezed[: _REASON_LIMIT - 1] + "…"


def parse_result_line(stdout: str) -> Outcome | None:
    """The outcome the last ``ECOSYSTEM-RESULT`` line of ``stdout`` reports, or None if there is none.

    A line that names no known status is itself reported as a fail, so a broken script cannot pass.
    """
    lines = [line for line in stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if not lines:
        return None
    try:
        report = json.loads(lines[-1][len(RESULT_PREFIX):])
        return Outcome(Status(report["status"]), str(report.get("reason", "")))
    except (ValueError, KeyError, TypeError) as exc:
        return Outcome(Status.FAIL, f"unreadable result line {lines[-1]!r}: {exc}")
