"""Citations carried by input ``text`` blocks (echoed back from earlier answers)."""

from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

__all__ = [
    "CitationCharLocationParam",
    "CitationContentBlockLocationParam",
    "CitationPageLocationParam",
    "CitationSearchResultLocationParam",
    "CitationWebSearchResultLocationParam",
    "TextCitationParam",
]


class CitationCharLocationParam(TypedDict, total=False):
    """A span of characters in a plain-text document (end index exclusive)."""

    type: Required[Literal["char_location"]]
    cited_text: Required[str]
    document_index: Required[int]
    document_title: Required[str | None]
    start_char_index: Required[int]
    end_char_index: Required[int]


class CitationPageLocationParam(TypedDict, total=False):
    """A range of pages in a PDF document (1-based, end exclusive)."""

    type: Required[Literal["page_location"]]
    cited_text: Required[str]
    document_index: Required[int]
    document_title: Required[str | None]
    start_page_number: Required[int]
    end_page_number: Required[int]


class CitationContentBlockLocationParam(TypedDict, total=False):
    """A range of blocks in a custom-content document (0-based, end exclusive)."""

    type: Required[Literal["content_block_location"]]
    cited_text: Required[str]
    document_index: Required[int]
    document_title: Required[str | None]
    start_block_index: Required[int]
    end_block_index: Required[int]


class CitationWebSearchResultLocationParam(TypedDict, total=False):
    """A passage of a web search result."""

    type: Required[Literal["web_search_result_location"]]
    cited_text: Required[str]
    encrypted_index: Required[str]
    title: Required[str | None]
    url: Required[str]


class CitationSearchResultLocationParam(TypedDict, total=False):
    """A range of blocks in a ``search_result`` block the request supplied."""

    type: Required[Literal["search_result_location"]]
    cited_text: Required[str]
    search_result_index: Required[int]
    source: Required[str]
    title: Required[str | None]
    start_block_index: Required[int]
    end_block_index: Required[int]


TextCitationParam: TypeAlias = (
    CitationCharLocationParam
    | CitationPageLocationParam
    | CitationContentBlockLocationParam
    | CitationWebSearchResultLocationParam
    | CitationSearchResultLocationParam
)
