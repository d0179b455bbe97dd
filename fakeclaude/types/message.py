"""The ``Message`` a ``POST /v1/messages`` returns, its ``Usage``, and the count_tokens answer.

Enum-like fields (``stop_reason``, ``service_tier``, ...) are typed ``str`` so a value added by a newer
API never fails to parse; :data:`StopReason` names the values known today.
"""

from typing import Any, Literal, TypeAlias

from ._base import BaseModel
from ._datetime import Timestamp
from .content import ContentBlock

__all__ = [
    "CacheCreation",
    "Container",
    "ContainerSkill",
    "Message",
    "MessageTokensCount",
    "OutputTokensDetails",
    "RefusalStopDetails",
    "ServerToolUsage",
    "StopDetails",
    "StopReason",
    "Usage",
    "parse_message",
    "parse_message_json",
]

StopReason: TypeAlias = Literal[
    "end_turn",
    "max_tokens",
    "stop_sequence",
    "tool_use",
    "pause_turn",
    "refusal",
    "model_context_window_exceeded",
]
"""The stop reasons known today; fields accept any string."""


class CacheCreation(BaseModel):
    """Input tokens written to the prompt cache, by lifetime."""

    ephemeral_5m_input_tokens: int = 0
    ephemeral_1h_input_tokens: int = 0


class ServerToolUsage(BaseModel):
    """How many server-tool requests the turn made."""

    web_search_requests: int = 0
    web_fetch_requests: int = 0


class OutputTokensDetails(BaseModel):
    """A breakdown of ``output_tokens``."""

    thinking_tokens: int = 0


class Usage(BaseModel):
    """Billed tokens. Total input is ``input_tokens + cache_creation_input_tokens + cache_read_input_tokens``."""

    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation: CacheCreation | None = None
    output_tokens_details: OutputTokensDetails | None = None
    server_tool_use: ServerToolUsage | None = None
    service_tier: str | None = None
    """``standard``, ``priority`` or ``batch``."""
    inference_geo: str | None = None
    speed: str | None = None


class StopDetails(BaseModel):
    """Why the turn stopped, beyond ``stop_reason`` (today only ``type="refusal"``)."""

    type: str
    category: str | None = None
    explanation: str | None = None


RefusalStopDetails = StopDetails


class ContainerSkill(BaseModel):
    type: str
    skill_id: str
    version: str


class Container(BaseModel):
    """The container a code-execution tool ran in."""

    id: str
    expires_at: Timestamp
    skills: list[ContainerSkill] | None = None


class Message(BaseModel):
    """An assistant turn. ``stop_reason`` is ``None`` only in a stream's ``message_start``."""

    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    model: str
    content: list[ContentBlock]
    stop_reason: str | None = None
    stop_sequence: str | None = None
    stop_details: StopDetails | None = None
    usage: Usage
    container: Container | None = None
    diagnostics: dict[str, Any] | None = None

    def to_param(self) -> dict[str, Any]:
        """This turn as an assistant ``MessageParam`` dict, ready to send back in ``messages``."""
        return {"role": self.role, "content": [block.to_dict() for block in self.content]}


class MessageTokensCount(BaseModel):
    """The answer of ``POST /v1/messages/count_tokens``."""

    input_tokens: int


def parse_message(data: Any) -> Message:
    """Validate a ``Message`` from its decoded JSON (or an existing ``Message``)."""
    return Message.model_validate(data)


def parse_message_json(raw: str | bytes) -> Message:
    """Validate a ``Message`` straight from JSON text (faster than ``json.loads`` + :func:`parse_message`)."""
    return Message.model_validate_json(raw)
