"""``fakeclaude check PATH...``: would the real API accept every request recorded in these cassettes?

Every ``*.yaml`` / ``*.yml`` / ``*.json`` cassette under each PATH (a folder, searched recursively, or a
file; fakeclaude's format or vcrpy's, YAML or JSON) is read with plain YAML loading, and each recorded
``POST`` to ``/v1/messages``, ``/v1/messages/count_tokens`` or ``/v1/messages/batches`` is checked by
:func:`fakeclaude.contract.validate_request`, with the ``anthropic-version`` and ``anthropic-beta``
headers it was recorded with (``2023-06-01`` when the recording kept no version header; ``?beta=true``
counts as the beta surface). Other requests are not checked. Output, one line per violation::

    cassettes/test_app.yaml: interaction 0: messages.1.content.0.tool_result.tool_use_id: Field required

Interactions are numbered from 0 in file order. The exit status is 0 when every request would be
accepted, 1 when there is a violation, 2 when a file could not be read (each such file gets one line
on standard error, and the others are still checked).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from fakeclaude.contract import Endpoint, validate_request
from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation import check_version

__all__ = ["CASSETTE_SUFFIXES", "Finding", "UnreadableCassette", "add_check_command", "check_cassette", "check_paths"]

CASSETTE_SUFFIXES = (".yaml", ".yml", ".json")
_ENDPOINTS: dict[str, Endpoint] = {
    "/v1/messages": "messages",
    "/v1/messages/count_tokens": "count_tokens",
    "/v1/messages/batches": "batches",
}
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnreadableCassette(Exception):
    """A file that is not a readable cassette; the message says why, in one line."""


@dataclass(frozen=True)
class Finding:
    """One violation of one recorded request: ``str()`` is the line ``fakeclaude check`` prints."""

    path: Path
    interaction: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}: interaction {self.interaction}: {self.message}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _load(path: Path) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UnreadableCassette(exc.strerror or _one_line(exc)) from None
    except UnicodeDecodeError as exc:
        raise UnreadableCassette(f"not UTF-8 text: {_one_line(exc)}") from None
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=_Loader)
    except (ValueError, yaml.YAMLError) as exc:
        raise UnreadableCassette(f"not YAML or JSON: {_one_line(exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise UnreadableCassette("not a cassette: no list of 'interactions'")
    interactions: list[Any] = data["interactions"]
    return interactions


def _headers(raw: Any) -> dict[str, str]:
    """Recorded headers, lower-cased names; vcrpy stores each value as a list."""
    if not isinstance(raw, Mapping):
        return {}
    out: dict[str, str] = {}
    for name, value in raw.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        out[str(name).lower()] = str(value)
    return out


def _body(request: Mapping[str, Any]) -> tuple[bool, Any]:
    """``(True, parsed body)``, or ``(False, why not)`` when the recorded body is not JSON."""
    body = request.get("parsed_body", request.get("body"))
    if isinstance(body, Mapping) and set(body) == {"json"}:
        return True, body["json"]
    if isinstance(body, Mapping) and set(body) == {"string"}:
        body = body["string"]
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str):
        try:
            return True, json.loads(body)
        except ValueError as exc:
            return False, f"the recorded body is not JSON: {_one_line(exc)}"
    if body is None:
        return False, "the recorded request has no body"
    return True, body


def _findings(path: Path, index: int, interaction: Any, *, strict: bool) -> Iterator[Finding]:
    request = interaction.get("request") if isinstance(interaction, Mapping) else None
    if not isinstance(request, Mapping):
        yield Finding(path, index, "not an interaction: no 'request'")
        return
    url = urlsplit(str(request.get("uri", "")))
    endpoint = _ENDPOINTS.get(url.path.rstrip("/"))
    if endpoint is None or str(request.get("method", "")).upper() != "POST":
        return
    headers = _headers(request.get("headers"))
    headers.setdefault("anthropic-version", "2023-06-01")
    try:
        version = check_version(headers)
    except ApiError as exc:  # a version the API does not know: nothing else can be checked
        yield Finding(path, index, exc.message)
        return
    betas = {n.strip() for n in headers.get("anthropic-beta", "").split(",") if n.strip()}
    if not betas and parse_qs(url.query).get("beta") == ["true"]:
        betas.add("beta=true")
    ok, body = _body(request)
    if not ok:
        yield Finding(path, index, body)
        return
    violations = validate_request(body, endpoint=endpoint, api_version=version, betas=betas, strict=strict)
    for violation in violations:
        yield Finding(path, index, violation.message)


def check_cassette(path: Path, *, strict: bool = True) -> list[Finding]:
    """Every violation in the requests recorded in the cassette ``path``.

    Raises :class:`UnreadableCassette` when it cannot be read as a cassette.
    """
    found: list[Finding] = []
    for index, interaction in enumerate(_load(path)):
        found.extend(_findings(path, index, interaction, strict=strict))
    return found


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in CASSETTE_SUFFIXES and p.is_file())
        else:
            yield path


def check_paths(paths: Sequence[Path], *, strict: bool = True) -> int:
    """Print every finding (standard output) and unreadable file (standard error); the exit status."""
    status = 0
    for path in _files(paths):
        try:
            findings = check_cassette(path, strict=strict)
        except UnreadableCassette as exc:
            print(f"fakeclaude check: {path}: {exc}", file=sys.stderr)
            status = 2
            continue
        for finding in findings:
            print(finding)
        if findings and status == 0:
            status = 1
    return status


def _run(args: argparse.Namespace) -> int:
    return check_paths([Path(p) for p in args.paths], strict=args.validation == "strict")


def add_check_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``fakeclaude check`` on the command line's subcommands."""
    check = commands.add_parser(
        "check", help="check that the real API would accept every request recorded in cassettes",
        description=(
            "Validate every Messages API request recorded in cassettes (folders are searched for "
            "*.yaml, *.yml and *.json) as the fake validates; print one line per violation. "
            "Exit status: 0 all valid, 1 a violation, 2 an unreadable file."
        ),
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="a cassette file or a folder of them")
    check.add_argument(
        "--validation", choices=("strict", "lenient"), default="strict",
        help="strict: the API's semantic checks; lenient: schema-level checks only (default: %(default)s)",
    )
    check.set_defaults(command=_run)
