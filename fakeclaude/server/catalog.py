"""The fake's model catalogue: ids, aliases, output caps, context windows and capabilities.

Sources: ``spec/models.md`` (two real ``GET /v1/models`` answers and the SDK 2.13 model list),
``spec/messages-api.md`` and Anthropic's documented limits for the older models.

``family`` is the key of the token heuristic (``fakeclaude.server.tokens``). Families:

=====================  ==============================================================
``claude-2``           claude-2.1
``claude-3-haiku``     claude-3-haiku-20240307
``claude-3-sonnet``    claude-3-sonnet-20240229
``claude-3-opus``      claude-3-opus-20240229
``claude-3-5-haiku``   claude-3-5-haiku-20241022
``claude-3-5-sonnet``  claude-3-5-sonnet-20240620 / -20241022
``claude-3-7-sonnet``  claude-3-7-sonnet-20250219
``claude-4``           Sonnet 4, Opus 4, Opus 4.1
``claude-4-5``         Sonnet 4.5 / 4.6, Haiku 4.5, Opus 4.5 / 4.6 / 4.7 / 4.8, Mythos Preview
``claude-5``           the 5-era models (Opus/Sonnet/Fable/Mythos 5 and their point releases)
=====================  ==============================================================

The SDK 2.13 ids that no recorded ``/v1/models`` answer lists (``claude-mythos-5``, ``claude-fable-5-1``,
``claude-opus-5-5`` ...) carry placeholder release dates that only keep the SDK's newest-first order.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = ["ModelSpec", "list_models", "model_info", "resolve_model"]


@dataclass(frozen=True)
class ModelSpec:
    """One model as the fake knows it. ``capabilities`` is already in wire form (``{"supported": bool}``)."""

    id: str
    display_name: str
    created_at: str
    max_tokens: int
    context_window: int
    family: str
    aliases: tuple[str, ...]
    retired: bool
    min_cacheable_tokens: int
    supports_sampling_params: bool
    capabilities: Mapping[str, Any]


# Capability levels, oldest to newest. Each model names the features it has.
_ALL_FEATURES = frozenset(
    {
        "image", "pdf", "citations", "web_search", "code_tool", "thinking", "context", "structured",
        "ptc", "effort", "effort_max", "xhigh", "adaptive", "compact", "no_enabled", "between_tools",
    }
)  # fmt: skip


def _s(flag: bool) -> dict[str, Any]:
    return {"supported": flag}


def _caps(features: frozenset[str]) -> Mapping[str, Any]:
    f = features.__contains__
    thinking = f("thinking")
    caps: dict[str, Any] = {
        "batch": _s(True),
        "citations": _s(f("citations")),
        "code_execution": _s(f("ptc")),
        "context_management": {
            "supported": f("context"),
            "clear_thinking_20251015": _s(f("context") and thinking),
            "clear_tool_uses_20250919": _s(f("context")),
            "compact_20260112": _s(f("compact")),
        },
        "effort": {
            "supported": f("effort"),
            "low": _s(f("effort")),
            "medium": _s(f("effort")),
            "high": _s(f("effort")),
            "max": _s(f("effort_max")),
            "xhigh": _s(f("xhigh")),
        },
        "image_input": _s(f("image")),
        "pdf_input": _s(f("pdf")),
        "server_tools": {
            "supported": f("web_search") or f("code_tool"),
            "code_execution": _s(f("code_tool")),
            "web_search": _s(f("web_search")),
        },
        "structured_outputs": _s(f("structured")),
        "thinking": {
            "supported": thinking,
            "types": {
                "adaptive": _s(f("adaptive")),
                "between_tools": _s(f("between_tools")),
                "disabled": _s(True),
                "enabled": _s(thinking and not f("no_enabled")),
            },
        },
    }
    return _freeze(caps)


def _freeze(value: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k: _freeze(v) if isinstance(v, dict) else v for k, v in value.items()})


_C3 = frozenset({"image"})
_C35 = _C3 | {"pdf", "citations", "web_search", "code_tool"}
_C37 = _C35 | {"thinking"}
_C4 = _C37 | {"context"}
_C41 = _C4 | {"structured"}
_C45 = _C41 | {"ptc"}
_C45_OPUS = _C45 | {"effort"}
_C46 = _C45_OPUS | {"effort_max", "adaptive", "compact"}
_C47 = _C46 | {"xhigh", "no_enabled"}
_C5 = _C47 | {"between_tools"}
assert _C5 <= _ALL_FEATURES


def _m(
    id: str, name: str, date: str, out: int, ctx: int, family: str, features: frozenset[str], *,
    aliases: tuple[str, ...] = (), retired: bool = False, cache_min: int = 1024, sampling: bool = True,
) -> ModelSpec:  # fmt: skip
    return ModelSpec(
        id=id, display_name=name, created_at=f"{date}T00:00:00Z", max_tokens=out, context_window=ctx,
        family=family, aliases=aliases, retired=retired, min_cacheable_tokens=cache_min,
        supports_sampling_params=sampling, capabilities=_caps(features),
    )  # fmt: skip


_K = 1000
_M = 1_000_000
_MODELS: tuple[ModelSpec, ...] = (
    # 5-era ids from the SDK 2.13 list that no recorded /v1/models answer shows: placeholder dates.
    _m("claude-fable-5-2", "Claude Fable 5.2", "2026-11-12", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-mythos-5-2", "Claude Mythos 5.2", "2026-11-05", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-haiku-5-5", "Claude Haiku 5.5", "2026-10-15", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-sonnet-5-5", "Claude Sonnet 5.5", "2026-10-08", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-fable-5-1", "Claude Fable 5.1", "2026-09-24", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-opus-5-5", "Claude Opus 5.5", "2026-09-10", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-mythos-5-1", "Claude Mythos 5.1", "2026-08-20", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-mythos-5", "Claude Mythos 5", "2026-07-28", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    # Recorded GET /v1/models answers (spec/models.md).
    _m("claude-opus-5", "Claude Opus 5", "2026-07-24", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-sonnet-5", "Claude Sonnet 5", "2026-06-29", 128 * _K, _M, "claude-5", _C5, cache_min=1024, sampling=False),
    _m("claude-fable-5", "Claude Fable 5", "2026-06-07", 128 * _K, _M, "claude-5", _C5, cache_min=512, sampling=False),
    _m("claude-opus-4-8", "Claude Opus 4.8", "2026-05-28", 128 * _K, _M, "claude-4-5", _C47, cache_min=1024, sampling=False),
    _m("claude-opus-4-7", "Claude Opus 4.7", "2026-04-14", 128 * _K, _M, "claude-4-5", _C47, cache_min=4096, sampling=False),
    _m("claude-mythos-preview", "Claude Mythos Preview", "2026-04-07", 128 * _K, _M, "claude-4-5", _C46, cache_min=4096),
    _m("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17", 128 * _K, _M, "claude-4-5", _C46, cache_min=1024),
    _m("claude-opus-4-6", "Claude Opus 4.6", "2026-02-04", 128 * _K, _M, "claude-4-5", _C46, cache_min=4096),
    _m("claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24", 64 * _K, 200 * _K, "claude-4-5", _C45_OPUS,
       aliases=("claude-opus-4-5",), cache_min=4096),
    _m("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15", 64 * _K, 200 * _K, "claude-4-5", _C41,
       aliases=("claude-haiku-4-5",), cache_min=4096),
    # its end of life (2026-11-30 in SDK 2.13's list) passed: SDK 2.15 removed it as retired
    _m("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29", 64 * _K, _M, "claude-4-5", _C45,
       aliases=("claude-sonnet-4-5",), retired=True),
    _m("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05", 32 * _K, 200 * _K, "claude-4", _C41,
       aliases=("claude-opus-4-1",)),
    _m("claude-opus-4-20250514", "Claude Opus 4", "2025-05-22", 32 * _K, 200 * _K, "claude-4", _C4,
       aliases=("claude-opus-4-0",)),
    _m("claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22", 64 * _K, _M, "claude-4", _C4,
       aliases=("claude-sonnet-4-0",)),
    # Legacy models seen in real requests: retired by now, accepted by default.
    _m("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", "2025-02-24", 64 * _K, 200 * _K, "claude-3-7-sonnet", _C37,
       aliases=("claude-3-7-sonnet-latest",), retired=True),
    _m("claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22", 8192, 200 * _K, "claude-3-5-haiku", _C35,
       aliases=("claude-3-5-haiku-latest",), retired=True, cache_min=2048),
    _m("claude-3-5-sonnet-20241022", "Claude Sonnet 3.5 (New)", "2024-10-22", 8192, 200 * _K, "claude-3-5-sonnet",
       _C35, aliases=("claude-3-5-sonnet-latest",), retired=True),
    _m("claude-3-5-sonnet-20240620", "Claude Sonnet 3.5 (Old)", "2024-06-20", 8192, 200 * _K, "claude-3-5-sonnet",
       _C3 | {"pdf", "citations"}, retired=True),
    _m("claude-3-haiku-20240307", "Claude Haiku 3", "2024-03-07", 4096, 200 * _K, "claude-3-haiku", _C3,
       retired=True, cache_min=2048),
    _m("claude-3-opus-20240229", "Claude Opus 3", "2024-02-29", 4096, 200 * _K, "claude-3-opus", _C3,
       aliases=("claude-3-opus-latest",), retired=True),
    _m("claude-3-sonnet-20240229", "Claude Sonnet 3", "2024-02-29", 4096, 200 * _K, "claude-3-sonnet", _C3,
       retired=True),
    _m("claude-2.1", "Claude 2.1", "2023-11-21", 4096, 200 * _K, "claude-2", frozenset(), retired=True),
)  # fmt: skip

_BY_NAME: dict[str, ModelSpec] = {}
for _spec in _MODELS:
    for _name in (_spec.id, *_spec.aliases):
        assert _name not in _BY_NAME, _name
        _BY_NAME[_name] = _spec

# SDK 2.13's deprecation list (end of life dates) plus the 4.0-era models it no longer lists.
_DEPRECATED: dict[str, str] = {
    "claude-mythos-preview": "2026-06-30",
    "claude-opus-4-5-20251101": "2027-01-22",
    "claude-sonnet-4-5-20250929": "2026-11-30",
    "claude-opus-4-1-20250805": "",
    "claude-opus-4-20250514": "",
    "claude-sonnet-4-20250514": "",
}


def resolve_model(name: str) -> ModelSpec | None:
    """The model an id or alias names, or ``None`` when the API would answer 404 ``model: <name>``."""
    return _BY_NAME.get(name)


def list_models(*, include_retired: bool = False) -> list[ModelSpec]:
    """The catalogue, newest first (by ``created_at``, ties by id), as ``GET /v1/models`` lists it."""
    models = [m for m in _MODELS if include_retired or not m.retired]
    models.sort(key=lambda m: m.id, reverse=True)
    models.sort(key=lambda m: m.created_at, reverse=True)
    return models


def lifecycle(spec: ModelSpec) -> str:
    """``"active"``, ``"deprecated"`` or ``"retired"`` (the SDK 2.13 ``ModelInfo.lifecycle``)."""
    if spec.retired:
        return "retired"
    return "deprecated" if spec.id in _DEPRECATED else "active"


def model_info(spec: ModelSpec) -> dict[str, Any]:
    """The wire JSON of ``GET /v1/models/{id}`` for ``spec`` (a fresh, mutable dict)."""
    retires_at = _DEPRECATED.get(spec.id) or None
    line = next((w for w in ("haiku", "sonnet", "opus", "fable", "mythos") if f"-{w}" in spec.id), None)
    return {
        "type": "model",
        "id": spec.id,
        "display_name": spec.display_name,
        "created_at": spec.created_at,
        "max_input_tokens": spec.context_window,
        "max_tokens": spec.max_tokens,
        "capabilities": copy.deepcopy(_plain(spec.capabilities)),
        "lifecycle": lifecycle(spec),
        "deprecated_at": None,
        "retires_at": f"{retires_at}T00:00:00Z" if retires_at else None,
        "line": line,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value
