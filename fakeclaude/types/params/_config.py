"""Smaller top-level request options: model, metadata, service tier, container, output config."""

from collections.abc import Sequence
from typing import Literal, Required, TypeAlias

from typing_extensions import TypedDict

__all__ = [
    "BetaTokenTaskBudgetParam",
    "ContainerParams",
    "DiagnosticsParam",
    "JSONOutputFormatParam",
    "MessageCreateParamsContainerParam",
    "MetadataParam",
    "ModelParam",
    "OutputConfigParam",
    "OutputEffort",
    "ServiceTier",
    "SkillParams",
    "Speed",
]

ModelParam: TypeAlias = (
    Literal[
        "claude-opus-5",
        "claude-sonnet-5",
        "claude-fable-5",
        "claude-opus-4-8",
        "claude-opus-4-7",
        "claude-opus-4-6",
        "claude-sonnet-4-6",
        "claude-haiku-4-5",
        "claude-haiku-4-5-20251001",
        "claude-opus-4-5",
        "claude-opus-4-5-20251101",
        "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929",
        "claude-opus-4-1-20250805",
        "claude-opus-4-20250514",
        "claude-sonnet-4-20250514",
    ]
    | str
)
"""A model id or alias; any string is accepted (unknown ids get a 404 from the API)."""

ServiceTier: TypeAlias = Literal["auto", "standard_only"]
"""The ``service_tier`` parameter: priority capacity when available, or standard only."""

Speed: TypeAlias = Literal["standard", "fast"]

OutputEffort: TypeAlias = Literal["low", "medium", "high", "xhigh", "max"]


class MetadataParam(TypedDict, total=False):
    """``user_id``: an opaque id of your end user (a uuid or hash, never personal data)."""

    user_id: str | None


class JSONOutputFormatParam(TypedDict, total=False):
    """Structured output: the answer's text is JSON matching ``schema``."""

    type: Required[Literal["json_schema"]]
    schema: Required[dict[str, object]]


class BetaTokenTaskBudgetParam(TypedDict, total=False):
    """A token budget for a whole agentic task (beta ``task-budgets-2026-03-13``)."""

    total: Required[int]
    type: Required[Literal["tokens"]]
    remaining: int | None


class OutputConfigParam(TypedDict, total=False):
    """The answer's effort and format; ``task_budget`` is taken on every surface (recordings drop the beta header)."""

    effort: OutputEffort | None
    format: JSONOutputFormatParam | None
    task_budget: BetaTokenTaskBudgetParam | None


class SkillParams(TypedDict, total=False):
    """A skill loaded into the code-execution container."""

    skill_id: Required[str]
    type: Required[Literal["anthropic", "custom"]]
    version: str


class ContainerParams(TypedDict, total=False):
    """A container to reuse (``id``) and the skills to load in it."""

    id: str | None
    skills: Sequence[SkillParams] | None


MessageCreateParamsContainerParam: TypeAlias = ContainerParams | str
"""The ``container`` parameter: a container id, or container options."""


class DiagnosticsParam(TypedDict, total=False):
    """Ask why the prompt cache missed compared to an earlier message."""

    previous_message_id: str | None
