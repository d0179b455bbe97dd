"""Properties of the fake server, end to end (Hypothesis).

(a) The stream invariant: for any valid request (generated, or answered by a scripted reply of any
    block kind), accumulating the fake's stream gives exactly the Message a fresh, identically seeded
    fake answers without streaming: with fakeclaude's ``MessageAccumulator`` on the raw SSE bytes, and
    with the official SDK's ``messages.stream(...).get_final_message()`` over ``fake.httpx2_transport()``.
(b) Bad input never breaks the fake: malformed bodies (random JSON, mutated valid bodies, wrong types,
    huge, empty and unicode values, lone surrogates, NaN, non-JSON bytes, invalid UTF-8), malformed
    headers (auth, version, content-type, beta) and unknown paths and methods, sent through
    ``fake.httpx2_transport()`` and through ``fake.serve()`` on loopback with a raw ``httpx2`` client,
    always get an answer below 500 with a ``request-id`` header, and every error has the API's body
    ``{"type":"error","error":{"type":..,"message":..},"request_id":..}``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from fakeclaude.server import FakeClaude, FakeClock, Reply, redacted_thinking, text, thinking, tool_use
from fakeclaude.streaming import MessageAccumulator, SSEDecoder
from fakeclaude.types.stream_events import parse_stream_event_json
from tests.contract.requests_support import REQUESTS, create_bodies

SDK_VERSION = "2026-10-21"  # what the official SDK 2.13 sends
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----- (a) the stream invariant -------------------------------------------------------------------------------
SCRIPTS: list[Any] = [
    None,
    None,
    [text("Sunny and mild, with a light breeze from the west.")],
    [text("Let me look."), tool_use("lookup", {"q": "x", "n": [1, 2, {"deep": "ünïcode ✓"}]})],
    [tool_use("lookup")],
    [thinking("First, the weather.\nThen the answer."), text("Sunny.")],
    [redacted_thinking(), text("Done.")],
    [text("Cited.", citations=[{"type": "char_location", "cited_text": "x", "document_index": 0,
                                "document_title": None, "start_char_index": 0, "end_char_index": 1}])],
    Reply([text("Working on it.")], stop_reason="pause_turn"),
    Reply([], stop_reason="refusal", stop_details={"type": "refusal", "category": "cyber", "explanation": None}),
    [{"type": "server_tool_use", "id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE", "name": "web_search",
      "input": {"query": "q"}},
     {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE",
      "content": [{"type": "web_search_result", "url": "https://example.com", "title": "t",
                   "encrypted_content": "e", "page_age": None}]},
     text("Found it.")],
]


def _fake(seed: int, script: Any) -> FakeClaude:
    fake = FakeClaude(seed=seed, clock=FakeClock())
    if script is not None:
        fake.reply(script)
    return fake


def _offer_lookup(body: dict[str, Any], script: Any) -> dict[str, Any]:
    """A script calling the ``lookup`` tool gets a request offering it (and letting the model choose); one using
    web search, a request offering the ``web_search`` server tool (the API runs only offered server tools); one
    citing a document, a request with a citable document."""
    blocks = script.content if isinstance(script, Reply) else script or []
    if any(isinstance(b, dict) and b.get("citations") for b in blocks):  # the API cites only a citable document
        document = {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "x"},
                    "citations": {"enabled": True}}
        kept = {k: v for k, v in body.items() if k in ("model", "max_tokens", "temperature", "top_k", "top_p",
                                                         "metadata", "service_tier", "stop_sequences")}
        return {**kept, "messages": [{"role": "user", "content": [document, {"type": "text", "text": "Cite it."}]}]}
    if any(isinstance(b, dict) and b.get("type") == "server_tool_use" for b in blocks):
        search = {"type": "web_search_20250305", "name": "web_search"}
        tools = [t for t in body.get("tools", []) if t.get("name") != "web_search"]
        body = {k: v for k, v in body.items() if k != "tool_choice"} | {"tools": [*tools, search]}
    if not any(isinstance(b, dict) and b.get("name") == "lookup" for b in blocks):
        return body
    lookup = {"name": "lookup", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}
    out = {**body, "tools": [*body.get("tools", []), lookup]}
    out.pop("tool_choice", None)
    return out


def _raw(fake: FakeClaude, body: dict[str, Any], version: str) -> httpx2.Response:
    headers = {"authorization": "Bearer sk-ant-x", "anthropic-version": version}
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post("/v1/messages", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response


def _accumulate(raw: bytes) -> dict[str, Any]:
    decoder, accumulator = SSEDecoder(), MessageAccumulator()
    for sse in [*decoder.feed(raw), *decoder.flush()]:
        accumulator.apply(parse_stream_event_json(sse.data))
    return accumulator.message.to_dict()


def _sdk(fake: FakeClaude) -> anthropic.Anthropic:
    http = httpx2.Client(transport=fake.httpx2_transport())
    return anthropic.Anthropic(api_key="sk-ant-x", base_url="http://fake", http_client=http, max_retries=0)


@FAST
@given(body=create_bodies(), seed=st.integers(0, 2**32), script=st.sampled_from(SCRIPTS),
       version=st.sampled_from(["2023-06-01", SDK_VERSION]))
def test_accumulated_stream_equals_the_message(body: dict[str, Any], seed: int, script: Any, version: str) -> None:
    body = _offer_lookup(body, script)
    plain = _raw(_fake(seed, script), body, version).json()
    streamed = _raw(_fake(seed, script), {**body, "stream": True}, version)
    assert _accumulate(streamed.content) == plain


@FAST
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")  # the SDK's model notices
@given(body=create_bodies(), seed=st.integers(0, 2**32), script=st.sampled_from(SCRIPTS))
def test_sdk_stream_helper_final_message_equals_the_message(body: dict[str, Any], seed: int, script: Any) -> None:
    body = _offer_lookup(body, script)
    plain = anthropic.types.Message.model_validate(_raw(_fake(seed, script), body, SDK_VERSION).json())
    with _sdk(_fake(seed, script)) as client, client.messages.stream(**body) as stream:
        final = stream.get_final_message()
    assert final.model_dump(mode="json") == plain.model_dump(mode="json")


# ----- (b) bad input ----------------------------------------------------------------------------------------------
GOOD_HEADERS = {"x-api-key": "sk-ant-x", "anthropic-version": "2023-06-01", "content-type": "application/json"}
VALID_BODIES = [REQUESTS[name] for name in ("plain", "tools any", "thinking enabled", "pdf", "tool result turn",
                                            "system blocks with cache_control", "prefill")]
PATHS = ["/v1/messages", "/v1/messages/count_tokens", "/v1/messages/batches", "/v1/messages/batches/msgbatch_x",
         "/v1/messages/batches/msgbatch_x/results", "/v1/messages/batches/msgbatch_x/cancel", "/v1/models",
         "/v1/models/claude-sonnet-4-6", "/v1/models/nope", "/", "/v1", "/v1/complete", "/v1/messages/",
         "/v1/files", "/v1/messages/batches/msgbatch_x/extra"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
ASCII = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).map(str.strip)  # h11 refuses padding

SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=30)
           | st.sampled_from(["", "\ud800", "\udfff\ud800", "\x00", "🦜" * 50, -1, 0, 2**31, 2**63])
           | st.builds(lambda n: "a" * n, st.sampled_from([10_000, 100_000])) | st.builds(lambda n: 10**n, st.just(400)))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=10)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@st.composite
def mutated_bodies(draw: st.DrawFn) -> Any:
    body = copy.deepcopy(draw(st.sampled_from(VALID_BODIES)))
    for _ in range(draw(st.integers(0, 3))):
        paths = [p for p in _paths(body) if p]
        if not paths:
            return draw(JSON_VALUES)
        path = draw(st.sampled_from(paths))
        parent: Any = body
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add", "wrap"]))
        if action == "replace":
            parent[path[-1]] = draw(JSON_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(JSON_VALUES)
        elif action == "wrap":
            parent[path[-1]] = [parent[path[-1]]] if draw(st.booleans()) else {"value": parent[path[-1]]}
    return body


def _dumps(value: Any) -> bytes:
    try:
        return json.dumps(value).encode()  # NaN and Infinity as Python writes them; lone surrogates escaped
    except (ValueError, OverflowError):
        return b"{}"


RAW_BODIES = st.one_of(
    mutated_bodies().map(_dumps),
    mutated_bodies().map(_dumps),
    mutated_bodies().map(_dumps),
    JSON_VALUES.map(_dumps),
    st.binary(max_size=200),
    st.sampled_from([b"", b" ", b"{", b"null", b"[]", b'{"model": "\xff\xfe"}', b"\xef\xbb\xbf{}", b"\x00" * 10,
                     b'{"model":"claude-sonnet-4-6","max_tokens":1e400,"messages":[]}',
                     b'{"model":"claude-sonnet-4-6","max_tokens":NaN,"messages":[{"role":"user","content":"x"}]}',
                     b'{"a":' * 5000 + b"1" + b"}" * 5000,
                     b'{"model":"claude-sonnet-4-6","model":1}']),
)


@st.composite
def header_sets(draw: st.DrawFn) -> dict[str, str]:
    headers = dict(GOOD_HEADERS)
    if draw(st.integers(0, 9)) < 6:  # most requests get past the headers to the body checks
        return headers
    for name, choices in (
        ("x-api-key", [None, "", " ", "sk-ant-x"]),
        ("authorization", [None, "Bearer", "Bearer ", "Basic abc", "Bearer sk-ant-x"]),
        ("anthropic-version", [None, "", "2023-06-01", "2026-10-21", "2023-06-01, 2026-10-21", "latest"]),
        ("content-type", [None, "text/plain", "application/json; charset=latin-1", "multipart/form-data"]),
        ("anthropic-beta", [None, "", ",", "nope-2099-01-01", "interleaved-thinking-2025-05-14,,x"]),
    ):
        if draw(st.booleans()):
            choice = draw(st.sampled_from(choices) | ASCII)
            if choice is None:
                headers.pop(name, None)
            else:
                headers[name] = choice
    return headers


def check_answer(response: httpx2.Response, method: str) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    request_id = response.headers.get("request-id")
    assert request_id and request_id.startswith("req_"), dict(response.headers)
    if response.status_code >= 400 and method != "HEAD":
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert set(body) == {"type", "error", "request_id"}, body
        assert body["type"] == "error" and body["request_id"] == request_id
        assert set(body["error"]) == {"type", "message"}, body
        assert isinstance(body["error"]["type"], str) and body["error"]["type"]
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if response.status_code == 200 and response.headers.get("content-type", "").startswith("text/event-stream"):
        assert response.text.startswith("event: message_start\n") and response.text.endswith("event: message_stop\n"
                                                                                              'data: {"type":"message_stop"}\n\n')


INPUTS = st.tuples(
    st.sampled_from(["POST"] * 20 + METHODS),
    st.integers(0, 9).flatmap(lambda i: ASCII.map(lambda s: "/v1/" + s.lstrip("/")) if i == 0
                              else st.sampled_from(["/v1/messages"] * 10 + PATHS[:3] * 2 + PATHS)),
    st.dictionaries(st.sampled_from(["limit", "before_id", "after_id", "beta"]),
                    st.sampled_from(["", "abc", "-1", "0", "1", "1000", str(10**30), "true", "msgbatch_x"]) | ASCII,
                    max_size=2),
    header_sets(),
    RAW_BODIES,
)


def _request(client: httpx2.Client, case: tuple[str, str, dict[str, str], dict[str, str], bytes], *,
             socket: bool) -> None:
    method, path, query, headers, body = case
    assume("?" not in path and "#" not in path)
    if socket:
        headers = {name: value.strip() for name, value in headers.items()}  # h11 refuses padded values
    response = client.request(method, path, params=query, headers=headers, content=body)
    event(f"{method} {response.status_code} {response.json()['error']['type'] if response.status_code >= 400 and method != 'HEAD' else ''}")
    check_answer(response, method)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=INPUTS)
def test_bad_input_in_process_gets_api_errors(case: tuple[str, str, dict[str, str], dict[str, str], bytes]) -> None:
    fake = FakeClaude(seed=0, clock=FakeClock())
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        _request(client, case, socket=False)


@pytest.fixture(scope="module")
def loopback() -> Iterator[httpx2.Client]:
    fake = FakeClaude(seed=0, clock=FakeClock())
    with fake.serve() as base_url, httpx2.Client(base_url=base_url, timeout=10) as client:
        yield client


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(case=INPUTS)
def test_bad_input_over_loopback_gets_api_errors(loopback: httpx2.Client,
                                                 case: tuple[str, str, dict[str, str], dict[str, str], bytes]) -> None:
    _request(loopback, case, socket=True)


@pytest.mark.parametrize("transport", ["in-process", "loopback"])
def test_every_method_and_odd_path_answers_in_shape(transport: str) -> None:
    fake = FakeClaude(seed=0, clock=FakeClock())
    paths = [*PATHS, "/v1/messages/%00", "/v1/models/%F0%9F%A6%9C", "/v1/messages/batches/%2e%2e", "/v1/" + "x" * 5000]
    with fake.serve() as base_url:
        client = (httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") if transport == "in-process"
                  else httpx2.Client(base_url=base_url, timeout=10))
        with client:
            for method in METHODS:
                for path in paths:
                    response = client.request(method, path, headers=GOOD_HEADERS, content=b"{}")
                    check_answer(response, method)


def _nested(depth: int, kind: str) -> str:
    return ('{"a":' * depth + "1" + "}" * depth) if kind == "object" else ("[" * depth + "1" + "]" * depth)


@pytest.mark.parametrize("depth", [100, 900, 990, 5000])
def test_deeply_nested_bodies_get_api_errors_not_500(depth: int) -> None:
    """Found by the property above: a body nested beyond the JSON parser's stack was a 500 (now 400)."""
    templates = [
        '{"model":"claude-sonnet-4-6","max_tokens":5,"messages":[{"role":"user","content":X}]}',
        '{"model":"claude-sonnet-4-6","max_tokens":5,"messages":[{"role":"user","content":"x"}],"metadata":X}',
        '{"model":"claude-sonnet-4-6","max_tokens":5,"messages":[{"role":"user","content":"x"}],'
        '"tools":[{"name":"t","input_schema":{"type":"object","properties":{"a":X}}}]}',
        '{"requests":[{"custom_id":"a","params":X}]}',
    ]
    fake = FakeClaude(seed=0, clock=FakeClock())
    with fake.serve() as base_url:
        for client in (httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake"),
                       httpx2.Client(base_url=base_url, timeout=10)):
            with client:
                for path in ("/v1/messages", "/v1/messages/count_tokens", "/v1/messages/batches"):
                    for template in templates:
                        for kind in ("object", "array"):
                            body = template.replace("X", _nested(depth, kind)).encode()
                            check_answer(client.post(path, headers=GOOD_HEADERS, content=body), "POST")
