"""Realistic values chosen from a property's name (and description): ``city`` -> a city, etc.

Faker supplies people, places, companies, e-mails and URLs; everything time-like is computed from
the seeded ``random.Random`` (Faker's date helpers read the wall clock, so they are never used).
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import random
import re
import uuid
from collections.abc import Callable

from ._rng import faker_for

__all__ = ["format_value", "hint_number", "hint_string", "name_tokens"]

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_LOCATIONS = (
    "San Francisco, CA", "New York, NY", "London, UK", "Paris, France", "Tokyo, Japan",
    "Berlin, Germany", "Sydney, Australia", "Toronto, Canada", "Chicago, IL", "Austin, TX",
    "Seattle, WA", "Madrid, Spain", "Rome, Italy", "Amsterdam, Netherlands", "Singapore",
)
_TICKERS = ("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "TSLA", "META", "NFLX", "IBM", "ORCL", "AMD", "INTC")
_COMMANDS = ("ls -la", "pwd", "cat README.md", "git status", "python --version", "echo hello", "df -h")
_CODE = (
    "print('hello, world')",
    "result = sum(range(10))\nprint(result)",
    "import math\nprint(math.sqrt(2))",
    "numbers = [3, 1, 2]\nprint(sorted(numbers))",
)
_QUERY_FRAMES = ("{a} {b}", "latest {a} news", "how to {a} {b}", "{a} {b} {c}", "best {a} for {b}")
_EPOCH = _dt.date(2015, 1, 1)
_SPAN_DAYS = 16 * 365


def name_tokens(name: str | None) -> list[str]:
    """``"startDate"`` / ``"start_date"`` / ``"start-date"`` -> ``["start", "date"]``."""
    if not name:
        return []
    return [t for t in re.split(r"[^a-z0-9]+", _CAMEL_RE.sub("_", name).lower()) if t]


def _date(rnd: random.Random) -> str:
    return (_EPOCH + _dt.timedelta(days=rnd.randrange(_SPAN_DAYS))).isoformat()


def _time(rnd: random.Random) -> str:
    return f"{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}"


def _words(rnd: random.Random, low: int, high: int) -> str:
    fake = faker_for(rnd)
    return " ".join(fake.words(nb=rnd.randint(low, high)))


def _sentence(rnd: random.Random) -> str:
    return str(faker_for(rnd).sentence(nb_words=rnd.randint(5, 10)))


def _title(rnd: random.Random) -> str:
    return _words(rnd, 2, 5).title()


def _query(rnd: random.Random) -> str:
    fake = faker_for(rnd)
    a, b, c = fake.words(nb=3, unique=True)
    return rnd.choice(_QUERY_FRAMES).format(a=a, b=b, c=c)


def _ident(rnd: random.Random, tokens: list[str]) -> str:
    head = next((t for t in tokens if t not in ("id", "uuid", "guid", "identifier")), "")
    if head and rnd.random() < 0.5:
        return f"{head[:3].upper()}-{rnd.randint(10000, 99999)}"
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _fake(method: str, **kwargs: object) -> Callable[[random.Random], str]:
    return lambda rnd: str(getattr(faker_for(rnd), method)(**kwargs))


def _pick(options: tuple[str, ...]) -> Callable[[random.Random], str]:
    return lambda rnd: rnd.choice(options)


# (tokens that must all be present, generator); the first rule whose tokens match wins.
_STRING_RULES: tuple[tuple[frozenset[str], Callable[[random.Random], str]], ...] = tuple(
    (frozenset(keys.split()), gen)
    for keys, gen in (
        ("email", _fake("email")),
        ("mail", _fake("email")),
        ("country code", _fake("country_code")),
        ("currency", _fake("currency_code")),
        ("language", _pick(("en", "fr", "de", "es", "ja", "pt"))),
        ("lang", _pick(("en", "fr", "de", "es", "ja", "pt"))),
        ("locale", _pick(("en-US", "fr-FR", "de-DE", "ja-JP"))),
        ("postal", _fake("postcode")),
        ("zip", _fake("postcode")),
        ("postcode", _fake("postcode")),
        ("file name", _fake("file_name")),
        ("filename", _fake("file_name")),
        ("first name", _fake("first_name")),
        ("last name", _fake("last_name")),
        ("surname", _fake("last_name")),
        ("user name", _fake("user_name")),
        ("username", _fake("user_name")),
        ("company", _fake("company")),
        ("organization", _fake("company")),
        ("city", lambda rnd: rnd.choice(_LOCATIONS).split(",")[0]),
        ("location", _pick(_LOCATIONS)),
        ("destination", _pick(_LOCATIONS)),
        ("origin", _pick(_LOCATIONS)),
        ("place", _pick(_LOCATIONS)),
        ("country", _fake("country")),
        ("state", _fake("state")),
        ("region", _fake("state")),
        ("address", _fake("street_address")),
        ("street", _fake("street_address")),
        ("phone", _fake("phone_number")),
        ("ticker", _pick(_TICKERS)),
        ("symbol", _pick(_TICKERS)),
        ("stock", _pick(_TICKERS)),
        ("timezone", _fake("timezone")),
        ("tz", _fake("timezone")),
        ("url", _fake("url")),
        ("uri", _fake("url")),
        ("link", _fake("url")),
        ("website", _fake("url")),
        ("homepage", _fake("url")),
        ("endpoint", _fake("url")),
        ("domain", _fake("domain_name")),
        ("hostname", _fake("domain_name")),
        ("host", _fake("domain_name")),
        ("ip", _fake("ipv4")),
        ("uuid", lambda rnd: str(uuid.UUID(int=rnd.getrandbits(128), version=4))),
        ("guid", lambda rnd: str(uuid.UUID(int=rnd.getrandbits(128), version=4))),
        ("password", _fake("password", length=16)),
        ("color", _fake("color_name")),
        ("colour", _fake("color_name")),
        ("unit", _pick(("celsius", "fahrenheit"))),
        ("units", _pick(("metric", "imperial"))),
        ("sql", _pick(("SELECT * FROM users LIMIT 10", "SELECT id, name FROM orders WHERE total > 100"))),
        ("command", _pick(_COMMANDS)),
        ("cmd", _pick(_COMMANDS)),
        ("code", _pick(_CODE)),
        ("script", _pick(_CODE)),
        ("path", _fake("file_path", depth=2)),
        ("file", _fake("file_path", depth=2)),
        ("directory", lambda rnd: "/" + "/".join(faker_for(rnd).words(nb=2))),
        ("dir", lambda rnd: "/" + "/".join(faker_for(rnd).words(nb=2))),
        ("job", _fake("job")),
        ("occupation", _fake("job")),
        ("author", _fake("name")),
        ("name", _fake("name")),
        ("query", _query),
        ("q", _query),
        ("search", _query),
        ("keyword", _query),
        ("keywords", _query),
        ("topic", _query),
        ("question", lambda rnd: _sentence(rnd).rstrip(".") + "?"),
        ("prompt", _sentence),
        ("title", _title),
        ("subject", _title),
        ("headline", _title),
        ("slug", _fake("slug")),
        ("status", _pick(("active", "pending", "completed", "cancelled"))),
        ("priority", _pick(("low", "medium", "high"))),
        ("version", lambda rnd: f"{rnd.randint(0, 5)}.{rnd.randint(0, 20)}.{rnd.randint(0, 9)}"),
        ("date", _date),
        ("day", _date),
        ("birthday", _date),
        ("deadline", _date),
        ("timestamp", lambda rnd: f"{_date(rnd)}T{_time(rnd)}Z"),
        ("datetime", lambda rnd: f"{_date(rnd)}T{_time(rnd)}Z"),
        ("at", lambda rnd: f"{_date(rnd)}T{_time(rnd)}Z"),
        ("time", lambda rnd: _time(rnd)[:5]),
        ("id", lambda rnd: _ident(rnd, [])),
        ("description", _sentence),
        ("summary", _sentence),
        ("text", _sentence),
        ("content", _sentence),
        ("message", _sentence),
        ("body", _sentence),
        ("comment", _sentence),
        ("note", _sentence),
        ("notes", _sentence),
        ("reason", _sentence),
        ("instructions", _sentence),
        ("category", lambda rnd: str(faker_for(rnd).word())),
        ("tag", lambda rnd: str(faker_for(rnd).word())),
        ("label", lambda rnd: str(faker_for(rnd).word())),
        ("type", lambda rnd: str(faker_for(rnd).word())),
    )
)

# keyword -> (low, high, decimals); decimals 0 means "integer-like".
_NUMBER_RULES: tuple[tuple[str, tuple[float, float, int]], ...] = (
    ("latitude", (-90, 90, 4)), ("lat", (-90, 90, 4)), ("longitude", (-180, 180, 4)),
    ("lon", (-180, 180, 4)), ("lng", (-180, 180, 4)), ("age", (18, 90, 0)), ("year", (1990, 2030, 0)),
    ("month", (1, 12, 0)), ("day", (1, 28, 0)), ("hour", (0, 23, 0)), ("minute", (0, 59, 0)),
    ("port", (1024, 65535, 0)), ("price", (1, 500, 2)), ("amount", (1, 1000, 2)), ("cost", (1, 500, 2)),
    ("total", (1, 1000, 2)), ("balance", (0, 10000, 2)), ("salary", (30000, 200000, 0)),
    ("budget", (100, 10000, 0)), ("rating", (1, 5, 0)), ("stars", (1, 5, 0)), ("percent", (0, 100, 1)),
    ("percentage", (0, 100, 1)), ("probability", (0, 1, 2)), ("confidence", (0, 1, 2)),
    ("temperature", (-10, 35, 1)), ("page", (1, 10, 0)), ("offset", (0, 100, 0)), ("width", (100, 1920, 0)),
    ("height", (100, 1080, 0)), ("timeout", (1, 300, 0)), ("seconds", (1, 300, 0)), ("days", (1, 30, 0)),
    ("radius", (1, 100, 0)), ("distance", (1, 100, 1)), ("weight", (1, 100, 1)), ("priority", (1, 5, 0)),
    ("level", (1, 10, 0)), ("id", (1, 100000, 0)), ("count", (1, 20, 0)), ("limit", (1, 50, 0)),
    ("quantity", (1, 10, 0)), ("qty", (1, 10, 0)), ("size", (1, 50, 0)), ("num", (1, 20, 0)),
    ("number", (1, 100, 0)), ("results", (1, 20, 0)), ("max", (1, 50, 0)), ("k", (1, 20, 0)),
    ("n", (1, 20, 0)), ("a", (1, 100, 0)), ("b", (1, 100, 0)), ("x", (0, 100, 0)), ("y", (0, 100, 0)),
)


def hint_string(name: str | None, description: str | None, rnd: random.Random) -> str | None:
    """A realistic string for a property called ``name`` (falling back on its description)."""
    tokens = name_tokens(name)
    if tokens:
        token_set = set(tokens)
        if tokens[-1] == "id" or ("id" in token_set and len(tokens) > 1):
            return _ident(rnd, tokens)
        for keys, gen in _STRING_RULES:
            if keys <= token_set:
                return gen(rnd)
    if description:
        words = set(re.findall(r"[a-z]+", description.lower()[:200]))
        for key in ("city", "location", "email", "url", "date", "query", "ticker", "symbol", "path", "command"):
            if key in words:
                for keys, gen in _STRING_RULES:
                    if keys == {key}:
                        return gen(rnd)
    return None


def hint_number(name: str | None) -> tuple[float, float, int] | None:
    """``(low, high, decimals)`` suggested by a numeric property's name, if any."""
    tokens = name_tokens(name)
    for keyword, rule in _NUMBER_RULES:
        if keyword in tokens:
            return rule
    return None


