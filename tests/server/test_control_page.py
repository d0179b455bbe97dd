"""The page ``GET /_fakeclaude/`` of ``fakeclaude serve``, rendered by a real headless Chromium."""

from __future__ import annotations

import html.parser
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from ..cli_support import fakeclaude_process

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium; "
                                                                ".ci/run installs it)")
API = {"x-api-key": "sk-ant-page-test", "anthropic-version": "2023-06-01"}
MODEL = "claude-sonnet-4-6"


def chromium(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=timeout, check=True,
        )


class _Rows(html.parser.HTMLParser):
    """The text of each ``tr.request`` row and each ``li`` of the script lists, as Chromium's DOM has them."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.verdicts: list[str] = []
        self.items: dict[str, list[str]] = {}
        self._row: list[str] | None = None
        self._list: str | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "tr" and attributes.get("class") == "request":
            self._row = []
        if tag == "span" and "verdict" in (attributes.get("class") or "") and self._row is not None:
            self.verdicts.append(str(attributes["class"]).split()[-1])
        if tag == "ul" and attributes.get("id"):
            self._list = attributes["id"]
        if tag == "li" and self._list:
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self.rows.append(" ".join(self._row))
            self._row = None
        if tag == "li" and self._item is not None and self._list:
            self.items.setdefault(self._list, []).append(" ".join(self._item).strip())
            self._item = None
        if tag == "ul":
            self._list = None

    def handle_data(self, data: str) -> None:
        for sink in (self._row, self._item):
            if sink is not None and data.strip():
                sink.append(data.strip())


def test_the_page_shows_requests_verdicts_answers_and_the_script(tmp_path: Path) -> None:
    with fakeclaude_process("serve", "--no-access-log") as served, httpx.Client(base_url=served.url) as http:
        http.post("/_fakeclaude/script", json=[
            {"reply": "Bonjour <b>not bold</b>"},
            {"rule": {"match": {"last_user_text": "weather"}, "reply": "Sunny."}},
            {"rule": {"match": {"last_user_text": "never asked"}, "error": 529}},
        ])
        for text in ("Say hello", "the weather?"):
            http.post("/v1/messages", headers=API, json={
                "model": MODEL, "max_tokens": 32, "messages": [{"role": "user", "content": text}]})
        http.post("/v1/messages", headers=API, json={"model": MODEL, "max_tokens": -1,
                                                      "messages": [{"role": "user", "content": "refuse me"}]})
        page = http.get("/_fakeclaude/")
        assert page.headers["content-type"].startswith("text/html")
        assert "http://" not in page.text.replace(served.url, "") and "https://" not in page.text  # no external assets
        dom = chromium("--dump-dom", f"{served.url}/_fakeclaude/").stdout
        screenshot = tmp_path / "page.png"
        chromium(f"--screenshot={screenshot}", "--window-size=1280,900", f"{served.url}/_fakeclaude/")
        received = http.get("/_fakeclaude/requests").json()["requests"]
    assert [r["path"] for r in received] == ["/v1/messages"] * 3  # the browser asked for nothing else (no favicon)
    parsed = _Rows()
    parsed.feed(dom)
    assert len(parsed.rows) == 3  # newest first
    assert parsed.verdicts == ["refused", "scripted", "scripted"]
    assert "POST /v1/messages 400" in parsed.rows[0] and "max_tokens: Input should be greater than or equal to 0" in parsed.rows[0]
    assert "the weather?" in parsed.rows[1] and "Sunny. (end_turn)" in parsed.rows[1]
    assert "Bonjour <b>not bold</b>" in parsed.rows[2]  # shown as text: escaped, never markup
    assert parsed.items["rules"] == ["fake.on(last_user_text='weather') matched 1x",
                                     "fake.on(last_user_text='never asked') matched 0x"]
    assert parsed.items["unused"] == ["fake.on(last_user_text='never asked') never matched a request"]
    assert parsed.items["queued"] == ["none"]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000
