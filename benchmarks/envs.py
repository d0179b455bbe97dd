"""The alternatives' environments: each tool installed from its registry into its own folder, on first use.

``benchmarks/.envs/NAME`` (git-ignored) is a ``python -m venv`` with the tool and the same ``anthropic`` and
``httpx2`` versions as the project's own environment (so every case drives the very same SDK), or, for
the npm tool, an ``npm install --prefix`` folder. A stamp file records what was installed; an environment
whose stamp matches is reused, one whose stamp differs (a pin changed) is rebuilt. Nothing here runs at
import time: ``ensure(name)`` installs, ``python(name)`` / ``node_bin(name, tool)`` locate.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

__all__ = ["ENVS", "Env", "EnvError", "ensure", "installed", "node_bin", "python", "root"]

_ROOT = Path(__file__).resolve().parent / ".envs"


@dataclass(frozen=True)
class Env:
    """One alternative's environment: ``pip`` requirements (Python) or one ``npm`` package (JavaScript)."""

    name: str
    pip: tuple[str, ...] = ()
    npm: str = ""
    why: str = ""

    def requirements(self) -> list[str]:
        """What pip installs: the tool's pins plus the project's SDK and httpx2 versions."""
        return [*self.pip, *_sdk_pins()]


def _sdk_pins() -> list[str]:
    return [f"{name}=={metadata.version(name)}" for name in ("anthropic", "httpx2")]


ENVS: dict[str, Env] = {env.name: env for env in (
    Env("vcrpy", pip=("vcrpy==9.4.2", "pytest-recording==0.14.1", "pytest"),
        why="vcrpy cassettes, driven per test by pytest-recording's vcr marker"),
    Env("pytest-httpx2", pip=("pytest-httpx2==1.0.0", "pytest"),
        why="respx routes on httpcore2 (the httpx2_mock fixture of pytest-httpx2)"),
    Env("httpx2-pytest", pip=("httpx2-pytest==2.0.0", "pytest"),
        why="pytest-httpx's port to httpx2 (the httpx2_mock fixture of httpx2-pytest)"),
    Env("llmock", pip=("llmock==0.2.2",), why="a FastAPI mock of ten LLM providers (PyPI)"),
    Env("fakellm", pip=("fakellm==0.3.5",), why="a FastAPI mock of OpenAI and Anthropic answering YAML rules (PyPI)"),
    Env("aimock", npm="@copilotkit/aimock@1.43.0", why="a Node mock of LLM providers answering JSON fixtures (npm)"),
)}


class EnvError(RuntimeError):
    """An environment could not be installed (no registry, a package gone): the harness reports the case."""


def root() -> Path:
    """Where the environments live (``benchmarks/.envs``)."""
    return _ROOT


def _stamp(env: Env) -> str:
    return json.dumps({"pip": env.requirements() if env.pip else [], "npm": env.npm,
                       "python": sys.version.split()[0]}, sort_keys=True)


def installed(name: str) -> bool:
    """Whether ``name``'s environment exists with what it should hold (no install attempted)."""
    stamp = _ROOT / name / ".installed-stamp"
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == _stamp(ENVS[name])


def ensure(name: str, *, log: Path | None = None) -> Path:
    """Install ``name``'s environment unless it is already there as specified; returns its folder."""
    env = ENVS[name]
    folder = _ROOT / name
    if installed(name):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log_path = log or folder / "install.log"
    with open(log_path, "w", encoding="utf-8") as out:
        def run(*command: str) -> None:
            out.write("$ " + " ".join(command) + "\n")
            out.flush()
            code = subprocess.call(list(command), stdout=out, stderr=subprocess.STDOUT, cwd=folder)
            if code != 0:
                raise EnvError(f"installing {name} failed ({' '.join(command[:3])}... exit {code}); see {log_path}")

        if env.npm:
            if shutil.which("npm") is None:
                raise EnvError(f"{name} needs npm (apt-get install nodejs npm)")
            (folder / "package.json").write_text('{"private": true}\n', encoding="utf-8")
            run("npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), env.npm)
        else:
            base = getattr(sys, "_base_executable", sys.executable)
            run(base, "-m", "venv", str(folder))
            run(str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                *env.requirements())
    (folder / ".installed-stamp").write_text(_stamp(env), encoding="utf-8")
    return folder


def python(name: str) -> Path:
    """The interpreter of ``name``'s virtual environment."""
    return _ROOT / name / "bin" / "python"


def node_bin(name: str, tool: str) -> Path:
    """The ``node_modules/.bin`` entry ``tool`` of ``name``'s npm environment."""
    return _ROOT / name / "node_modules" / ".bin" / tool
