"""Content blocks of requests: text, images (real bytes of every media type) and documents (real PDFs)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any, NamedTuple, cast

from hypothesis import strategies as st

from fakeclaude.strategies._media import IMAGE_WRITERS, pdf_bytes
from fakeclaude.strategies._options import as_dicts, check_bool_or_none, check_choices, check_int_range
from fakeclaude.types.params import DocumentBlockParam, ImageBlockParam, TextBlockParam

__all__ = [
    "DOCUMENT_SOURCES",
    "IMAGE_MEDIA_TYPES",
    "IMAGE_SOURCES",
    "Image",
    "document_blocks",
    "image_blocks",
    "images",
    "text_blocks",
    "texts",
]

IMAGE_MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
IMAGE_SOURCES = ("base64", "url")
DOCUMENT_SOURCES = ("base64", "text", "content")

_WORDS = (
    "weather", "Paris", "tomorrow", "invoice", "total", "summary", "chapter", "hello", "why", "list",
    "été", "naïve", "東京", "🌦️", "über", "42", "3.14", "line\nbreak", "tab\there", "quote\"d",
)  # fmt: skip
_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))


def texts(*, min_size: int = 1, max_size: int = 80, trailing_whitespace: bool = True) -> st.SearchStrategy[str]:
    """Prompt text with something besides whitespace: words (some non-ASCII) and arbitrary characters.

    ``trailing_whitespace=False`` gives text a final assistant turn (a prefill) may end with.

        >>> texts(max_size=10).example()  # doctest: +SKIP
        'Paris été'
    """
    check_int_range("min_size", min_size, 1)
    check_int_range("max_size", max_size, min_size)
    words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6).map(" ".join)
    free = st.text(_ALPHABET, min_size=min_size, max_size=max_size)
    out = (words | free).map(lambda s: s[:max_size])
    if not trailing_whitespace:
        out = out.map(str.rstrip)
    return out.filter(lambda s: len(s) >= min_size and not s.isspace())  # the API refuses whitespace-only text


def _cache_control(knob: bool | None) -> st.SearchStrategy[dict[str, Any] | None]:
    if knob is False:
        return st.none()
    marker = st.just({"type": "ephemeral"}) | st.just({"type": "ephemeral", "ttl": "5m"})
    return marker if knob else st.none() | marker


def _with_cache(block: dict[str, Any], cache: dict[str, Any] | None) -> dict[str, Any]:
    if cache is not None:
        block["cache_control"] = cache
    return block


def text_blocks(
    *, min_size: int = 1, max_size: int = 80, cache_control: bool | None = False
) -> st.SearchStrategy[TextBlockParam]:
    """``{"type": "text", "text": ...}`` with non-empty text (the API refuses empty text blocks).

    ``cache_control``: True puts a cache breakpoint on every block, None on some, False (default) on none.

        >>> text_blocks().example()  # doctest: +SKIP
        {'type': 'text', 'text': 'weather Paris'}
    """
    check_bool_or_none("cache_control", cache_control)
    blocks = st.builds(
        lambda text, cache: _with_cache({"type": "text", "text": text}, cache),
        texts(min_size=min_size, max_size=max_size),
        _cache_control(cache_control),
    )
    return cast("st.SearchStrategy[TextBlockParam]", blocks)


class Image(NamedTuple):
    """An image file: its media type, its dimensions in pixels, and its bytes."""

    media_type: str
    width: int
    height: int
    data: bytes

    @property
    def base64(self) -> str:
        """The bytes as standard base64 (what a ``base64`` image source carries)."""
        return base64.b64encode(self.data).decode("ascii")


def images(
    *, media_types: Sequence[str] = IMAGE_MEDIA_TYPES, min_side: int = 1, max_side: int = 48
) -> st.SearchStrategy[Image]:
    """Real one-colour images (PNG, JPEG, GIF, WebP) that decoders open with the drawn dimensions.

        >>> image = images(media_types=["image/png"]).example()
        >>> image.data[:4], image.width >= 1
        (b'\\x89PNG', True)
    """
    kinds = check_choices("media_types", media_types, IMAGE_MEDIA_TYPES)
    check_int_range("min_side", min_side, 1)
    check_int_range("max_side", max_side, min_side, 2000)
    side = st.integers(min_side, max_side)

    def image(kind: str, width: int, height: int) -> Image:
        return Image(kind, width, height, IMAGE_WRITERS[kind](width, height))

    return st.builds(
        image,
        st.sampled_from(kinds),
        side,
        side,
    )


def image_blocks(
    *,
    media_types: Sequence[str] = IMAGE_MEDIA_TYPES,
    sources: Sequence[str] = IMAGE_SOURCES,
    max_side: int = 48,
    cache_control: bool | None = False,
) -> st.SearchStrategy[ImageBlockParam]:
    """``{"type": "image", "source": ...}``: base64 sources carry a real image of the declared media type
    (see :func:`images`), url sources an https address.

        >>> block = image_blocks(sources=["base64"]).example()
        >>> block["source"]["type"], block["source"]["media_type"] in IMAGE_MEDIA_TYPES
        ('base64', True)
    """
    kinds = check_choices("sources", sources, IMAGE_SOURCES)
    check_bool_or_none("cache_control", cache_control)
    options: list[st.SearchStrategy[dict[str, Any]]] = []
    if "base64" in kinds:
        options.append(
            images(media_types=media_types, max_side=max_side).map(
                lambda im: {"type": "base64", "media_type": im.media_type, "data": im.base64}
            )
        )
    if "url" in kinds:
        names = st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)
        options.append(
            st.builds(
                lambda name, ext: {"type": "url", "url": f"https://images.example.com/{name}.{ext}"},
                names,
                st.sampled_from(["png", "jpg", "gif", "webp"]),
            )
        )
    blocks = st.builds(
        lambda source, cache: _with_cache({"type": "image", "source": source}, cache),
        st.one_of(options),
        _cache_control(cache_control),
    )
    return cast("st.SearchStrategy[ImageBlockParam]", blocks)


def _pdf_source(pages: list[str]) -> dict[str, Any]:
    data = base64.b64encode(pdf_bytes(pages)).decode("ascii")
    return {"type": "base64", "media_type": "application/pdf", "data": data}


@st.composite
def _document(
    draw: st.DrawFn, kinds: tuple[str, ...], max_pages: int, citations: bool | None, cache: bool | None
) -> dict[str, Any]:
    kind = draw(st.sampled_from(kinds))
    if kind == "base64":
        pages = draw(st.lists(texts(max_size=60), min_size=1, max_size=max_pages))
        source = _pdf_source(pages)
    elif kind == "text":
        source = {"type": "text", "media_type": "text/plain", "data": draw(texts(max_size=200))}
    else:
        content = draw(texts() | st.lists(as_dicts(text_blocks()), min_size=1, max_size=3))
        source = {"type": "content", "content": content}
    block: dict[str, Any] = {"type": "document", "source": source}
    if draw(st.booleans()):
        block["title"] = draw(texts(max_size=30))
    if draw(st.booleans()):
        block["context"] = draw(texts(max_size=60))
    if citations is not False and (citations or draw(st.booleans())):
        block["citations"] = {"enabled": True}
    return _with_cache(block, draw(_cache_control(cache)))


def document_blocks(
    *,
    sources: Sequence[str] = DOCUMENT_SOURCES,
    max_pages: int = 3,
    citations: bool | None = None,
    cache_control: bool | None = False,
) -> st.SearchStrategy[DocumentBlockParam]:
    """``{"type": "document", ...}`` with a real PDF of 1..``max_pages`` pages of text (``base64``), plain
    text (``text``) or content blocks (``content``); sometimes a title and context; ``citations`` True
    turns citations on, None sometimes, False never.

        >>> block = document_blocks(sources=["base64"]).example()
        >>> base64.b64decode(block["source"]["data"])[:5]
        b'%PDF-'
    """
    kinds = check_choices("sources", sources, DOCUMENT_SOURCES)
    check_int_range("max_pages", max_pages, 1, 100)
    check_bool_or_none("citations", citations)
    check_bool_or_none("cache_control", cache_control)
    return cast("st.SearchStrategy[DocumentBlockParam]", _document(kinds, max_pages, citations, cache_control))
