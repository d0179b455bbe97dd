"""Values that validate against a JSON Schema (draft 2020-12), from a seed.

Supported: ``type`` (also lists, so ``["string", "null"]`` is nullable), ``enum``/``const``,
``properties``/``required`` (all required ones plus a seeded subset of the optional ones),
``additionalProperties``/``patternProperties``/``propertyNames``/``min|maxProperties``/
``dependentRequired``, string ``format`` (date, date-time, time, email, uri, uri-reference, uuid,
hostname, ipv4, ipv6, duration, …), ``pattern`` (see ``_regex``), ``min|maxLength``,
``minimum``/``maximum``/``exclusive*``/``multipleOf``, ``items``/``prefixItems``/``contains``/
``min|maxItems``/``uniqueItems``, ``anyOf``/``oneOf``/``allOf`` (merged)/``not``/``if``-``then``-
``else``, local ``$ref`` into ``$defs``/``definitions`` (with a depth limit: deep in a recursive
schema only required properties and minimal arrays are produced), ``default``/``examples``
(used now and then), booleans and the empty schema.

Best effort, documented: patterns using syntax Python's ``re`` lacks (``\\p{L}``) or look-arounds
that the walker cannot satisfy fall back to plain text; two different patterns on one string are
only met when one generated candidate happens to match both; ``unevaluated*``, remote refs and
``$anchor`` refs are ignored. Unsatisfiable schemas (``false``, empty enum intersections, …) raise
``SchemaGenerationError``.
"""

from __future__ import annotations

import math
import random
import re
import string
from collections.abc import Mapping
from typing import Any

from ._check import is_multiple, json_key, matches
from ._hints import format_value, hint_number, hint_string
from ._merge import flatten, merge
from ._regex import string_from_pattern
from ._rng import derive_seed, faker_for

__all__ = ["SchemaGenerationError", "generate_from_schema"]

_SOFT_DEPTH = 6  # deeper than this, generate minimal values (no optional properties, short arrays)
_HARD_DEPTH = 48
_NODE_BUDGET = 400  # past this many generated values, also go minimal
_ATTEMPTS = 8
_TYPE_ORDER = ("string", "integer", "number", "boolean", "object", "array", "null")


class SchemaGenerationError(ValueError):
    """The schema (or a part the generator had to satisfy) admits no value."""


