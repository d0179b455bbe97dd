"""The cassette engine is a core library under a thin plugin: no pytest in it, no import cycle anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"fakeclaude.cassettes": ROOT / "fakeclaude" / "cassettes",
            "fakeclaude_pytest": ROOT / "pytest_plugin" / "fakeclaude_pytest"}


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join([package, *[p for p in parts if p != "__init__"]])
            found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of ``known`` that ``name`` imports, at the top or inside a function alike."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        out |= {t for t in targets if t in known and t != name}
    return out


def test_the_core_never_imports_pytest_or_the_plugin() -> None:
    for name, path in _modules().items():
        if name.startswith("fakeclaude.cassettes"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                    assert not any(n.split(".")[0] in ("pytest", "_pytest", "fakeclaude_pytest") for n in names), name


def test_no_import_cycle_even_counting_imports_inside_functions() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    # a package's __init__ re-exporting its modules is not a cycle with them; they import each other directly
    graph = {n: {t for t in targets if not (n.startswith(t + ".") and modules[t].name == "__init__.py")}
             for n, targets in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in graph[node]:
            assert state.get(target) != 1, " -> ".join([*trail, node, target])
            if target not in state:
                visit(target, [*trail, node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])
