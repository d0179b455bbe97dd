"""``client.models``: list and retrieve the model catalogue."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from ...types import ModelInfo
from .._options import NOT_GIVEN, NotGiven
from .._pagination import AsyncPage, AsyncPaginator, SyncPage, page_parser
from .._response import to_raw, to_raw_async
from ._common import RequestExtras, json_parser, make_options

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

__all__ = ["AsyncModels", "AsyncModelsWithRawResponse", "Models", "ModelsWithRawResponse"]


_model_parser = json_parser(ModelInfo)


def _list_params(after_id: str | NotGiven, before_id: str | NotGiven, limit: int | NotGiven) -> dict[str, Any]:
    return {"after_id": after_id, "before_id": before_id, "limit": limit}


class Models:
    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> ModelsWithRawResponse:
        return ModelsWithRawResponse(self)

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
        return self._page(_list_params(after_id, before_id, limit), extras)

    def _page(self, params: dict[str, Any], extras: RequestExtras) -> SyncPage[ModelInfo]:
        options = make_options("GET", "v1/models", extras, params=params)
        kwargs = page_parser(ModelInfo.model_validate, options.params)
        return self._client.request(
            options, lambda r: SyncPage(fetch=lambda p: self._page(p, extras), **kwargs(r))
        )


class AsyncModels:
    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> AsyncModelsWithRawResponse:
        return AsyncModelsWithRawResponse(self)

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
        params = _list_params(after_id, before_id, limit)
        return AsyncPaginator(lambda: self._page(params, extras))

    async def _list_first(
        self,
        *,
        after_id: str | NotGiven = NOT_GIVEN,
        before_id: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        **extras: Unpack[RequestExtras],
    ) -> AsyncPage[ModelInfo]:
        return await self._page(_list_params(after_id, before_id, limit), extras)

    async def _page(self, params: dict[str, Any], extras: RequestExtras) -> AsyncPage[ModelInfo]:
        options = make_options("GET", "v1/models", extras, params=params)
        kwargs = page_parser(ModelInfo.model_validate, options.params)
        return await self._client.request(
            options, lambda r: AsyncPage(fetch=lambda p: self._page(p, extras), **kwargs(r))
        )


class ModelsWithRawResponse:
    def __init__(self, models: Models) -> None:
        self.retrieve = to_raw(models.retrieve)
        self.list = to_raw(models.list)


class AsyncModelsWithRawResponse:
    def __init__(self, models: AsyncModels) -> None:
        self.retrieve = to_raw_async(models.retrieve)
        self.list = to_raw_async(models._list_first)
