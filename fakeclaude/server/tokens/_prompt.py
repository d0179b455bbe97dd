"""The token heuristic behind both ``count_tokens`` and ``usage`` (pure, deterministic, fast).

A request costs, per model family (constants in ``fakeclaude.server.tokens._families``, fitted on
real recorded usage, see ``benchmarks/token_calibration.py``)::

    base                                  framing of the request and its first turn
  + per_message * (len(messages) - 1)     framing of every further turn
  + system + text(system)                 when a system prompt is given
  + tool_prompt[auto|any] + per_tool * n  the hidden tool-use system prompt (spec 8.1) and tool framing
      + tool_json * text(definition JSON)  (Anthropic-defined tools: a fixed cost each; computer / bash /
                                          text editor add their own prompt once; tools callable from
                                          code execution add its prompt; ``no_parallel`` when asked)
  + thinking | adaptive                   when ``thinking`` is enabled (adaptive costs about nothing)
  + format + format_json * text(schema)   structured outputs: the hidden format instructions (87 + 1.55 x
                                          the schema's compact JSON, fitted on the 68 recorded answers;
                                          after the messages, so no cache prefix includes it)
  + content blocks                        text (and what its citations quote); images (w*h/750, URL
                                          images as declared or a typical web image); PDFs (per page
                                          an image share + its text, ``tokens._pdf``);
                                          tool_use + round_trip / tool_result; web search results (their
                                          encrypted page text) and fetch results (the document);
                                          search_result blocks; thinking of the current assistant turn
                                          only (older turns' thinking is stripped, as the API does);
                                          nothing before the last ``compaction`` block

All prompt text of claude-5 is scaled by its ``text_scale`` (its tokenizer cuts finer).
``tokens._iterations`` adds the re-reading when server tools ran in an answer.

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
from fakeclaude.server.tokens._pdf import PAGE_TOKENS, pdf_tokens
from fakeclaude.server.tokens._text import count_pieces, pattern

__all__ = [
    "URL_IMAGE_SIZE",
    "FileBytes",
    "ImageSizes",
    "block_input_tokens",
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
#: An image the fake cannot read (a URL, a file id whose bytes are not known): recorded URL images cost
#: 20-320 tokens (median ~260), far below the 1,600 of the largest size; ``image_sizes`` declares one.
URL_IMAGE_SIZE = (440, 440)
ImageSizes = Mapping[str, tuple[int, int]]
_NO_SIZES: ImageSizes = {}
FileBytes = Callable[[str], "tuple[str, bytes] | None"]
"""What a ``file_id`` source holds: ``(mime_type, bytes)`` of a stored file, or None when it is unknown.
With it, a file-sourced image or document counts exactly as the same bytes sent inline."""


def count_text_tokens(text: str, spec: ModelSpec | None = None) -> int:
    """Tokens of plain or generated text; equals ``len(split_into_tokens(text, spec))``."""
    return count_pieces(text, family_of(spec).chunk)


def split_into_tokens(text: str, spec: ModelSpec | None = None) -> list[str]:
    """``text`` cut into token-sized pieces: ``"".join(pieces) == text``, one piece per counted token."""
    return pattern(family_of(spec).chunk).findall(text)  # the pattern has no group: findall gives whole pieces


class PromptTokens(NamedTuple):
    """A request's input tokens, counted once: the total and the cumulative count at each cache breakpoint."""

    total: int
    marks: tuple[tuple[str, int], ...]  # ``(path, tokens up to and including the marked block)``, prefix order


def measure_prompt(
    body: Mapping[str, Any], spec: ModelSpec, *, image_sizes: ImageSizes | None = None,
    files: FileBytes | None = None,
) -> PromptTokens:
    """Count ``body``'s input tokens for the model ``spec`` in one pass (see ``prefix_token_counts``).

    ``image_sizes`` maps an image URL or file id to its ``(width, height)``: the fake cannot fetch them,
    so an undeclared one costs a typical web image's tokens (``URL_IMAGE_SIZE``). ``files`` resolves
    ``{"type": "file", "file_id": ...}`` sources to their stored bytes, counted as the same bytes inline.
    """
    segments = _count_segments(body, spec, image_sizes or _NO_SIZES, files)
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


def count_request_tokens(
    body: Mapping[str, Any], spec: ModelSpec, *, image_sizes: ImageSizes | None = None
) -> int:
    """Input tokens of a ``messages.create`` / ``count_tokens`` body for the model ``spec``."""
    return measure_prompt(body, spec, image_sizes=image_sizes).total


def prefix_token_counts(body: Mapping[str, Any], spec: ModelSpec) -> list[tuple[str, int]]:
    """``(path, cumulative tokens)`` at each ``cache_control`` breakpoint, in order tools -> system -> messages.

    ``path`` names the marked block the way error texts do: ``tools.1``, ``system.0``,
    ``messages.2.content.0``. The count includes every token before the block and the block itself,
    so the last entry's count is at most ``count_request_tokens(body, spec)``. A top-level
    ``cache_control`` (automatic caching) adds a breakpoint on the last block of the last message.
    """
    return list(measure_prompt(body, spec).marks)


