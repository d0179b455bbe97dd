"""The control API of ``fakeclaude serve``: tests in any language script the fake and read what it received.

Served under ``/_fakeclaude/`` by the aiohttp application only (never by the in-process transports,
and never recorded among the API requests):

    GET  /_fakeclaude/            an HTML page: recent requests, their verdicts and answers, the script
    GET  /_fakeclaude/requests    {"requests": [...]} what the fake received, oldest first (?limit=N: the newest N);
                                  each with its body's size, and ``body_dropped`` when the log let go of
                                  its body and answer to stay within its byte budget
    GET  /_fakeclaude/script      {"queued": [...], "rules": [...], "handler": false, "failures": [...], "unused": [...]}
    POST /_fakeclaude/script      queue replies, errors and rules (JSON below); answers like GET
    POST /_fakeclaude/reset       forget the script, its failures and the recorded requests

``POST /_fakeclaude/script`` takes one item or a list of items:

    {"reply": "Paris."}                                    the next POST /v1/messages answer
    {"reply": {"content": ["Hi", {"type": "tool_use", "name": "get_weather", "input": {"city": "Paris"}}],
               "stop_reason": "end_turn", "usage": {...}, "error_after": 3, "drop_after": 5, "ttft": 0.2}}
    {"error": 529}   or   {"error": {"status": 429, "message": "...", "type": "...", "retry_after": 3,
                                     "should_retry": true, "headers": {...}, "error_code": "...", "details": {...}}}
    {"rule": {"match": {"last_user_text": "weather", "model": "...", "tools_offered": "...", "turn": 2,
                        "method": "POST", "path": "/v1/messages/count_tokens", "custom_id": "...", "in_batch": true},
              "reply": ... | "error": ... | "json": {...} | "answers": [{"reply": ...}, {"error": ...}, {"json": ...}]}}

A reply object takes the fields of ``fakeclaude.server.Reply``; a rule's answers are queued in order
(the last keeps answering). Bad input gets an API-shaped 400 naming the field.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

from .._json import dumps, loads
from .errors import ApiError
from .http import HttpReply, HttpRequest
from .script import JsonReply, Route, check_error_status
from .script import Reply as ScriptedReply

if TYPE_CHECKING:
    from .engine import RecordedRequest
    from .fake import FakeClaude

__all__ = ["CONTROL_PREFIX", "ControlApi"]

CONTROL_PREFIX = "/_fakeclaude"
_SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "cookie"})
_SECRET_QUERY = frozenset({"key", "api_key", "apikey", "x-api-key", "access_token", "token"})
"""Query parameters some clients put a key in (the API reads none of them)."""
_REPLY_FIELDS = frozenset(f.name for f in fields(ScriptedReply))
_ERROR_FIELDS = frozenset({"status", "message", "type", "retry_after", "should_retry", "headers", "error_code", "details"})
_MATCH_FIELDS = frozenset({"model", "last_user_text", "tools_offered", "turn", "method", "path", "custom_id",
                           "in_batch"})
_OUTCOMES = ("reply", "error", "json")
_PAGE_REQUESTS = 100

_T = TypeVar("_T")


def newest(entries: Sequence[_T], limit: str | None) -> Sequence[_T]:
    """The newest ``limit`` entries (``?limit=N``; all of them when there are fewer, or no limit given)."""
    if limit is None:
        return entries
    if not (limit.isascii() and limit.isdigit()):
        raise _bad("limit", "a non-negative integer")
    count = int(limit)
    return entries[max(len(entries) - count, 0):] if count else []


def _bad(where: str, problem: str) -> ApiError:
    return ApiError(400, f"{where}: {problem}", "invalid_request_error")


def _json_reply(status: int, payload: Any) -> HttpReply:
    return HttpReply(status, {"content-type": "application/json"}, dumps(payload))


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Request headers with keys and credentials replaced by ``[redacted]``."""
    return {k: ("[redacted]" if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


def redacted_query(query: Mapping[str, str]) -> dict[str, str]:
    """A request's query with the parameters that may hold a key replaced by ``[redacted]``."""
    return {k: ("[redacted]" if k.lower() in _SECRET_QUERY else v) for k, v in query.items()}


def request_json(recorded: RecordedRequest) -> dict[str, Any]:
    """One received request as the control API shows it (credentials redacted)."""
    return {
        "method": recorded.method, "path": recorded.path, "query": redacted_query(recorded.query),
        "headers": redacted_headers(recorded.headers), "body": recorded.body, "request_id": recorded.request_id,
        "status": recorded.status, "verdict": recorded.verdict, "error": recorded.error, "answer": recorded.answer,
        "body_size": recorded.body_size, "body_dropped": recorded.body_dropped,
    }


# ----- reading a script from JSON ---------------------------------------------------------------------
def _reply_of(value: Any, where: str) -> ScriptedReply:
    if isinstance(value, str):
        return ScriptedReply([value])
    if isinstance(value, list):
        value = {"content": value}
    if not isinstance(value, Mapping):
        raise _bad(where, "a reply is a string, a list of content blocks or an object of Reply fields")
    unknown = set(value) - _REPLY_FIELDS
    if unknown:
        raise _bad(where, f"unknown field(s) {sorted(unknown)}; a reply has {sorted(_REPLY_FIELDS)}")
    content = value.get("content", [])
    if isinstance(content, str):
        content = [content]
    if not isinstance(content, list) or not all(isinstance(b, str | Mapping) for b in content):
        raise _bad(f"{where}.content", "a list of strings and content blocks (objects with a type)")
    for index, block in enumerate(content):
        if isinstance(block, Mapping) and not isinstance(block.get("type"), str):
            raise _bad(f"{where}.content[{index}]", "a content block needs a string type")
    try:
        return ScriptedReply(**{**value, "content": [b if isinstance(b, str) else dict(b) for b in content]})
    except (TypeError, ValueError) as exc:
        raise _bad(where, str(exc)) from None


_ERROR_TYPES: dict[str, tuple[type, ...]] = {
    "message": (str,), "type": (str,), "retry_after": (int, float), "should_retry": (bool,), "headers": (dict,),
    "error_code": (str,), "details": (dict,),
}


def _error_of(value: Any, where: str) -> dict[str, Any]:
    """The keyword arguments of ``fake.error(...)`` for a JSON error, checked."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = {"status": value}
    if not isinstance(value, Mapping) or "status" not in value:
        raise _bad(where, "an error is a status (e.g. 529) or an object with a status")
    unknown = set(value) - _ERROR_FIELDS
    if unknown:
        raise _bad(where, f"unknown field(s) {sorted(unknown)}; an error has {sorted(_ERROR_FIELDS)}")
    try:
        check_error_status(value["status"])
    except ValueError as exc:
        raise _bad(where, str(exc)) from None
    for name, kinds in _ERROR_TYPES.items():
        given = value.get(name)
        if given is not None and (not isinstance(given, kinds) or (name == "retry_after" and isinstance(given, bool))):
            raise _bad(f"{where}.{name}", f"must be {' or '.join(k.__name__ for k in kinds)}, not {given!r}")
    headers = value.get("headers")
    if headers is not None and not all(isinstance(v, str) for v in headers.values()):
        raise _bad(f"{where}.headers", "an object of strings")
    return dict(value)


def _json_of(value: Any, where: str) -> JsonReply:
    return JsonReply(value)


def _outcome_of(item: Mapping[str, Any], where: str) -> tuple[str, Any]:
    given = [k for k in _OUTCOMES if k in item]
    if len(given) != 1:
        raise _bad(where, f"give exactly one of {list(_OUTCOMES)}")
    kind = given[0]
    reader = {"reply": _reply_of, "error": _error_of, "json": _json_of}[kind]
    return kind, reader(item[kind], f"{where}.{kind}")


def _add_rule(fake: FakeClaude, rule: Any, where: str) -> None:
    if not isinstance(rule, Mapping):
        raise _bad(where, "a rule is an object with match and reply / error / json / answers")
    unknown = set(rule) - {"match", "answers", *_OUTCOMES}
    if unknown:
        raise _bad(where, f"unknown field(s) {sorted(unknown)}")
    match = rule.get("match", {})
    if not isinstance(match, Mapping):
        raise _bad(f"{where}.match", "an object")
    unknown = set(match) - _MATCH_FIELDS
    if unknown:
        raise _bad(f"{where}.match", f"unknown field(s) {sorted(unknown)}; a rule matches on {sorted(_MATCH_FIELDS)}")
    if "answers" in rule:
        answers = rule["answers"]
        if not isinstance(answers, list) or not answers or any(k in rule for k in _OUTCOMES):
            raise _bad(f"{where}.answers", "a non-empty list of {reply | error | json} objects, without reply / error / json")
        outcomes = [_outcome_of(a if isinstance(a, Mapping) else {}, f"{where}.answers[{i}]") for i, a in enumerate(answers)]
    else:
        outcomes = [_outcome_of(rule, where)]
    try:
        route = fake.on(**match)
    except (TypeError, ValueError) as exc:
        raise _bad(f"{where}.match", str(exc)) from None
    for kind, outcome in outcomes:
        _queue_on(route, kind, outcome)


def _queue_on(route: Route, kind: str, outcome: Any) -> None:
    if kind == "reply":
        route.reply(outcome)
    elif kind == "error":
        route.error(**outcome)
    else:
        route.json(outcome.body)


def _apply_item(fake: FakeClaude, item: Any, where: str) -> None:
    if not isinstance(item, Mapping):
        raise _bad(where, "an item is an object with one of reply, error, rule")
    keys = [k for k in ("reply", "error", "rule") if k in item]
    if len(keys) != 1 or len(item) != 1:
        raise _bad(where, "an item has exactly one of reply, error, rule")
    if keys[0] == "reply":
        reply = _reply_of(item["reply"], f"{where}.reply")
        fake.reply(*reply.content) if isinstance(item["reply"], str | list) else fake.reply(reply)
    elif keys[0] == "error":
        fake.error(**_error_of(item["error"], f"{where}.error"))
    else:
        _add_rule(fake, item["rule"], f"{where}.rule")


# ----- the API --------------------------------------------------------------------------------------
class ControlApi:
    """Answers ``/_fakeclaude/...`` for one ``FakeClaude`` (the aiohttp adapter hands it those requests)."""

    def __init__(self, fake: FakeClaude) -> None:
        self.fake = fake

    @staticmethod
    def owns(path: str) -> bool:
        """Whether ``path`` is the control API's (everything else is the Messages API's)."""
        return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")

    def handle(self, request: HttpRequest) -> HttpReply:
        """The control API's answer; bad input gets an API-shaped 4xx, never a traceback."""
        try:
            return self._route(request)
        except ApiError as error:
            return _json_reply(error.status, error.body(None))

    def _route(self, request: HttpRequest) -> HttpReply:
        path = request.path[len(CONTROL_PREFIX):].rstrip("/")
        routes = {
            ("GET", ""): self._page, ("GET", "/requests"): self._requests, ("GET", "/script"): self._script,
            ("POST", "/script"): self._add_script, ("POST", "/reset"): self._reset,
        }
        handler = routes.get((request.method, path))
        if handler is not None:
            return handler(request)
        if any(p == path for _, p in routes):
            raise ApiError(405, f"{request.method} {request.path}: method not allowed", "invalid_request_error")
        raise ApiError(404, f"{request.path}: no such control endpoint; see GET {CONTROL_PREFIX}/", "not_found_error")

    def _requests(self, request: HttpRequest) -> HttpReply:
        recorded = newest(self.fake.requests, request.query.get("limit"))
        return _json_reply(200, {"requests": [request_json(r) for r in recorded]})

    def script_state(self) -> dict[str, Any]:
        """The loaded script: queued answers, rules with their call counts, handler, failures, unused."""
        script = self.fake.script
        return {
            "queued": script.queued,
            "rules": [{"rule": r.description, "call_count": r.call_count, "unused": r.unused()} for r in script.routes],
            "handler": script.has_handler,
            "failures": [f"{type(f).__name__}: {f}" for f in script.failures],
            "unused": script.unused(),
        }

    def _script(self, request: HttpRequest) -> HttpReply:
        return _json_reply(200, self.script_state())

    def _add_script(self, request: HttpRequest) -> HttpReply:
        try:
            payload = loads(request.body) if request.body.strip() else None
        except ValueError as exc:
            raise _bad("body", f"not JSON: {exc}") from None
        items = payload if isinstance(payload, list) else [payload]
        if payload is None or not items:
            raise _bad("body", "one script item or a list of them (see GET /_fakeclaude/ for the shape)")
        from .fake import FakeClaude

        dry = FakeClaude()
        for index, item in enumerate(items):  # checked first: a bad item queues nothing
            _apply_item(dry, item, f"script[{index}]" if isinstance(payload, list) else "script")
        for index, item in enumerate(items):
            _apply_item(self.fake, item, f"script[{index}]" if isinstance(payload, list) else "script")
        return _json_reply(200, self.script_state())

    def _reset(self, request: HttpRequest) -> HttpReply:
        self.fake.reset()
        return _json_reply(200, {"reset": True})

    def _page(self, request: HttpRequest) -> HttpReply:
        return HttpReply(200, {"content-type": "text/html; charset=utf-8", "cache-control": "no-store"},
                     self.render(self.fake.base_url or "").encode())

    def render(self, base_url: str) -> str:
        """The HTML page of this fake's recent requests and script."""
        recorded = self.fake.requests
        return render_page(base_url, [request_json(r) for r in recorded[-_PAGE_REQUESTS:]], self.script_state(),
                           total=len(recorded))


# ----- the page -----------------------------------------------------------------------------------------
_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fafafa}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #ddd;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f0f0f0}code,pre{font:12px ui-monospace,monospace}
pre{white-space:pre-wrap;max-height:240px;overflow:auto;margin:4px 0}
.verdict{padding:1px 6px;border-radius:8px;font-weight:600;font-size:12px}
.ok,.scripted{background:#d9f2dd;color:#135c22}.refused,.error{background:#fde2e1;color:#8a1c15}
.scripted-error{background:#fff1cc;color:#7a5200}.script-failed{background:#8a1c15;color:#fff}
.muted{color:#666}ul{margin:4px 0;padding-left:20px}
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pretty(value: Any) -> str:
    return _esc(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _summary(entry: Mapping[str, Any]) -> str:
    error = entry.get("error")
    if entry.get("body_dropped") and not error:
        return "(answer dropped from the log)"
    if error:
        return f"{error.get('type', '')}: {error.get('message', '')}"
    answer = entry.get("answer")
    if isinstance(answer, Mapping) and answer.get("type") == "message":
        texts = [str(b.get("text", "")) for b in answer.get("content") or [] if b.get("type") == "text"]
        tools = [str(b.get("name")) for b in answer.get("content") or [] if b.get("type") == "tool_use"]
        said = " ".join(texts)[:160] + (f" [tool_use: {', '.join(tools)}]" if tools else "")
        return f"{said} ({answer.get('stop_reason')})"
    text = json.dumps(answer, default=str) if not isinstance(answer, str) else answer
    return text[:160]


def _asked(entry: Mapping[str, Any]) -> str:
    given = entry.get("body")
    body: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    messages = body.get("messages") or []
    last = messages[-1] if messages and isinstance(messages[-1], Mapping) else {}
    content = last.get("content")
    if isinstance(content, list):
        content = " ".join(str(b.get("text", "")) for b in content if isinstance(b, Mapping) and b.get("type") == "text")
    model = body.get("model")
    return (f"{model}: " if model else "") + str(content or "")[:120]


def _details(entry: Mapping[str, Any]) -> str:
    if entry.get("body_dropped"):
        return (f'<p class="muted dropped">body ({entry.get("body_size", 0):,} bytes) and answer dropped from the log '
                "to bound its memory (max_recorded_bytes)</p>")
    return (f"<details><summary>request and answer</summary><pre>{_pretty(entry.get('body'))}</pre>"
            f"<pre>{_pretty(entry.get('answer'))}</pre></details>")


def render_page(base_url: str, recorded: Sequence[Mapping[str, Any]], script: Mapping[str, Any],
                *, total: int | None = None) -> str:
    """The control page: the loaded script, then the recent requests (newest first) with verdicts and answers.

    ``recorded`` holds requests as ``GET /_fakeclaude/requests`` shows them (:func:`request_json`), oldest
    first; ``total`` how many were received (default: as many). A ``worker`` column appears when the
    entries name one (``serve --workers``: every worker's requests)."""
    received = len(recorded) if total is None else total
    shown = recorded[-_PAGE_REQUESTS:]
    workers = any("worker" in r for r in shown)
    rows = []
    for number, r in reversed(list(enumerate(shown, start=received - len(shown) + 1))):
        worker = f"<td><code>{_esc(r.get('worker', ''))}</code></td>" if workers else ""
        rows.append(
            f'<tr class="request"><td>{number}</td>{worker}<td><code>{_esc(r.get("method"))} {_esc(r.get("path"))}</code></td>'
            f"<td>{_esc(r.get('status'))}</td><td><span class=\"verdict {_esc(r.get('verdict'))}\">{_esc(r.get('verdict'))}</span></td>"
            f"<td>{_esc(_asked(r))}</td><td>{_esc(_summary(r))}"
            f"{_details(r)}</td><td><code>{_esc(r.get('request_id'))}</code></td></tr>"
        )
    requests_html = ("<table id=\"requests\"><tr><th>#</th>" + ("<th>worker</th>" if workers else "")
                     + "<th>request</th><th>status</th><th>verdict</th>"
                     "<th>asked</th><th>answer</th><th>request id</th></tr>" + "".join(rows) + "</table>"
                     if rows else '<p class="muted" id="requests">No requests yet.</p>')
    queued = "".join(f"<li><code>{_esc(q)}</code></li>" for q in script["queued"]) or '<li class="muted">none</li>'
    rules = "".join(f"<li><code>{_esc(r['rule'])}</code> <span class=\"muted\">matched {r['call_count']}x</span></li>"
                    for r in script["rules"]) or '<li class="muted">none</li>'
    failures = "".join(f"<li>{_esc(f)}</li>" for f in script["failures"]) or '<li class="muted">none</li>'
    unused = "".join(f"<li>{_esc(u)}</li>" for u in script["unused"]) or '<li class="muted">none</li>'
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>fakeclaude</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>fakeclaude</h1><p class=\"muted\">The fake Claude Messages API at <code>{_esc(base_url)}</code> "
        f"&middot; {received} request(s) received &middot; <a href=\"{CONTROL_PREFIX}/\">refresh</a> &middot; "
        f"JSON: <a href=\"{CONTROL_PREFIX}/requests\">requests</a>, <a href=\"{CONTROL_PREFIX}/script\">script</a></p>"
        f"<h2>Script</h2><div id=\"script\"><b>Queued answers (POST /v1/messages)</b><ul id=\"queued\">{queued}</ul>"
        f"<b>Rules</b><ul id=\"rules\">{rules}</ul><b>Handler</b><ul><li>{'set' if script['handler'] else 'none'}</li></ul>"
        f"<b>Failures</b><ul id=\"failures\">{failures}</ul><b>Not used yet</b><ul id=\"unused\">{unused}</ul></div>"
        f"<h2>Recent requests</h2>{requests_html}</body></html>"
    )