def format_value(fmt: str, rnd: random.Random) -> str | None:
    """A value for a JSON Schema ``format`` (``None`` for formats this module does not know)."""
    if fmt == "date":
        return _date(rnd)
    if fmt == "date-time":
        return f"{_date(rnd)}T{_time(rnd)}Z"
    if fmt == "time":
        return f"{_time(rnd)}Z"
    if fmt in ("email", "idn-email"):
        return str(faker_for(rnd).email())
    if fmt in ("uri", "iri", "url"):
        return str(faker_for(rnd).url()) + rnd.choice(("", "docs", "about", "index.html"))
    if fmt in ("uri-reference", "iri-reference"):
        return "/" + "/".join(faker_for(rnd).words(nb=2))
    if fmt == "uri-template":
        return str(faker_for(rnd).url()) + "{id}"
    if fmt == "uuid":
        return str(uuid.UUID(int=rnd.getrandbits(128), version=4))
    if fmt in ("hostname", "idn-hostname"):
        return str(faker_for(rnd).domain_name())
    if fmt == "ipv4":
        return str(ipaddress.IPv4Address(rnd.getrandbits(32)))
    if fmt == "ipv6":
        return str(ipaddress.IPv6Address(rnd.getrandbits(128)))
    if fmt == "duration":
        return rnd.choice(("P1D", "PT15M", "P2W", "PT1H30M", "P1Y2M"))
    if fmt == "json-pointer":
        return "/" + "/".join(faker_for(rnd).words(nb=2))
    if fmt == "relative-json-pointer":
        return f"{rnd.randint(0, 3)}/" + str(faker_for(rnd).word())
    if fmt == "regex":
        return rnd.choice(("^[a-z]+$", "\\d{3}", "[A-Z][a-z]*"))
    return None
