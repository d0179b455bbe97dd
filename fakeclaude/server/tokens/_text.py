"""The text tokenizer estimate: a regex that cuts text into Claude-token-sized pieces.

One piece is one token: a contraction suffix (``'s``, ``'ll``...), a word chunk with its leading
space (at most ``chunk`` letters), a group of up to three digits, a newline run with the indentation
after it, a run of up to 8 spaces or tabs, one or two punctuation characters (with a leading space),
or any other single character (non-ASCII: about one token each).
On English prose this gives ~3.7-4 characters per token, as Claude's tokenizers do.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

__all__ = ["count_pieces", "pattern"]

#: Texts up to this long have their count remembered: system prompts, tool definitions, earlier turns
#: and scripted replies come back request after request (an agent loop resends the whole conversation).
_REMEMBERED_CHARS = 4096


@cache
def pattern(chunk: int) -> re.Pattern[str]:
    """The tokenizer regex whose word pieces hold at most ``chunk`` letters."""
    return re.compile(
        r"'(?:s|t|re|ve|m|ll|d)(?![A-Za-z])"
        rf"| ?[A-Za-z]{{1,{chunk}}}"
        r"| ?[0-9]{1,3}"
        r"|\n+[ \t]*"
        r"|[ \t]{1,8}(?![A-Za-z0-9])"
        r"| ?[!-/:-@\[-`{-~]{1,2}"
        r"|[\s\S]"
    )


def _count(text: str, chunk: int) -> int:
    # ``subn`` counts the matches without making a string of each (``findall`` does): every alternative
    # of the pattern consumes a character, so both see the same non-overlapping matches.
    return pattern(chunk).subn("", text)[1]


_remembered_count = lru_cache(maxsize=1024)(_count)  # at most ~4 MB of ASCII text held


def count_pieces(text: str, chunk: int) -> int:
    """How many pieces ``pattern(chunk)`` cuts ``text`` into (its estimated tokens)."""
    if len(text) > _REMEMBERED_CHARS:
        return _count(text, chunk)
    return _remembered_count(text, chunk)
