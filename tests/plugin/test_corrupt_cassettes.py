"""A malformed cassette gives one clear error naming the file, the line and the problem (pytester);
YAML aliases and oversized files are refused before they cost anything."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from fakeclaude.cassettes.format import deserialize, from_data, serialize
from fakeclaude.cassettes.loading import CassetteError, load_file

from .conftest import write_inner

VALID = """\
version: 1
fakeclaude_format: 1
interactions:
- request:
    method: POST
    uri: http://127.0.0.1:9/v1/messages
    body:
      json: {model: claude-sonnet-4-6, max_tokens: 10, messages: [{role: user, content: hi}]}
    headers: {}
  response:
    status:
      code: 200
      message: OK
    headers:
      content-type: [application/json]
    body:
      json: {id: msg_1, type: message, role: assistant, content: [{type: text, text: hello}], model: m}
"""
STREAM = VALID.replace("content-type: [application/json]", "content-type: [text/event-stream]").replace(
    "      json: {id: msg_1, type: message, role: assistant, content: [{type: text, text: hello}], model: m}\n",
    "      events:\n"
    "      - {event: message_start, at: 0.0, data: {type: message_start, message: {id: msg_1}}}\n"
    "      - {event: ping, at: 0.01, data: {type: ping}}\n"
    "      - {event: message_stop, at: 0.02, data: {type: message_stop}}\n",
)


def _line(text: str, n: int) -> str:
    return text.splitlines(keepends=True)[n - 1]


# name -> (cassette bytes, expected line or None, a fragment of the problem)
CORRUPTIONS: dict[str, tuple[bytes, int | None, str]] = {
    "empty": (b"", None, "the file is empty"),
    "blank": (b"\n   \n\n", None, "the file is empty"),
    "truncated_at_a_line_break": (VALID[: VALID.index("    status:")].encode(), 10, "'response' is empty"),
    "truncated_mid_line": (VALID[: VALID.index("text: hello") + 5].encode(), 18, "invalid YAML"),
    "status_abc": (VALID.replace("code: 200", "code: abc").encode(), 12, "status code 'abc' is not an HTTP status"),
    "status_999": (VALID.replace("code: 200", "code: 999").encode(), 12, "status code 999 is not an HTTP status"),
    "status_without_code": (VALID.replace("      code: 200\n", "").encode(), 11, "the status has no 'code'"),
    "format_one": (VALID.replace("fakeclaude_format: 1", "fakeclaude_format: one").encode(), 2,
                   "unknown fakeclaude_format 'one'"),
    "format_newer": (VALID.replace("fakeclaude_format: 1", "fakeclaude_format: 9").encode(), 2,
                     "fakeclaude_format 9 is newer than this fakeclaude reads"),
    "a_list": (b"- request: {}\n", 1, "a cassette is a mapping with 'interactions'"),
    "no_interactions": (b"version: 1\nfakeclaude_format: 1\n", 1, "no 'interactions'"),
    "interactions_not_a_list": (b"version: 1\ninteractions: hello\n", 2, "'interactions' must be a list"),
    "interaction_not_a_mapping": (b"version: 1\ninteractions:\n- hello\n", 3,
                                  "interaction 1 must be a mapping with 'request' and 'response'"),
    "no_response": (VALID[: VALID.index("  response:")].encode(), 4, "interaction 1 has no 'response'"),
    "request_without_uri": (VALID.replace(_line(VALID, 6), "").encode(), 4, "the request has no 'uri'"),
    "method_not_text": (VALID.replace("method: POST", "method: 123").encode(), 5, "the request method must be text"),
    "headers_a_list": (VALID.replace("    headers: {}", "    headers: [a, b]").encode(), 9,
                       "the request headers must be a mapping"),
    "events_not_a_list": (STREAM.replace(STREAM[STREAM.index("      - {event: message_start"):], "").replace(
        "      events:\n", "      events: 5\n").encode(), 17, "'events' must be a list"),
    "event_time_not_a_number": (STREAM.replace("at: 0.01", "at: soon").encode(), 19,
                                "'at' must be a number of seconds"),
    "stream_cut_short": (STREAM.replace(_line(STREAM, 20), "").encode(), 17, "ends without message_stop"),
    "not_utf8": (VALID.replace("text: hello", "text: h\udcffllo").encode("utf-8", "surrogateescape"), 17,
                 "not UTF-8"),
    "python_object": (VALID.replace("{role: user, content: hi}", "!!python/object/apply:os.system [echo]").encode(),
                      8, "not allowed in a cassette"),
    "json_syntax": (b'{"version": 1,\n "interactions": [\n  {"request": }\n]}\n', 3, "invalid JSON"),
}


INNER = '''
import httpx2, pytest

NAMES = {names!r}

@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.claude_cassette(n)) for n in NAMES])
def test_load(name, claude_cassette):
    assert claude_cassette is not None
'''


def test_each_corrupted_cassette_gives_one_clear_error_naming_file_line_and_problem(pytester: pytest.Pytester) -> None:
    folder = pytester.path / "cassettes" / "test_app"
    folder.mkdir(parents=True)
    for name, (data, _, _) in CORRUPTIONS.items():
        (folder / f"{name}.yaml").write_bytes(data)
    (folder / "valid.yaml").write_text(VALID)
    (folder / "stream.yaml").write_text(STREAM)
    write_inner(pytester, INNER.format(names=[*CORRUPTIONS, "valid", "stream"]))
    result = pytester.runpytest_inprocess("-rN", "-p", "no:randomly", "--tb=line")
    out = result.stdout.str()
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == 2, out[-3000:]
    assert outcomes.get("errors", 0) + outcomes.get("failed", 0) == len(CORRUPTIONS)
    assert "Traceback" not in out
    unclear = {}
    for name, (_, line, problem) in CORRUPTIONS.items():
        where = f"{name}.yaml" + (f", line {line}" if line else "")
        pattern = re.escape("fakeclaude: cannot load cassette ") + r"\S*" + re.escape(where) + r": .*" + re.escape(problem)
        if not re.search(pattern, out):
            unclear[name] = [text for text in out.splitlines() if f"{name}.yaml" in text]
    assert not unclear


def test_a_corrupted_cassette_is_named_once_without_a_chained_copy(pytester: pytest.Pytester) -> None:
    folder = pytester.path / "cassettes" / "test_app"
    folder.mkdir(parents=True)
    (folder / "status_abc.yaml").write_bytes(CORRUPTIONS["status_abc"][0])
    write_inner(pytester, INNER.format(names=["status_abc"]))
    out = pytester.runpytest_inprocess("-rN", "-p", "no:randomly").stdout.str()  # the default traceback style
    assert out.count("fakeclaude: cannot load cassette") == 1, out
    assert "During handling of the above exception" not in out


def _written() -> str:
    """A cassette as fakeclaude writes it today: a JSON answer and a stream, read from format 1, written again."""
    both = yaml.safe_load(VALID)
    both["interactions"] += yaml.safe_load(STREAM)["interactions"]
    text = serialize(from_data(both))
    assert "fakeclaude_format: 2" in text and text.endswith("\n...\n") and deserialize(text)
    return text


def test_a_cassette_cut_anywhere_is_refused_naming_the_file(tmp_path: Path) -> None:
    """Cut at every byte (once it holds an interaction), the file never loads as if it were whole; format 1
    read the cuts that left a response without its body or headers as valid."""
    text = _written().encode()
    path = tmp_path / "cut.yaml"
    loaded = []
    for end in range(text.index(b"- request"), len(text) - 4):
        path.write_bytes(text[:end])
        try:
            load_file(path)
        except CassetteError as exc:
            assert str(exc).startswith(f"fakeclaude: cannot load cassette {path}"), (end, str(exc))
        else:
            loaded.append(end)
    assert not loaded, f"{len(loaded)} cuts loaded, e.g. at byte {loaded[0]}"
    path.write_bytes(text[:-4] + b"\n")  # the end line itself cut
    with pytest.raises(CassetteError, match=r"line \d+: the file ends before the '...' line"):
        load_file(path)


def test_format_one_cassettes_without_the_end_line_still_load(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(STREAM)
    assert load_file(path)["fakeclaude_format"] == 1


BOMB = textwrap.dedent("""\
    version: 1
    metadata:
      a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
      b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
      c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
      d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
      e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
      f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
      g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
      h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
      i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    interactions: [*i]
""")

LOAD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))
from fakeclaude.cassettes.store import ClaudeCassette
try:
    ClaudeCassette(sys.argv[1], record_mode="none")
except Exception as exc:
    print(type(exc).__name__, exc)
"""


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    assert len(BOMB) < 800
    done = subprocess.run([sys.executable, "-c", LOAD, str(path)], capture_output=True, text=True, timeout=60)
    assert re.search(r"bomb.yaml, line \d+: YAML aliases are not allowed in a cassette", done.stdout), done.stderr


def test_an_oversized_cassette_is_refused_before_it_is_read(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from fakeclaude.cassettes import loading, store

    path = tmp_path / "big.yaml"
    path.write_text(VALID + "# padding\n" * 2000)
    monkeypatch.setattr(loading, "MAX_CASSETTE_BYTES", 10_000)
    with pytest.raises(Exception, match=r"big.yaml: the file is 2\d,\d\d\d bytes, over the 10,000-byte limit"):
        store.ClaudeCassette(path, record_mode="none")
