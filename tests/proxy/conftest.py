"""The official TypeScript SDK for the proxy tests, installed from ``node/package.json`` on first use."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

NODE = Path(__file__).parent / "node"


@pytest.fixture(scope="session")
def typescript_sdk() -> Path:
    """The folder holding ``sdk_calls.mjs`` with ``@anthropic-ai/sdk`` installed (``npm install``, git-ignored)."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npm is not installed: the TypeScript SDK cannot be installed")
    if not (NODE / "node_modules" / "@anthropic-ai" / "sdk").is_dir():
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            pytest.fail(f"npm install failed in {NODE}:\n{done.stdout}{done.stderr}")
    return NODE
