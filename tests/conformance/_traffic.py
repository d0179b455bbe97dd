"""Recorded real traffic (``../shared/real-traffic``) as data the conformance tests can replay.

An :class:`Exchange` is one recorded ``POST /v1/messages`` or ``POST /v1/messages/count_tokens``;
:func:`transport_for` serves its recorded answer through an ``httpx2.MockTransport``; :func:`expected_message`
derives what a client must return from the recording alone (for streams: a small reference accumulator
over the recorded events, independent of both clients).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx2

from tests.real_traffic import INTERACTIONS, interactions

SKIP_REASON = f"real traffic recordings not found at {INTERACTIONS} (they live beside the repository)"

ENDPOINTS = ("/v1/messages", "/v1/messages/count_tokens")
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class Exchange:
    """One recorded call: what was sent and what the API answered."""

    ident: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    status: int
    headers: list[tuple[str, str]]
    resp_json: Any
    resp_sse: list[dict[str, Any]] | None
    resp_text: str | None

    @property
    def is_count_tokens(self) -> bool:
        return self.path.endswith("/count_tokens")

    @property
    def is_beta(self) -> bool:
        return "beta" in self.query

    @property
    def is_stream(self) -> bool:
        """Streamed on the wire: the request asked for it, or the answer is an event stream."""
        return self.resp_sse is not None or bool(self.body.get("stream"))

    @property
    def is_error(self) -> bool:
        return not 200 <= self.status < 300

    def content(self) -> bytes:
        """The answer body as bytes, as the API sent it (SSE re-encoded from the recorded events)."""
        if self.resp_sse is not None:
            return encode_sse(self.resp_sse)
        if self.resp_json is not None:
            return json.dumps(self.resp_json).encode()
        return (self.resp_text or "").encode()


def encode_sse(events: list[dict[str, Any]]) -> bytes:
    """``event: X\\ndata: <json>\\n\\n`` frames, the data exactly as recorded."""
    frames = []
    for event in events:
        data = event["data"]
        text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        frames.append(f"event: {event['event']}\ndata: {text}\n\n")
    return "".join(frames).encode()


def _status(raw: Any) -> int | None:
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Mapping) and isinstance(raw.get("code"), int):
        return int(raw["code"])  # vcrpy's {"code": 200, "message": "OK"}
    return None


def _iter_rows() -> Iterator[dict[str, Any]]:
    return interactions()


@cache
def load_exchanges() -> tuple[Exchange, ...]:
    """Every recorded POST to the Messages endpoints that has an answer (status and body) to replay."""
    out: list[Exchange] = []
    for row in _iter_rows():
        url = urlsplit(row["url"])
        status = _status(row.get("status"))
        if row["method"] != "POST" or url.path not in ENDPOINTS or not isinstance(row.get("req_body"), dict):
            continue
        if status is None:  # one 2024 recording kept headers but no status line or body
            continue
        headers = [
            (name, value)
            for name, values in (row.get("resp_headers") or {}).items()
            if name.lower() not in _DROPPED_HEADERS
            for value in (values if isinstance(values, list) else [values])
        ]
        out.append(
            Exchange(
                ident=f"{row['repo']}:{row['path']}#{row['idx']}",
                path=url.path,
                query=dict(parse_qsl(url.query, keep_blank_values=True)),
                body=row["req_body"],
                status=status,
                headers=headers,
                resp_json=row.get("resp_json"),
                resp_sse=row.get("resp_sse"),
                resp_text=row.get("resp_text") if row.get("resp_sse") is None else None,
            )
        )
    return tuple(out)


def response_for(exchange: Exchange) -> httpx2.Response:
    """The recorded answer of ``exchange`` as an ``httpx2.Response``."""
    return httpx2.Response(exchange.status, headers=exchange.headers, content=exchange.content())


class Replayer:
    """One ``httpx2.MockTransport`` answering with the recorded answer of the exchange set in ``current``."""

    def __init__(self) -> None:
        self.current: Exchange | None = None
        self.requests: list[httpx2.Request] = []
        self.transport = httpx2.MockTransport(self._handle)

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        assert self.current is not None, "no exchange to replay"
        request.read()
        self.requests.append(request)
        return response_for(self.current)


def split_body(body: Mapping[str, Any], accepted: frozenset[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(keyword arguments, extra_body)``: keys the method signature takes, and the rest."""
    kwargs = {k: v for k, v in body.items() if k in accepted}
    extra = {k: v for k, v in body.items() if k not in accepted}
    return kwargs, extra


# ----- what the recording says a client must return ----------------------------------------------


def _blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The comparable part of content blocks: type, text, tool input."""
    out = []
    for block in blocks:
        item: dict[str, Any] = {"type": block.get("type")}
        if "text" in block:
            item["text"] = block["text"]
        if "input" in block:
            item["input"] = block["input"]
        out.append(item)
    return out


def summarize_recorded_message(message: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": message.get("id"),
        "blocks": _blocks(list(message.get("content") or [])),
        "stop_reason": message.get("stop_reason"),
        "usage": dict(message.get("usage") or {}),
    }


def accumulate_recorded(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The final message the recorded events describe (a reference accumulator over plain dicts)."""
    message: dict[str, Any] = {}
    blocks: dict[int, dict[str, Any]] = {}
    partial: dict[int, str] = {}
    for event in events:
        data = event["data"]
        kind = data.get("type")
        if kind == "message_start":
            message = json.loads(json.dumps(data["message"]))
        elif kind == "content_block_start":
            blocks[data["index"]] = dict(data["content_block"])
        elif kind == "content_block_delta":
            block, delta = blocks[data["index"]], data["delta"]
            if delta.get("type") == "text_delta":
                block["text"] = block.get("text", "") + delta["text"]
            elif delta.get("type") == "input_json_delta":
                partial[data["index"]] = partial.get(data["index"], "") + delta["partial_json"]
        elif kind == "message_delta":
            for key, value in (data.get("delta") or {}).items():
                message[key] = value
            usage = message.setdefault("usage", {})
            usage.update({k: v for k, v in (data.get("usage") or {}).items() if v is not None})
    for index, text in partial.items():
        if text:
            blocks[index]["input"] = json.loads(text)
    message["content"] = [blocks[i] for i in sorted(blocks)]
    return message


def recorded_text(events: list[dict[str, Any]]) -> str:
    """Every ``text_delta`` of the recorded stream, concatenated."""
    return "".join(
        e["data"]["delta"]["text"]
        for e in events
        if e["data"].get("type") == "content_block_delta" and e["data"]["delta"].get("type") == "text_delta"
    )


def recorded_event_types(events: list[dict[str, Any]]) -> list[str]:
    """Event names a client yields: all but ``ping``."""
    return [e["event"] for e in events if e["event"] != "ping"]


def summarize_result(message: Any) -> dict[str, Any]:
    """The same summary of a parsed ``Message`` (fakeclaude's or the official SDK's)."""
    blocks = [_blocks([to_plain(block)])[0] for block in message.content]
    return {
        "id": message.id,
        "blocks": blocks,
        "stop_reason": message.stop_reason,
        "usage": to_plain(message.usage),
    }


def to_plain(model: Any) -> Any:
    """A model as JSON-compatible data with unset fields left out (both libraries' ``to_dict``)."""
    return normalize(model.to_dict(mode="json") if _sdk_model(model) else model.to_dict())


def _sdk_model(model: Any) -> bool:
    return type(model).__module__.startswith("anthropic")


def normalize(value: Any) -> Any:
    """JSON data with timestamps in one spelling (pydantic rewrites them, fakeclaude keeps the wire text)."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            return value
    return value
