"""The one token heuristic behind ``count_tokens``, ``usage`` and prompt caching (pure, deterministic).

``_prompt`` counts what a request costs (its input tokens, and the same sum cut at every cache
breakpoint); ``_output`` what an answer's content blocks cost; ``_text``, ``_media`` and ``_families``
hold the text splitter, image and PDF sizes, and the per-family constants they share.
"""

from fakeclaude.server.tokens._iterations import iterations_input_tokens, sampling_iterations
from fakeclaude.server.tokens._output import block_output_tokens, output_tokens_of
from fakeclaude.server.tokens._prompt import (
    URL_IMAGE_SIZE,
    FileBytes,
    ImageSizes,
    PromptTokens,
    count_request_tokens,
    count_text_tokens,
    image_dimensions,
    image_tokens,
    measure_prompt,
    pdf_page_count,
    prefix_token_counts,
    split_into_tokens,
)

__all__ = [
    "FileBytes",
    "ImageSizes",
    "PromptTokens",
    "URL_IMAGE_SIZE",
    "block_output_tokens",
    "count_request_tokens",
    "count_text_tokens",
    "image_dimensions",
    "image_tokens",
    "iterations_input_tokens",
    "measure_prompt",
    "output_tokens_of",
    "pdf_page_count",
    "prefix_token_counts",
    "sampling_iterations",
    "split_into_tokens",
]
