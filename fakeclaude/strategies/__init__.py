"""Hypothesis strategies for the Claude Messages API: requests the API accepts, requests it refuses
(with the exact error), and answers, in Hypothesis's own style (plural nouns returning
``SearchStrategy``, keyword-only options checked when the strategy is made).

    from hypothesis import given
    from fakeclaude.contract import validate_request
    from fakeclaude.strategies import create_params

    @given(create_params(tools=True))
    def test_my_app_builds_valid_requests(body):
        assert validate_request(body) == []

Importing this package registers its strategies with ``st.from_type`` for the request TypedDicts of
``fakeclaude.types.params`` (``st.from_type(MessageParam)``, ``st.from_type(ToolParam)``...).
Hypothesis is an optional dependency: ``pip install 'fakeclaude[hypothesis]'``.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "fakeclaude.strategies needs Hypothesis, which is an optional extra: pip install 'fakeclaude[hypothesis]'"
    ) from exc

from fakeclaude.strategies._blocks import (
    DOCUMENT_SOURCES,
    IMAGE_MEDIA_TYPES,
    IMAGE_SOURCES,
    Image,
    document_blocks,
    image_blocks,
    images,
    text_blocks,
    texts,
)
from fakeclaude.strategies._conversations import (
    MAX_CACHE_BREAKPOINTS,
    conversations,
    count_cache_breakpoints,
    tool_use_ids,
)
from fakeclaude.strategies._invalid import INVALID_RULES, InvalidRequest, invalid_create_params
from fakeclaude.strategies._models import DEFAULT_MODELS
from fakeclaude.strategies._params import (
    THINKING_KINDS,
    batch_params,
    count_tokens_params,
    create_params,
    thinking_configs,
)
from fakeclaude.strategies._register import register_type_strategies
from fakeclaude.strategies._responses import message_responses, stream_events
from fakeclaude.strategies._tools import (
    SUPPORTED_KEYWORDS,
    tool_choices,
    tool_definitions,
    tool_inputs,
    tool_names,
)

__all__ = [
    "DEFAULT_MODELS",
    "DOCUMENT_SOURCES",
    "IMAGE_MEDIA_TYPES",
    "IMAGE_SOURCES",
    "INVALID_RULES",
    "MAX_CACHE_BREAKPOINTS",
    "SUPPORTED_KEYWORDS",
    "THINKING_KINDS",
    "Image",
    "InvalidRequest",
    "batch_params",
    "conversations",
    "count_cache_breakpoints",
    "count_tokens_params",
    "create_params",
    "document_blocks",
    "image_blocks",
    "images",
    "invalid_create_params",
    "message_responses",
    "stream_events",
    "text_blocks",
    "texts",
    "thinking_configs",
    "tool_choices",
    "tool_definitions",
    "tool_inputs",
    "tool_names",
    "tool_use_ids",
]

register_type_strategies()
