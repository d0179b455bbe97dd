"""The cassette format: vcrpy's YAML layout with readable bodies, and a serializer vcrpy can use.

A cassette is vcrpy's ``{version: 1, interactions: [{request, response}]}`` plus a format version
(``fakeclaude_format``), ending with YAML's end-of-document line ``...`` (a file without it was cut short,
``loading.FORMAT_VERSION``). What differs is only how bodies are written:

- a JSON body is stored as structured YAML: ``body: {json: {model: ..., messages: [...]}}``;
- a server-sent-event stream is stored one event per entry with its arrival time in seconds::

      body:
        events:
        - {event: message_start, at: 0.0, data: {type: message_start, message: {...}}}
        - {event: content_block_delta, at: 0.0121, data: {...}}

  A stream whose connection was cut while recording also keeps ``dropped: <the client's message>``
  (it replays as cut), one the client stopped reading early ``closed_by_client: true``;

- anything else keeps vcrpy's ``body: {string: ...}``.

Each interaction keeps when it was recorded (``recorded_at``) and, recorded by the pytest plugin, by
which test (``recorded_by``, its node id: a cassette shared by many tests knows whose each one is);
its response keeps how long the server took to answer (``latency``, seconds).

Loading turns bodies back into vcrpy's in-memory shape (``string`` bytes; streams also keep their
``events``), so this module is a vcrpy serializer: ``my_vcr.register_serializer("fakeclaude",
fakeclaude.cassettes.format)``. Plain vcrpy cassettes (YAML or JSON) load unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from fakeclaude.streaming._sse import SSEDecoder, encode_event

from .loading import FORMAT_VERSION, parse_text
from .matching import parse_json

__all__ = ["FORMAT_VERSION", "deserialize", "encode_events", "events_from_sse", "from_data", "serialize"]

_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    pass


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value and len(value) > 40 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _is_json_type(headers: Any) -> bool:
    return "json" in _content_type(headers)


def _content_type(headers: Any) -> str:
    if not isinstance(headers, dict):
        return ""
    for name, values in headers.items():
        if name.lower() == "content-type":
            value = values[0] if isinstance(values, list) and values else values
            return str(value).lower()
    return ""


def _encoded(headers: Any) -> bool:
    if not isinstance(headers, dict):
        return False
    return any(name.lower() == "content-encoding" for name in headers)


# how a stream ended other than by its last event: ``dropped`` (the connection was cut; the message it
# gave) or ``closed_by_client`` (the client stopped reading)
_STREAM_ENDINGS = ("dropped", "closed_by_client")


def events_from_sse(raw: bytes) -> list[dict[str, Any]]:
    """A whole event-stream body split into event entries (``at`` 0: the arrival times are unknown)."""
    decoder = SSEDecoder()
    events = decoder.feed(raw) + decoder.flush()
    return [{"event": e.event, "data": e.data, "at": 0.0} for e in events if e.event is not None or e.data]


def encode_events(events: list[dict[str, Any]]) -> list[bytes]:
    """The wire bytes of each stored event."""
    return [encode_event(e.get("event") or "message", e.get("data", "")) for e in events]


# ----- writing ---------------------------------------------------------------------------------------
def _text(value: Any) -> Any:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value  # yaml writes it as !!binary
    return value


def _request_out(request: dict[str, Any]) -> dict[str, Any]:
    body = request.get("body")
    parsed = parse_json(body) if body else NotImplemented
    out = dict(request)
    out["body"] = {"json": parsed} if parsed is not NotImplemented else _text(body)
    return out


def _response_out(response: dict[str, Any]) -> dict[str, Any]:
    out = dict(response)
    body = dict(response.get("body") or {})
    headers = response.get("headers")
    events = body.get("events")
    if events is not None:
        stored = []
        for event in events:
            data = event.get("data", "")
            parsed = parse_json(data)
            entry: dict[str, Any] = {"event": event.get("event"), "at": round(float(event.get("at", 0.0)), 4)}
            # structured for reading and diffing, unless that would not give back the exact bytes
            # (the real API's padded JSON, its literal ``{"type": "ping"}``): then the text as it came
            exact = parsed is not NotImplemented and isinstance(data, str) and _compact(parsed) == data
            entry["data"] = parsed if exact else data
            stored.append(entry)
        out["body"] = {"events": stored, **{k: body[k] for k in _STREAM_ENDINGS if body.get(k)}}
        return out
    string = body.get("string")
    if string and not _encoded(headers) and _is_json_type(headers):
        parsed = parse_json(string)
        if parsed is not NotImplemented:
            out["body"] = {"json": parsed}
            return out
    out["body"] = {"string": _text(string)}
    return out


_STAMPS = ("recorded_at", "recorded_by")
"""Kept beside an interaction's request and response on disk; in memory, in its response dict."""


