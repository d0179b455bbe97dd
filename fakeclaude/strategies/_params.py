"""Whole request bodies: ``thinking`` configurations and ``POST /v1/messages`` params with knobs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from fakeclaude.server.validation import API_VERSIONS
from fakeclaude.strategies._blocks import text_blocks, texts
from fakeclaude.strategies._conversations import conversations
from fakeclaude.strategies._models import DEFAULT_MODELS, ModelFacts, check_models
from fakeclaude.strategies._options import as_dicts, check_bool_or_none, check_choices, check_int_range
from fakeclaude.strategies._tools import tool_choices, tool_definitions
from fakeclaude.types.params import (
    BatchCreateParams,
    MessageCountTokensParams,
    MessageCreateParams,
    ThinkingConfigParam,
)

__all__ = ["THINKING_KINDS", "batch_params", "count_tokens_params", "create_params", "thinking_configs"]

THINKING_KINDS = ("enabled", "adaptive", "disabled")
_MIN_BUDGET = 1024
# The TypedDict's fields, less the sampling parameters (which count_tokens ignores and SDK 2.x does not send).
_COUNT_TOKENS_FIELDS = (MessageCountTokensParams.__required_keys__ | MessageCountTokensParams.__optional_keys__) - {
    "temperature", "top_p", "top_k"
}


def thinking_configs(
    *, max_tokens: int | None = None, kinds: Sequence[str] = THINKING_KINDS, display: bool | None = None
) -> st.SearchStrategy[ThinkingConfigParam]:
    """``thinking`` values: ``enabled`` with a ``budget_tokens`` of at least 1024 and below
    ``max_tokens`` (given: the request's ``max_tokens``; None: up to 16000), ``adaptive``, ``disabled``;
    ``display`` (``summarized``/``omitted``) on enabled and adaptive configs when True, sometimes when None.

        >>> config = thinking_configs(max_tokens=2048, kinds=["enabled"]).example()
        >>> config["type"], 1024 <= config["budget_tokens"] < 2048
        ('enabled', True)
    """
    chosen = check_choices("kinds", kinds, THINKING_KINDS)
    check_bool_or_none("display", display)
    if max_tokens is not None:
        check_int_range("max_tokens", max_tokens, 1)
        if "enabled" in chosen and max_tokens <= _MIN_BUDGET:
            raise InvalidArgument(
                f"max_tokens={max_tokens}: enabled thinking needs max_tokens > {_MIN_BUDGET} (budget_tokens >= 1024 and < max_tokens)"
            )
    top = 16_000 if max_tokens is None else max_tokens - 1

    def shown(config: dict[str, Any], show: str | None) -> Any:
        if show is not None and config["type"] != "disabled":
            config["display"] = show
        return config

    shown_as = st.sampled_from(["summarized", "omitted"])
    shows: st.SearchStrategy[str | None] = st.none() if display is False else shown_as if display else st.none() | shown_as
    options: dict[str, st.SearchStrategy[dict[str, Any]]] = {
        "enabled": st.integers(_MIN_BUDGET, top).map(lambda n: {"type": "enabled", "budget_tokens": n}),
        "adaptive": st.builds(lambda: {"type": "adaptive"}),
        "disabled": st.builds(lambda: {"type": "disabled"}),
    }
    return cast("st.SearchStrategy[ThinkingConfigParam]", st.builds(shown, st.one_of([options[k] for k in chosen]), shows))


@st.composite
def _create(
    draw: st.DrawFn,
    models: tuple[ModelFacts, ...],
    api_version: str,
    knobs: dict[str, bool | None],
) -> dict[str, Any]:
    def on(name: str) -> bool:
        knob = knobs[name]
        return bool(knob) if knob is not None else draw(st.booleans())

    model = draw(st.sampled_from(models))
    think = bool(model.thinking) and knobs["thinking"] is not False and on("thinking")
    kind = draw(st.sampled_from(model.thinking)) if think else None
    cap = min(model.max_tokens, 8192)
    max_tokens = draw(st.integers(_MIN_BUDGET + 1, cap)) if kind == "enabled" else draw(st.integers(1, min(cap, 4096)))
    body: dict[str, Any] = {"model": model.name, "max_tokens": max_tokens}
    breakpoints = 4
    if on("system"):
        if draw(st.booleans()):
            body["system"] = draw(texts(max_size=200))
        else:
            blocks = draw(st.lists(text_blocks(max_size=200), min_size=1, max_size=2))
            if knobs["cache_control"] is not False and (knobs["cache_control"] or draw(st.booleans())):
                blocks[-1]["cache_control"] = {"type": "ephemeral"}
                breakpoints -= 1
            body["system"] = blocks
    tools: list[dict[str, Any]] = []
    if on("tools"):
        tools = draw(st.lists(as_dicts(tool_definitions()), min_size=1, max_size=3, unique_by=lambda t: t["name"]))
        if knobs["cache_control"] is not False and (knobs["cache_control"] or draw(st.booleans())):
            tools[-1]["cache_control"] = {"type": "ephemeral"}
            breakpoints -= 1
        body["tools"] = tools
        if draw(st.booleans()):
            body["tool_choice"] = draw(tool_choices(tools, forced=False if kind == "enabled" else None))
    prefill = model.prefill and not think and knobs["prefill"] is not False and on("prefill")
    body["messages"] = draw(conversations(
        max_turns=5, tools=tools, prefill=prefill, images=knobs["images"] if knobs["images"] is not None else None,
        documents=knobs["documents"], thinking=kind is not None,
        max_cache_breakpoints=0 if knobs["cache_control"] is False else breakpoints,
    ))  # fmt: skip
    if kind is not None:
        config = draw(thinking_configs(max_tokens=max_tokens, kinds=[kind]))
        body["thinking"] = config
    elif draw(st.integers(0, 4)) == 0:
        body["thinking"] = {"type": "disabled"}
    sampling = knobs["sampling"]
    if api_version == "2023-06-01" and model.sampling and kind is None and sampling is not False and (sampling or draw(st.booleans())):
        which = draw(st.sampled_from(["temperature", "top_p", "top_k", "temperature+top_k"]))
        if "temperature" in which:
            body["temperature"] = draw(st.floats(0, 1))
        if which == "top_p":
            body["top_p"] = draw(st.floats(0, 1))
        if "top_k" in which:
            body["top_k"] = draw(st.integers(1, 500))
    if draw(st.integers(0, 3)) == 0:
        body["stop_sequences"] = draw(st.lists(texts(max_size=8).map(str.strip).filter(bool), max_size=3, unique=True))
    if draw(st.integers(0, 3)) == 0:
        body["metadata"] = {"user_id": draw(st.uuids()).hex}
    if model.efforts and draw(st.integers(0, 2)) == 0:
        body["output_config"] = {"effort": draw(st.sampled_from(model.efforts))}
    if draw(st.integers(0, 4)) == 0:
        body["service_tier"] = draw(st.sampled_from(["auto", "standard_only"]))
    stream = knobs["stream"]
    if stream is True:
        body["stream"] = True
    elif stream is False:
        if draw(st.booleans()):
            body["stream"] = False
    else:
        choice = draw(st.sampled_from([None, False, True]))
        if choice is not None:
            body["stream"] = choice
    return body


def _knobs(**values: object) -> dict[str, bool | None]:
    return {name: check_bool_or_none(name, value) for name, value in values.items()}


def create_params(
    *,
    models: Sequence[str] = DEFAULT_MODELS,
    api_version: str = "2023-06-01",
    stream: bool | None = False,
    tools: bool | None = None,
    thinking: bool | None = None,
    system: bool | None = None,
    images: bool | None = None,
    documents: bool | None = None,
    sampling: bool | None = None,
    prefill: bool | None = None,
    cache_control: bool | None = None,
) -> st.SearchStrategy[MessageCreateParams]:
    """Bodies of ``POST /v1/messages`` that the API accepts for ``api_version``, for any of ``models``.

    Each knob is True (always), False (never) or None (sometimes): ``stream``, ``tools`` (1-3 tools and
    sometimes a ``tool_choice``, with calls and results in the conversation), ``thinking`` (a mode the
    drawn model has, with a budget below ``max_tokens``), ``system``, ``images`` and ``documents`` (in user
    turns), ``sampling`` (``temperature`` / ``top_p`` / ``top_k``, only on 2023-06-01, for models that
    take them and without thinking), ``prefill`` (a final assistant turn, for models that allow one,
    never with thinking) and ``cache_control`` (breakpoints on system, tools and blocks, at most 4).
    Sometimes ``stop_sequences``, ``metadata``, ``output_config.effort`` (a level the model has) and
    ``service_tier`` too. The rules that depend on the model come from the fake's model catalogue.

        >>> body = create_params(tools=True, stream=True).example()
        >>> body["stream"], len(body["tools"]) >= 1
        (True, True)
    """
    facts = check_models(models)
    if api_version not in API_VERSIONS:
        raise InvalidArgument(f"api_version={api_version!r} must be one of {', '.join(API_VERSIONS)}")
    knobs = _knobs(stream=stream, tools=tools, thinking=thinking, system=system, images=images,
                   documents=documents, sampling=sampling, prefill=prefill, cache_control=cache_control)  # fmt: skip
    if thinking and prefill:
        raise InvalidArgument("thinking=True and prefill=True: the API refuses a prefill with extended thinking")
    if thinking:
        facts = tuple(f for f in facts if f.thinking)
        if not facts:
            raise InvalidArgument("thinking=True, but none of the models has extended thinking")
    if prefill:
        facts = tuple(f for f in facts if f.prefill)
        if not facts:
            raise InvalidArgument("prefill=True, but none of the models allows a prefill")
    if sampling:
        facts = tuple(f for f in facts if f.sampling)
        if api_version != "2023-06-01" or not facts or thinking:
            raise InvalidArgument("sampling=True needs api_version='2023-06-01', a model that takes sampling "
                                  "parameters, and thinking not True")  # fmt: skip
    return cast("st.SearchStrategy[MessageCreateParams]", _create(facts, api_version, knobs))


def count_tokens_params(**knobs: Any) -> st.SearchStrategy[MessageCountTokensParams]:
    """Bodies of ``POST /v1/messages/count_tokens``: :func:`create_params` (same knobs, but ``stream``)
    keeping only the fields of ``MessageCountTokensParams`` (no ``max_tokens``, ``stream``,
    ``stop_sequences``, ``metadata``, ``service_tier`` nor sampling parameters).

        >>> "max_tokens" in count_tokens_params().example()
        False
    """
    if "stream" in knobs:
        raise InvalidArgument("count_tokens_params() takes no stream knob: that endpoint does not stream")
    bodies = as_dicts(create_params(**knobs)).map(
        lambda body: {k: v for k, v in body.items() if k in _COUNT_TOKENS_FIELDS}
    )
    return cast("st.SearchStrategy[MessageCountTokensParams]", bodies)


def batch_params(*, max_requests: int = 3, **knobs: Any) -> st.SearchStrategy[BatchCreateParams]:
    """Bodies of ``POST /v1/messages/batches``: 1..``max_requests`` requests with unique ``custom_id``
    values, each ``params`` from :func:`create_params` (same knobs, but ``stream``: batches do not stream).

        >>> len(batch_params(max_requests=2).example()["requests"]) in (1, 2)
        True
    """
    check_int_range("max_requests", max_requests, 1, 100)
    if "stream" in knobs:
        raise InvalidArgument("batch_params() takes no stream knob: batch requests do not stream")
    params = as_dicts(create_params(stream=False, **knobs)).map(lambda b: {k: v for k, v in b.items() if k != "stream"})
    ids = st.from_regex(r"[a-zA-Z0-9_-]{1,64}", fullmatch=True)
    requests = st.lists(st.tuples(ids, params), min_size=1, max_size=max_requests, unique_by=lambda r: r[0])
    bodies = requests.map(lambda rs: {"requests": [{"custom_id": i, "params": p} for i, p in rs]})
    return cast("st.SearchStrategy[BatchCreateParams]", bodies)
