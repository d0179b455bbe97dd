"""fakeclaude's wire model parses every recorded answer to the same data as the official SDK.

For each recorded Messages answer (message bodies, every stream event but ``ping``, error bodies,
count_tokens answers) the bytes are parsed by ``fakeclaude.types`` and by the SDK the way its client does
(``construct_type`` on the decoded JSON, the beta types for ``?beta=true`` calls); both are dumped as JSON
with unset fields left out and compared, timestamps normalised. Run with ``-s`` to see the count.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anthropic.types as sdk_types
import anthropic.types.beta as sdk_beta
import pytest
from anthropic._models import construct_type

from fakeclaude.types import MessageTokensCount, parse_error, parse_message_json, parse_stream_event_json

from ._traffic import INTERACTIONS, SKIP_REASON, Exchange, encode_sse, load_exchanges, normalize, to_plain

if not INTERACTIONS.exists():
    pytest.skip(SKIP_REASON, allow_module_level=True)


@dataclass(frozen=True)
class Item:
    """One recorded JSON document, the bytes both libraries parse, and how each parses it."""

    ident: str
    kind: str
    raw: bytes
    ours: Callable[[bytes], Any]
    sdk_type: Any


def _count_tokens(raw: bytes) -> Any:
    return MessageTokensCount.model_validate_json(raw)


def _error(raw: bytes) -> Any:
    return parse_error(json.loads(raw))


def _sse_data(event: dict[str, Any]) -> bytes:
    """The ``data:`` payload of one event, as the SSE frame carries it."""
    frame = encode_sse([event]).decode()
    return frame.split("data: ", 1)[1].rstrip("\n").encode()


def items(exchanges: tuple[Exchange, ...]) -> Iterator[Item]:
    for ex in exchanges:
        beta = ex.is_beta
        if ex.is_error:
            if isinstance(ex.resp_json, dict):
                yield Item(ex.ident, "error", ex.content(), _error, sdk_types.ErrorResponse)
        elif ex.resp_sse is not None:
            event_type = sdk_beta.BetaRawMessageStreamEvent if beta else sdk_types.RawMessageStreamEvent
            for i, event in enumerate(ex.resp_sse):
                if event["event"] != "ping":  # neither client surfaces pings
                    yield Item(
                        f"{ex.ident}@{i}", "event", _sse_data(event), parse_stream_event_json, event_type
                    )
        elif ex.is_count_tokens:
            count_type = sdk_beta.BetaMessageTokensCount if beta else sdk_types.MessageTokensCount
            yield Item(ex.ident, "count_tokens", ex.content(), _count_tokens, count_type)
        elif isinstance(ex.resp_json, dict):
            message_type = sdk_beta.BetaMessage if beta else sdk_types.Message
            yield Item(ex.ident, "message", ex.content(), parse_message_json, message_type)


@dataclass
class Parity:
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    """kind -> [equal, total]"""
    failures: list[tuple[str, Any, Any]] = field(default_factory=list)
    lossy: list[tuple[str, Any, Any]] = field(default_factory=list)
    """fakeclaude's dump differs from the recorded JSON itself (a field dropped or rewritten)."""

    @property
    def equal(self) -> int:
        return sum(equal for equal, _ in self.by_kind.values())

    @property
    def total(self) -> int:
        return sum(total for _, total in self.by_kind.values())

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {eq}/{n}" for kind, (eq, n) in sorted(self.by_kind.items()))
        return (
            f"parse parity with the official SDK: {self.equal} of {self.total} recorded documents ({kinds}); "
            f"fakeclaude re-serialises {self.total - len(self.lossy)} of them to exactly the recorded JSON"
        )


@pytest.fixture(scope="module")
def parity() -> Parity:
    result = Parity()
    for item in items(load_exchanges()):
        counts = result.by_kind.setdefault(item.kind, [0, 0])
        counts[1] += 1
        try:
            ours: Any = to_plain(item.ours(item.raw))
        except Exception as exc:
            ours = f"fakeclaude raised {type(exc).__name__}: {exc}"
        theirs = to_plain(construct_type(type_=item.sdk_type, value=json.loads(item.raw)))
        if ours == theirs:
            counts[0] += 1
        else:
            result.failures.append((item.ident, ours, theirs))
        recorded = normalize(json.loads(item.raw))
        if ours != recorded:
            result.lossy.append((item.ident, ours, recorded))
    print("\n" + result.summary())
    return result


def test_every_recorded_answer_parses_to_the_sdk_data(parity: Parity) -> None:
    assert parity.total > 0
    details = "\n".join(
        f"{ident}:\n  ours {ours!r:.400}\n  sdk  {sdk!r:.400}" for ident, ours, sdk in parity.failures[:5]
    )
    assert not parity.failures, f"{parity.summary()}\n{details}"


def test_every_kind_of_answer_is_covered(parity: Parity) -> None:
    assert {"message", "event", "error", "count_tokens"} <= set(parity.by_kind), parity.summary()


def test_parsing_keeps_every_recorded_field(parity: Parity) -> None:
    details = "\n".join(
        f"{ident}:\n  ours {ours!r:.400}\n  wire {wire!r:.400}" for ident, ours, wire in parity.lossy[:5]
    )
    assert not parity.lossy, f"{parity.summary()}\n{details}"
