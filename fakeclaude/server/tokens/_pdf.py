"""What a PDF document costs: every page's image plus the text on it, read with ``pypdf``.

The API sends each page both as an image and as its extracted text (spec 8.3), so a page costs a flat
image share (``PAGE_TOKENS``, what the recorded near-empty pages cost) plus its text's tokens: a
recorded text-heavy page (2,876 characters of Lorem ipsum) costs ~1,070 tokens more than a page
reading "Dummy PDF file" in the same request.

Reading is bounded: the page texts of a PDF are remembered by content digest (an agent loop resends
the same document every turn), only the first ``MAX_TEXT_PAGES`` pages' text is read (later pages cost
the image share only) and at most ``MAX_PAGE_CHARS`` characters a page count. A PDF ``pypdf`` cannot
read costs ``PAGE_TOKENS`` per page counted from its bytes (``pdf_page_count``) as a light page: bad input
never raises here (the validation layer decides what an invalid document is).
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from collections.abc import Callable

from fakeclaude.server.tokens._media import pdf_page_count

__all__ = [
    "MAX_PAGE_CHARS",
    "MAX_TEXT_PAGES",
    "PAGE_TOKENS",
    "pdf_page_texts",
    "pdf_tokens",
]

#: A page before its text: what a recorded empty or near-empty page costs (also a page that cannot be read).
PAGE_TOKENS = 1590
#: The API reads at most 100 pages of a PDF on most models; text beyond that is not read here either.
MAX_TEXT_PAGES = 100
#: A page holding more characters than this is counted on its first ``MAX_PAGE_CHARS`` only.
MAX_PAGE_CHARS = 20_000

_pypdf_log = logging.getLogger("pypdf")


def pdf_tokens(data: bytes, text_tokens: Callable[[str], int]) -> int:
    """Tokens of the PDF ``data``: per page the image share plus ``text_tokens`` of its text.

    ``text_tokens`` is the model family's prompt-text counter. Used for base64 PDFs and for uploaded
    PDFs given by file id alike; unreadable bytes cost ``PAGE_TOKENS`` per page they seem to hold.
    """
    read = pdf_page_texts(data)
    if read is None:
        return pdf_page_count(data) * PAGE_TOKENS
    pages, texts = read
    return pages * PAGE_TOKENS + sum(text_tokens(text) for text in texts)


def pdf_page_texts(data: bytes) -> tuple[int, tuple[str, ...]] | None:
    """``(page count, text of each of the first MAX_TEXT_PAGES pages)``; ``None`` when unreadable."""
    digest = hashlib.blake2b(data, digest_size=16).digest()
    with _read_lock:
        if digest in _read_pdfs:
            return _read_pdfs[digest]
    read = _read(data)
    with _read_lock:  # requests are answered on many threads (big bodies, the transports' callers)
        if len(_read_pdfs) >= _REMEMBERED_PDFS:
            _read_pdfs.pop(next(iter(_read_pdfs), b""), None)  # the oldest
        _read_pdfs[digest] = read
    return read


_REMEMBERED_PDFS = 32
_read_pdfs: dict[bytes, tuple[int, tuple[str, ...]] | None] = {}
_read_lock = threading.Lock()


def _read(data: bytes) -> tuple[int, tuple[str, ...]] | None:
    try:
        from pypdf import PdfReader  # imported on first use: most requests hold no PDF

        level = _pypdf_log.level
        _pypdf_log.setLevel(logging.ERROR)  # a damaged xref is repaired silently, as the API does
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            pages = len(reader.pages)
            texts = tuple(
                (reader.pages[i].extract_text() or "")[:MAX_PAGE_CHARS]
                for i in range(min(pages, MAX_TEXT_PAGES))
            )
        finally:
            _pypdf_log.setLevel(level)
    except Exception:  # any malformed PDF (pypdf raises many kinds) costs the flat per-page share
        return None
    if pages <= 0:
        return None
    return pages, texts
