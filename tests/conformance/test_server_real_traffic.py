"""The fake server against real recorded traffic: same verdict, and a 200 of the real shape.

Every recorded ``POST`` to ``api.anthropic.com`` ``/v1/messages`` and ``/v1/messages/count_tokens``
(the recordings hold no batches or models calls) is replayed against a fresh fake, in-process through
``fake.httpx2_transport()``, with the recorded body, query (``?beta=true``) and ``anthropic-beta``
header; ``anthropic-version`` is the recorded one, or ``2023-06-01`` where the recording project
redacted or dropped it. A row agrees when:

- the verdict is the same: 200, or the same error status and ``error.type``;
- for a 200 Message: the top-level keys are the newest era's (every key the real answer always carries
  is there; nothing outside the keys the real API sends); ``usage`` carries the newest fields with the
  right types; the content blocks fit the request (a forced ``tool_choice`` gives a ``tool_use`` of the
  named tool, thinking on gives a thinking block first, ``stop_reason`` ``tool_use`` iff a tool was
  called, ``max_tokens`` is never exceeded); the model is echoed as the real API echoes it;
- for a 200 stream: the SSE grammar (``message_start`` first, per index ``content_block_start`` /
  deltas / ``content_block_stop`` in order, a ``ping``, ``message_delta`` with ``usage.output_tokens``,
  ``message_stop`` last, each ``event:`` name equal to ``data.type``), block starts as recorded;
- for count_tokens: the body is exactly ``{"input_tokens": N}``.

Account state the recordings do not carry is reproduced under its condition or left out: a recorded
401 (the projects' "invalid key" tests; the keys were scrubbed) is replayed with an unknown key against
a fake that knows one key; a 429 (rate limit) or 529 (load) answer is not a function of the request,
and a row without a status is not an answer: those are counted as excluded.

Run ``pytest tests/conformance/test_server_real_traffic.py -s`` for the figures and the disagreements
grouped by reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock
from tests.conformance._files import stand_in_files
from tests.real_traffic import INTERACTIONS, interactions

pytestmark = pytest.mark.skipif(
    not INTERACTIONS.exists(),
    reason=f"real-traffic recordings not found at {INTERACTIONS} (they live beside the repo, not in it)",
)

VERSIONS = ("2023-06-01", "2026-10-21")
ENDPOINTS = ("/v1/messages", "/v1/messages/count_tokens")
EXCLUDED_STATUSES = {429: "rate limit state", 529: "server load"}
GOOD_KEY = "sk-ant-conformance-good"
BAD_KEY = "sk-ant-conformance-bad"

# Keys every real Message carries; the newest era adds stop_details (null unless a refusal explains itself).
ALWAYS_KEYS = {"id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"}
NEWEST_KEYS = ALWAYS_KEYS | {"stop_details"}
CONDITIONAL_KEYS = {"container", "context_management"}  # present only when the request asks for them
ERA_KEYS = {"stop_details"}
NEWEST_USAGE = {
    "input_tokens": int,
    "cache_creation_input_tokens": int,
    "cache_read_input_tokens": int,
    "cache_creation": dict,
    "output_tokens": int,
    "service_tier": str,
    "inference_geo": str,
}
CONDITIONAL_USAGE = {"server_tool_use", "output_tokens_details", "iterations", "speed"}
SERVER_TOOLS = ("web_search", "web_fetch", "code_execution", "tool_search_tool", "mcp_toolset", "advisor")
DELTA_USAGE = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens")


@dataclass
class Tally:
    total: int = 0
    agree: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    agree_by_kind: Counter[str] = field(default_factory=Counter)
    excluded: Counter[str] = field(default_factory=Counter)
    misses: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: Counter[str] = field(default_factory=Counter)


# ----- the recordings ------------------------------------------------------------------------------------
def _status(row: Mapping[str, Any]) -> int | None:
    status = row.get("status")
    return status.get("code") if isinstance(status, dict) else status


def _endpoint(url: str) -> tuple[str, dict[str, str]] | None:
    parsed = httpx2.URL(url)
    if parsed.host != "api.anthropic.com" or parsed.path not in ENDPOINTS:
        return None
    return parsed.path, dict(parsed.params.multi_items())


@cache
def _rows() -> tuple[dict[str, Any], ...]:
    out = []
    for row in interactions():
        if row["method"] == "POST" and _endpoint(row["url"]) is not None:
            out.append(row)
    return tuple(out)


def _request_headers(row: Mapping[str, Any], key: str) -> dict[str, str]:
    recorded = {name: ", ".join(v) if isinstance(v, list) else str(v) for name, v in (row.get("req_headers") or {}).items()}
    version = recorded.get("anthropic-version", "")
    headers = {
        "x-api-key": key,
        "anthropic-version": version if version in VERSIONS else "2023-06-01",
        "content-type": "application/json",
    }
    if recorded.get("anthropic-beta"):
        headers["anthropic-beta"] = recorded["anthropic-beta"]
    return headers


def _send(row: Mapping[str, Any], *, key: str, keys: tuple[str, ...] | None) -> httpx2.Response:
    endpoint = _endpoint(row["url"])
    assert endpoint is not None
    path, query = endpoint
    fake = FakeClaude(seed=7, clock=FakeClock(), api_keys=keys)
    stand_in_files(fake, row["req_body"])  # the account's files a recording names are not recorded
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="https://api.anthropic.com") as client:
        response = client.post(path, params=query, headers=_request_headers(row, key),
                               content=json.dumps(row["req_body"]).encode())
        response.read()
        return response


# ----- SSE parsing (independent of fakeclaude's codec) ------------------------------------------------------
def _sse(raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    text = raw.decode("utf-8")
    assert text.endswith("\n\n"), "the stream must end with a blank line"
    events = []
    for frame in text[:-2].split("\n\n"):
        lines = frame.split("\n")
        assert len(lines) == 2 and lines[0].startswith("event: ") and lines[1].startswith("data: "), frame
        events.append((lines[0][len("event: "):], json.loads(lines[1][len("data: "):])))
    return events


# ----- shape checks: each returns the reasons a row disagrees (empty: agrees) --------------------------------
def _thinking_on(body: Mapping[str, Any]) -> bool:
    config = body.get("thinking")
    return isinstance(config, dict) and config.get("type") == "enabled"


def _client_tools(body: Mapping[str, Any]) -> list[str]:
    """Tools the client runs (custom, and Anthropic-defined ones such as bash or memory), not server tools."""
    return [str(t.get("name")) for t in body.get("tools") or [] if not str(t.get("type") or "custom").startswith(SERVER_TOOLS)]


def _content_reasons(body: Mapping[str, Any], message: Mapping[str, Any], real: Mapping[str, Any] | None) -> list[str]:
    reasons = []
    blocks = message["content"]
    kinds = [b.get("type") for b in blocks]
    choice = body.get("tool_choice") or {}
    tools = _client_tools(body)
    forced = choice.get("type") == "tool" and choice.get("name") in tools
    if forced and not any(b.get("type") == "tool_use" and b.get("name") == choice["name"] for b in blocks):
        reasons.append("content: tool_choice tool without a tool_use of that tool")
    if choice.get("type") == "any" and tools and "tool_use" not in kinds:
        reasons.append("content: tool_choice any without a tool_use")
    if choice.get("type") == "none" and "tool_use" in kinds:
        reasons.append("content: tool_choice none with a tool_use")
    if "tool_use" in kinds and not tools:
        reasons.append("content: tool_use without client tools offered")
    if _thinking_on(body) and message["stop_reason"] != "max_tokens" and kinds[:1] != ["thinking"]:
        reasons.append("content: thinking enabled, first block is not thinking")
    if not _thinking_on(body) and (body.get("thinking") or {}).get("type") != "adaptive" and "thinking" in kinds:
        reasons.append("content: thinking block while thinking is off")
    if (message["stop_reason"] == "tool_use") != ("tool_use" in kinds):
        reasons.append(f"content: stop_reason {message['stop_reason']} with blocks {kinds}")
    if message["usage"]["output_tokens"] > int(body.get("max_tokens", 0)):
        reasons.append("usage: output_tokens above max_tokens")
    for block in blocks:
        if block.get("type") == "tool_use" and not (isinstance(block.get("input"), dict)
                                                    and re.fullmatch(r"toolu_01\w{22}", str(block.get("id")))):
            reasons.append("content: tool_use id or input malformed")
        if block.get("type") == "text" and not isinstance(block.get("text"), str):
            reasons.append("content: text block without text")
    if real is not None and real.get("model") != message["model"]:
        reasons.append(f"model: real {real.get('model')!r}, fake {message['model']!r} (sent {body.get('model')!r})")
    return reasons


def _message_reasons(body: Mapping[str, Any], message: Mapping[str, Any], real: Mapping[str, Any] | None,
                     notes: Counter[str]) -> list[str]:
    reasons = []
    keys = set(message)
    if missing := ALWAYS_KEYS - keys:
        reasons.append(f"keys: missing {sorted(missing)}")
    if extra := keys - NEWEST_KEYS - CONDITIONAL_KEYS:
        reasons.append(f"keys: not sent by the real API {sorted(extra)}")
    if message.get("stop_details") is not None and not isinstance(message["stop_details"], dict):
        reasons.append("keys: stop_details neither null nor an object")
    if real is not None:
        real_keys = set(real) - CONDITIONAL_KEYS
        if (ERA_KEYS & real_keys) - keys:
            # Known and reported: the 2026 API always sends stop_details (null unless a refusal explains
            # itself); the fake keeps the 2025 key set (tests/server/test_engine.py pins it).
            notes["fake omits stop_details:null, which this (2026-era) real answer carries"] += 1
        if lost := real_keys - keys - ERA_KEYS:
            reasons.append(f"keys: real has {sorted(lost)}, fake lacks them")
    if message.get("type") != "message" or message.get("role") != "assistant":
        reasons.append("keys: type/role")
    if not re.fullmatch(r"msg_01\w{22}|msg_011C\w{20}", str(message.get("id"))):
        reasons.append(f"id: {message.get('id')!r}")
    usage = message.get("usage") or {}
    for name, kind in NEWEST_USAGE.items():
        if not isinstance(usage.get(name), kind):
            reasons.append(f"usage: {name} missing or not {kind.__name__}")
    if extra_usage := set(usage) - set(NEWEST_USAGE) - CONDITIONAL_USAGE:
        reasons.append(f"usage: not sent by the real API {sorted(extra_usage)}")
    if set(usage.get("cache_creation") or {}) != {"ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"}:
        reasons.append("usage: cache_creation fields")
    return reasons + _content_reasons(body, message, real)


def _stream_reasons(body: Mapping[str, Any], raw: bytes, real_events: list[dict[str, Any]]) -> tuple[list[str], dict[str, Any]]:
    """Grammar reasons, and the message the events add up to (for the Message checks)."""
    reasons: list[str] = []
    events = _sse(raw)
    names = [name for name, _ in events]
    if any(name != data.get("type") for name, data in events):
        reasons.append("stream: event name differs from data.type")
    if names[:1] != ["message_start"] or names[-1:] != ["message_stop"]:
        reasons.append(f"stream: starts {names[:1]} / ends {names[-1:]}")
    if names.count("message_delta") != 1 or names[-2:-1] != ["message_delta"]:
        reasons.append("stream: message_delta is not the one event before message_stop")
    if "ping" not in names and any(e["event"] == "ping" for e in real_events):
        reasons.append("stream: no ping")
    start = events[0][1].get("message", {}) if events else {}
    if start.get("content") != [] or start.get("stop_reason") is not None or start.get("stop_sequence") is not None:
        reasons.append("stream: message_start.message is not empty and open")
    content: list[dict[str, Any]] = []
    open_index: int | None = None
    json_parts: list[str] = []
    delta: dict[str, Any] = {}
    usage = dict(start.get("usage") or {})
    for name, data in events[1:]:
        if name == "content_block_start":
            if open_index is not None or data["index"] != len(content):
                reasons.append("stream: content_block_start out of order")
            block = dict(data["content_block"])
            kind = block.get("type")
            if (kind == "text" and block.get("text") != "") or (kind == "thinking" and block != {"type": "thinking", "thinking": "", "signature": ""}) \
                    or (kind == "tool_use" and block.get("input") != {}):
                reasons.append(f"stream: {kind} block start not empty")
            content.append(block)
            open_index, json_parts = data["index"], []
        elif name == "content_block_delta":
            if data["index"] != open_index:
                reasons.append("stream: delta outside its open block")
                continue
            block, piece = content[-1], data["delta"]
            kind = piece.get("type")
            if kind == "text_delta":
                block["text"] += piece["text"]
            elif kind == "thinking_delta":
                block["thinking"] += piece["thinking"]
            elif kind == "signature_delta":
                block["signature"] = piece["signature"]
            elif kind == "input_json_delta":
                if not json_parts and piece["partial_json"] != "":
                    reasons.append("stream: first input_json_delta is not empty")
                json_parts.append(piece["partial_json"])
            elif kind == "citations_delta":
                block.setdefault("citations", []).append(piece["citation"])
        elif name == "content_block_stop":
            if data["index"] != open_index:
                reasons.append("stream: content_block_stop for a block not open")
            if content and content[-1].get("type") == "tool_use":
                content[-1]["input"] = json.loads("".join(json_parts) or "{}")
            open_index = None
        elif name == "message_delta":
            delta = data.get("delta") or {}
            delta_usage = data.get("usage") or {}
            if not isinstance(delta_usage.get("output_tokens"), int):
                reasons.append("stream: message_delta without usage.output_tokens")
            if set(delta_usage) - {*DELTA_USAGE, "server_tool_use", "iterations"} or set(DELTA_USAGE) - set(delta_usage):
                reasons.append(f"stream: message_delta usage keys {sorted(delta_usage)}")
            usage.update(delta_usage)
        elif name not in ("ping", "message_stop"):
            reasons.append(f"stream: unknown event {name}")
    if open_index is not None:
        reasons.append("stream: a block never stopped")
    message = {**start, "content": content, **delta, "usage": usage}
    return reasons, message


# ----- one row -----------------------------------------------------------------------------------------------
def _judge(row: Mapping[str, Any], tally: Tally) -> None:
    status = _status(row)
    path = _endpoint(row["url"])[0]  # type: ignore[index]
    kind = "count_tokens" if path.endswith("count_tokens") else "stream" if row.get("resp_sse") else "message"
    if status is None or status in EXCLUDED_STATUSES:
        tally.excluded[f"{status}: {EXCLUDED_STATUSES.get(status or 0, 'no answer recorded')}"] += 1
        return
    tally.total += 1
    kind = f"{status} {kind}" if status != 200 else kind
    tally.by_kind[kind] += 1
    if status == 401:
        response = _send(row, key=BAD_KEY, keys=(GOOD_KEY,))
    else:
        response = _send(row, key=GOOD_KEY, keys=None)
    where = f"{row['repo']} {row['path']}#{row.get('idx', 0)}"
    reasons = _verdict_reasons(row, status, response, tally.notes)
    if not reasons and status == 200:
        reasons = _shape_reasons(row, response, tally.notes)
    if reasons:
        for reason in dict.fromkeys(reasons):
            tally.misses[reason].append(where)
    else:
        tally.agree += 1
        tally.agree_by_kind[kind] += 1


def _verdict_reasons(row: Mapping[str, Any], status: int, response: httpx2.Response, notes: Counter[str]) -> list[str]:
    if response.status_code != status:
        got = response.json().get("error", {}) if response.status_code != 200 else {}
        return [f"verdict: real {status}, fake {response.status_code} {got.get('message', '')[:150]}"]
    if status == 200:
        return []
    error, real_error = response.json()["error"], (row.get("resp_json") or {}).get("error", {})
    if error["message"] != real_error.get("message"):
        notes["error message text differs (same status and type)"] += 1
    if error["type"] != real_error.get("type"):
        return [f"verdict: error.type real {real_error.get('type')}, fake {error['type']}"]
    return []


def _shape_reasons(row: Mapping[str, Any], response: httpx2.Response, notes: Counter[str]) -> list[str]:
    body = row["req_body"]
    if row["url"].split("?")[0].endswith("count_tokens"):
        payload = response.json()
        if set(payload) != {"input_tokens"} or not isinstance(payload["input_tokens"], int):
            return [f"count_tokens: body {payload}"]
        return []
    _note_exercised(body, notes)
    if not body.get("stream"):
        return _message_reasons(body, response.json(), row.get("resp_json"), notes)
    if not response.headers["content-type"].startswith("text/event-stream"):
        return ["stream: not an event stream"]
    stream_reasons, message = _stream_reasons(body, response.content, row.get("resp_sse") or [])
    real_message = _real_stream_message(row.get("resp_sse") or [])
    return stream_reasons + _message_reasons(body, message, real_message, notes)


def _note_exercised(body: Mapping[str, Any], notes: Counter[str]) -> None:
    """Count the rows each request-dependent content check applied to (a check that never applies proves nothing)."""
    choice = (body.get("tool_choice") or {}).get("type")
    if choice in ("tool", "any") and _client_tools(body):
        notes[f"checked: forced tool_choice {choice}"] += 1
    if _client_tools(body):
        notes["checked: client tools offered"] += 1
    if _thinking_on(body):
        notes["checked: thinking enabled"] += 1
    if body.get("stream"):
        notes["checked: stream grammar"] += 1


def _real_stream_message(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The real stream's message_start message (with its delta's fields), for key and model comparison."""
    start = next((e["data"].get("message") for e in events if e.get("event") == "message_start"), None)
    if not isinstance(start, dict):
        return None
    deltas = [e["data"].get("delta") for e in events if e.get("event") == "message_delta"]
    delta: dict[str, Any] = deltas[0] if deltas and isinstance(deltas[0], dict) else {}
    return {**start, **delta}


