"""The strategies' images and PDFs are real files: Pillow and pypdf open them with what was asked for.

The fake reads the same bytes (its image-size and page-count code for token counting, its magic-number
check for the media type) and must agree.
"""

from __future__ import annotations

import io
import os

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from fakeclaude.server.tokens._media import image_dimensions, pdf_page_count
from fakeclaude.server.validation._media import count_pdf_pages, sniff_image
from fakeclaude.strategies import IMAGE_MEDIA_TYPES, images
from fakeclaude.strategies._media import (
    IMAGE_WRITERS,
    gif_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    webp_bytes,
)

PROPERTIES = settings(settings.get_profile(os.environ.get("FAKECLAUDE_PROPERTY_PROFILE", "contract")))
PIL_FORMAT = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}


def opened(data: bytes) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(data))
    image.load()  # decode every pixel, not only the header
    return image


@pytest.mark.parametrize("media_type", IMAGE_MEDIA_TYPES)
@pytest.mark.parametrize("size", [(1, 1), (8, 8), (9, 7), (3, 40), (130, 65)])
def test_each_writer_makes_an_image_of_its_type_and_size(media_type: str, size: tuple[int, int]) -> None:
    data = IMAGE_WRITERS[media_type](*size)
    image = opened(data)
    assert (image.format, image.size) == (PIL_FORMAT[media_type], size)
    assert sniff_image(data[:16]) == media_type
    assert image_dimensions(data) == size


def test_images_are_of_the_colour_asked_for() -> None:
    assert opened(png_bytes(5, 4, (1, 2, 3))).getpixel((4, 3)) == (1, 2, 3)
    assert opened(webp_bytes(5, 4, (10, 200, 30))).convert("RGB").getpixel((4, 3)) == (10, 200, 30)
    assert opened(gif_bytes(5, 4, (40, 50, 60))).convert("RGB").getpixel((4, 3)) == (40, 50, 60)
    for grey in (0, 1, 77, 128, 200, 255):
        assert opened(jpeg_bytes(17, 9, grey)).getpixel((16, 8)) == grey


@PROPERTIES
@given(images())
def test_drawn_images_decode_with_their_stated_dimensions(image: object) -> None:
    from fakeclaude.strategies import Image

    assert isinstance(image, Image)
    decoded = opened(image.data)
    assert (PIL_FORMAT[image.media_type], decoded.size) == (decoded.format, (image.width, image.height))


@pytest.mark.parametrize("pages", [["One page."], ["Page (one)", "Page two \\ back", "ünïcode"], [f"p{i}" for i in range(100)]])
def test_pdfs_open_with_their_pages_and_text(pages: list[str]) -> None:
    data = pdf_bytes(pages)
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == len(pages)
    assert reader.pages[0].extract_text() == pages[0]
    assert reader.pages[-1].extract_text() == pages[-1]
    assert pdf_page_count(data) == count_pdf_pages(data) == len(pages)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: png_bytes(0, 5), "image dimensions must be 1-8000 pixels, not 0x5"),
    (lambda: pdf_bytes([]), "a PDF must have 1-100 pages (the API's limit), not 0"),
    (lambda: pdf_bytes(["x"] * 101), "a PDF must have 1-100 pages (the API's limit), not 101"),
])  # fmt: skip
def test_impossible_files_are_refused(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()  # type: ignore[operator]


@PROPERTIES
@given(st.integers(1, 300), st.integers(1, 300))
def test_jpeg_of_any_size_decodes(width: int, height: int) -> None:
    assert opened(jpeg_bytes(width, height)).size == (width, height)
