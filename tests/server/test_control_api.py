"""The control API of ``fakeclaude serve``, driven the way a test in another language would: plain HTTP only.

Nothing from fakeclaude is imported here but the helper that starts the subprocess.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ..cli_support import Running, fakeclaude_process

KEY = "sk-ant-" + "api03-ControlApiTestKEY-never-logged"
API = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
MODEL = "claude-sonnet-4-6"


def ask(http: httpx.Client, text: str, **params: Any) -> httpx.Response:
    return http.post("/v1/messages", headers=API, json={
        "model": MODEL, "max_tokens": 32, "messages": [{"role": "user", "content": text}], **params})


@pytest.fixture(scope="module")
def served() -> Iterator[Running]:
    with fakeclaude_process("serve") as running:
        yield running


@pytest.fixture
def http(served: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.url, timeout=30) as client:
        assert client.post("/_fakeclaude/reset").json() == {"reset": True}
        yield client


def test_script_then_requests_then_reset(http: httpx.Client, served: Running) -> None:
    script = [
        {"reply": "Paris."},
        {"error": {"status": 529, "message": "Busy, try later"}},
        {"rule": {"match": {"last_user_text": "weather"}, "reply": {"content": ["Sunny."], "stop_reason": "end_turn"}}},
        {"rule": {"match": {"method": "POST", "path": "/v1/messages/count_tokens"}, "json": {"input_tokens": 42}}},
        {"rule": {"match": {"custom_id": "never"}, "error": 500}},
    ]
    state = http.post("/_fakeclaude/script", json=script).json()
    assert state["queued"] == ["fake.reply('Paris.')", "fake.error(529, 'Busy, try later')"]
    assert [r["rule"] for r in state["rules"]] == [
        "fake.on(last_user_text='weather')", "fake.on(method='POST', path='/v1/messages/count_tokens')",
        "fake.on(custom_id='never')"]

    assert ask(http, "Capital of France?").json()["content"][0]["text"] == "Paris."
    busy = ask(http, "again")
    assert busy.status_code == 529 and busy.json()["error"] == {"type": "overloaded_error", "message": "Busy, try later"}
    assert ask(http, "the weather?").json()["content"][0]["text"] == "Sunny."
    counted = http.post("/v1/messages/count_tokens", headers=API, json={
        "model": MODEL, "messages": [{"role": "user", "content": "hi"}]})
    assert counted.json() == {"input_tokens": 42}
    refused = ask(http, "bad", max_tokens=-1)
    assert refused.status_code == 400

    received = http.get("/_fakeclaude/requests").json()["requests"]
    assert [(r["method"], r["path"], r["status"], r["verdict"]) for r in received] == [
        ("POST", "/v1/messages", 200, "scripted"),
        ("POST", "/v1/messages", 529, "scripted-error"),
        ("POST", "/v1/messages", 200, "scripted"),
        ("POST", "/v1/messages/count_tokens", 200, "scripted"),
        ("POST", "/v1/messages", 400, "refused"),
    ]
    assert received[0]["body"]["messages"][0]["content"] == "Capital of France?"
    assert received[0]["answer"]["content"][0]["text"] == "Paris."
    assert received[0]["headers"]["x-api-key"] == "[redacted]"
    assert received[4]["error"]["message"] == "max_tokens: Input should be greater than or equal to 0"
    assert KEY not in json.dumps(received)
    for limit in (0, 2, 5, 6, 9, 100):  # beyond what was received: all of it
        newest = http.get("/_fakeclaude/requests", params={"limit": limit}).json()["requests"]
        assert newest == (received[-limit:] if limit else []), limit
    for bad in ("-1", "two", "\u00b2"):
        assert http.get("/_fakeclaude/requests", params={"limit": bad}).status_code == 400

    state = http.get("/_fakeclaude/script").json()
    assert state["queued"] == [] and state["unused"] == ["fake.on(custom_id='never') never matched a request"]
    assert [r["call_count"] for r in state["rules"]] == [1, 1, 0]

    assert http.post("/_fakeclaude/reset").json() == {"reset": True}
    assert http.get("/_fakeclaude/requests").json() == {"requests": []}
    assert http.get("/_fakeclaude/script").json()["rules"] == []

    log = served.output()
    assert "fakeclaude: POST /v1/messages 200 " in log and "fakeclaude: POST /v1/messages 529 " in log
    line = next(line for line in log.splitlines() if "/v1/messages/count_tokens 200" in line)
    method, path, status, duration, request_id = line.removeprefix("fakeclaude: ").split()
    assert (method, path, status) == ("POST", "/v1/messages/count_tokens", "200")
    assert duration.endswith("ms") and float(duration[:-2]) >= 0 and request_id.startswith("req_")
    assert KEY not in log and "x-api-key" not in log


def test_a_streamed_reply_and_rules_with_answers_in_order(http: httpx.Client) -> None:
    http.post("/_fakeclaude/script", json={"rule": {"match": {"last_user_text": "count"}, "answers": [
        {"reply": "one"}, {"error": {"status": 429, "retry_after": 3}}, {"reply": ["three"]}]}})
    with http.stream("POST", "/v1/messages", headers=API, json={
            "model": MODEL, "max_tokens": 32, "stream": True, "messages": [{"role": "user", "content": "count"}]}) as r:
        assert "text/event-stream" in r.headers["content-type"]
        assert '"one"' in r.read().decode()
    limited = ask(http, "count")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    assert ask(http, "count").json()["content"][0]["text"] == "three"
    received = http.get("/_fakeclaude/requests").json()["requests"]
    assert received[0]["answer"]["content"][0]["text"] == "one"  # a stream is shown as its Message


@pytest.mark.parametrize(("script", "says"), [
    ("not json", "body: not JSON"),
    ([], "body: one script item or a list of them"),
    ({"reply": {"contnt": ["x"]}}, "script.reply: unknown field(s) ['contnt']"),
    ({"reply": {"content": [{"text": "no type"}]}}, "script.reply.content[0]: a content block needs a string type"),
    ({"error": 200}, "script.error: error(200): 200 is not an error"),
    ({"error": {"status": 999}}, "script.error: error(999): 999 is not an HTTP status"),
    ({"rule": {"match": {"user_text": "x"}, "reply": "y"}}, "script.rule.match: unknown field(s) ['user_text']"),
    ({"rule": {"match": {}, "reply": "y", "error": 500}}, "script.rule: give exactly one of ['reply', 'error', 'json']"),
    ([{"reply": "fine"}, {"rplay": "typo"}], "script[1]: an item has exactly one of reply, error, rule"),
])
def test_bad_scripts_get_a_400_naming_the_field_and_queue_nothing(http: httpx.Client, script: Any, says: str) -> None:
    content = script if isinstance(script, str) else json.dumps(script)
    response = http.post("/_fakeclaude/script", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert response.json()["error"]["message"].startswith(says), response.json()
    assert http.get("/_fakeclaude/script").json()["queued"] == []


PERSON = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"],
          "additionalProperties": False}


@pytest.mark.parametrize(("reply", "params", "says"), [
    ("Sure, Ada.", {"output_config": {"format": {"type": "json_schema", "schema": PERSON}}},
     "content.0 breaks the request's output_config.format.schema"),
    ({"content": [{"type": "tool_use", "name": "book", "input": {"n": "three"}}]},
     {"tools": [{"name": "book", "strict": True, "input_schema": {
         "type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"], "additionalProperties": False}}]},
     "strict tool 'book'"),
    ({"content": [{"type": "tool_use", "name": "get_weather", "input": {"city": "Paris"}}]}, {}, "offered no tools"),
])
def test_an_impossible_scripted_reply_is_a_non_retried_400_shown_by_the_control_api_and_the_log(
    http: httpx.Client, served: Running, reply: Any, params: dict[str, Any], says: str
) -> None:
    http.post("/_fakeclaude/script", json={"reply": reply})
    answer = ask(http, "Invent a person.", **params)
    assert answer.status_code == 400, answer.text  # the same answer in-process and over loopback: never a 500
    assert answer.headers["x-should-retry"] == "false"
    message = answer.json()["error"]["message"]
    assert message.startswith("fakeclaude: the test's script failed: ") and says in message
    failures = http.get("/_fakeclaude/script").json()["failures"]
    assert len(failures) == 1 and failures[0].startswith("ScriptError: ") and says in failures[0]
    assert http.get("/_fakeclaude/requests").json()["requests"][-1]["verdict"] == "script-failed"
    request_id = answer.headers["request-id"]
    logged = [line for line in served.output().splitlines() if "the script failed" in line and request_id in line]
    assert len(logged) == 1 and says in logged[0], served.output()[-2000:]


def test_control_requests_are_not_api_traffic(http: httpx.Client) -> None:
    http.get("/_fakeclaude/script")
    http.get("/_fakeclaude/")
    assert http.get("/_fakeclaude/nothing").status_code == 404
    assert http.delete("/_fakeclaude/script").status_code == 405
    assert http.get("/_fakeclaude/requests").json() == {"requests": []}


def test_the_in_process_transports_have_no_control_api() -> None:
    import httpx2

    from fakeclaude.server import FakeClaude

    fake = FakeClaude()
    fake.reply("queued")
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake.test") as raw:
        assert raw.get("/_fakeclaude/requests").status_code == 404
        assert raw.post("/_fakeclaude/reset").status_code == 404
    assert fake.script.pending == 1  # nothing was reset


def test_a_key_sent_in_the_query_is_redacted_in_the_request_log(http: httpx.Client) -> None:
    assert http.post("/_fakeclaude/reset").status_code == 200
    sent = http.post("/v1/messages", params={"key": KEY, "beta": "true"}, headers=API,
                     json={"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]})
    assert sent.status_code == 200
    [logged] = http.get("/_fakeclaude/requests").json()["requests"]
    assert logged["query"] == {"key": "[redacted]", "beta": "true"}
    assert KEY not in json.dumps(logged) and KEY not in http.get("/_fakeclaude/").text