def _report(tally: Tally) -> Iterator[str]:
    yield f"fake server agrees with real traffic on {tally.agree}/{tally.total} = {tally.agree / tally.total:.2%}"
    for kind, count in sorted(tally.by_kind.items()):
        yield f"  {kind:<24} {tally.agree_by_kind[kind]}/{count}"
    for reason, count in sorted(tally.excluded.items()):
        yield f"  excluded ({reason}): {count}"
    for note, count in tally.notes.items():
        yield f"  note: {note}: {count}"
    if tally.misses:
        yield "disagreements by reason:"
    for reason, rows in sorted(tally.misses.items(), key=lambda item: -len(item[1])):
        yield f"  [{len(rows)}] {reason}"
        for where in rows[:5]:
            yield f"      {where}"
        if len(rows) > 5:
            yield f"      ... and {len(rows) - 5} more"


def test_fake_server_agrees_with_real_traffic() -> None:
    tally = Tally()
    rows = _rows()
    assert len(rows) > 1000, "the recordings shrank: expected over a thousand Messages exchanges"
    for row in rows:
        _judge(row, tally)
    report = "\n".join(_report(tally))
    print("\n" + report)
    assert tally.total > 1000
    assert tally.agree / tally.total >= 0.95, report


# ----- the 2026 surface: every recorded exchange that uses it --------------------------------------------------
def _features(body: Mapping[str, Any]) -> list[str]:
    """The 2026-surface features a recorded request uses (structured outputs, system turns, thinking display...)."""
    if not isinstance(body, dict):
        return []
    config = body.get("output_config") or {}
    thinking = body.get("thinking") or {}
    found = [name for name in ("output_format", "thread", "container") if name in body]
    found += [f"output_config.{name}" for name in ("format", "effort", "task_budget") if name in config]
    if any(isinstance(m, dict) and m.get("role") == "system" for m in body.get("messages") or []):
        found.append("system message")
    if thinking.get("display") or thinking.get("type") == "adaptive":
        found.append("thinking display/adaptive")
    if any(isinstance(t, dict) and t.get("strict") for t in body.get("tools") or []):
        found.append("strict tools")
    if body.get("messages") == []:
        found.append("empty messages")
    return found


