"""The README's Python examples and every Python example of ``docs/`` run as written.

A page's blocks run in order in one namespace (later examples build on earlier ones), so a page reads
as one program; an example that fails fails its page, named by its first line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


def test_readme_examples_run() -> None:
    """Each self-contained README example (one that starts by importing fakeclaude) runs on its own; the
    cassette one is a fragment of a user's test module."""
    blocks = [b for b in python_blocks(README) if b.startswith("from fakeclaude")]
    assert len(blocks) >= 2, "the README has its quick example and its contract example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})


def test_readme_links_each_docs_page() -> None:
    text = README.read_text()
    for page in DOCS:
        assert f"docs/{page.name}" in text, f"the README does not link docs/{page.name}"


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")  # the SDK's model notices
@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_docs_examples_run(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = python_blocks(page)
    assert blocks, f"{page.name} has Python examples"
    namespace = {"__name__": f"docs.{page.stem}"}
    for number, block in enumerate(blocks, start=1):
        first_line = block.strip().splitlines()[0]
        try:
            exec(compile(block, f"docs/{page.name} (example {number})", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"docs/{page.name} example {number} ({first_line!r}) failed: {error!r}") from error
