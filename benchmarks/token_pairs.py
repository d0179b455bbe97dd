"""Every open (request, real input-token count) pair in ``../shared/real-traffic``, for calibration.

Two sources, one record shape (:class:`Pair`):

* ``interactions.jsonl.gz``: every ``/v1/messages`` exchange answered with a ``usage`` (JSON body, or a
  stream's ``message_start`` usage overlaid by the final ``message_delta`` usage when that carries
  ``input_tokens``, which it does once server tools re-read results), and every ``count_tokens`` answer;
* ``token-pairs.jsonl``: the simple pairs the first calibration used (most are also interactions; the
  ones that are not are added).

The recorded count is ``input_tokens + cache_creation_input_tokens + cache_read_input_tokens``: what the
request cost, however much of it the cache served. ``project`` is the recording repository, the unit
of the leave-one-project-out split; ``beta`` says the request went to ``?beta=true`` or carried an
``anthropic-beta`` header. Answers a test wrote by hand (an id like ``msg_thinking_001``, not the API's
``msg_`` + 20 or more base62 characters: seven, with made-up usage such as 100 input tokens for a tool
request) are no recordings and are left out.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from fakeclaude.server.catalog import resolve_model

__all__ = ["INTERACTIONS", "PAIRS", "Pair", "open_pairs", "recorded_input"]

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
INTERACTIONS = SHARED / "real-traffic" / "interactions.jsonl.gz"
PAIRS = SHARED / "real-traffic" / "token-pairs.jsonl"


@dataclass(frozen=True)
class Pair:
    """One request with the input tokens the real API counted for it."""

    source: str  # ``repo:path#index``
    project: str  # the recording repository
    model: str
    family: str
    request: Mapping[str, Any]
    recorded: int
    beta: bool
    count_tokens: bool  # from ``/v1/messages/count_tokens`` (else ``/v1/messages`` usage)
    answer: tuple[Mapping[str, Any], ...] = ()  # the answer's content blocks (rebuilt from a stream)

    @property
    def answer_has_server_tools(self) -> bool:
        """Whether a server tool ran in the answer (its usage then sums several sampling iterations)."""
        return any(b.get("type") == "server_tool_use" for b in self.answer)


def recorded_input(usage: Mapping[str, Any]) -> int:
    """Input + cache creation + cache read tokens of a recorded ``usage``."""
    keys = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
    return sum(int(usage.get(k) or 0) for k in keys)


def _stream_usage(events: list[Any]) -> tuple[Mapping[str, Any] | None, str | None, list[dict[str, Any]]]:
    usage: dict[str, Any] | None = None
    model = None
    blocks: list[dict[str, Any]] = []
    partial: dict[int, str] = {}
    for event in events:
        data = event.get("data") if isinstance(event, Mapping) else None
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                continue
        if not isinstance(data, Mapping):
            continue
        if data.get("type") == "message_start" and isinstance(data.get("message"), Mapping):
            usage = dict(data["message"].get("usage") or {})
            model = data["message"].get("model")
        elif data.get("type") == "message_delta" and "input_tokens" in (data.get("usage") or {}):
            usage = {**(usage or {}), **data["usage"]}
        elif data.get("type") == "content_block_start" and isinstance(data.get("content_block"), Mapping):
            blocks.append(dict(data["content_block"]))
        elif data.get("type") == "content_block_delta" and blocks:
            _apply_delta(blocks[-1], data.get("delta") or {}, partial, len(blocks) - 1)
    for index, text in partial.items():
        try:
            blocks[index]["input"] = json.loads(text) if text else {}
        except ValueError:
            blocks[index]["input"] = {}
    return usage, model, blocks


def _apply_delta(
    block: dict[str, Any], delta: Mapping[str, Any], partial: dict[int, str], index: int
) -> None:
    kind = delta.get("type")
    if kind == "text_delta":
        block["text"] = str(block.get("text", "")) + str(delta.get("text", ""))
    elif kind == "thinking_delta":
        block["thinking"] = str(block.get("thinking", "")) + str(delta.get("thinking", ""))
    elif kind == "input_json_delta":
        partial[index] = partial.get(index, "") + str(delta.get("partial_json", ""))


def _from_interaction(rec: Mapping[str, Any]) -> Pair | None:
    url, body = str(rec.get("url", "")), rec.get("req_body")
    if "anthropic.com/v1/messages" not in url or "batches" in url or not isinstance(body, Mapping):
        return None
    if str(rec.get("status")) != "200" and rec.get("status") != {"code": 200, "message": "OK"}:
        return None
    counting = "/count_tokens" in url
    answer = rec.get("resp_json")
    model = None
    content: list[Any] = []
    if counting:
        usage = answer if isinstance(answer, Mapping) and "input_tokens" in answer else None
    elif isinstance(answer, Mapping):
        usage, model, content = answer.get("usage"), answer.get("model"), list(answer.get("content") or [])
    else:
        usage, model, content = _stream_usage(rec.get("resp_sse") or [])
    if not isinstance(usage, Mapping) or _hand_written(rec):
        return None
    headers = rec.get("req_headers") or {}
    beta = "beta=true" in url or "anthropic-beta" in headers
    source = f"{rec.get('repo')}:{rec.get('path')}#{rec.get('idx')}"
    pair = _pair(source, str(rec.get("repo")), str(model or body.get("model")), body, usage, beta, counting)
    if pair is None:
        return None
    return replace(pair, answer=tuple(b for b in content if isinstance(b, Mapping)))


_API_MESSAGE_ID = re.compile(r"msg_[0-9A-Za-z]{20,}")
_MESSAGE_ID = re.compile(r'"id": ?"(msg_[^"]*)"')


def _hand_written(rec: Mapping[str, Any]) -> bool:
    """Whether a recorded answer's message id is not one the API gives (a fixture written by hand)."""
    answer = rec.get("resp_json")
    if isinstance(answer, Mapping):
        found = answer.get("id")
    else:
        match = _MESSAGE_ID.search(json.dumps(rec.get("resp_sse") or [])[:4000])
        found = match.group(1) if match else None
    return isinstance(found, str) and found.startswith("msg_") and not _API_MESSAGE_ID.fullmatch(found)