def _schema_of(body: Mapping[str, Any]) -> Any:
    return ((body.get("output_config") or {}).get("format") or body.get("output_format") or {}).get("schema")


def _answered_texts(row: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The fake's stop reason and text blocks for a recorded request (stream or not)."""
    response = _send(row, key=GOOD_KEY, keys=None)
    if not row["req_body"].get("stream"):
        message = response.json()
    else:
        message = _stream_reasons(row["req_body"], response.content, [])[1]
    return message["stop_reason"], [b["text"] for b in message["content"] if b.get("type") == "text"]


def test_every_exchange_using_the_2026_surface_agrees() -> None:
    import jsonschema

    rows = [row for row in _rows() if _features(row["req_body"])]
    assert len(rows) >= 140, "the recordings of the 2026 surface shrank"
    tally = Tally()
    for row in rows:
        _judge(row, tally)
    report = "\n".join(_report(tally))
    print("\n" + report)
    assert tally.agree == tally.total, report
    structured = [row for row in rows if _schema_of(row["req_body"]) and _status(row) == 200]
    assert len(structured) >= 60
    checked = 0
    for row in structured:
        stop_reason, texts = _answered_texts(row)
        if stop_reason != "end_turn":
            continue
        assert texts, f"{row['repo']} {row['path']}: a structured answer without text"
        for text in texts:
            jsonschema.validate(json.loads(text), _schema_of(row["req_body"]))
        checked += 1
    assert checked >= 40, f"only {checked} structured answers ended with JSON"
