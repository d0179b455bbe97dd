"""Python functions as tools: ``@beta_tool`` / ``@beta_async_tool``, as in the official SDK.

::

    @beta_tool
    def get_weather(city: str, unit: str = "c") -> str:
        \"\"\"The weather in a city.

        Args:
            city: the city's name
        \"\"\"

``get_weather.to_dict()`` is the tool definition sent to the API: the function's name, its docstring's
description, and an ``input_schema`` built by pydantic from the signature (the docstring's argument
descriptions added). ``get_weather.call(input)`` validates the model's input against the signature and
calls the function; the tool runner (``client.beta.messages.tool_runner``) does that for every call.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import cached_property
from typing import Any, Generic, TypeAlias, TypeVar, overload

import docstring_parser
import pydantic

__all__ = [
    "BetaAsyncFunctionTool",
    "BetaFunctionTool",
    "BetaFunctionToolResultType",
    "ToolError",
    "beta_async_tool",
    "beta_tool",
]

BetaFunctionToolResultType: TypeAlias = str | Iterable[Mapping[str, Any]]
"""What a tool returns: text, or content blocks (``{"type": "text", ...}``, images...)."""

F = TypeVar("F", bound=Callable[..., Any])


class ToolError(Exception):
    """Raise it in a tool to send ``content`` back as the result, with ``is_error: true``."""

    content: BetaFunctionToolResultType

    def __init__(self, content: BetaFunctionToolResultType) -> None:
        if not isinstance(content, str):
            content = list(content)
            parts = [str(b["text"]) if b.get("text") is not None else f"[{b.get('type', 'unknown')}]" for b in content]
            message = " ".join(parts) or "Tool error"
        else:
            message = content
        super().__init__(message)
        self.content = content


class _FunctionTool(Generic[F]):
    """A function with the definition the API is sent for it."""

    func: F
    name: str
    description: str
    input_schema: dict[str, Any]

    def __init__(
        self,
        func: F,
        *,
        name: str | None = None,
        description: str | None = None,
        input_schema: Mapping[str, Any] | type[pydantic.BaseModel] | None = None,
        defer_loading: bool | None = None,
        cache_control: Mapping[str, Any] | None = None,
        allowed_callers: list[str] | None = None,
        eager_input_streaming: bool | None = None,
        input_examples: Iterable[dict[str, object]] | None = None,
        strict: bool | None = None,
    ) -> None:
        self.func = func
        self._validated = pydantic.validate_call(func)
        self.name = name or func.__name__
        self.description = description or self._docstring_description()
        if isinstance(input_schema, type):
            self.input_schema = input_schema.model_json_schema()
        elif input_schema is not None:
            self.input_schema = dict(input_schema)
        else:
            self.input_schema = self._signature_schema()
        self._options: dict[str, Any] = {
            key: value
            for key, value in (
                ("defer_loading", defer_loading),
                ("cache_control", cache_control),
                ("allowed_callers", allowed_callers),
                ("eager_input_streaming", eager_input_streaming),
                ("input_examples", input_examples),
                ("strict", strict),
            )
            if value is not None
        }

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"

    def to_dict(self) -> dict[str, Any]:
        """The tool definition (a ``tools`` entry of the request)."""
        return {"name": self.name, "description": self.description, "input_schema": self.input_schema, **self._options}

    @cached_property
    def _docstring(self) -> docstring_parser.Docstring:
        return docstring_parser.parse(self.func.__doc__ or "")

    def _docstring_description(self) -> str:
        doc = self._docstring
        if not doc.short_description:
            return ""
        return doc.short_description + (f"\n\n{doc.long_description}" if doc.long_description else "")

    def _signature_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = pydantic.TypeAdapter(self._validated).json_schema()  # type: ignore[arg-type]
        properties = schema.get("properties")
        if schema.get("type") == "object" and isinstance(properties, dict):
            for param in self._docstring.params:
                prop = properties.get(param.arg_name)
                if isinstance(prop, dict) and param.description and "description" not in prop:
                    prop["description"] = param.description
        return schema

    def _check_input(self, input: object) -> dict[str, Any]:
        if not isinstance(input, dict):
            raise TypeError(f"Input must be a dictionary, got {type(input).__name__}")
        return input


class BetaFunctionTool(_FunctionTool[F]):
    """A synchronous function tool."""

    def call(self, input: object) -> Any:
        """Validate ``input`` against the signature and call the function with it."""
        if inspect.iscoroutinefunction(self.func):
            raise RuntimeError("Cannot call a coroutine function synchronously. Use `@beta_async_tool` instead.")
        arguments = self._check_input(input)
        try:
            return self._validated(**arguments)
        except pydantic.ValidationError as exc:
            raise ValueError(f"Invalid arguments for function {self.name}") from exc


class BetaAsyncFunctionTool(_FunctionTool[F]):
    """An ``async def`` function tool."""

    async def call(self, input: object) -> Any:
        """Validate ``input`` against the signature and await the function with it."""
        if not inspect.iscoroutinefunction(self.func):
            raise RuntimeError("Cannot call a synchronous function asynchronously. Use `@beta_tool` instead.")
        arguments = self._check_input(input)
        try:
            result: Awaitable[Any] = self._validated(**arguments)
            return await result
        except pydantic.ValidationError as exc:
            raise ValueError(f"Invalid arguments for function {self.name}") from exc


@overload
def beta_tool(func: F, **options: Any) -> BetaFunctionTool[F]: ...
@overload
def beta_tool(func: None = None, **options: Any) -> Callable[[F], BetaFunctionTool[F]]: ...
def beta_tool(func: F | None = None, **options: Any) -> BetaFunctionTool[F] | Callable[[F], BetaFunctionTool[F]]:
    """``@beta_tool`` or ``@beta_tool(name=..., description=..., input_schema=..., strict=...)``."""
    if func is not None:
        return BetaFunctionTool(func, **options)
    return lambda f: BetaFunctionTool(f, **options)


@overload
def beta_async_tool(func: F, **options: Any) -> BetaAsyncFunctionTool[F]: ...
@overload
def beta_async_tool(func: None = None, **options: Any) -> Callable[[F], BetaAsyncFunctionTool[F]]: ...
def beta_async_tool(
    func: F | None = None, **options: Any
) -> BetaAsyncFunctionTool[F] | Callable[[F], BetaAsyncFunctionTool[F]]:
    """The ``async def`` twin of :func:`beta_tool`."""
    if func is not None:
        return BetaAsyncFunctionTool(func, **options)
    return lambda f: BetaAsyncFunctionTool(f, **options)
