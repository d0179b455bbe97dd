"""A request's headers as the engine reads them, decoded only when asked.

The engine looks up four headers per request (the key, the version, the betas); the request log keeps the
headers for a test to read later, if ever. Decoding all twenty headers the SDK sends into a dict on every
request costs more than the rest of the in-process transport together, so :class:`HeaderView` answers a
lookup by scanning the raw lower-case pairs and builds the whole dict (the package's own
``dict(headers.items())``: names lower case, repeated names joined with ``", "``) the first time it is
iterated, counted, or a value is not plain ASCII.

A client sends the same headers on every call: :class:`HeaderViews` hands out the previous request's view
again when the raw pairs are equal (one comparison in C instead of a new view), so the log's rows share it
(an entry, once read, has its headers as a plain dict) and the engine's authentication, kept per view, runs
once per run of equal headers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from operator import itemgetter
from typing import Any, Protocol, TypeVar, overload

__all__ = ["HeaderView", "HeaderViews", "RawHeaders"]

_LOWER_NAME, _VALUE = itemgetter(1), itemgetter(2)
_Source = TypeVar("_Source")


class RawHeaders(Protocol):
    """What ``httpx.Headers`` and ``httpx2.Headers`` both offer."""

    @property
    def raw(self) -> list[tuple[bytes, bytes]]: ...

    def items(self) -> Any: ...


class HeaderView(Mapping[str, str]):
    """``dict(headers.items())`` of an ``httpx``/``httpx2`` ``Headers``, lazily; read-only, names lower case."""

    __slots__ = ("_dict", "_raw")

    def __init__(self, headers: RawHeaders) -> None:
        # (raw name, lower-case name, value), as both packages keep them; else made from the public raw pairs
        found: Any = getattr(headers, "_list", None)
        if type(found) is not list or (found and not (type(found[0]) is tuple and len(found[0]) == 3)):
            found = [(name, name.lower(), value) for name, value in headers.raw]
        values = list(map(_VALUE, found))
        raw = dict(zip(map(_LOWER_NAME, found), values))  # noqa: B905 (the same list)
        # nothing else is kept (a log entry holds the view for a long time: the fewer objects the better)
        self._raw: dict[bytes, bytes] = raw
        self._dict: dict[str, str] | None = None
        if len(raw) != len(found) or not (b"".join(raw).isascii() and b"".join(values).isascii()):
            self._dict = dict(headers.items())  # a repeated name or bytes beyond ASCII: the package's own reading

    @classmethod
    def of_lowered(cls, headers: Mapping[str, str]) -> HeaderView:
        """A view of headers already read into a mapping with lower-case names (another server's request)."""
        view = cls.__new__(cls)
        view._raw, view._dict = {}, dict(headers)
        return view

    def _all(self) -> dict[str, str]:
        if self._dict is None:
            self._dict = {name.decode(): value.decode() for name, value in self._raw.items()}
        return self._dict

    def _find(self, name: str) -> str | None:
        if self._dict is not None:
            return self._dict.get(name)
        try:
            value = self._raw.get(name.encode("ascii"))
        except UnicodeEncodeError:
            return None  # no header name is beyond ASCII
        return None if value is None else value.decode()

    def __getitem__(self, name: str) -> str:
        value = self._find(name) if isinstance(name, str) else None
        if value is None:
            raise KeyError(name)
        return value

    @overload
    def get(self, name: str, /) -> str | None: ...
    @overload
    def get(self, name: str, /, default: str) -> str: ...
    @overload
    def get(self, name: str, /, default: Any) -> Any: ...
    def get(self, name: str, /, default: Any = None) -> Any:
        if self._dict is None and type(name) is str and name.isascii():  # the engine's lookups: one step
            raw = self._raw.get(name.encode())
            return default if raw is None else raw.decode()
        value = self._find(name) if isinstance(name, str) else None
        return default if value is None else value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._find(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __eq__(self, other: object) -> bool:
        return self._all() == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a mapping, not hashable

    def __repr__(self) -> str:
        return f"HeaderView({self._all()!r})"


class HeaderViews:
    """The view of a request's headers, the previous one again while the raw pairs are equal (one transport's)."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: tuple[Any, HeaderView] | None = None  # (a copy of) the raw pairs, and their view

    def of(self, headers: RawHeaders) -> HeaderView:
        found: Any = getattr(headers, "_list", None)
        last = self._last  # read once: another thread may replace it (a race only builds one view more)
        if last is not None and type(found) is list and found == last[0]:
            return last[1]
        view = HeaderView(headers)
        if type(found) is list:
            self._last = (list(found), view)  # a copy: the request's own list may change after it was answered
        return view

    def of_raw(self, raw: tuple[tuple[bytes, bytes], ...], headers: _Source,
               lowered: Callable[[_Source], Mapping[str, str]]) -> HeaderView:
        """The view of a request whose header lines were ``raw`` (aiohttp's ``raw_headers``), read from
        ``headers`` by ``lowered`` when they differ from the previous request's."""
        last = self._last
        if last is not None and raw == last[0]:
            return last[1]
        view = HeaderView.of_lowered(lowered(headers))
        self._last = (raw, view)
        return view
