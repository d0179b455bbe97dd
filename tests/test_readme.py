"""The README's and the docs' examples run as written.

- each self-contained README example (one that starts by importing fakeclaude) runs on its own;
- in ``docs/*.md``, the ```` ```python ```` blocks of a page run in order in one namespace (a page reads
  as one program; later examples may build on earlier ones); a failing one is named by its line;
- every ```` ```python test ```` block of a docs page is a pytest module: all of a page's modules run
  in one pytester session (with the page's ```` ```python conftest ```` block, if any, as their
  ``conftest.py``), and each must end as its first line says (``# outcome: passed=2`` or
  ``# outcome: passed=1 errors=1``; all passed when there is no such line).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
_BLOCK = re.compile(r"^```python( test| conftest)?\n(.*?)^```", flags=re.S | re.M)
_OUTCOME = re.compile(r"#\s*outcome:\s*(.*)")


def blocks(page: Path, kind: str = "") -> list[tuple[int, str]]:
    """``(line number, source)`` of the page's Python blocks of ``kind`` ("", " test" or " conftest")."""
    text = page.read_text()
    return [(text.count("\n", 0, m.start()) + 2, m.group(2)) for m in _BLOCK.finditer(text) if (m.group(1) or "") == kind]


def test_readme_examples_run() -> None:
    """Each self-contained README example (one that starts by importing fakeclaude) runs on its own; the
    cassette one is a fragment of a user's test module."""
    found = [b for _, b in blocks(README) if b.startswith("from fakeclaude")]
    assert len(found) >= 2, "the README has its quick example and its contract example"
    for block in found:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})


def test_readme_links_each_docs_page() -> None:
    text = README.read_text()
    for page in DOCS:
        assert f"docs/{page.name}" in text, f"the README does not link docs/{page.name}"


PROGRAM_PAGES = [page for page in DOCS if blocks(page)]


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")  # the SDK's model notices
@pytest.mark.parametrize("page", PROGRAM_PAGES, ids=[p.name for p in PROGRAM_PAGES])
def test_docs_programs_run(page: Path) -> None:
    namespace = {"__name__": f"docs_{page.stem}"}
    for line, source in blocks(page):
        code = compile("\n" * (line - 1) + source, str(page), "exec")  # tracebacks point at the page's lines
        exec(code, namespace)


def _expected(source: str) -> dict[str, int]:
    match = _OUTCOME.search(source.splitlines()[0]) if source.strip() else None
    if match is None:
        return {"passed": len(re.findall(r"^(?:async )?def test_", source, flags=re.M))}
    return {key: int(value) for key, value in (part.split("=") for part in match.group(1).split())}


PAGES = [page for page in DOCS if blocks(page, " test")]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_docs_test_modules_pass(page: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    for _, source in blocks(page, " conftest"):
        pytester.makeconftest(source)
    modules = {f"test_example_{line}": source for line, source in blocks(page, " test")}
    for name, source in modules.items():
        pytester.makepyfile(**{name: source})
    run = pytester.inline_run("-p", "no:randomly")
    outcomes: dict[str, dict[str, int]] = {name: {} for name in modules}
    for report in run.getreports("pytest_runtest_logreport"):
        module = report.nodeid.split(".py")[0]
        kind = "passed" if report.passed and report.when == "call" else "failed" if report.failed and report.when == "call" \
            else "errors" if report.failed else ""
        if kind:
            outcomes[module][kind] = outcomes[module].get(kind, 0) + 1
    expected = {name: _expected(source) for name, source in modules.items()}
    assert outcomes == expected


#: Examples about retired or deprecated models themselves (``accept_retired_models``): the only ones that may name them.
_ABOUT_RETIREMENT = {("scripting.md", "claude-3-opus-20240229")}


def _not_current_models() -> dict[str, str]:
    """Every id and alias of a model that is deprecated or retired, with its lifecycle."""
    from fakeclaude.server.catalog import lifecycle, list_models

    return {name: lifecycle(spec) for spec in list_models(include_retired=True) if lifecycle(spec) != "active"
            for name in (spec.id, *spec.aliases)}


def test_examples_use_current_models() -> None:
    """No README or docs example (prose or code) names a model past its deprecation: users copy them."""
    names = _not_current_models()
    assert {"claude-sonnet-4-5", "claude-3-opus-20240229"} <= set(names)  # the catalogue still knows them
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")(?![\w.-])")
    found = [(page.name, line, match.group(1), names[match.group(1)])
             for page in [README, *DOCS] for line, text in enumerate(page.read_text().splitlines(), 1)
             for match in pattern.finditer(text) if (page.name, match.group(1)) not in _ABOUT_RETIREMENT]
    assert found == [], "use a current model from fakeclaude/server/catalog.py"
