"""Numbers within JSON Schema bounds: ``minimum``/``maximum``, ``exclusive*``, ``multipleOf``.

Ranges suggested by a property's name (``age`` 18..90, ``latitude`` -90..90, ...) are used where
they fit the schema's hard bounds; otherwise 0..100, or 100 wide next to a one-sided bound.
``multipleOf`` is checked the way ``jsonschema`` checks it (float division must be integral).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

from fakeclaude.server.schema._check import is_multiple

__all__ = ["NumberRangeError", "as_int", "as_opt_int", "is_num", "number_value"]


class NumberRangeError(ValueError):
    """No number satisfies the bounds."""


def number_value(
    flat: Mapping[str, Any], hint: tuple[float, float, int] | None, integer: bool, rnd: random.Random
) -> int | float:
    """A number (``int`` when ``integer``) satisfying the numeric keywords of ``flat``."""
    lo, lo_x = bound(flat, "minimum", "exclusiveMinimum", max)
    hi, hi_x = bound(flat, "maximum", "exclusiveMaximum", min)
    decimals = 0 if integer else (hint[2] if hint and hint[2] else 2)
    # soft ranges (the name's hint, then 0..100) are used where they fit the hard bounds
    for soft_lo, soft_hi in ((hint[0], hint[1]) if hint else (0, 100), (0, 100)):
        c_lo, c_lo_x = (soft_lo, False) if lo is None or soft_lo > lo else (lo, lo_x)
        c_hi, c_hi_x = (soft_hi, False) if hi is None or soft_hi < hi else (hi, hi_x)
        if non_empty(c_lo, c_lo_x, c_hi, c_hi_x, integer):
            lo, lo_x, hi, hi_x = c_lo, c_lo_x, c_hi, c_hi_x
            break
    else:
        if lo is None:
            assert hi is not None
            lo, lo_x = hi - 100, False
        if hi is None:
            hi, hi_x = lo + 100, False
    if not integer and 0 < hi - lo < 1:  # narrow range: keep enough decimals to land inside
        decimals = max(decimals, 2 - math.floor(math.log10(hi - lo)))
    multiple = flat.get("multipleOf")
    if isinstance(multiple, (int, float)) and is_num(multiple) and multiple > 0:
        return multiple_in(lo, lo_x, hi, hi_x, multiple, integer, rnd)
    if integer:
        ilo = math.floor(lo) + 1 if lo_x and lo == math.floor(lo) else math.ceil(lo)
        ihi = math.ceil(hi) - 1 if hi_x and hi == math.ceil(hi) else math.floor(hi)
        if ilo > ihi:
            raise NumberRangeError("empty integer range")
        return rnd.randint(ilo, ihi)
    if lo > hi or (lo == hi and (lo_x or hi_x)):
        raise NumberRangeError("empty number range")
    for _ in range(8):
        value = round(rnd.uniform(lo, hi), decimals)
        if (value > lo if lo_x else value >= lo) and (value < hi if hi_x else value <= hi):
            return value
    middle = (lo + hi) / 2
    return middle if lo < middle < hi or not (lo_x or hi_x) else lo


def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def as_int(v: Any, default: int) -> int:
    return math.ceil(v) if is_num(v) else default


def as_opt_int(v: Any) -> int | None:
    return math.floor(v) if is_num(v) else None


def bound(flat: Mapping[str, Any], inclusive: str, exclusive: str, pick: Any) -> tuple[float | None, bool]:
    inc = flat.get(inclusive)
    exc = flat.get(exclusive)
    if exc is True and is_num(inc):  # draft-4 boolean form: treat the bound as exclusive
        return inc, True
    inc = inc if is_num(inc) else None
    exc = exc if is_num(exc) else None
    if inc is None and exc is None:
        return None, False
    if exc is None:
        return inc, False
    if inc is None:
        return exc, True
    best = pick(inc, exc)
    return best, best == exc


def non_empty(lo: float, lo_x: bool, hi: float, hi_x: bool, integer: bool) -> bool:
    if integer:
        ilo = math.floor(lo) + 1 if lo_x and lo == math.floor(lo) else math.ceil(lo)
        ihi = math.ceil(hi) - 1 if hi_x and hi == math.ceil(hi) else math.floor(hi)
        return ilo <= ihi
    return lo < hi or (lo == hi and not (lo_x or hi_x))


def multiple_in(
    lo: float, lo_x: bool, hi: float, hi_x: bool, m: float, integer: bool, rnd: random.Random
) -> int | float:
    k_lo = math.ceil(lo / m)
    k_hi = math.floor(hi / m)
    if k_hi - k_lo > 10_000:
        start = rnd.randint(k_lo, k_hi - 40)
        candidates = list(range(start, start + 40))
    else:
        candidates = list(range(k_lo - 1, k_hi + 2))
        rnd.shuffle(candidates)
    for k in candidates:
        for value in (k * m, round(k * m, 10)):
            if integer:
                if value != int(value):
                    continue
                value = int(value)
            if not ((value > lo if lo_x else value >= lo) and (value < hi if hi_x else value <= hi)):
                continue
            if is_multiple(value, m):
                return value
    raise NumberRangeError("no multiple of multipleOf in range")