class _Gen:
    def __init__(self, root: Any, seed: int) -> None:
        self.root = root
        self.rnd = random.Random(derive_seed("schema", seed))
        self.nodes = 0

    # -- entry per subschema ---------------------------------------------------------------
    def value(self, schema: Any, name: str | None, depth: int) -> Any:
        if depth > _HARD_DEPTH:
            raise SchemaGenerationError("schema recursion has no finite instance")
        self.nodes += 1
        flat = flatten(schema, self.root)
        if not flat.get("_fc_choices") and not flat.get("_fc_nots"):
            return self.flat_value(flat, name, depth)
        failure = SchemaGenerationError("no candidate avoided the oneOf/not/else exclusions")
        for attempt in range(_ATTEMPTS):
            try:
                chosen, forbidden = self.choose(flat, depth, attempt)
                candidate = self.flat_value(chosen, name, depth)
            except SchemaGenerationError as exc:
                failure = exc
                continue
            if not any(matches(s, candidate, self.root) for s in forbidden):
                return candidate
        raise failure

    def minimal(self, depth: int) -> bool:
        return depth >= _SOFT_DEPTH or self.nodes > _NODE_BUDGET

    def choose(self, flat: dict[str, Any], depth: int, attempt: int) -> tuple[dict[str, Any], list[Any]]:
        """Resolve anyOf/oneOf/if into one merged schema; return it and the schemas it must NOT match."""
        rnd = self.rnd
        current = {k: v for k, v in flat.items() if k != "_fc_choices"}
        pending = list(flat.get("_fc_choices", ()))
        forbidden: list[Any] = list(flat.get("_fc_nots", ()))
        guard = 0
        while pending and guard < 64:
            guard += 1
            group = pending.pop(0)
            if group[0] == "if":
                _, cond, then, other = group
                if rnd.random() < 0.5 or other is True:
                    picked = merge(flatten(cond, self.root), flatten(then, self.root))
                else:
                    picked = flatten(other, self.root)
                    forbidden.append(cond)
            else:
                kind, branches = group
                order = self.branch_order(branches, depth, attempt)
                index = order[0]
                picked = flatten(branches[index], self.root)
                if kind == "oneOf":
                    forbidden.extend(b for i, b in enumerate(branches) if i != index)
            pending.extend(picked.pop("_fc_choices", ()))
            current = merge(current, picked)
        return current, forbidden

    def branch_order(self, branches: list[Any], depth: int, attempt: int) -> list[int]:
        order = list(range(len(branches)))
        self.rnd.shuffle(order)
        if self.minimal(depth) or attempt >= _ATTEMPTS // 2:
            # prefer branches that cannot recurse: no $ref, fewest keywords
            order.sort(key=lambda i: _weight(branches[i]))
        return order

    # -- a flattened schema ----------------------------------------------------------------
    def flat_value(self, flat: dict[str, Any], name: str | None, depth: int) -> Any:
        if flat.get("_fc_false"):
            raise SchemaGenerationError("no value satisfies the schema")
        rnd = self.rnd
        if "const" in flat:
            if not matches(_plain(flat), flat["const"], self.root):
                raise SchemaGenerationError("const does not satisfy its sibling keywords")
            return flat["const"]
        enum = flat.get("enum")
        if isinstance(enum, list):
            ok = [e for e in enum if matches(_plain(flat), e, self.root)]
            if not ok:
                raise SchemaGenerationError("no enum member satisfies the schema")
            return rnd.choice(ok)
        for key in ("default", "examples"):
            if key in flat and rnd.random() < 0.2:
                options = flat[key] if key == "examples" and isinstance(flat[key], list) else [flat[key]]
                options = [o for o in options if matches(_plain(flat), o, self.root)]
                if options:
                    return rnd.choice(options)
        kind = self.pick_type(flat, name)
        if kind == "null":
            return None
        if kind == "boolean":
            return rnd.random() < 0.5
        if kind == "string":
            return self.string(flat, name)
        if kind in ("integer", "number"):
            return self.number(flat, name, kind == "integer")
        if kind == "array":
            return self.array(flat, name, depth)
        if kind == "object":
            return self.object(flat, depth)
        return self.anything(name, depth)

    def pick_type(self, flat: dict[str, Any], name: str | None) -> str | None:
        declared = flat.get("type")
        types = [declared] if isinstance(declared, str) else declared
        if isinstance(types, list):
            types = [t for t in types if t in _TYPE_ORDER]
            if not types:
                raise SchemaGenerationError("no JSON type allowed")
            if len(types) == 1:
                return str(types[0])
            if "null" in types and self.rnd.random() < 0.85:
                types = [t for t in types if t != "null"]
            return str(self.rnd.choice(sorted(types, key=_TYPE_ORDER.index)))
        return _infer_type(flat)

    def anything(self, name: str | None, depth: int) -> Any:
        rnd = self.rnd
        hinted = hint_string(name, None, rnd) if name else None
        if hinted is not None:
            return hinted
        roll = rnd.random()
        if roll < 0.45 or self.minimal(depth):
            return " ".join(faker_for(rnd).words(nb=rnd.randint(1, 3)))
        if roll < 0.65:
            return rnd.randint(0, 100)
        if roll < 0.75:
            return rnd.random() < 0.5
        if roll < 0.85:
            return None
        if roll < 0.93:
            return [self.anything(None, depth + 1) for _ in range(rnd.randint(1, 3))]
        return {str(faker_for(rnd).word()): self.anything(None, depth + 1)}

    # -- strings -----------------------------------------------------------------------------
    def string(self, flat: dict[str, Any], name: str | None) -> str:
        rnd = self.rnd
        low = _int(flat.get("minLength"), 0)
        high = _opt_int(flat.get("maxLength"))
        if high is not None and high < low:
            raise SchemaGenerationError("maxLength < minLength")
        patterns = [p for p in flat.get("_fc_patterns") or () if isinstance(p, str)]
        if patterns:
            found = string_from_pattern(
                patterns[0], rnd, min_length=low, max_length=high, also=tuple(patterns[1:])
            )
            if found is not None:
                return found
        fmt = flat.get("format")
        if isinstance(fmt, str):
            for _ in range(3):
                formatted = format_value(fmt, rnd)
                if formatted is None:
                    break
                if low <= len(formatted) and (high is None or len(formatted) <= high):
                    return formatted
        description = flat.get("description")
        text = hint_string(name, description if isinstance(description, str) else None, rnd)
        if text is None:
            text = " ".join(faker_for(rnd).words(nb=rnd.randint(1, 4)))
        return _fit(text, low, high, rnd)

    # -- numbers -----------------------------------------------------------------------------
    def number(self, flat: dict[str, Any], name: str | None, integer: bool) -> int | float:
        rnd = self.rnd
        lo, lo_x = _bound(flat, "minimum", "exclusiveMinimum", max)
        hi, hi_x = _bound(flat, "maximum", "exclusiveMaximum", min)
        hint = hint_number(name)
        decimals = 0 if integer else (hint[2] if hint and hint[2] else 2)
        # soft ranges (the name's hint, then 0..100) are used where they fit the hard bounds
        for soft_lo, soft_hi in ((hint[0], hint[1]) if hint else (0, 100), (0, 100)):
            c_lo, c_lo_x = (soft_lo, False) if lo is None or soft_lo > lo else (lo, lo_x)
            c_hi, c_hi_x = (soft_hi, False) if hi is None or soft_hi < hi else (hi, hi_x)
            if _non_empty(c_lo, c_lo_x, c_hi, c_hi_x, integer):
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
        if isinstance(multiple, (int, float)) and _is_num(multiple) and multiple > 0:
            return _multiple_in(lo, lo_x, hi, hi_x, multiple, integer, rnd)
        if integer:
            ilo = math.floor(lo) + 1 if lo_x and lo == math.floor(lo) else math.ceil(lo)
            ihi = math.ceil(hi) - 1 if hi_x and hi == math.ceil(hi) else math.floor(hi)
            if ilo > ihi:
                raise SchemaGenerationError("empty integer range")
            return rnd.randint(ilo, ihi)
        if lo > hi or (lo == hi and (lo_x or hi_x)):
            raise SchemaGenerationError("empty number range")
        for _ in range(8):
            value = round(rnd.uniform(lo, hi), decimals)
            if (value > lo if lo_x else value >= lo) and (value < hi if hi_x else value <= hi):
                return value
        middle = (lo + hi) / 2
        return middle if lo < middle < hi or not (lo_x or hi_x) else lo

    # -- arrays ------------------------------------------------------------------------------
    def array(self, flat: dict[str, Any], name: str | None, depth: int) -> list[Any]:
        rnd = self.rnd
        prefix = flat.get("prefixItems")
        items = flat.get("items", True)
        if isinstance(items, list):  # draft 4-7 tuple form
            prefix, items = items, flat.get("additionalItems", True)
        prefix = prefix if isinstance(prefix, list) else []
        low = _int(flat.get("minItems"), 0)
        high = _opt_int(flat.get("maxItems"))
        if items is False:
            high = len(prefix) if high is None else min(high, len(prefix))
        if high is not None and high < low:
            raise SchemaGenerationError("maxItems < minItems")
        contains = list(flat.get("_fc_contains") or ())
        if self.minimal(depth):
            size = max(low, len(contains))
        else:
            start = max(low, 1, len(contains))
            size = rnd.randint(start, start + 2)
        if prefix and not self.minimal(depth):
            size = max(size, len(prefix))
        if high is not None:
            size = min(size, high)
        child = _singular(name)
        unique = flat.get("uniqueItems") is True
        out: list[Any] = []
        seen: set[Any] = set()
        tries = 0
        needed = list(contains)
        while len(out) < size and tries < size * 12 + 12:
            tries += 1
            position = len(out)
            if position < len(prefix):
                schema: Any = prefix[position]
            elif needed:
                schema = {"allOf": [items, needed[0]]}
            else:
                schema = items
            try:
                value = self.value(schema, child, depth + 1)
            except SchemaGenerationError:
                if len(out) >= low and position >= len(prefix):
                    break
                raise
            key = json_key(value)
            if unique and key in seen:
                continue
            if position >= len(prefix) and needed:
                needed.pop(0)
            seen.add(key)
            out.append(value)
        return out

    # -- objects -----------------------------------------------------------------------------
    def object(self, flat: dict[str, Any], depth: int) -> dict[str, Any]:
        rnd = self.rnd
        props = flat.get("properties") if isinstance(flat.get("properties"), Mapping) else {}
        assert isinstance(props, Mapping)
        patterns = flat.get("patternProperties") if isinstance(flat.get("patternProperties"), Mapping) else {}
        assert isinstance(patterns, Mapping)
        extra = flat.get("additionalProperties", True)
        required = [k for k in flat.get("required") or () if isinstance(k, str)]
        low = _int(flat.get("minProperties"), 0)
        high = _opt_int(flat.get("maxProperties"))
        minimal = self.minimal(depth)
        keys = list(dict.fromkeys(required))
        optional = [k for k in props if k not in keys]
        for key in optional:
            if high is not None and len(keys) >= high:
                break
            if not minimal and rnd.random() < 0.6:
                keys.append(key)
        dependent = flat.get("dependentRequired")
        if isinstance(dependent, Mapping):
            changed = True
            while changed:
                changed = False
                for key in list(keys):
                    for needed in dependent.get(key) or ():
                        if needed not in keys:
                            keys.append(needed)
                            changed = True
        for key in optional:  # fill up to minProperties from the declared ones first
            if len(keys) >= low:
                break
            if key not in keys:
                keys.append(key)
        out: dict[str, Any] = {}
        needed = set(required)
        for key in keys:
            try:
                out[key] = self.value(self.key_schema(key, props, patterns, extra), key, depth + 1)
            except SchemaGenerationError:
                if key in needed or len(keys) <= low:
                    raise
                # an optional property whose schema admits no value is simply left out
        wants_extra = (isinstance(extra, Mapping) and extra != {} and not props) or bool(patterns and not props)
        target = max(low, len(out) + (rnd.randint(1, 3) if wants_extra and not minimal else 0))
        if high is not None:
            target = min(target, high)
        tries = 0
        while len(out) < target and (extra is not False or patterns):
            tries += 1
            if tries > 24:
                break
            key = self.extra_key(flat, patterns, extra)
            if key is None or key in out or key in props:
                continue
            out[key] = self.value(self.key_schema(key, props, patterns, extra), key, depth + 1)
        return out

    def key_schema(self, key: str, props: Mapping[str, Any], patterns: Mapping[str, Any], extra: Any) -> Any:
        subs = [props[key]] if key in props else []
        for pattern, sub in patterns.items():
            try:
                if re.search(pattern, key):
                    subs.append(sub)
            except re.error:
                continue
        if not subs:
            return extra if extra is not None else True
        return subs[0] if len(subs) == 1 else {"allOf": subs}

    def extra_key(self, flat: dict[str, Any], patterns: Mapping[str, Any], extra: Any) -> str | None:
        rnd = self.rnd
        names = flat.get("propertyNames", True)
        if patterns and (extra is False or rnd.random() < 0.7):
            pattern = rnd.choice(sorted(patterns))
            key = string_from_pattern(pattern, rnd)
        else:
            key = self.value(names, "key", 0) if isinstance(names, Mapping) and names else None
            if not isinstance(key, str):
                key = str(faker_for(rnd).word())
        if key is None or not matches(names, key, self.root):
            return None
        return key


