"""The token heuristic behind both ``count_tokens`` and ``usage`` (pure, deterministic, fast).

A request costs, per model family (constants in ``fakeclaude.server.tokens._families``, fitted on
real recorded usage, see ``benchmarks/token_calibration.py``)::

    base                                  framing of the request and its first turn
  + per_message * (len(messages) - 1)     framing of every further turn
  + system + text(system)                 when a system prompt is given
  + tool_prompt[auto|any] + per_tool * n  the hidden tool-use system prompt (spec 8.1) and tool framing
      + tool_json * text(definition JSON)
  + thinking                              when ``thinking`` is enabled or adaptive
  + format + format_json * text(schema)   structured outputs: the hidden format instructions (87 + 1.55 x
                                          the schema's compact JSON, fitted on the 68 recorded answers;
                                          after the messages, so no cache prefix includes it)
  + content blocks                        text; images (w*h/750); PDFs (pages); tool_use / tool_result;
                                          thinking of the current assistant turn only (older turns'
                                          thinking is stripped, as the API does)

``prefix_token_counts`` cuts the same sum at every ``cache_control`` breakpoint, in the API's prefix
order tools -> system -> messages, for the prompt-caching logic. ``measure_prompt`` gives both from one
pass; validation calls it once per request and hands the result on (``Validated.prompt``) to usage and
prompt caching. Counts of texts up to 4,096 characters are remembered (``tokens._text.count_pieces``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from fakeclaude.server.catalog import ModelSpec
from fakeclaude.server.structured import output_schema
from fakeclaude.server.tokens._families import SERVER_TOOL_TOKENS, Family, family_of
from fakeclaude.server.tokens._media import image_dimensions, image_tokens, pdf_page_count
from fakeclaude.server.tokens._text import count_pieces, pattern

__all__ = [
    "FileBytes",
    "count_request_tokens",
    "count_text_tokens",
    "image_dimensions",
    "image_tokens",
    "measure_prompt",
    "pdf_page_count",
    "PromptTokens",
    "prefix_token_counts",
    "split_into_tokens",
]

_FORCED = frozenset({"any", "tool"})
_FORMAT_PROMPT = 87  # structured outputs: format instructions, plus _FORMAT_JSON x the schema's tokens
_FORMAT_JSON = 1.55
_PTC_PROMPT = 2500  # tools callable from code execution (programmatic tool calling) add its prompt
_PDF_PAGE = 1590  # a light page as recorded (spec 8.3 documents 1,500-3,000 text tokens + the page image)
_UNKNOWN_IMAGE = image_tokens(1092, 1092)  # an image whose size cannot be read (URL, unknown file id)

FileBytes = Callable[[str], "tuple[str, bytes] | None"]
"""What a ``file_id`` source holds: ``(mime_type, bytes)`` of a stored file, or None when it is unknown.
With it, a file-sourced image or document counts exactly as the same bytes sent inline."""


def count_text_tokens(text: str, spec: ModelSpec | None = None) -> int:
    """Tokens of plain or generated text; equals ``len(split_into_tokens(text, spec))``."""
    return count_pieces(text, family_of(spec).chunk)


def split_into_tokens(text: str, spec: ModelSpec | None = None) -> list[str]:
    """``text`` cut into token-sized pieces: ``"".join(pieces) == text``, one piece per counted token."""
    return [m.group() for m in pattern(family_of(spec).chunk).finditer(text)]


class PromptTokens(NamedTuple):
    """A request's input tokens, counted once: the total and the cumulative count at each cache breakpoint."""

    total: int
    marks: tuple[tuple[str, int], ...]  # ``(path, tokens up to and including the marked block)``, prefix order


def measure_prompt(body: Mapping[str, Any], spec: ModelSpec, files: FileBytes | None = None) -> PromptTokens:
    """Count ``body``'s input tokens for the model ``spec`` in one pass (see ``prefix_token_counts``).

    ``files`` resolves ``{"type": "file", "file_id": ...}`` sources to their stored bytes."""
    segments = _count_segments(body, spec, files)
    total = 0
    marks: list[tuple[str, int]] = []
    last_block, last_end = "", 0
    for path, tokens, marked in segments:
        total += tokens
        if path.startswith("messages."):
            last_block, last_end = path, total
        if marked and (not marks or marks[-1][0] != path):
            marks.append((path, total))
    if last_block and isinstance(body.get("cache_control"), Mapping) and not any(p == last_block for p, _ in marks):
        marks.append((last_block, last_end))
        marks.sort(key=lambda item: item[1])
    return PromptTokens(total, tuple(marks))


