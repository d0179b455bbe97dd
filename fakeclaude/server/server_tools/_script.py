"""What a test says the server tools find: search hits, fetched pages, program output, MCP answers.

    fake.web_search(results=[web_search_result("Paris", "https://en.wikipedia.org/wiki/Paris")])
    fake.web_search(queries=["q1", "q2", "q3"])          # the model searches three times
    fake.web_fetch("https://example.com", text="Example Domain", title="Example")
    fake.code_execution(stdout="42\\n")
    fake.mcp_tool("ask_question", "The repo is a Python agent framework.", server_name="deepwiki")
    fake.advisor("Check the edge cases first.")

Unscripted, every tool answers with deterministic results derived from the request (its query, URL or
code) and the fake's seed. A scripted value may also be a function of the query (URL, code) that returns it.
``reset()`` (``FakeClaude.reset``) forgets all of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FetchedPage", "McpAnswer", "ProgramOutput", "ServerToolScript"]

Results = Sequence[Mapping[str, Any]] | Callable[[str], Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class FetchedPage:
    """What a fetch of ``url`` returns: a text document, or an ``error_code`` result."""

    text: str = ""
    title: str | None = None
    media_type: str = "text/plain"
    error_code: str | None = None


@dataclass(frozen=True)
class ProgramOutput:
    """What the code (Python or bash) prints."""

    stdout: str = ""
    stderr: str = ""
    return_code: int = 0
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class McpAnswer:
    """What an MCP tool answers; ``input`` is the call's arguments (generated when None)."""

    server_name: str | None
    text: str | Callable[[Mapping[str, Any]], str]
    is_error: bool = False
    input: Mapping[str, Any] | None = None
    description: str = ""


@dataclass
class ServerToolScript:
    """The per-fake script of the server tools (thread-safe setters; read by the answer planner)."""

    search_results: Results | None = None
    search_queries: tuple[str, ...] | None = None
    pause_after: int | None = None
    pages: dict[str, FetchedPage | Callable[[str], FetchedPage]] = field(default_factory=dict)
    any_page: FetchedPage | Callable[[str], FetchedPage] | None = None
    program: ProgramOutput | Callable[[str], ProgramOutput] | None = None
    mcp: dict[str, McpAnswer] = field(default_factory=dict)
    advice: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def reset(self) -> None:
        """Forget everything scripted."""
        with self._lock:
            self.search_results = self.search_queries = self.pause_after = None
            self.pages, self.any_page, self.program, self.mcp, self.advice = {}, None, None, {}, None

    def set_search(self, results: Results | None, queries: Sequence[str] | None, pause_after: int | None) -> None:
        """What web searches find (``results``), which queries the model makes, and when its turn pauses."""
        if pause_after is not None and (isinstance(pause_after, bool) or not isinstance(pause_after, int)
                                        or pause_after < 1):
            raise ValueError(f"web_search(pause_after={pause_after!r}): give a number of searches >= 1")
        if queries is not None and (isinstance(queries, str) or not all(isinstance(q, str) and q for q in queries)):
            raise ValueError("web_search(queries=...): give a list of non-empty query strings")
        with self._lock:
            if results is not None:
                self.search_results = results
            if queries is not None:
                self.search_queries = tuple(queries)
            if pause_after is not None:
                self.pause_after = pause_after

    def set_page(self, url: str | None, page: FetchedPage | Callable[[str], FetchedPage]) -> None:
        """What fetching ``url`` returns (``None``: any URL)."""
        with self._lock:
            if url is None:
                self.any_page = page
            else:
                self.pages[url] = page

    def set_program(self, output: ProgramOutput | Callable[[str], ProgramOutput]) -> None:
        """What the executed code prints."""
        with self._lock:
            self.program = output

    def set_mcp(self, name: str, answer: McpAnswer) -> None:
        """What MCP tool ``name`` answers."""
        with self._lock:
            self.mcp[name] = answer

    def set_advice(self, text: str) -> None:
        """What the advisor answers."""
        with self._lock:
            self.advice = text

    # ----- reading (the planner) -------------------------------------------------------------------
    def results_for(self, query: str) -> list[Mapping[str, Any]] | None:
        """The scripted hits of ``query``, or None (generate them)."""
        found = self.search_results
        if found is None:
            return None
        return list(found(query) if callable(found) else found)

    def page_for(self, url: str) -> FetchedPage | None:
        """The scripted page of ``url``, or None (generate it)."""
        page = self.pages.get(url, self.any_page)
        return page(url) if callable(page) else page

    def output_for(self, code: str) -> ProgramOutput | None:
        """The scripted output of ``code``, or None (generate it)."""
        program = self.program
        return program(code) if callable(program) else program
