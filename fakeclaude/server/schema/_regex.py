"""Strings that match a regular expression (``pattern`` / ``patternProperties``).

The pattern is parsed with the standard library's own regex parser (``re._parser``) and walked:
literals, classes (ranges, ``\\d``/``\\w``/``\\s`` and negations), ``.``, alternation, groups,
back-references and bounded or unbounded repeats are generated; anchors and look-arounds are
skipped. Every candidate is checked with ``re.search``; after a few failed tries (look-arounds,
ECMA-only syntax such as ``\\p{L}``) the caller gets ``None`` and falls back to a best effort.
"""

from __future__ import annotations

import importlib
import random
import re
import string
from typing import Any

__all__ = ["string_from_pattern"]

_parser: Any = importlib.import_module("re._parser")

_PRINTABLE = string.ascii_letters + string.digits + " _-.,:;/@#!?"
_WORD = string.ascii_letters + string.digits + "_"
_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_NOT_DIGIT": string.ascii_letters + " _-.",
    "CATEGORY_WORD": _WORD,
    "CATEGORY_NOT_WORD": " -.,:;/@#!?",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": string.ascii_letters + string.digits + "_-.",
}
_MAX_EXTRA_REPEAT = 3


def _translate(pattern: str) -> str:
    """ECMA-262 spellings Python's ``re`` lacks: ``(?<name>…)`` named groups."""
    pattern = re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", pattern)
    return re.sub(r"\\k<(\w+)>", r"(?P=\1)", pattern)


def _in_class(items: list[tuple[Any, Any]], ch: str) -> bool:
    for op, av in items:
        name = op.name
        if name == "LITERAL" and ord(ch) == av:
            return True
        if name == "RANGE" and av[0] <= ord(ch) <= av[1]:
            return True
        if name == "CATEGORY" and ch in _CATEGORIES.get(av.name, ""):
            return True
    return False


class _Walker:
    def __init__(self, rnd: random.Random, extra: int) -> None:
        self.rnd = rnd
        self.extra = extra
        self.groups: dict[int, str] = {}

    def pattern(self, sub: Any) -> str:
        return "".join(self.node(op, av) for op, av in sub)

    def node(self, op: Any, av: Any) -> str:
        rnd = self.rnd
        name = op.name
        if name == "LITERAL":
            return chr(av)
        if name == "NOT_LITERAL":
            return rnd.choice([c for c in _PRINTABLE if ord(c) != av])
        if name == "ANY":
            return rnd.choice(string.ascii_letters + string.digits)
        if name == "IN":
            return self.char_class(av)
        if name == "BRANCH":
            return self.pattern(rnd.choice(av[1]))
        if name == "SUBPATTERN":
            group, sub = av[0], av[-1]
            text = self.pattern(sub)
            if group is not None:
                self.groups[group] = text
            return text
        if name in ("ATOMIC_GROUP",):
            return self.pattern(av)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            top = min(high, low + self.extra)
            return "".join(self.pattern(sub) for _ in range(rnd.randint(low, max(low, top))))
        if name == "GROUPREF":
            return self.groups.get(av, "")
        if name == "GROUPREF_EXISTS":
            group, yes, no = av
            chosen = yes if group in self.groups else no
            return self.pattern(chosen) if chosen is not None else ""
        if name == "CATEGORY":
            return rnd.choice(_CATEGORIES.get(av.name, "a"))
        return ""  # AT (anchors), ASSERT, ASSERT_NOT: nothing to emit

    def char_class(self, items: list[tuple[Any, Any]]) -> str:
        rnd = self.rnd
        if items and items[0][0].name == "NEGATE":
            allowed = [c for c in _PRINTABLE if not _in_class(items[1:], c)]
            return rnd.choice(allowed) if allowed else "~"
        op, av = rnd.choice(items)
        name = op.name
        if name == "LITERAL":
            return chr(av)
        if name == "RANGE":
            return chr(rnd.randint(av[0], av[1]))
        if name == "CATEGORY":
            return rnd.choice(_CATEGORIES.get(av.name, "a"))
        return "a"


def string_from_pattern(
    pattern: str,
    rnd: random.Random,
    *,
    min_length: int = 0,
    max_length: int | None = None,
    also: tuple[str, ...] = (),
    tries: int = 12,
) -> str | None:
    """A string ``s`` with ``re.search(p, s)`` for ``pattern`` and every pattern in ``also``.

    Honours ``min_length``/``max_length`` when it can; returns ``None`` when no candidate passes.
    """
    try:
        parsed = _parser.parse(_translate(pattern))
        compiled = [re.compile(_translate(p)) for p in (pattern, *also)]
    except (re.error, RecursionError, ValueError, OverflowError):
        return None
    for attempt in range(tries):
        # vary how far unbounded repeats stretch: short, minimal, then long enough for min_length
        extra = (_MAX_EXTRA_REPEAT, 0, max(_MAX_EXTRA_REPEAT, min_length))[attempt % 3]
        try:
            text = _Walker(rnd, extra).pattern(parsed)
        except (ValueError, IndexError, OverflowError, RecursionError):
            return None
        if len(text) < min_length:
            # an unanchored pattern tolerates padding after the match (checked below)
            text = text + "".join(rnd.choice(string.ascii_lowercase) for _ in range(min_length - len(text)))
        if len(text) < min_length or (max_length is not None and len(text) > max_length):
            continue
        if all(c.search(text) for c in compiled):
            return text
    return None
