"""``ModelInfo``: one entry of ``GET /v1/models`` (newer fields optional, extra ones kept)."""

from typing import Any, Literal, TypeAlias

from ._base import BaseModel
from ._datetime import Timestamp

__all__ = [
    "CapabilitySupport",
    "ModelCapabilities",
    "ModelInfo",
    "ModelLifecycle",
    "parse_model_info",
]

ModelLifecycle: TypeAlias = Literal["active", "deprecated", "retired"]


class CapabilitySupport(BaseModel):
    """Whether a capability is supported; sub-capabilities (``effort.low``, ``thinking.types``, ...)
    are kept as extra fields."""

    supported: bool


class ModelCapabilities(BaseModel):
    batch: CapabilitySupport | None = None
    citations: CapabilitySupport | None = None
    code_execution: CapabilitySupport | None = None
    context_management: CapabilitySupport | None = None
    effort: CapabilitySupport | None = None
    image_input: CapabilitySupport | None = None
    pdf_input: CapabilitySupport | None = None
    server_tools: CapabilitySupport | None = None
    structured_outputs: CapabilitySupport | None = None
    thinking: CapabilitySupport | None = None


class ModelInfo(BaseModel):
    """A model of the catalogue; ``created_at`` is a datetime written back as its wire text."""

    type: Literal["model"]
    id: str
    display_name: str
    created_at: Timestamp
    max_input_tokens: int | None = None
    max_tokens: int | None = None
    capabilities: ModelCapabilities | None = None
    lifecycle: str | None = None
    """``active``, ``deprecated`` or ``retired`` (see :data:`ModelLifecycle`); absent on older answers."""
    deprecated_at: Timestamp | None = None
    retires_at: Timestamp | None = None
    line: str | None = None


def parse_model_info(data: Any) -> ModelInfo:
    return ModelInfo.model_validate(data)