def _interaction_out(interaction: dict[str, Any]) -> dict[str, Any]:
    response = dict(interaction["response"])
    stamps = {name: response.pop(name) for name in _STAMPS if response.get(name) is not None}
    return {"request": _request_out(interaction["request"]), "response": _response_out(response), **stamps}


def serialize(cassette_dict: dict[str, Any]) -> str:
    """vcrpy serializer protocol: its cassette dict (``version``, ``interactions``) as YAML text."""
    interactions = [_interaction_out(i) for i in cassette_dict.get("interactions", [])]
    data: dict[str, Any] = {"version": cassette_dict.get("version", 1), "fakeclaude_format": FORMAT_VERSION}
    if cassette_dict.get("metadata"):
        data["metadata"] = cassette_dict["metadata"]
    data["interactions"] = interactions
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120,
                          explicit_end=True)  # the "..." line a complete file ends with (FORMAT_VERSION 2)
    return text


# ----- reading ---------------------------------------------------------------------------------------
def _request_in(request: dict[str, Any]) -> dict[str, Any]:
    if "parsed_body" in request:  # pydantic-ai's serializer
        request["body"] = {"json": request.pop("parsed_body")}
    body = request.get("body")
    if isinstance(body, dict) and "json" in body and len(body) == 1:
        request["body"] = _compact(body["json"])
    elif isinstance(body, dict) and "string" in body and len(body) == 1:  # some tools nest it
        request["body"] = body["string"]
    return request


def _response_in(response: dict[str, Any]) -> dict[str, Any]:
    if "parsed_body" in response:  # pydantic-ai's serializer
        response["body"] = {"json": response.pop("parsed_body")}
    body = response.get("body")
    if not isinstance(body, dict):
        response["body"] = {"string": body if body is not None else b""}
        return response
    if "json" in body:
        parsed = body["json"]
        response["body"] = {"string": parsed if isinstance(parsed, str) else _compact(parsed)}
    elif "events" in body:
        events = [
            {
                "event": e.get("event"),
                "data": e["data"] if isinstance(e.get("data"), str) else _compact(e.get("data")),
                "at": float(e.get("at", 0.0)),
            }
            for e in body["events"]
        ]
        response["body"] = {"string": b"".join(encode_events(events)), "events": events,
                            **{k: body[k] for k in _STREAM_ENDINGS if body.get(k)}}
    return response


def from_data(data: dict[str, Any]) -> dict[str, Any]:
    """Checked cassette data (``loading``) turned into vcrpy's in-memory shape, in place."""
    for interaction in data["interactions"]:
        _request_in(interaction["request"])
        _response_in(interaction["response"])
        for name in _STAMPS:
            if interaction.get(name) is not None:
                interaction["response"][name] = str(interaction[name])
    return data


def deserialize(text: str) -> dict[str, Any]:
    """vcrpy serializer protocol: cassette text (this format, vcrpy YAML or vcrpy JSON) as a dict.

    Raises ``loading.CassetteError`` (naming the line and the problem) for anything malformed.
    """
    return from_data(parse_text(text))