def _pair(
    source: str,
    project: str,
    model: str,
    body: Mapping[str, Any],
    usage: Mapping[str, Any],
    beta: bool,
    counting: bool,
) -> Pair | None:
    spec = resolve_model(model) or resolve_model(str(body.get("model")))
    recorded = recorded_input(_prompt_usage(usage))
    if spec is None or recorded <= 0:
        return None
    return Pair(source, project, spec.id, spec.family, body, recorded, beta, counting)


def _prompt_usage(usage: Mapping[str, Any]) -> Mapping[str, Any]:
    """The usage of the whole prompt: a compaction iteration's when one ran (the top level counts only
    what the model read after compacting), else the top level's."""
    for entry in usage.get("iterations") or ():
        if isinstance(entry, Mapping) and entry.get("type") == "compaction":
            return entry
    return usage


@cache
def open_pairs() -> tuple[Pair, ...]:
    """Every usable pair, interactions first then the extra token pairs; empty when the files are absent."""
    out: list[Pair] = []
    seen: set[str] = set()
    if INTERACTIONS.exists():
        with gzip.open(INTERACTIONS, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    pair = _from_interaction(json.loads(line))
                    if pair is not None:
                        out.append(pair)
                        seen.add(pair.source)
    if PAIRS.exists():
        for rec in _token_pairs():
            source = f"{rec['repo']}:{rec['path']}#{rec['interaction_index']}"
            if source in seen:
                continue
            pair = _pair(source, rec["repo"], rec.get("response_model") or rec["request"]["model"],
                         rec["request"], rec["usage"], False, rec.get("endpoint", "").endswith("count_tokens"))  # fmt: skip
            if pair is not None:
                out.append(pair)
    return tuple(out)


def _token_pairs() -> Iterator[dict[str, Any]]:
    with PAIRS.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
