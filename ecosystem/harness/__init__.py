"""The ecosystem check: real clients, each in its own environment, against ``fakeclaude serve``.

``make ecosystem`` installs the clients (``ecosystem/requirements/*.txt``, ``ecosystem/package-lock.json``)
and runs ``python -m ecosystem.harness``, which starts one ``fakeclaude serve`` per client on a free
127.0.0.1 port, runs every scenario of :data:`SCENARIOS` as a separate process with a timeout, and writes
``ecosystem/RESULTS.md`` and the README's table.
"""

from __future__ import annotations

from .clients import CLIENTS, Client, client_named
from .outcome import Outcome, Status, parse_result_line
from .run import run_client, run_scenario
from .scenarios import SCENARIOS, Scenario, scenario_named
from .server import fakeclaude_serve
from .table import Report, render_results, render_summary, replace_readme_section

__all__ = [
    "CLIENTS",
    "SCENARIOS",
    "Client",
    "Outcome",
    "Report",
    "Scenario",
    "Status",
    "client_named",
    "fakeclaude_serve",
    "parse_result_line",
    "render_results",
    "render_summary",
    "replace_readme_section",
    "run_client",
    "run_scenario",
    "scenario_named",
]
