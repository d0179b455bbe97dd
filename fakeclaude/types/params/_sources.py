"""Where an ``image`` or ``document`` block takes its bytes from."""

from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

__all__ = [
    "Base64ImageSourceParam",
    "Base64PDFSourceParam",
    "FileDocumentSourceParam",
    "FileImageSourceParam",
    "ImageMediaType",
    "ImageSourceParam",
    "PlainTextSourceParam",
    "URLImageSourceParam",
    "URLPDFSourceParam",
]

ImageMediaType: TypeAlias = Literal["image/jpeg", "image/png", "image/gif", "image/webp"]


class Base64ImageSourceParam(TypedDict, total=False):
    """Image bytes inline, base64-encoded (5 MB limit per image)."""

    type: Required[Literal["base64"]]
    media_type: Required[ImageMediaType]
    data: Required[str]


class URLImageSourceParam(TypedDict, total=False):
    """An image the API downloads itself."""

    type: Required[Literal["url"]]
    url: Required[str]


class FileImageSourceParam(TypedDict, total=False):
    """An image uploaded earlier through the Files API."""

    type: Required[Literal["file"]]
    file_id: Required[str]


ImageSourceParam: TypeAlias = Base64ImageSourceParam | URLImageSourceParam | FileImageSourceParam


class Base64PDFSourceParam(TypedDict, total=False):
    """A PDF inline, base64-encoded."""

    type: Required[Literal["base64"]]
    media_type: Required[Literal["application/pdf"]]
    data: Required[str]


class URLPDFSourceParam(TypedDict, total=False):
    """A PDF the API downloads itself."""

    type: Required[Literal["url"]]
    url: Required[str]


class PlainTextSourceParam(TypedDict, total=False):
    """A plain-text document (citations point at character ranges)."""

    type: Required[Literal["text"]]
    media_type: Required[Literal["text/plain"]]
    data: Required[str]


class FileDocumentSourceParam(TypedDict, total=False):
    """A document uploaded earlier through the Files API."""

    type: Required[Literal["file"]]
    file_id: Required[str]
