"""The compatibility table: ``ecosystem/RESULTS.md`` in full, and its summary in the README.

The README's copy sits between two marker comments and is rewritten in place, so the table a reader
sees on the front page is always the one the last ``make ecosystem`` produced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .outcome import Outcome, Status
from .scenarios import Scenario

__all__ = ["README_BEGIN", "README_END", "Report", "render_results", "render_summary", "replace_readme_section"]

README_BEGIN = "<!-- ecosystem-table:begin (written by `make ecosystem`; do not edit by hand) -->"
README_END = "<!-- ecosystem-table:end -->"

_CELL = {
    Status.PASS: "pass",
    Status.FAIL: "**fail**",
    Status.NOT_APPLICABLE: "n/a",
    Status.NEEDS_REAL_MODEL: "real model",
}



def _legend(where: str) -> str:
    return (f"pass: works against the fake · **fail**: does not (reason {where}) · n/a: the client lacks the "
            f"feature · real model: only a model that understands the prompt could pass it (reason {where})")


@dataclass(frozen=True)
class Report:
    """One run: outcomes by client name then scenario name, versions by client name, and how it was made."""

    scenarios: Sequence[Scenario]
    outcomes: Mapping[str, Mapping[str, Outcome]]
    versions: Mapping[str, Mapping[str, str]]
    date: str
    command: str
    fakeclaude: str  # the fakeclaude version and commit the run served

    def notes(self) -> list[tuple[str, str, Outcome]]:
        """(client, scenario title, outcome) for every cell that has a reason worth reading, in table order."""
        return [
            (client, scenario.title, outcome)
            for client, by_scenario in self.outcomes.items()
            for scenario in self.scenarios
            if (outcome := by_scenario.get(scenario.name)) is not None
            and outcome.status is not Status.PASS and outcome.reason
        ]

    def counts(self) -> dict[Status, int]:
        """How many cells have each status."""
        counted = dict.fromkeys(Status, 0)
        for by_scenario in self.outcomes.values():
            for outcome in by_scenario.values():
                counted[outcome.status] += 1
        return counted


def _cell(outcome: Outcome | None, note: int | None) -> str:
    if outcome is None:
        return "not run"
    return _CELL[outcome.status] + (f" [{note}](#note-{note})" if note is not None else "")


def _grid(report: Report, *, linked: bool) -> list[str]:
    numbers = {(client, title): number for number, (client, title, _) in enumerate(report.notes(), 1)}
    lines = ["| client | " + " | ".join(s.title for s in report.scenarios) + " |",
             "|---|" + "---|" * len(report.scenarios)]
    for client, by_scenario in report.outcomes.items():
        cells = [_cell(by_scenario.get(s.name), numbers.get((client, s.title)) if linked else None)
                 for s in report.scenarios]
        lines.append(f"| {client} | " + " | ".join(cells) + " |")
    return lines


def _summary_line(report: Report) -> str:
    counts = report.counts()
    return ", ".join(f"{counts[status]} {_CELL[status].strip('*')}" for status in Status)


def render_results(report: Report) -> str:
    """The whole of ``ecosystem/RESULTS.md``: the table, every reason, the versions, how to reproduce."""
    lines = [
        "# Ecosystem compatibility: real clients against `fakeclaude serve`",
        "",
        f"Run on {report.date} against fakeclaude {report.fakeclaude} with `{report.command}`. "
        f"Cells: {_summary_line(report)}.",
        "",
        _legend("below") + ".",
        "",
        *_grid(report, linked=True),
        "",
        "## What each scenario checks",
        "",
        *(f"- **{s.title}**: {s.checks}." for s in report.scenarios),
        "",
        "## Reasons",
        "",
    ]
    notes = report.notes()
    lines += [f'{number}. <a id="note-{number}"></a>**{client}, {title}** ({outcome.status}): {outcome.reason}'
              for number, (client, title, outcome) in enumerate(notes, 1)] or ["Every scenario passed."]
    lines += ["", "## Versions", "", "| client | installed |", "|---|---|"]
    lines += [f"| {client} | " + ", ".join(f"{package} {version}" for package, version in versions.items()) + " |"
              for client, versions in report.versions.items()]
    lines += ["", "Each scenario's full output is kept in `ecosystem/.logs/<client>/<scenario>.log` (git-ignored).",
              ""]
    return "\n".join(lines)


def render_summary(report: Report) -> str:
    """The README's copy: the table without reasons, with a pointer to RESULTS.md for them."""
    return "\n".join([
        *_grid(report, linked=False),
        "",
        f"{_legend('in RESULTS.md')}. Run on {report.date} ({_summary_line(report)}); every reason and the "
        "versions tested are in [ecosystem/RESULTS.md](ecosystem/RESULTS.md).",
    ])


def replace_readme_section(readme: str, summary: str) -> str:
    """``readme`` with the text between the table markers replaced by ``summary``.

    A README without the markers is a ValueError: the harness never guesses where the table goes.
    """
    begin, end = readme.find(README_BEGIN), readme.find(README_END)
    if begin < 0 or end < begin:
        raise ValueError(f"the README has no {README_BEGIN!r} ... {README_END!r} section")
    return readme[: begin + len(README_BEGIN)] + "\n" + summary + "\n" + readme[end:]
