"""Tool inputs: schema-valid arguments for custom tools, documented shapes for Anthropic's tools."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from ._hints import hint_string
from ._rng import derive_seed, faker_for
from ._schema import SchemaGenerationError, generate_from_schema

__all__ = ["generate_tool_input"]

_BASH = ("ls -la", "pwd", "cat README.md", "git status", "python --version", "echo 'hello'", "uname -a")
_PATHS = ("/repo/README.md", "/repo/src/main.py", "/repo/pyproject.toml", "/repo/tests/test_app.py")
_PYTHON = (
    "print(sum(range(1, 11)))",
    "import math\nprint(math.pi)",
    "data = [3, 1, 2]\nprint(sorted(data))",
)
_KEYS = ("Return", "ctrl+s", "Escape", "Tab")


def _bash(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    return {"command": rnd.choice(_BASH)}


def _editor(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    path = rnd.choice(_PATHS)
    roll = rnd.random()
    if roll < 0.6:
        return {"command": "view", "path": path}
    if roll < 0.75:
        return {"command": "create", "path": path, "file_text": "print('hello, world')\n"}
    if roll < 0.9:
        return {"command": "str_replace", "path": path, "old_str": "hello", "new_str": "goodbye"}
    field = "new_str" if str(tool.get("type", "")).startswith("text_editor_2024") else "insert_text"
    return {"command": "insert", "path": path, "insert_line": rnd.randint(0, 20), field: "# note\n"}


def _computer(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    width = tool.get("display_width_px")
    height = tool.get("display_height_px")
    width = width if isinstance(width, int) and width > 0 else 1024
    height = height if isinstance(height, int) and height > 0 else 768
    roll = rnd.random()
    if roll < 0.4:
        return {"action": "screenshot"}
    if roll < 0.7:
        return {"action": "left_click", "coordinate": [rnd.randrange(width), rnd.randrange(height)]}
    if roll < 0.85:
        return {"action": "type", "text": " ".join(faker_for(rnd).words(nb=3))}
    return {"action": "key", "text": rnd.choice(_KEYS)}


def _memory(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    if rnd.random() < 0.7:
        return {"command": "view", "path": "/memories"}
    return {"command": "create", "path": "/memories/notes.md", "file_text": "- " + faker_for(rnd).sentence() + "\n"}


def _query(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    return {"query": hint_string("query", None, rnd)}


def _fetch(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    return {"url": str(faker_for(rnd).url())}


def _code(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    return {"code": rnd.choice(_PYTHON)}


def _regex_search(rnd: random.Random, tool: Mapping[str, Any]) -> dict[str, Any]:
    return {"pattern": str(faker_for(rnd).word())}


# (type prefix, fixed tool name, input maker)
_BUILTINS: tuple[tuple[str, str, Callable[[random.Random, Mapping[str, Any]], dict[str, Any]]], ...] = (
    ("bash_", "bash", _bash),
    ("text_editor_", "str_replace_based_edit_tool", _editor),
    ("text_editor_", "str_replace_editor", _editor),
    ("computer_", "computer", _computer),
    ("memory_", "memory", _memory),
    ("web_search_", "web_search", _query),
    ("web_fetch_", "web_fetch", _fetch),
    ("code_execution_", "code_execution", _code),
    ("tool_search_tool_regex_", "tool_search_tool_regex", _regex_search),
    ("tool_search_tool_bm25_", "tool_search_tool_bm25", _query),
)


def _builtin(tool: Mapping[str, Any]) -> Callable[[random.Random, Mapping[str, Any]], dict[str, Any]] | None:
    kind = tool.get("type")
    name = tool.get("name")
    if isinstance(kind, str) and kind not in ("custom", ""):
        for prefix, _, maker in _BUILTINS:
            if kind.startswith(prefix):
                return maker
    if "input_schema" not in tool:
        for _, fixed, maker in _BUILTINS:
            if name == fixed:
                return maker
    return None


def generate_tool_input(tool: Mapping[str, Any], rng_seed: int) -> dict[str, Any]:
    """Arguments for one call of ``tool`` (a request's ``tools[]`` entry), a pure function of the seed.

    Custom tools get an object valid against their ``input_schema``; Anthropic-defined tools get
    their documented shapes (``{"command": …}`` for bash, ``{"command": "view", "path": …}`` for
    the text editor, ``{"action": …}`` for computer use, ``{"query": …}`` for web search, …).
    An unsatisfiable or non-object schema yields ``{}``.

    >>> generate_tool_input({"type": "bash_20250124", "name": "bash"}, 1).keys()
    dict_keys(['command'])
    """
    maker = _builtin(tool)
    if maker is not None:
        return maker(random.Random(derive_seed("tool", rng_seed, str(tool.get("type", "")))), tool)
    schema = tool.get("input_schema")
    if not isinstance(schema, Mapping):
        return {}
    try:
        value = generate_from_schema(schema, derive_seed("tool", rng_seed, str(tool.get("name", ""))))
    except (SchemaGenerationError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}
