"""The real clients the check drives, where each one's environment lives, and how a scenario is started.

Each Python client has its own virtual environment, ``ecosystem/.venvs/<name>``, installed from its lock
file ``ecosystem/requirements/<name>.txt`` (so each gets the dependency versions pip picks for it alone,
as its users do). The JavaScript clients share ``ecosystem/node_modules`` (``package-lock.json``).
Adding a client: a scenario script in ``ecosystem/clients/``, an entry in :data:`CLIENTS`, and, for a
Python one, ``requirements/<name>.in`` with its lock (see ``ecosystem/README.md``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CLIENTS", "ECOSYSTEM_DIR", "Client", "client_named"]

#: The ``ecosystem/`` folder: scripts, lock files, and (git-ignored) environments and logs.
ECOSYSTEM_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Client:
    """A client: its short key, its table name, its scenario script, and what its version column lists.

    ``key`` names it on the command line and, with ``venv`` set, its environment ``ecosystem/.venvs/<key>``;
    without one a Python script runs with the harness's own interpreter (a script that needs only the
    standard library). ``python_packages`` and ``npm_packages`` are the distributions whose installed
    versions the table shows.
    """

    key: str
    name: str
    script: str
    venv: bool = False
    python_packages: tuple[str, ...] = ()
    npm_packages: tuple[str, ...] = ()

    @property
    def script_path(self) -> Path:
        """The scenario script, in ``ecosystem/clients``."""
        return ECOSYSTEM_DIR / "clients" / self.script

    def python(self) -> Path:
        """The interpreter a Python script of this client runs with."""
        if not self.venv:
            return Path(sys.executable)
        return ECOSYSTEM_DIR / ".venvs" / self.key / "bin" / "python"

    def command(self, scenario: str, *, python: Path | None = None) -> list[str]:
        """The command line that runs ``scenario``; ``python`` overrides the interpreter (smoke tests)."""
        if self.script.endswith(".mjs"):
            return ["node", str(self.script_path), scenario]
        return [str(python or self.python()), str(self.script_path), scenario]

    def missing(self) -> str | None:
        """Why this client cannot run here (its environment is not installed), or None if it can."""
        if self.venv and not self.python().exists():
            return f"{self.python()} is missing: run `make ecosystem` to install it"
        for package in self.npm_packages:
            if not (ECOSYSTEM_DIR / "node_modules" / package / "package.json").exists():
                return f"npm package {package} is missing: run `make ecosystem` to install it"
        return None

    def versions(self, *, python: Path | None = None) -> dict[str, str]:
        """The installed version of each listed package ("missing" where it is not installed)."""
        found = {package: "missing" for package in (*self.python_packages, *self.npm_packages)}
        for package in self.npm_packages:
            manifest = ECOSYSTEM_DIR / "node_modules" / package / "package.json"
            if manifest.exists():
                found[package] = str(json.loads(manifest.read_text())["version"])
        interpreter = python or self.python()
        if self.python_packages and interpreter.exists():
            found.update(_python_versions(interpreter, self.python_packages))
        return found


def _python_versions(python: Path, packages: tuple[str, ...]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "def v(p):\n"
        "    try: return m.version(p)\n"
        "    except m.PackageNotFoundError: return 'missing'\n"
        "print(json.dumps({p: v(p) for p in sys.argv[1:]}))\n"
    )
    result = subprocess.run([str(python), "-c", code, *packages], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return {package: "unknown" for package in packages}
    versions: dict[str, str] = json.loads(result.stdout)
    return versions


CLIENTS: tuple[Client, ...] = (
    Client("anthropic-python", "anthropic (Python SDK)", "anthropic_sdk_scenarios.py", venv=True,
           python_packages=("anthropic",)),
    Client("langchain-anthropic", "langchain-anthropic", "langchain_scenarios.py", venv=True,
           python_packages=("langchain-anthropic", "langchain-core", "anthropic")),
    Client("pydantic-ai", "pydantic-ai", "pydantic_ai_scenarios.py", venv=True,
           python_packages=("pydantic-ai-slim", "anthropic")),
    Client("instructor", "instructor", "instructor_scenarios.py", venv=True,
           python_packages=("instructor", "anthropic")),
    Client("litellm", "litellm", "litellm_scenarios.py", venv=True, python_packages=("litellm",)),
    Client("llm", "llm + llm-anthropic", "llm_scenarios.py", venv=True,
           python_packages=("llm", "llm-anthropic", "anthropic")),
    Client("typescript-sdk", "TypeScript SDK", "typescript_sdk_scenarios.mjs", npm_packages=("@anthropic-ai/sdk",)),
    Client("claude-code", "Claude Code (print mode)", "claude_code_scenarios.py",
           npm_packages=("@anthropic-ai/claude-code",)),
)


def client_named(key: str) -> Client:
    """The client whose key is ``key``; a KeyError listing the keys otherwise."""
    for client in CLIENTS:
        if client.key == key:
            return client
    raise KeyError(f"no client {key!r}; known: {', '.join(c.key for c in CLIENTS)}")
