"""Messages answered under structured outputs: ``messages.parse(output_format=T)`` returns a ``ParsedMessage[T]``.

Each text block becomes a :class:`ParsedTextBlock` whose ``parsed_output`` holds its text validated as ``T``;
``ParsedMessage.parsed_output`` is the first one that is set. ``parsed_output`` is never sent back: it is
excluded from dumps, so ``message.content`` goes back into ``messages`` as the API sent it. As in the
official SDK, a text that is not valid JSON for ``T`` raises pydantic's ``ValidationError`` (a
``max_tokens`` cut or a refusal included): nothing is special-cased on ``stop_reason``.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Generic

import pydantic
from pydantic import Field
from typing_extensions import TypeVar

from .content import TextBlock
from .message import Message

__all__ = ["ParsedMessage", "ParsedTextBlock", "ResponseFormatT", "parse_text_block", "to_parsed_message"]

ResponseFormatT = TypeVar("ResponseFormatT", default=None)


class ParsedTextBlock(TextBlock, Generic[ResponseFormatT]):
    """A text block with its JSON text parsed as the requested ``output_format``."""

    parsed_output: ResponseFormatT | None = Field(default=None, exclude=True)

    __api_exclude__: ClassVar[set[str]] = {"parsed_output"}

    @classmethod
    def from_block(cls, block: TextBlock, parsed_output: Any) -> ParsedTextBlock[Any]:
        """``block`` (its fields, as set, and any unknown ones) with ``parsed_output`` added."""
        values = {**block.__dict__, **(block.__pydantic_extra__ or {}), "parsed_output": parsed_output}
        return cls.model_construct(_fields_set=set(block.model_fields_set), **values)


class ParsedMessage(Message, Generic[ResponseFormatT]):
    """A ``Message`` whose text blocks were parsed as the requested ``output_format``."""

    @property
    def parsed_output(self) -> ResponseFormatT | None:
        """The first text block's parsed value (``None`` when no text block parsed to a truthy value)."""
        for block in self.content:
            value = getattr(block, "parsed_output", None)
            if block.type == "text" and value:
                return value  # type: ignore[no-any-return]
        return None

    @classmethod
    def from_message(cls, message: Message, content: list[Any]) -> ParsedMessage[Any]:
        """``message`` with ``content`` in place of its blocks (fields as set, unknown ones kept)."""
        values = {**message.__dict__, **(message.__pydantic_extra__ or {}), "content": content}
        parsed = cls.model_construct(_fields_set=set(message.model_fields_set), **values)
        parsed._request_id = message._request_id
        return parsed


@functools.lru_cache(maxsize=256)
def _cached_adapter(output_format: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(output_format)


def _adapter(output_format: Any) -> pydantic.TypeAdapter[Any]:
    try:
        return _cached_adapter(output_format)
    except TypeError:  # an unhashable type expression: built each time
        return pydantic.TypeAdapter(output_format)


def parse_text_block(block: TextBlock, output_format: Any) -> ParsedTextBlock[Any]:
    """``block`` with its text validated as ``output_format`` (``None`` leaves ``parsed_output`` unset)."""
    if output_format is None:
        return ParsedTextBlock.from_block(block, None)
    return ParsedTextBlock.from_block(block, _adapter(output_format).validate_json(block.text))


def to_parsed_message(message: Message, output_format: Any) -> ParsedMessage[Any]:
    """``message`` as a ``ParsedMessage``: each text block parsed as ``output_format`` (blocks already parsed kept)."""
    content = [
        parse_text_block(block, output_format)
        if isinstance(block, TextBlock) and not isinstance(block, ParsedTextBlock)
        else block
        for block in message.content
    ]
    return ParsedMessage.from_message(message, content)
