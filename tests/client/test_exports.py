"""The SDK's import paths for the tool helpers, loaded on first use (``__all__`` is checked by test_public_api)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_sdk_paths() -> None:
    import fakeclaude
    from fakeclaude import beta_async_tool, beta_tool, transform_schema
    from fakeclaude.client import tools
    from fakeclaude.lib.tools import BetaToolRunner

    assert beta_tool is tools.beta_tool and beta_async_tool is tools.beta_async_tool
    assert BetaToolRunner is tools.BetaToolRunner and callable(transform_schema)
    assert {"beta_tool", "beta_async_tool", "transform_schema"} <= set(fakeclaude.__all__)
    with pytest.raises(AttributeError):
        _ = fakeclaude.no_such_name  # type: ignore[attr-defined]


def test_the_tool_helpers_load_on_first_use() -> None:
    code = "import sys, fakeclaude; print('docstring_parser' in sys.modules, 'fakeclaude.client.tools' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
