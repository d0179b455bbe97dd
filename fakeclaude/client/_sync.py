"""``Anthropic``: the synchronous client."""

from __future__ import annotations

import time
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from .._exceptions import transport_error
from ._base import BaseClient, Parser
from ._options import RequestOptions
from ._response import RAW_MODE, APIResponse
from ._retry import retry_delay, should_retry_failure, should_retry_status

if TYPE_CHECKING:
    from .resources.beta import Beta
    from .resources.files import Files
    from .resources.messages import Messages
    from .resources.models import Models

__all__ = ["Anthropic"]

T = TypeVar("T")


class Anthropic(BaseClient[httpx2.Client]):
    """A Messages API client with the official SDK's surface, on ``httpx2``."""

    _http_class = httpx2.Client

    @cached_property
    def messages(self) -> Messages:
        from .resources.messages import Messages

        return Messages(self)

    @cached_property
    def models(self) -> Models:
        from .resources.models import Models

        return Models(self)

    @cached_property
    def files(self) -> Files:
        """The Files API: upload, list, retrieve_metadata, download, delete."""
        from .resources.files import Files

        return Files(self)

    @cached_property
    def beta(self) -> Beta:
        """The beta namespace: ``client.beta.messages`` (``betas=[...]``)."""
        from .resources.beta import Beta

        return Beta(self)

    @cached_property
    def with_raw_response(self) -> AnthropicWithRawResponse:
        return AnthropicWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AnthropicWithStreamedResponse:
        """Each call as a context manager over its unread response: ``with ... as response:``."""
        return AnthropicWithStreamedResponse(self)

    # ----- lifecycle ------------------------------------------------------------------------------
    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def is_closed(self) -> bool:
        return self._http.is_closed

    def __enter__(self) -> Anthropic:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # ----- requests -------------------------------------------------------------------------------
    def _send(self, options: RequestOptions, *, unread: bool = False) -> tuple[httpx2.Response, int]:
        """One call with the SDK's retry policy: the successful response and the retries it took.

        The body of a success is left unread for streams, and for any call when ``unread``."""
        max_retries = self._max_retries(options)
        retries_taken = 0
        url = self._build_url(options.path)
        while True:
            request = self._http.build_request(options.method, url, **self._request_kwargs(options, retries_taken))
            headers = None  # an answer's, once they arrived (a body can still fail to arrive)
            try:
                response = self._http.send(request, stream=True)
                headers = response.headers
                if not (options.stream or unread):
                    try:
                        response.read()
                    except BaseException:
                        response.close()
                        raise
            except Exception as exc:
                if retries_taken >= max_retries or not should_retry_failure(headers):
                    raise transport_error(request, exc) from exc
                delay = retry_delay(retries_taken, None)
            else:
                if response.is_success:
                    return response, retries_taken
                if retries_taken >= max_retries or not should_retry_status(response.status_code, response.headers):
                    response.read()
                    raise self._make_status_error(response)
                response.close()
                delay = retry_delay(retries_taken, response.headers)
            time.sleep(delay)
            retries_taken += 1

    def request(self, options: RequestOptions, parser: Parser[T]) -> T:
        """Send ``options`` and parse the answer (or, under ``with_raw_response`` / ``with_streaming_response``, return it raw)."""
        mode = RAW_MODE.get()
        response, retries_taken = self._send(options, unread=mode == "stream")
        if mode is not None:
            return APIResponse(  # type: ignore[return-value]
                raw=response, client=self, parser=parser, retries_taken=retries_taken, stream=options.stream,
                post_parser=options.post_parser,
            )
        if options.stream:
            return parser(response)
        result = self._parse(response, parser)
        return result if options.post_parser is None else options.post_parser(result)


class AnthropicWithRawResponse:
    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> Any:
        from .resources.messages import MessagesWithRawResponse

        return MessagesWithRawResponse(self._client.messages)

    @cached_property
    def models(self) -> Any:
        from .resources.models import ModelsWithRawResponse

        return ModelsWithRawResponse(self._client.models)

    @cached_property
    def files(self) -> Any:
        from .resources.files import FilesWithRawResponse

        return FilesWithRawResponse(self._client.files)

    @cached_property
    def beta(self) -> Any:
        from .resources.beta import BetaWithRawResponse

        return BetaWithRawResponse(self._client.beta)


class AnthropicWithStreamedResponse:
    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> Any:
        from .resources.messages import MessagesWithStreamingResponse

        return MessagesWithStreamingResponse(self._client.messages)

    @cached_property
    def models(self) -> Any:
        from .resources.models import ModelsWithStreamingResponse

        return ModelsWithStreamingResponse(self._client.models)

    @cached_property
    def files(self) -> Any:
        from .resources.files import FilesWithStreamingResponse

        return FilesWithStreamingResponse(self._client.files)

    @cached_property
    def beta(self) -> Any:
        from .resources.beta import BetaWithStreamingResponse

        return BetaWithStreamingResponse(self._client.beta)
