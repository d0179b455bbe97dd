"""Recorded Files API exchanges replayed against the fake, each recording in order against one fresh fake.

Every recording (repo + file) with a call to ``api.anthropic.com/v1/files`` is replayed whole: its
uploads (the recorded multipart bodies and Content-Type, boundary included), the Messages requests
that use the uploaded files (recorded ids mapped to the ids the fake gave), and its deletes. Each
exchange must get the real verdict; an upload answers a ``FileMetadata`` with exactly the recorded keys
and the recorded filename, mime type, size and ``downloadable``; a delete answers exactly
``{"id", "type": "file_deleted"}``. Files a recording uses without uploading them (a fixture uploaded
them outside the recording) are stood in for, as in ``test_server_real_traffic``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock
from tests.conformance._files import stand_in_files
from tests.real_traffic import INTERACTIONS, absent_reason, interactions

pytestmark = pytest.mark.skipif(not INTERACTIONS.exists(), reason=absent_reason())

_HOST = "https://api.anthropic.com"
_FORWARDED = ("anthropic-beta", "content-type")


def _recordings() -> dict[str, list[dict[str, Any]]]:
    """The recordings that call the Files API: every Anthropic exchange in them, in recorded order."""
    by_file: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in interactions():
        if row["url"].startswith(_HOST):
            by_file[f"{row['repo']}:{row['path']}"].append(row)
    return {name: sorted(rows, key=lambda r: r["idx"]) for name, rows in by_file.items()
            if any(httpx2.URL(r["url"]).path.startswith("/v1/files") for r in rows)}


RECORDINGS = _recordings() if INTERACTIONS.exists() else {}


def _upload_body(raw: Any) -> bytes:
    """The recorded multipart body: kept as text, or base64 where it held binary bytes."""
    assert isinstance(raw, str)
    if raw.startswith("--"):
        return raw.encode("utf-8", "surrogateescape")
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return raw.encode("utf-8", "surrogateescape")


def _headers(row: Mapping[str, Any]) -> dict[str, str]:
    recorded = {k: ", ".join(v) if isinstance(v, list) else str(v) for k, v in (row.get("req_headers") or {}).items()}
    out = {"x-api-key": "sk-conformance", "anthropic-version": "2023-06-01"}
    out.update({k: recorded[k] for k in _FORWARDED if k in recorded})
    return out


def _mapped(value: str, ids: Mapping[str, str]) -> str:
    for recorded, ours in ids.items():
        value = value.replace(recorded, ours)
    return value


def _status(row: Mapping[str, Any]) -> int:
    status = row["status"]
    return int(status["code"] if isinstance(status, dict) else status)


def _replay(rows: list[dict[str, Any]]) -> list[str]:
    """The disagreements of one recording (empty when the fake agrees on every exchange)."""
    fake = FakeClaude(seed=3, clock=FakeClock())
    ids: dict[str, str] = {}
    problems: list[str] = []
    with httpx2.Client(transport=fake.httpx2_transport(), base_url=_HOST) as client:
        for row in rows:
            url = httpx2.URL(_mapped(row["url"], ids))
            where = f"#{row['idx']} {row['method']} {url.path}"
            if url.path.startswith("/v1/files") and row["method"] == "POST":
                content = _upload_body(row["req_body"])
            else:
                body = row.get("req_body")
                if isinstance(body, dict):
                    body = json.loads(_mapped(json.dumps(body), ids))
                    stand_in_files(fake, body)
                content = b"" if body is None else json.dumps(body).encode()
            answer = client.request(row["method"], url.path, params=dict(url.params.multi_items()),
                                    headers=_headers(row), content=content)
            if answer.status_code != _status(row):
                problems.append(f"{where}: real {_status(row)}, fake {answer.status_code} {answer.text[:200]}")
                continue
            real = row.get("resp_json")
            if url.path == "/v1/files" and row["method"] == "POST" and isinstance(real, dict):
                ours = answer.json()
                ids[real["id"]] = ours["id"]
                if set(ours) != set(real):
                    problems.append(f"{where}: FileMetadata keys {sorted(ours)} != recorded {sorted(real)}")
                for key in ("filename", "mime_type", "size_bytes", "downloadable", "type"):
                    if ours.get(key) != real.get(key):
                        problems.append(f"{where}: {key} {ours.get(key)!r} != recorded {real.get(key)!r}")
            elif row["method"] == "DELETE" and isinstance(real, dict):
                expected = {**real, "id": ids.get(real["id"], real["id"])}
                if answer.json() != expected:
                    problems.append(f"{where}: delete answered {answer.json()} not {expected}")
    return problems


def test_the_recordings_hold_files_exchanges() -> None:
    uploads = sum(1 for rows in RECORDINGS.values() for r in rows
                  if r["method"] == "POST" and httpx2.URL(r["url"]).path == "/v1/files")
    assert len(RECORDINGS) >= 10 and uploads >= 10


@pytest.mark.parametrize("name", sorted(RECORDINGS))
def test_a_recording_with_files_replays_with_the_real_verdicts_and_shapes(name: str) -> None:
    assert _replay(RECORDINGS[name]) == []
