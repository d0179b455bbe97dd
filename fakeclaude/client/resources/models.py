"""``client.models``: list and retrieve the model catalogue."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from typing_extensions import Unpack

from ...types import ModelInfo
from .._options import NOT_GIVEN, NotGiven
from .._pagination import AsyncPage, AsyncPaginator, SyncPage
from .._response import to_raw, to_raw_async, to_streamed, to_streamed_async
from ._common import RequestExtras, async_list, json_parser, list_params, make_options, sync_list

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

__all__ = [
    "AsyncModels",
    "AsyncModelsWithRawResponse",
    "AsyncModelsWithStreamingResponse",
    "Models",
    "ModelsWithRawResponse",
    "ModelsWithStreamingResponse",
]


_model_parser = json_parser(ModelInfo)


class Models:
    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> ModelsWithRawResponse:
        return ModelsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> ModelsWithStreamingResponse:
        return ModelsWithStreamingResponse(self)

    def retrieve(self, model_id: str, **extras: Unpack[RequestExtras]) -> ModelInfo:
        """One model by id or alias."""
        if not model_id:
            raise ValueError(f"Expected a non-empty value for `model_id` but received {model_id!r}")
        return self._client.request(make_options("GET", f"v1/models/{model_id}", extras), _model_parser)

    def list(
        self,
        *,
        after_id: str | NotGiven = NOT_GIVEN,
        before_id: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        **extras: Unpack[RequestExtras],
    ) -> SyncPage[ModelInfo]:
        """The models, newest first; iterating the page walks every page."""
        return sync_list(self._client, "v1/models", ModelInfo.model_validate, list_params(after_id, before_id, limit), extras)


class AsyncModels:
    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> AsyncModelsWithRawResponse:
        return AsyncModelsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncModelsWithStreamingResponse:
        return AsyncModelsWithStreamingResponse(self)

    async def retrieve(self, model_id: str, **extras: Unpack[RequestExtras]) -> ModelInfo:
        """One model by id or alias."""
        if not model_id:
            raise ValueError(f"Expected a non-empty value for `model_id` but received {model_id!r}")
        return await self._client.request(make_options("GET", f"v1/models/{model_id}", extras), _model_parser)

    def list(
        self,
        *,
        after_id: str | NotGiven = NOT_GIVEN,
        before_id: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        **extras: Unpack[RequestExtras],
    ) -> AsyncPaginator[ModelInfo]:
        """``await`` it for the first page, or ``async for`` over every model."""
        params = list_params(after_id, before_id, limit)
        return AsyncPaginator(lambda: async_list(self._client, "v1/models", ModelInfo.model_validate, params, extras))

    async def _list_first(
        self,
        *,
        after_id: str | NotGiven = NOT_GIVEN,
        before_id: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        **extras: Unpack[RequestExtras],
    ) -> AsyncPage[ModelInfo]:
        return await async_list(self._client, "v1/models", ModelInfo.model_validate, list_params(after_id, before_id, limit), extras)



class ModelsWithRawResponse:
    def __init__(self, models: Models) -> None:
        self.retrieve = to_raw(models.retrieve)
        self.list = to_raw(models.list)


class AsyncModelsWithRawResponse:
    def __init__(self, models: AsyncModels) -> None:
        self.retrieve = to_raw_async(models.retrieve)
        self.list = to_raw_async(models._list_first)


class ModelsWithStreamingResponse:
    def __init__(self, models: Models) -> None:
        self.retrieve = to_streamed(models.retrieve)
        self.list = to_streamed(models.list)


class AsyncModelsWithStreamingResponse:
    def __init__(self, models: AsyncModels) -> None:
        self.retrieve = to_streamed_async(models.retrieve)
        self.list = to_streamed_async(models._list_first)
