"""code_execution, per version, and its bash / text-editor sub-tools (spec 2026 §6.4).

``code_execution_20250522`` runs Python: ``server_tool_use name:"code_execution"`` with ``{"code"}`` and a
``code_execution_tool_result``. From ``code_execution_20250825`` the model uses ``bash_code_execution``
(``{"command"}``) and ``text_editor_code_execution`` (``{"command": "create"|"view"…, "path"}``, when the prompt
is about a file) with their own result blocks. Output is scripted (``fake.code_execution``) or made up:
an arithmetic expression of the prompt is evaluated, anything else prints a short line.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from ._context import Context
from ._script import ProgramOutput

__all__ = ["CUE", "PYTHON_ONLY", "calls", "wants_code"]

Block = dict[str, Any]
CUE = ("calculate compute run execute python script program code bash shell math plot analyze analyse data file "
       "multiply divide print result value upload uploaded editor create view csv sum average")
PYTHON_ONLY = "code_execution_20250522"
_ARITHMETIC = re.compile(r"[-+(]*\d[\d.,]*(?:\s*[-+*/^%]\s*[-+(]*\d[\d.,]*\)*)+")
_EDITOR = re.compile(r"\btext editor\b|\b(create|write)\b.*(/[\w./-]+)", re.IGNORECASE)
_PATH = re.compile(r"(/[\w.-]+)+\.\w+")
_FILE_TEXT = re.compile(r"with the text:?\s*(.+?)(?:\.?\s+Then\b|$)", re.IGNORECASE)
_OPS: dict[type, Callable[[Any, Any], Any]] = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                                               ast.Div: operator.truediv, ast.Mod: operator.mod, ast.Pow: operator.pow}


def wants_code(prompt: str) -> bool:
    """Whether the prompt holds an arithmetic expression (the model computes those)."""
    return _ARITHMETIC.search(prompt) is not None


def _expression(prompt: str) -> str | None:
    found = _ARITHMETIC.search(prompt)
    return found.group().replace(",", "").replace("^", "**").strip() if found else None


def _evaluate(expression: str) -> str | None:
    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            right = walk(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 64:
                raise ValueError("too large")
            return _OPS[type(node.op)](walk(node.left), right)
        raise ValueError("not arithmetic")

    try:
        value = walk(ast.parse(expression, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None
    return str(round(value, 10) if isinstance(value, float) else value)


def _output(ctx: Context, code: str, expression: str | None) -> ProgramOutput:
    scripted = ctx.script.output_for(code)
    if scripted is not None:
        return scripted
    value = _evaluate(expression) if expression else None
    return ProgramOutput(stdout=(value if value is not None else "Hello from the sandbox") + "\n")


def _content(kind: str, out: ProgramOutput) -> dict[str, Any]:
    output = "code_execution_output" if kind == "code_execution_result" else "bash_code_execution_output"
    content: dict[str, Any] = {"type": kind, "stdout": out.stdout, "stderr": out.stderr,
                               "return_code": out.return_code,
                               "content": [{"type": output, "file_id": f} for f in out.files]}
    if kind == "code_execution_result":  # recorded: an extra ``abort_reason`` (not in the SDK's types)
        content["abort_reason"] = None
    return content


def calls(ctx: Context, tool: Mapping[str, Any]) -> list[Block]:
    """The uses and results of one code-execution step for ``tool`` (a ``code_execution_*`` entry)."""
    expression = _expression(ctx.prompt)
    if str(tool.get("type")) == PYTHON_ONLY:
        code = f"print({expression})" if expression else "print('Hello from the sandbox')"
        out = _output(ctx, code, expression)
        return [ctx.use("code_execution", {"code": code}),
                {"type": "code_execution_tool_result", "content": _content("code_execution_result", out)}]
    if _EDITOR.search(ctx.prompt) and not expression:
        return _editor_calls(ctx)
    command = f'echo "{expression}" | bc -l' if expression else "echo 'Hello from the sandbox'"
    out = _output(ctx, command, expression)
    return [ctx.use("bash_code_execution", {"command": command}),
            {"type": "bash_code_execution_tool_result", "content": _content("bash_code_execution_result", out)}]


def _editor_calls(ctx: Context) -> list[Block]:
    words = ctx.keywords(2)
    named, given = _PATH.search(ctx.prompt), _FILE_TEXT.search(ctx.prompt)
    path = named.group() if named else "/tmp/" + ("_".join(w.lower() for w in words) or "notes") + ".txt"
    scripted = ctx.script.output_for(path)
    text = scripted.stdout if scripted is not None else (given.group(1).strip() if given else "Hello, world!")
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return [
        ctx.use("text_editor_code_execution", {"command": "create", "path": path, "file_text": text}),
        {"type": "text_editor_code_execution_tool_result",
         "content": {"type": "text_editor_code_execution_create_result", "is_file_update": False}},
        ctx.use("text_editor_code_execution", {"command": "view", "path": path}),
        {"type": "text_editor_code_execution_tool_result",
         "content": {"type": "text_editor_code_execution_view_result", "content": text, "file_type": "text",
                     "num_lines": lines, "start_line": 1, "total_lines": lines}},
    ]
