"""Reading a cassette file safely: limits first, then one clear error for anything malformed.

``load_file(path)`` returns the cassette's data (fakeclaude's format, vcrpy's YAML or vcrpy's JSON)
or raises ``CassetteError`` whose message names the file, the line and the problem::

    fakeclaude: cannot load cassette cassettes/test_app/test_x.yaml, line 12: interaction 1: status code
    'abc' is not an HTTP status (100-599)

Limits: a file over ``MAX_CASSETTE_BYTES`` is refused before it is read, and YAML aliases (``&a`` /
``*a``, the "billion laughs") are refused at the first one, as are tags that build Python objects.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

__all__ = ["MAX_CASSETTE_BYTES", "CassetteError", "check_shape", "load_file", "parse_text"]

MAX_CASSETTE_BYTES = 256 * 2**20
FORMAT_VERSION = 2
"""The format fakeclaude writes. Format 2 is format 1 with YAML's end-of-document line (``...``) last, so
a file cut short (a full disk, a copy stopped halfway, a bad merge) is refused even where what is left
still parses; format 1 files (no such line) are read as before."""
_READS = (1, 2)
_HEADER = re.compile(r"^fakeclaude_format: *(\d+) *$", re.MULTILINE)

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CassetteError(ValueError):
    """A cassette file that cannot be used; the message names the file, the line and the problem."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = str(path), problem, line
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"fakeclaude: cannot load cassette {where}: {problem}")


class _AliasRefused(yaml.YAMLError):
    def __init__(self, line: int) -> None:
        super().__init__("YAML aliases are not allowed in a cassette")
        self.line = line


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader, refusing a node met a second time (an alias)."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasRefused(node.start_mark.line + 1)
        return super().construct_object(node, deep)


class _Shape(Exception):
    def __init__(self, path: list[Any], problem: str) -> None:
        super().__init__(problem)
        self.path, self.problem = path, problem


# ----- shape ------------------------------------------------------------------------------------------
def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", type(None): "nothing"}.get(type(value), repr(value))


def _check_headers(headers: Any, path: list[Any], what: str) -> None:
    if headers is None:
        return
    if not isinstance(headers, dict):
        raise _Shape(path, f"the {what} headers must be a mapping, not {_kind(headers)}")
    for name, values in headers.items():
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str | int | float):
                raise _Shape([*path, name], f"the {what} header {name!r} must be text, not {_kind(value)}")


def _check_request(request: Any, path: list[Any], n: int) -> None:
    if not isinstance(request, dict):
        raise _Shape(path, f"interaction {n}: the request must be a mapping, not {_kind(request)}")
    for field in ("method", "uri"):
        if field not in request:
            raise _Shape(path, f"interaction {n}: the request has no {field!r}")
        if not isinstance(request[field], str) or not request[field]:
            raise _Shape([*path, field], f"interaction {n}: the request {field} must be text, not {request[field]!r}")
    _check_headers(request.get("headers"), [*path, "headers"], "request")


def _check_events(events: Any, path: list[Any], n: int, dropped: bool) -> None:
    if not isinstance(events, list):
        raise _Shape(path, f"interaction {n}: 'events' must be a list of stream events, not {_kind(events)}")
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise _Shape([*path, i], f"interaction {n}: stream event {i + 1} must be a mapping, not {_kind(event)}")
        at = event.get("at", 0.0)
        if isinstance(at, bool) or not isinstance(at, int | float):
            raise _Shape([*path, i, "at"], f"interaction {n}: stream event {i + 1}: 'at' must be a number of seconds, "
                                           f"not {at!r}")
        if not isinstance(event.get("event"), str | None):
            raise _Shape([*path, i, "event"], f"interaction {n}: stream event {i + 1}: 'event' must be text")
        if not isinstance(event.get("data", ""), str | dict | list):
            raise _Shape([*path, i, "data"], f"interaction {n}: stream event {i + 1}: 'data' must be text or JSON")
    names = [e.get("event") for e in events]
    if names and names[0] == "message_start" and not dropped and names[-1] not in ("message_stop", "error"):
        raise _Shape(path, f"interaction {n}: the stream ends without message_stop or error (the file may be "
                           "truncated; a stream cut while recording is marked 'dropped')")


