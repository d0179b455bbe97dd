"""``python -m ecosystem.harness``: run the scenario set through every client, write the table.

    python -m ecosystem.harness                       # all clients, all scenarios; RESULTS.md and README
    python -m ecosystem.harness --clients litellm --scenarios chat,stream --no-write
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .clients import CLIENTS, ECOSYSTEM_DIR, Client, client_named
from .outcome import Outcome
from .run import DEFAULT_MODEL, DEFAULT_TIMEOUT, LOG_DIR, run_client
from .scenarios import SCENARIOS, Scenario, scenario_named
from .table import Report, render_results, render_summary, replace_readme_section

__all__ = ["main"]

_REPOSITORY = ECOSYSTEM_DIR.parent


def _fakeclaude_version() -> str:
    from importlib.metadata import version

    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=7"], cwd=_REPOSITORY, capture_output=True,
                                text=True, timeout=30).stdout.strip()
    except OSError:
        commit = ""
    return f"{version('fakeclaude')}" + (f" (commit {commit})" if commit else "")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ecosystem.harness", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="", help="comma-separated client keys (default: all): "
                        + ", ".join(c.key for c in CLIENTS))
    parser.add_argument("--scenarios", default="", help="comma-separated scenario names (default: all): "
                        + ", ".join(s.name for s in SCENARIOS))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per scenario (default: %(default)s)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="model every scenario asks for (default: %(default)s)")
    parser.add_argument("--results", type=Path, default=ECOSYSTEM_DIR / "RESULTS.md", help="table to write")
    parser.add_argument("--readme", type=Path, default=_REPOSITORY / "README.md", help="README whose table section is rewritten")
    parser.add_argument("--no-write", action="store_true", help="print the table; write neither file")
    return parser


def _progress(client: Client, scenario: Scenario, outcome: Outcome) -> None:
    reason = f": {outcome.reason}" if outcome.reason else ""
    print(f"  {client.key:<20} {scenario.name:<18} {outcome.status}{reason}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check as the command line ``argv`` says; returns the exit status (0 once the table is made)."""
    args = _parser().parse_args(argv)
    try:
        clients = [client_named(key) for key in args.clients.split(",") if key] or list(CLIENTS)
        scenarios = [scenario_named(name) for name in args.scenarios.split(",") if name] or list(SCENARIOS)
    except KeyError as exc:
        print(f"ecosystem: {exc.args[0]}", file=sys.stderr)
        return 2
    command = "make ecosystem" if argv is None and len(sys.argv) == 1 else shlex.join(
        ["python", "-m", "ecosystem.harness", *(sys.argv[1:] if argv is None else argv)])
    outcomes: dict[str, dict[str, Outcome]] = {}
    versions: dict[str, dict[str, str]] = {}
    for client in clients:
        print(f"ecosystem: {client.name}", flush=True)
        versions[client.name] = client.versions()
        outcomes[client.name] = run_client(client, scenarios, timeout=args.timeout, model=args.model,
                                           log_dir=LOG_DIR, progress=_progress)
    report = Report(scenarios=scenarios, outcomes=outcomes, versions=versions,
                    date=datetime.date.today().isoformat(), command=command, fakeclaude=_fakeclaude_version())
    if args.no_write:
        print(render_results(report))
        return 0
    args.results.write_text(render_results(report))
    args.readme.write_text(replace_readme_section(args.readme.read_text(), render_summary(report)))
    print(f"ecosystem: wrote {args.results} and the table in {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