def _plain(flat: Mapping[str, Any]) -> dict[str, Any]:
    """A flattened schema as a checkable schema (private keys turned back into keywords)."""
    out = {k: v for k, v in flat.items() if not k.startswith("_fc")}
    extra = [{"pattern": p} for p in flat.get("_fc_patterns") or ()]
    extra += [{"contains": c} for c in flat.get("_fc_contains") or ()]
    extra += [{"not": n} for n in flat.get("_fc_nots") or ()]
    if extra:
        out["allOf"] = extra
    return out


def _weight(schema: Any) -> int:
    if not isinstance(schema, Mapping):
        return 0 if schema is True else 99
    text = str(schema)
    return (50 if "$ref" in text else 0) + len(text) // 40 + (0 if schema.get("type") == "null" else 1)


def _infer_type(flat: Mapping[str, Any]) -> str | None:
    if any(k in flat for k in ("properties", "required", "additionalProperties", "patternProperties",
                                "minProperties", "maxProperties", "propertyNames", "dependentRequired")):
        return "object"
    if any(k in flat for k in ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "_fc_contains")):
        return "array"
    if any(k in flat for k in ("minLength", "maxLength", "_fc_patterns", "format")):
        return "string"
    if any(k in flat for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return "number"
    return None


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _int(v: Any, default: int) -> int:
    return math.ceil(v) if _is_num(v) else default


def _opt_int(v: Any) -> int | None:
    return math.floor(v) if _is_num(v) else None


def _bound(flat: Mapping[str, Any], inclusive: str, exclusive: str, pick: Any) -> tuple[float | None, bool]:
    inc = flat.get(inclusive)
    exc = flat.get(exclusive)
    if exc is True and _is_num(inc):  # draft-4 boolean form: treat the bound as exclusive
        return inc, True
    inc = inc if _is_num(inc) else None
    exc = exc if _is_num(exc) else None
    if inc is None and exc is None:
        return None, False
    if exc is None:
        return inc, False
    if inc is None:
        return exc, True
    best = pick(inc, exc)
    return best, best == exc


def _non_empty(lo: float, lo_x: bool, hi: float, hi_x: bool, integer: bool) -> bool:
    if integer:
        ilo = math.floor(lo) + 1 if lo_x and lo == math.floor(lo) else math.ceil(lo)
        ihi = math.ceil(hi) - 1 if hi_x and hi == math.ceil(hi) else math.floor(hi)
        return ilo <= ihi
    return lo < hi or (lo == hi and not (lo_x or hi_x))


def _multiple_in(
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
    raise SchemaGenerationError("no multiple of multipleOf in range")


def _fit(text: str, low: int, high: int | None, rnd: random.Random) -> str:
    if len(text) < low:
        filler = faker_for(rnd)
        while len(text) < low:
            text = f"{text} {filler.word()}"
    if high is not None and len(text) > high:
        text = text[:high].rstrip() or text[:high]
        while len(text) < low:
            text += rnd.choice(string.ascii_lowercase)
    return text


def _singular(name: str | None) -> str | None:
    if not name:
        return None
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("sses") or name.endswith("xes"):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return f"{name}_item"


def generate_from_schema(schema: Mapping[str, Any] | bool, rng_seed: int) -> Any:
    """A JSON value valid against ``schema`` (draft 2020-12), a pure function of the arguments.

    >>> generate_from_schema({"type": "integer", "minimum": 3, "maximum": 3}, 1)
    3
    >>> v = generate_from_schema({"type": "object", "properties": {"city": {"type": "string"}},
    ...                           "required": ["city"]}, 7)
    >>> sorted(v)
    ['city']
    """
    return _Gen(schema, rng_seed).value(schema, None, 0)