def _check_response(response: Any, path: list[Any], n: int) -> None:
    if not isinstance(response, dict):
        raise _Shape(path, f"interaction {n}: the response must be a mapping, not {_kind(response)}")
    if "status_code" in response and "status" not in response:  # vcrpy's old httpx layout
        code: Any = response["status_code"]
        code_path = [*path, "status_code"]
    else:
        status = response.get("status")
        if not isinstance(status, dict):
            raise _Shape([*path, "status"] if "status" in response else path,
                         f"interaction {n}: the response has no 'status' mapping")
        if "code" not in status:
            raise _Shape([*path, "status"], f"interaction {n}: the status has no 'code'")
        code, code_path = status["code"], [*path, "status", "code"]
    if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
        raise _Shape(code_path, f"interaction {n}: status code {code!r} is not an HTTP status (100-599)")
    _check_headers(response.get("headers"), [*path, "headers"], "response")
    body = response.get("body")
    if isinstance(body, dict):
        if "events" in body:
            _check_events(body["events"], [*path, "body", "events"], n,
                          bool(body.get("dropped") or body.get("closed_by_client")))
        if "string" in body and not isinstance(body["string"], str | bytes | None):
            raise _Shape([*path, "body", "string"], f"interaction {n}: the body string must be text")
    elif not isinstance(body, str | bytes | None):
        raise _Shape([*path, "body"], f"interaction {n}: the body must be a mapping or text, not {_kind(body)}")


def check_shape(data: Any) -> None:
    """Raise ``_Shape`` (path, problem) unless ``data`` is a usable cassette."""
    if not isinstance(data, dict):
        raise _Shape([], f"a cassette is a mapping with 'interactions'; this file holds {_kind(data)}")
    if "fakeclaude_format" in data:
        version = data["fakeclaude_format"]
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise _Shape(["fakeclaude_format"], f"fakeclaude_format {version} is newer than this fakeclaude reads "
                                                f"({FORMAT_VERSION}); upgrade fakeclaude")
        if version not in _READS or isinstance(version, bool):
            raise _Shape(["fakeclaude_format"], f"unknown fakeclaude_format {version!r} (this fakeclaude reads "
                                                f"{', '.join(map(str, _READS))})")
    if "interactions" not in data:
        raise _Shape([], "no 'interactions': not a vcrpy-style cassette")
    interactions = data["interactions"]
    if not isinstance(interactions, list):
        raise _Shape(["interactions"], f"'interactions' must be a list, not {_kind(interactions)}")
    for i, interaction in enumerate(interactions):
        n, path = i + 1, ["interactions", i]
        if not isinstance(interaction, dict):
            raise _Shape(path, f"interaction {n} must be a mapping with 'request' and 'response', "
                               f"not {_kind(interaction)}")
        for part in ("request", "response"):
            if part not in interaction:
                raise _Shape(path, f"interaction {n} has no {part!r}")
            if interaction[part] is None:
                raise _Shape([*path, part], f"interaction {n}: {part!r} is empty (the file may be truncated)")
        _check_request(interaction["request"], [*path, "request"], n)
        _check_response(interaction["response"], [*path, "response"], n)


def _line_of(text: str, path: list[Any]) -> int | None:
    """The line where ``path`` (keys and indices) is written in ``text``, found only when reporting."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line: int = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if found is None:
                return line
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# ----- reading ----------------------------------------------------------------------------------------
def parse_text(text: str, path: str | Path = "<cassette>") -> Any:
    """Cassette text (YAML or JSON) parsed and checked; ``CassetteError`` on any problem."""
    if not text.strip():
        raise CassetteError(path, "the file is empty (delete it to record it again)")
    _check_complete(text, path)
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as exc:
        raise CassetteError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except _AliasRefused as exc:
        raise CassetteError(path, str(exc), exc.line) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise CassetteError(path, f"{exc.problem}: such tags are not allowed in a cassette",
                            mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise CassetteError(path, f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    except RecursionError:
        raise CassetteError(path, "nested too deeply") from None
    try:
        check_shape(data)
    except _Shape as exc:
        raise CassetteError(path, exc.problem, _line_of(text, exc.path)) from None
    return data


def _check_complete(text: str, path: str | Path) -> None:
    """Refuse a file written in format 2 or later that does not end with its ``...`` line."""
    header = _HEADER.search(text, 0, 4096)
    if header is None or not 2 <= int(header.group(1)) <= FORMAT_VERSION or text.rstrip().endswith("\n..."):
        return  # no such line to expect (a newer format is refused as newer)
    lines = text.count("\n") + (not text.endswith("\n"))
    raise CassetteError(path, "the file ends before the '...' line fakeclaude writes last: it was cut short "
                              "(restore it from version control, or delete it and record it again)", lines)


def load_file(path: str | Path) -> Any:
    """The checked data of the cassette at ``path``; ``FileNotFoundError`` when there is none."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_CASSETTE_BYTES:
        raise CassetteError(path, f"the file is {size:,} bytes, over the {MAX_CASSETTE_BYTES:,}-byte limit")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CassetteError(path, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at column {column})",
                            line) from None
    return parse_text(text, path)