def _count_segments(
    body: Mapping[str, Any], spec: ModelSpec, sizes: ImageSizes, files: FileBytes | None = None
) -> list[tuple[str, int, bool]]:
    fam = family_of(spec)
    segs: list[tuple[str, int, bool]] = [("", fam.base, False)]
    tools = body.get("tools")
    if tools and isinstance(tools, Sequence):
        choice = body.get("tool_choice")
        forced = isinstance(choice, Mapping) and choice.get("type") in _FORCED
        segs.append(("", fam.tool_any if forced else fam.tool_auto, False))
        if isinstance(choice, Mapping) and choice.get("disable_parallel_tool_use") is True:
            segs.append(("", fam.no_parallel, False))
        if any(isinstance(t, Mapping) and str(t.get("type", "")).startswith(_CLIENT_TOOLS) for t in tools):
            segs.append(("", _CLIENT_TOOL_PROMPT, False))
        if any(isinstance(t, Mapping) and _called_from_code(t) for t in tools):
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
        segs.append(("", fam.thinking if thinking.get("type") == "enabled" else fam.adaptive, False))
    messages = body.get("messages")
    if isinstance(messages, Sequence):
        segs.extend(_message_segments(messages, fam, sizes, files))
    found = output_schema(body)
    if found is not None:
        segs.append(("", _FORMAT_PROMPT + round(_FORMAT_JSON * _text(_json(found[1]), fam)), False))
    return segs


def _message_segments(
    messages: Sequence[Any], fam: Family, sizes: ImageSizes, files: FileBytes | None = None
) -> Iterator[tuple[str, int, bool]]:
    current = _current_assistant_turn(messages)
    first, first_block = _compacted_from(messages)
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping) or i < first:
            continue
        if i > first:
            yield ("", fam.per_message, False)
        content = message.get("content")
        if isinstance(content, str):
            yield (f"messages.{i}", _text(content, fam), False)
            continue
        if not isinstance(content, Sequence):
            continue
        for j, block in enumerate(content):
            if isinstance(block, Mapping) and (i > first or j >= first_block):
                tokens = _block_tokens(block, fam, keep_thinking=i == current, sizes=sizes, files=files)
                yield (f"messages.{i}.content.{j}", tokens, _marked(block))


def _compacted_from(messages: Sequence[Any]) -> tuple[int, int]:
    """``(message, block)`` of the last ``compaction`` block: the API reads nothing before it (its summary
    stands for the turns it replaced); ``(0, 0)`` when there is none."""
    for i in range(len(messages) - 1, -1, -1):
        content = messages[i].get("content") if isinstance(messages[i], Mapping) else None
        if isinstance(content, list):
            for j in range(len(content) - 1, -1, -1):
                if isinstance(content[j], Mapping) and content[j].get("type") == "compaction":
                    return i, j
    return 0, 0


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


def _called_from_code(tool: Mapping[str, Any]) -> bool:
    callers = tool.get("allowed_callers")
    return isinstance(callers, Sequence) and any(c != "direct" for c in callers)


def _text(text: str, fam: Family) -> int:
    n = count_pieces(text, fam.chunk)
    return n if fam.text_scale == 1.0 else round(n * fam.text_scale)


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


def block_input_tokens(block: Mapping[str, Any], fam: Family, *, sizes: ImageSizes | None = None) -> int:
    """What one content block costs as input when read back (thinking included: the current turn's)."""
    return _block_tokens(block, fam, keep_thinking=True, sizes=sizes or _NO_SIZES)


def _block_tokens(
    block: Mapping[str, Any], fam: Family, *, keep_thinking: bool, sizes: ImageSizes = _NO_SIZES,
    files: FileBytes | None = None,
) -> int:
    kind = block.get("type")
    if kind == "text":
        cited = block.get("citations")
        extra = _citations_tokens(cited, fam) if isinstance(cited, list) and cited else 0
        return _text(str(block.get("text", "")), fam) + extra
    if kind == "image":
        return 3 + _image_block_tokens(block.get("source"), sizes, files)
    if kind == "document":
        inner = _document_tokens(block.get("source"), fam, sizes, files)
        return 8 + inner + _citable_tokens(block, inner) + _text(str(block.get("title") or ""), fam)
    if kind in ("tool_use", "server_tool_use"):
        name = _text(str(block.get("name", "")), fam)
        return 10 + fam.round_trip + name + _text(_json(block.get("input", {})), fam)
    if kind == "web_search_tool_result":
        return 6 + _search_results_tokens(block.get("content"), fam)
    if kind == "web_fetch_tool_result":
        return 6 + _fetch_result_tokens(block.get("content"), fam, sizes)
    if kind == "tool_result" or (isinstance(kind, str) and kind.endswith("_tool_result")):
        inner = block.get("content", "")
        if isinstance(inner, str):
            return 6 + _text(inner, fam)
        if isinstance(inner, Sequence):
            blocks = [b for b in inner if isinstance(b, Mapping)]
            return 6 + sum(_block_tokens(b, fam, keep_thinking=False, sizes=sizes, files=files) for b in blocks)
        return 6
    if kind == "thinking":
        return 4 + _text(str(block.get("thinking", "")), fam) if keep_thinking else 0
    if kind == "redacted_thinking":
        return 4 + len(str(block.get("data", ""))) // 8 if keep_thinking else 0
    if kind == "compaction":
        return 4 + _text(str(block.get("content") or ""), fam)
    if kind == "search_result":
        return _search_result_tokens(block, fam)
    return _text(_json(block), fam)


