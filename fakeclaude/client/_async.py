"""``AsyncAnthropic``: the asynchronous client, twin of ``Anthropic``."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import httpx2

from .._exceptions import transport_error
from ._base import BaseClient, Parser
from ._options import RequestOptions
from ._response import RAW_MODE, AsyncAPIResponse
from ._retry import retry_delay, should_retry_failure, should_retry_status

if TYPE_CHECKING:
    from .resources.beta import AsyncBeta
    from .resources.files import AsyncFiles
    from .resources.messages import AsyncMessages
    from .resources.models import AsyncModels

__all__ = ["AsyncAnthropic"]

T = TypeVar("T")


class AsyncAnthropic(BaseClient[httpx2.AsyncClient]):
    """The asynchronous Messages API client: every call is awaited, streams are async iterators."""

    _is_async = True
    _http_class = httpx2.AsyncClient

    @cached_property
    def messages(self) -> AsyncMessages:
        from .resources.messages import AsyncMessages

        return AsyncMessages(self)

    @cached_property
    def models(self) -> AsyncModels:
        from .resources.models import AsyncModels

        return AsyncModels(self)

    @cached_property
    def files(self) -> AsyncFiles:
        """The Files API: upload, list, retrieve_metadata, download, delete."""
        from .resources.files import AsyncFiles

        return AsyncFiles(self)

    @cached_property
    def beta(self) -> AsyncBeta:
        """The beta namespace: ``client.beta.messages`` (``betas=[...]``)."""
        from .resources.beta import AsyncBeta

        return AsyncBeta(self)

    @cached_property
    def with_raw_response(self) -> AsyncAnthropicWithRawResponse:
        return AsyncAnthropicWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncAnthropicWithStreamedResponse:
        """Each call as a context manager over its unread response: ``with ... as response:``."""
        return AsyncAnthropicWithStreamedResponse(self)

    # ----- lifecycle ------------------------------------------------------------------------------
    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def is_closed(self) -> bool:
        return self._http.is_closed

    async def __aenter__(self) -> AsyncAnthropic:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # ----- requests -------------------------------------------------------------------------------
    async def _send(self, options: RequestOptions, *, unread: bool = False) -> tuple[httpx2.Response, int]:
        """One call with the SDK's retry policy: the successful response and the retries it took.

        The body of a success is left unread for streams, and for any call when ``unread``."""
        max_retries = self._max_retries(options)
        retries_taken = 0
        url = self._build_url(options.path)
        while True:
            request = self._http.build_request(options.method, url, **self._request_kwargs(options, retries_taken))
            headers = None  # an answer's, once they arrived (a body can still fail to arrive)
            try:
                response = await self._http.send(request, stream=True)
                headers = response.headers
                if not (options.stream or unread):
                    try:
                        await response.aread()
                    except BaseException:
                        await response.aclose()
                        raise
            except Exception as exc:
                if retries_taken >= max_retries or not should_retry_failure(headers):
                    raise transport_error(request, exc) from exc
                delay = retry_delay(retries_taken, None)
            else:
                if response.is_success:
                    return response, retries_taken
                if retries_taken >= max_retries or not should_retry_status(response.status_code, response.headers):
                    await response.aread()
                    raise self._make_status_error(response)
                await response.aclose()
                delay = retry_delay(retries_taken, response.headers)
            await anyio.sleep(delay)
            retries_taken += 1

    async def request(self, options: RequestOptions, parser: Parser[T]) -> T:
        """Send ``options`` and parse the answer (or, under ``with_raw_response`` / ``with_streaming_response``, return it raw)."""
        mode = RAW_MODE.get()
        response, retries_taken = await self._send(options, unread=mode == "stream")
        if mode is not None:
            return AsyncAPIResponse(  # type: ignore[return-value]
                raw=response, client=self, parser=parser, retries_taken=retries_taken, stream=options.stream,
                post_parser=options.post_parser,
            )
        if options.stream:
            return parser(response)
        result = self._parse(response, parser)
        return result if options.post_parser is None else options.post_parser(result)


class AsyncAnthropicWithRawResponse:
    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> Any:
        from .resources.messages import AsyncMessagesWithRawResponse

        return AsyncMessagesWithRawResponse(self._client.messages)

    @cached_property
    def models(self) -> Any:
        from .resources.models import AsyncModelsWithRawResponse

        return AsyncModelsWithRawResponse(self._client.models)

    @cached_property
    def files(self) -> Any:
        from .resources.files import AsyncFilesWithRawResponse

        return AsyncFilesWithRawResponse(self._client.files)

    @cached_property
    def beta(self) -> Any:
        from .resources.beta import AsyncBetaWithRawResponse

        return AsyncBetaWithRawResponse(self._client.beta)


class AsyncAnthropicWithStreamedResponse:
    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> Any:
        from .resources.messages import AsyncMessagesWithStreamingResponse

        return AsyncMessagesWithStreamingResponse(self._client.messages)

    @cached_property
    def models(self) -> Any:
        from .resources.models import AsyncModelsWithStreamingResponse

        return AsyncModelsWithStreamingResponse(self._client.models)

    @cached_property
    def files(self) -> Any:
        from .resources.files import AsyncFilesWithStreamingResponse

        return AsyncFilesWithStreamingResponse(self._client.files)

    @cached_property
    def beta(self) -> Any:
        from .resources.beta import AsyncBetaWithStreamingResponse

        return AsyncBetaWithStreamingResponse(self._client.beta)
