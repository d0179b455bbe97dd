"""Stand-ins for the stored files a recorded request names (the recordings hold the requests, not the
account's files): before a recorded body is replayed, each ``file_id`` it uses is stored in the fake
under that same id, with bytes of a type that fits the block naming it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakeclaude.server import FakeClaude
from fakeclaude.server.file_refs import file_references
from tests.seed_support import tiny_pdf, tiny_png

_STAND_INS = {
    "image": (tiny_png(), "image.png", "image/png"),
    "document": (tiny_pdf(1), "document.pdf", "application/pdf"),
    "container_upload": (b"item,value\napple,30\nbanana,70\n", "data.csv", "text/csv"),
}


def stand_in_files(fake: FakeClaude, body: Mapping[str, Any]) -> int:
    """Store a fitting file under every id ``body`` names that the fake does not hold; how many were stored."""
    stored = 0
    for _, kind, file_id in file_references(body):
        if fake.files.lookup(file_id) is None:
            content, name, mime = _STAND_INS[kind]
            fake.files.create(content, filename=name, mime_type=mime, file_id=file_id)
            stored += 1
    return stored