#: Anthropic-defined client tools (computer, bash, text editor) bring their own system prompt on top of
#: each definition's fixed cost (``SERVER_TOOL_TOKENS``): about 600 tokens, once per request.
_CLIENT_TOOLS = ("computer_", "bash_", "text_editor_")
_CLIENT_TOOL_PROMPT = 600
#: Citations: a citable document or search result is cut into numbered sentences (a few tokens of
#: framing each, here a share of its text), and a cited answer block carries what it quotes.
_CITABLE_SHARE = 0.08
_PER_CITATION = 6


def _citable_tokens(block: Mapping[str, Any], inner: int) -> int:
    citations = block.get("citations")
    enabled = isinstance(citations, Mapping) and citations.get("enabled") is True
    return round(inner * _CITABLE_SHARE) if enabled else 0


def _citations_tokens(citations: list[Any], fam: Family) -> int:
    total = 0
    for cite in citations:
        if isinstance(cite, Mapping):
            total += _PER_CITATION + _text(str(cite.get("cited_text") or ""), fam)
    return total


def _search_result_tokens(block: Mapping[str, Any], fam: Family) -> int:
    """A ``search_result`` block: its source, title and text blocks (not its JSON), citable if asked."""
    content = block.get("content")
    texts = content if isinstance(content, list) else []
    inner = sum(_text(str(b.get("text", "")), fam) for b in texts if isinstance(b, Mapping))
    head = _text(f"{block.get('source') or ''} {block.get('title') or ''}", fam)
    return 8 + head + inner + _citable_tokens(block, inner)


_ENCRYPTED_CHARS = 3.4  # characters of a search result's ``encrypted_content`` per token of the page it holds
#                          (fitted on the 30 recorded answers and requests holding search results)


def _search_results_tokens(content: Any, fam: Family) -> int:
    """Web search results: each one's title, URL and age, and the page text its encrypted content holds."""
    if not isinstance(content, Sequence) or isinstance(content, str):
        return _text(_json(content), fam)
    total = 0
    for item in content:
        if not isinstance(item, Mapping):
            continue
        seen = " ".join(str(item.get(k) or "") for k in ("title", "url", "page_age"))
        total += 4 + _text(seen, fam) + int(len(str(item.get("encrypted_content") or "")) / _ENCRYPTED_CHARS)
    return total


def _fetch_result_tokens(content: Any, fam: Family, sizes: ImageSizes) -> int:
    """A web fetch result: its URL and the fetched document (an object, not a list of blocks)."""
    if not isinstance(content, Mapping):
        return 0
    document = content.get("content")
    inner = (
        _block_tokens(document, fam, keep_thinking=False, sizes=sizes) if isinstance(document, Mapping) else 0
    )
    return 4 + _text(str(content.get("url") or ""), fam) + inner


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


def _image_block_tokens(source: Any, sizes: ImageSizes, files: FileBytes | None = None) -> int:
    if not isinstance(source, Mapping):
        return image_tokens(*URL_IMAGE_SIZE)
    raw = _source_bytes(source, files)[1]
    dims = image_dimensions(raw) if raw else None
    if dims:
        return image_tokens(*dims)
    key = source.get("url") or source.get("file_id")
    return (
        image_tokens(*sizes.get(key, URL_IMAGE_SIZE))
        if isinstance(key, str)
        else image_tokens(*URL_IMAGE_SIZE)
    )


def _document_tokens(source: Any, fam: Family, sizes: ImageSizes, files: FileBytes | None = None) -> int:
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
            return sum(_block_tokens(b, fam, keep_thinking=False, sizes=sizes, files=files) for b in blocks)
        return 0
    media, raw = _source_bytes(source, files)
    if kind == "file" and media == "text/plain" and raw is not None:  # a plain-text file: as a text source
        return _text(raw.decode("utf-8", "replace"), fam)
    return pdf_tokens(raw, lambda text: _text(text, fam)) if raw else PAGE_TOKENS