def count_request_tokens(body: Mapping[str, Any], spec: ModelSpec) -> int:
    """Input tokens of a ``messages.create`` / ``count_tokens`` body for the model ``spec``."""
    return measure_prompt(body, spec).total


def prefix_token_counts(body: Mapping[str, Any], spec: ModelSpec) -> list[tuple[str, int]]:
    """``(path, cumulative tokens)`` at each ``cache_control`` breakpoint, in order tools -> system -> messages.

    ``path`` names the marked block the way error texts do: ``tools.1``, ``system.0``,
    ``messages.2.content.0``. The count includes every token before the block and the block itself,
    so the last entry's count is at most ``count_request_tokens(body, spec)``. A top-level
    ``cache_control`` (automatic caching) adds a breakpoint on the last block of the last message.
    """
    return list(measure_prompt(body, spec).marks)


def _count_segments(body: Mapping[str, Any], spec: ModelSpec,
                    files: FileBytes | None = None) -> list[tuple[str, int, bool]]:
    fam = family_of(spec)
    segs: list[tuple[str, int, bool]] = [("", fam.base, False)]
    tools = body.get("tools")
    if tools and isinstance(tools, Sequence):
        choice = body.get("tool_choice")
        forced = isinstance(choice, Mapping) and choice.get("type") in _FORCED
        segs.append(("", fam.tool_any if forced else fam.tool_auto, False))
        if any(isinstance(t, Mapping) and t.get("allowed_callers") for t in tools):
            segs.append(("", _PTC_PROMPT, False))
        for i, tool in enumerate(tools):
            if isinstance(tool, Mapping):
                segs.append((f"tools.{i}", _tool_tokens(tool, fam), _marked(tool)))
    system = body.get("system")
    if isinstance(system, str) and system:
        segs.append(("system", fam.system + _text(system, fam), False))
    elif system and isinstance(system, Sequence):
        segs.append(("", fam.system, False))
        for i, block in enumerate(system):
            if isinstance(block, Mapping):
                segs.append((f"system.{i}", _text(str(block.get("text", "")), fam), _marked(block)))
    thinking = body.get("thinking")
    if thinking and isinstance(thinking, Mapping) and thinking.get("type") in ("enabled", "adaptive"):
        segs.append(("", fam.thinking, False))
    messages = body.get("messages")
    if isinstance(messages, Sequence):
        segs.extend(_message_segments(messages, fam, files))
    found = output_schema(body)
    if found is not None:
        segs.append(("", _FORMAT_PROMPT + round(_FORMAT_JSON * _text(_json(found[1]), fam)), False))
    return segs


def _message_segments(messages: Sequence[Any], fam: Family,
                      files: FileBytes | None = None) -> Iterator[tuple[str, int, bool]]:
    current = _current_assistant_turn(messages)
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping):
            continue
        if i:
            yield ("", fam.per_message, False)
        content = message.get("content")
        if isinstance(content, str):
            yield (f"messages.{i}", _text(content, fam), False)
            continue
        if not isinstance(content, Sequence):
            continue
        for j, block in enumerate(content):
            if isinstance(block, Mapping):
                tokens = _block_tokens(block, fam, keep_thinking=i == current, files=files)
                yield (f"messages.{i}.content.{j}", tokens, _marked(block))


def _current_assistant_turn(messages: Sequence[Any]) -> int:
    """Index of the assistant turn whose thinking still counts (a tool-use loop in progress), or -1."""
    last = len(messages) - 1
    if last >= 0 and _role(messages[last]) == "assistant":
        return last
    if last >= 1 and _role(messages[last - 1]) == "assistant":
        content = messages[last].get("content") if isinstance(messages[last], Mapping) else None
        if isinstance(content, list) and any(
            isinstance(b, Mapping) and b.get("type") == "tool_result" for b in content
        ):
            return last - 1
    return -1


def _role(message: Any) -> Any:
    return message.get("role") if isinstance(message, Mapping) else None


