"""The Python side of the scenario protocol (standard library only: it runs in every client's venv).

A client script registers one function per scenario and ends with ``main()``::

    @scenario("chat")
    def chat() -> None:
        answer = ...                         # drive the real client against ANTHROPIC_BASE_URL
        expect(isinstance(answer, str) and answer, f"no text: {answer!r}")

A function that returns passes; ``expect`` failing, or any exception, fails with a one-line reason;
``NotApplicable`` / ``NeedsRealModel`` mark the other two verdicts. ``main()`` prints the
``ECOSYSTEM-RESULT`` line the harness reads (``ecosystem/harness/outcome.py``).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable

__all__ = ["MODEL", "WORKDIR", "Failed", "NeedsRealModel", "NotApplicable", "expect", "main", "scenario"]

#: The model to ask for, and the scenario's throwaway directory (also HOME and the working directory).
MODEL = os.environ.get("ECOSYSTEM_MODEL", "claude-sonnet-4-6")
WORKDIR = os.environ.get("ECOSYSTEM_WORKDIR", os.getcwd())

_PREFIX = "ECOSYSTEM-RESULT "
_SCENARIOS: dict[str, Callable[[], None]] = {}


class Failed(Exception):
    """The client ran, but what it gave back is wrong."""


class NotApplicable(Exception):
    """The client lacks the feature the scenario exercises."""


class NeedsRealModel(Exception):
    """Only a model that understands the prompt could pass this; the fake cannot, by design."""


def scenario(name: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Register the decorated function as this client's runner of scenario ``name``."""
    def register(function: Callable[[], None]) -> Callable[[], None]:
        _SCENARIOS[name] = function
        return function
    return register


def expect(condition: object, reason: str) -> None:
    """Fail the scenario with ``reason`` unless ``condition`` holds."""
    if not condition:
        raise Failed(reason)


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    name = f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix("builtins.")
    return f"{name}: {text}" if text else name


def _error_line(exc: BaseException) -> str:
    """The exception in one line, with the innermost cause it wraps (where the real reason usually is)."""
    root = exc
    while (inner := root.__cause__ or root.__context__) is not None and inner is not root:
        root = inner
    line = _describe(exc)
    return line if root is exc else f"{line} (caused by {_describe(root)})"


def _report(status: str, reason: str = "") -> None:
    sys.stdout.flush()
    print(_PREFIX + json.dumps({"status": status, "reason": " ".join(reason.split())}), flush=True)


def main() -> None:
    """Run the scenario named by the first argument and print its result line."""
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    runner = _SCENARIOS.get(name)
    if runner is None:
        _report("fail", f"no runner for scenario {name!r} in {os.path.basename(sys.argv[0])}")
        return
    try:
        runner()
    except NotApplicable as exc:
        _report("n/a", str(exc))
    except NeedsRealModel as exc:
        _report("needs a real model", str(exc))
    except Failed as exc:
        _report("fail", str(exc))
    except BaseException as exc:  # the point is to report whatever the client raised, in one line
        traceback.print_exc()
        _report("fail", _error_line(exc))
    else:
        _report("pass")
