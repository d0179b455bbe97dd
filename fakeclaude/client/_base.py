"""What the sync and async clients share: configuration, request building, retry and error policy.

Nothing here performs I/O; ``Anthropic`` and ``AsyncAnthropic`` drive these pieces with their own
``httpx2`` client, so the two stay twins.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Mapping
from typing import Any, Generic, Self, TypeVar

import httpx2
import pydantic

from .._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    decode_error_body,
    make_status_error,
)
from .._version import __version__
from ._body import encode_body
from ._options import (
    API_VERSION_2023,
    API_VERSION_2026,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    Omit,
    RequestOptions,
    Timeout,
)
from ._response import RAW_MODE, RAW_RESPONSE_HEADER

__all__ = ["BaseClient", "Parser"]

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx2.Client, httpx2.AsyncClient)
Parser = Callable[[httpx2.Response], T]
"""Turns a successful response into the typed result (the body is already read)."""

_SAMPLING_PARAMS = ("temperature", "top_p", "top_k")
_NONSTREAMING_CAPS = {  # the SDK's caps on a non-streamed answer, by model id (and its Bedrock / Vertex names)
    "claude-opus-4-20250514": 8_192, "claude-opus-4-0": 8_192, "claude-4-opus-20250514": 8_192,
    "anthropic.claude-opus-4-20250514-v1:0": 8_192, "claude-opus-4@20250514": 8_192,
    "anthropic.claude-opus-4-1-20250805-v1:0": 8_192, "claude-opus-4-1@20250805": 8_192,
}


def _os_name() -> str:
    """The operating system as the SDK names it (``MacOS``, ``Linux``, ``Other:…`` beyond the ones it knows)."""
    system, machine, release = platform.system().lower(), platform.machine().lower(), platform.release().lower()
    if system in ("ios", "ipados") or machine.startswith(("iphone", "ipad")):
        return "iOS"
    if system == "android" or hasattr(sys, "getandroidapilevel") or "android" in release:
        return "Android"
    known = {"darwin": "MacOS", "windows": "Windows", "linux": "Linux", "freebsd": "FreeBSD", "openbsd": "OpenBSD"}
    return known.get(system) or (f"Other:{system}" if system else "Unknown")


def _arch_name() -> str:
    """The processor as the SDK names it (``x64``, ``arm64``, ``other:…``)."""
    machine = platform.machine().lower()
    known = {"x86_64": "x64", "arm64": "arm64", "aarch64": "arm64", "arm": "arm"}
    if machine in known:
        return known[machine]
    if sys.maxsize <= 2**32:
        return "x32"
    return f"other:{machine}" if machine else "unknown"


def _platform_headers(async_: bool) -> dict[str, str]:
    return {
        "x-stainless-lang": "python",
        "x-stainless-package-version": __version__,
        "x-stainless-os": _os_name(),
        "x-stainless-arch": _arch_name(),
        "x-stainless-runtime": platform.python_implementation(),
        "x-stainless-runtime-version": platform.python_version(),
        "x-stainless-async": "async:asyncio" if async_ else "false",
    }


_PLATFORM: dict[bool, dict[str, str]] = {}


class BaseClient(Generic[HttpT]):
    """Configuration and per-request policy of a Messages API client (no I/O)."""

    _is_async: bool = False
    _http_class: type[HttpT]
    _http: HttpT

    api_key: str | None
    auth_token: str | None
    base_url: httpx2.URL
    api_version: str
    timeout: Timeout
    max_retries: int

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | httpx2.URL | None = None,
        api_version: str = API_VERSION_2026,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: HttpT | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        self.api_key = api_key if api_key is not None else os.environ.get("ANTHROPIC_API_KEY")
        self.auth_token = auth_token if auth_token is not None else os.environ.get("ANTHROPIC_AUTH_TOKEN")
        if base_url is None:
            base_url = os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
        base = str(base_url)
        self._base = base if base.endswith("/") else base + "/"
        self.base_url = httpx2.URL(self._base)
        if api_version not in (API_VERSION_2023, API_VERSION_2026):
            raise ValueError(f"api_version must be {API_VERSION_2023!r} or {API_VERSION_2026!r}, not {api_version!r}")
        self.api_version = api_version
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.max_retries = max_retries
        self._custom_headers: dict[str, str] = dict(default_headers or {})
        self._custom_query: dict[str, object] = dict(default_query or {})
        self._strict_response_validation = _strict_response_validation
        if self._is_async not in _PLATFORM:
            _PLATFORM[self._is_async] = _platform_headers(self._is_async)
        self._default_headers = self._compute_default_headers()
        if http_client is not None and not isinstance(http_client, self._http_class):
            raise TypeError(
                f"http_client must be an httpx2.{self._http_class.__name__}, not {type(http_client).__module__}."
                f"{type(http_client).__name__}"
            )
        self._owns_http = http_client is None
        self._http = http_client or self._http_class(
            timeout=self.timeout,
            follow_redirects=True,
            limits=httpx2.Limits(max_connections=1000, max_keepalive_connections=100),
        )

    # ----- headers and URLs -------------------------------------------------------------------
    @property
    def auth_headers(self) -> dict[str, str]:
        if self.api_version == API_VERSION_2026:
            key = self.api_key or self.auth_token
            return {"Authorization": f"Bearer {key}"} if key else {}
        headers: dict[str, str] = {}
        if self.api_key:
            headers["X-Api-Key"] = self.api_key
        if self.auth_token:
            headers["Authorization"] = f"Bearer {self.auth_token}"
        return headers

    @property
    def user_agent(self) -> str:
        return f"{type(self).__name__}/Python {__version__}"

    def _compute_default_headers(self) -> dict[str, str]:
        return {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            **_PLATFORM[self._is_async],
            "anthropic-version": self.api_version,
            **self.auth_headers,
            **self._custom_headers,
        }

    @property
    def default_headers(self) -> dict[str, str]:
        return dict(self._default_headers)

    def _build_headers(self, options: RequestOptions, retries_taken: int) -> dict[str, str]:
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        read = timeout.read if isinstance(timeout, httpx2.Timeout) else timeout
        headers = dict(self._default_headers)
        if options.method == "GET":  # no body, so no Content-Type (as the SDK)
            del headers["Content-Type"]
        # the call's own timeout, as the SDK writes it (its sentinel's name when none was given), and the one used
        given = options.timeout
        headers["x-stainless-timeout"] = (str(given.read) if isinstance(given, httpx2.Timeout) else
                                          "NOT_GIVEN" if isinstance(given, NotGiven) else str(given))
        headers["x-stainless-retry-count"] = str(retries_taken)
        if read is not None:
            headers["x-stainless-read-timeout"] = str(read)
        mode = RAW_MODE.get()
        if mode is not None:
            headers[RAW_RESPONSE_HEADER] = mode
        omitted: set[str] = set()
        for name, value in options.headers.items():
            if isinstance(value, Omit):
                omitted.add(name.lower())
                for existing in [k for k in headers if k.lower() == name.lower()]:
                    del headers[existing]
            else:
                headers[name] = value
        self._validate_auth(headers, omitted, self.api_version)
        return headers

    @staticmethod
    def _validate_auth(headers: Mapping[str, str], omitted: set[str], api_version: str) -> None:
        lowered = {k.lower() for k in headers}
        if "x-api-key" in lowered or "authorization" in lowered or "authorization" in omitted or "x-api-key" in omitted:
            return
        if api_version == API_VERSION_2026:  # the SDK 2.x's words, quotes included
            raise TypeError('"Could not resolve authentication method. Expected one of api_key, auth_token, or '
                            'credentials to be set. Or for the `Authorization` header to be explicitly omitted"')
        raise TypeError(
            "Could not resolve authentication method. Expected either api_key or auth_token to be set "
            "(or ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN in the environment), or for the `X-Api-Key` or "
            "`Authorization` headers to be explicitly omitted"
        )

    def _build_url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self._base + path.lstrip("/")

    def _request_kwargs(self, options: RequestOptions, retries_taken: int) -> dict[str, Any]:
        """Keyword arguments for ``httpx2.Client.build_request`` for one attempt."""
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        params = {**self._custom_query, **options.params} if self._custom_query else options.params
        kwargs: dict[str, Any] = {
            "headers": self._build_headers(options, retries_taken),
            "timeout": timeout,
        }
        if params:
            kwargs["params"] = {k: v for k, v in params.items() if v is not None and not isinstance(v, NotGiven)}
        if options.json is not None:
            # the standard library, as the SDK: plain data is written exactly as json does, response objects
            # as the SDK dumps them
            kwargs["content"] = encode_body(options.json)
        elif options.content is not None:
            kwargs["content"] = options.content
        return kwargs

    def _max_retries(self, options: RequestOptions) -> int:
        return self.max_retries if isinstance(options.max_retries, NotGiven) else options.max_retries

    # ----- request bodies -----------------------------------------------------------------------
    def settle_create(self, options: RequestOptions, *, stream: bool, keywords: Mapping[str, Any]) -> None:
        """What the official SDK does to a Messages call before sending it: its refusals (sampling keyword
        arguments on 2026-10-21, where its 2.x signatures have none and ``extra_body`` still sends them; a
        non-streamed answer that may take over 10 minutes), and the ten-minute timeout it gives a non-streamed
        call that named none (which ``x-stainless-timeout`` then says)."""
        if self.api_version == API_VERSION_2026:
            for name in _SAMPLING_PARAMS:
                if name in keywords:
                    raise TypeError(
                        f"`{name}` is not accepted with anthropic-version {API_VERSION_2026}: the API removed "
                        f"sampling parameters in that version. Use api_version={API_VERSION_2023!r} to send it."
                    )
        if stream or not isinstance(options.timeout, NotGiven) or self.timeout != DEFAULT_TIMEOUT:
            return
        body = options.json if isinstance(options.json, Mapping) else {}
        max_tokens = body.get("max_tokens")
        cap = _NONSTREAMING_CAPS.get(str(body.get("model")))
        if isinstance(max_tokens, int) and (3600 * max_tokens / 128_000 > 600 or (cap is not None and max_tokens > cap)):
            raise ValueError(  # the SDK's words
                "Streaming is required for operations that may take longer than 10 minutes. See "
                "https://platform.claude.com/docs/en/cli-sdks-libraries/sdks/python#long-requests for more details"
            )
        options.timeout = DEFAULT_TIMEOUT

    # ----- responses ------------------------------------------------------------------------------
    def _make_status_error(self, response: httpx2.Response) -> APIStatusError:
        return make_status_error(response, decode_error_body(response))

    def _parse(self, response: httpx2.Response, parser: Parser[T]) -> T:
        try:
            result = parser(response)
        except pydantic.ValidationError as exc:
            raise APIResponseValidationError(response, decode_error_body(response), message=str(exc)) from exc
        request_id = response.headers.get("request-id")
        if request_id is not None and isinstance(result, pydantic.BaseModel):
            try:
                result._request_id = request_id  # type: ignore[attr-defined]
            except (AttributeError, ValueError):
                pass
        return result

    def with_options(
        self,
        *,
        api_key: str | NotGiven | None = NOT_GIVEN,
        auth_token: str | NotGiven | None = NOT_GIVEN,
        base_url: str | httpx2.URL | NotGiven = NOT_GIVEN,
        api_version: str | NotGiven = NOT_GIVEN,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: HttpT | None = None,
    ) -> Self:
        """A copy of this client with some options changed; it shares the connection pool unless given one."""
        overrides: dict[str, Any] = {
            "api_key": api_key,
            "auth_token": auth_token,
            "base_url": base_url,
            "api_version": api_version,
            "timeout": timeout,
            "max_retries": max_retries,
        }
        kwargs: dict[str, Any] = {
            "api_key": self.api_key,
            "auth_token": self.auth_token,
            "base_url": self.base_url,
            "api_version": self.api_version,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": {**self._custom_headers, **(default_headers or {})},
            "default_query": {**self._custom_query, **(default_query or {})},
            "_strict_response_validation": self._strict_response_validation,
        }
        kwargs.update({k: v for k, v in overrides.items() if not isinstance(v, NotGiven)})
        copy = type(self)(http_client=http_client or self._http, **kwargs)
        copy._owns_http = False
        return copy

    copy = with_options