def _marked(block: Mapping[str, Any]) -> bool:
    control = block.get("cache_control")
    return control is not None and isinstance(control, Mapping)


def _text(text: str, fam: Family) -> int:
    return count_pieces(text, fam.chunk)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def _tool_tokens(tool: Mapping[str, Any], fam: Family) -> int:
    kind = str(tool.get("type") or "custom")
    if kind != "custom" and "input_schema" not in tool:
        prefixes = [p for p in SERVER_TOOL_TOKENS if kind.startswith(p)]
        return SERVER_TOOL_TOKENS[max(prefixes, key=len)] if prefixes else fam.per_tool
    if tool.get("defer_loading"):
        return fam.per_tool // 2
    fields = {k: tool[k] for k in ("name", "description", "input_schema") if k in tool}
    return fam.per_tool + round(fam.tool_json * _text(_json(fields), fam))


def _block_tokens(block: Mapping[str, Any], fam: Family, *, keep_thinking: bool,
                  files: FileBytes | None = None) -> int:
    kind = block.get("type")
    if kind == "text":
        return _text(str(block.get("text", "")), fam)
    if kind == "image":
        return 3 + _image_block_tokens(block.get("source"), files)
    if kind == "document":
        return 8 + _document_tokens(block.get("source"), fam, files)
    if kind in ("tool_use", "server_tool_use"):
        return 10 + _text(str(block.get("name", "")), fam) + _text(_json(block.get("input", {})), fam)
    if kind == "tool_result" or (isinstance(kind, str) and kind.endswith("_tool_result")):
        inner = block.get("content", "")
        if isinstance(inner, str):
            return 6 + _text(inner, fam)
        if isinstance(inner, Sequence):
            blocks = [b for b in inner if isinstance(b, Mapping)]
            return 6 + sum(_block_tokens(b, fam, keep_thinking=False, files=files) for b in blocks)
        return 6
    if kind == "thinking":
        return 4 + _text(str(block.get("thinking", "")), fam) if keep_thinking else 0
    if kind == "redacted_thinking":
        return 4 + len(str(block.get("data", ""))) // 8 if keep_thinking else 0
    if kind == "search_result":
        return 8 + _text(_json(block), fam)
    return _text(_json(block), fam)


def _decode(data: Any) -> bytes | None:
    if not isinstance(data, str):
        return None
    try:
        return base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        return None


def _source_bytes(source: Mapping[str, Any], files: FileBytes | None) -> tuple[str | None, bytes | None]:
    """``(media type, bytes)`` of a base64 or file source: the one place both kinds are read."""
    kind = source.get("type")
    if kind == "base64":
        media = source.get("media_type")
        return (media if isinstance(media, str) else None), _decode(source.get("data"))
    if kind == "file" and files is not None:
        found = files(str(source.get("file_id", "")))
        if found is not None:
            return found
    return None, None


def _image_bytes_tokens(raw: bytes | None) -> int:
    dims = image_dimensions(raw) if raw else None
    return image_tokens(*dims) if dims else _UNKNOWN_IMAGE


def _pdf_tokens(raw: bytes | None) -> int:
    return (pdf_page_count(raw) if raw else 1) * _PDF_PAGE


def _image_block_tokens(source: Any, files: FileBytes | None = None) -> int:
    if not isinstance(source, Mapping):
        return _UNKNOWN_IMAGE
    return _image_bytes_tokens(_source_bytes(source, files)[1])


def _document_tokens(source: Any, fam: Family, files: FileBytes | None = None) -> int:
    if not isinstance(source, Mapping):
        return 0
    kind = source.get("type")
    if kind == "text":
        return _text(str(source.get("data", "")), fam)
    if kind == "content":
        inner = source.get("content")
        if isinstance(inner, str):
            return _text(inner, fam)
        if isinstance(inner, Sequence):
            blocks = [b for b in inner if isinstance(b, Mapping)]
            return sum(_block_tokens(b, fam, keep_thinking=False, files=files) for b in blocks)
        return 0
    media, raw = _source_bytes(source, files)
    if kind == "file" and media == "text/plain" and raw is not None:  # a plain-text file: as a text source
        return _text(raw.decode("utf-8", "replace"), fam)
    return _pdf_tokens(raw)
