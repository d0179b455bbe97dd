"""What the strategies need to know about a model, read from the fake's model catalogue (one source)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis.errors import InvalidArgument

from fakeclaude.server.catalog import resolve_model
from fakeclaude.server.validation._messages import prefill_supported

__all__ = ["DEFAULT_MODELS", "ModelFacts", "model_facts"]

DEFAULT_MODELS = (
    "claude-haiku-4-5",
    "claude-opus-4-6",
    "claude-sonnet-4-6",
    "claude-opus-4-8",
    "claude-sonnet-5",
)
"""Current models of each generation, with and without sampling parameters, prefill and each thinking mode."""


@dataclass(frozen=True)
class ModelFacts:
    """The request rules that depend on the model."""

    name: str
    id: str
    max_tokens: int
    sampling: bool
    prefill: bool
    thinking: tuple[str, ...]  # of "enabled", "adaptive"
    efforts: tuple[str, ...]


def _supported(node: object) -> bool:
    return isinstance(node, Mapping) and bool(node.get("supported"))


def model_facts(name: str) -> ModelFacts:
    """The facts of the model ``name`` (an id or alias the catalogue knows)."""
    spec = resolve_model(name)
    if spec is None or spec.retired:
        raise InvalidArgument(f"{name!r} is not a current model id or alias")
    caps: Mapping[str, Any] = spec.capabilities
    thinking = caps.get("thinking") if _supported(caps.get("thinking")) else None
    kinds = tuple(
        k for k in ("enabled", "adaptive") if thinking is not None and _supported(thinking.get("types", {}).get(k))
    )
    effort = caps.get("effort")
    levels: tuple[str, ...] = ()
    if isinstance(effort, Mapping) and effort.get("supported"):
        levels = tuple(k for k, v in effort.items() if k != "supported" and _supported(v))
    return ModelFacts(name, spec.id, spec.max_tokens, spec.supports_sampling_params, prefill_supported(spec), kinds, levels)


def check_models(models: Sequence[str] | str) -> tuple[ModelFacts, ...]:
    chosen = (models,) if isinstance(models, str) else tuple(models)
    if not chosen:
        raise InvalidArgument("models must name at least one model")
    return tuple(model_facts(m) for m in chosen)
