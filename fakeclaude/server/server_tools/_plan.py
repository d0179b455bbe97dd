"""The unscripted answer of a request that offers server tools: which tool the model uses, and the blocks.

The choice reuses the relevance rule of :mod:`~fakeclaude.server.tool_policy`: each server tool is scored
as a tool named as it is whose description is its family's cue words (``CUE`` of each module), so
"search the web for..." or "what is the weather today" searches, a URL to read fetches, an arithmetic
expression or "run this" executes code, "ask the advisor" consults it. A ``tool_choice`` naming a server
tool forces it; ``none`` never calls one. After ``tool_result`` turns the answer is text, except when it
finishes a programmatic call (code that called a client tool) or continues a paused turn.

Web searches follow the script's ``queries`` (default: one made of the prompt). After
:data:`PAUSE_AFTER` searches in one response (recorded: 10), or the script's ``pause_after``, the answer
stops with the next ``server_tool_use`` unanswered (``pause_turn``); the continuation (the whole assistant
content sent back as the last message) begins with that use's result. ``max_uses`` counts the uses of
one tool in the turn: the ones beyond it get the ``max_uses_exceeded`` error result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..catalog import ModelSpec
from ..generation import generate_text, generate_tool_input
from ..script import ParsedRequest
from ..tool_policy import PARALLEL_CUES, relevance
from . import _advisor, _code_execution, _mcp, _tool_search, _web_fetch, _web_search
from ._complete import EXCLUDED
from ._context import Context
from ._registry import family, is_server_tool
from ._script import ServerToolScript

__all__ = ["PAUSE_AFTER", "callable_client_tools", "plan_server_tools"]

Block = dict[str, Any]
PAUSE_AFTER = 10
_CUES = {"web_search": _web_search.CUE, "web_fetch": _web_fetch.CUE, "code_execution": _code_execution.CUE,
         "advisor": _advisor.CUE}


def _direct_allowed(tool: Mapping[str, Any]) -> bool:
    callers = tool.get("allowed_callers")
    return not isinstance(callers, list) or not callers or "direct" in callers


def callable_client_tools(request: ParsedRequest, tools: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The client tools the model may call directly: deferred ones once a ``tool_reference`` loaded them,
    never those whose ``allowed_callers`` leave out ``"direct"``."""
    loaded = _tool_search.loaded_tools(request.messages)
    out: list[Mapping[str, Any]] = []
    for tool in tools:
        if not _direct_allowed(tool):
            continue
        if tool.get("defer_loading") and tool.get("name") in loaded:
            tool = {k: v for k, v in tool.items() if k != "defer_loading"}
        out.append(tool)
    return out


def used_before(messages: Sequence[Mapping[str, Any]], kinds: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Whether an earlier assistant turn used one of ``names`` (a follow-up question then uses it again)."""
    return any(isinstance(b, Mapping) and b.get("type") in kinds and (not names or b.get("name") in names)
               for m in messages if m.get("role") == "assistant" and isinstance(m.get("content"), list)
               for b in m["content"])


_USE_NAMES = {"web_search": ("web_search",), "web_fetch": ("web_fetch",), "advisor": ("advisor",),
              "code_execution": ("code_execution", "bash_code_execution", "text_editor_code_execution")}


def _score(ctx: Context, tool: Mapping[str, Any], kind: str) -> tuple[int, int]:
    names, described = relevance({"name": str(tool.get("name", kind)), "description": _CUES.get(kind, "")},
                                 ctx.prompt)
    if kind == "web_search" and described:  # one cue ("today", "weather", "price"...) is enough to search
        described += 1
    if used_before(ctx.request.messages, ("server_tool_use",), _USE_NAMES.get(kind, ())):
        names += 1
    if kind == "web_fetch" and _web_fetch.URL.search(ctx.prompt):
        names += 2
    if kind == "code_execution" and _code_execution.wants_code(ctx.prompt):
        names += 2
    return names, described


def _uses_of(messages: Sequence[Mapping[str, Any]], name: str) -> int:
    last = messages[-1] if messages else {}
    content = last.get("content") if last.get("role") == "assistant" else None
    return sum(1 for b in content or [] if isinstance(b, Mapping) and b.get("type") == "server_tool_use"
               and b.get("name") == name)


def _max_uses(tool: Mapping[str, Any]) -> int | None:
    value = tool.get("max_uses")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _searches(ctx: Context, tool: Mapping[str, Any], pending: Block | None) -> list[Block]:
    """Search blocks, resuming after a paused turn, ending paused or with the cited answer."""
    queries = _web_search.queries(ctx)
    done = _uses_of(ctx.request.messages, "web_search")
    limit = _max_uses(tool)
    pause_after = ctx.script.pause_after or PAUSE_AFTER
    blocks: list[Block] = []
    found: list[Block] = []
    if pending is not None:
        query = str((pending.get("input") or {}).get("query", ""))
        exceeded = limit is not None and done > limit
        hits = [] if exceeded else _web_search.hits(ctx, query)
        found += hits
        blocks.append({**_web_search.search_result(ctx, query, hits, exceeded=exceeded), "tool_use_id": pending.get("id")})
    for count, query in enumerate(queries[done:]):  # ``done`` counts the paused turn's searches, if any
        use = ctx.use("web_search", {"query": query})
        if count >= pause_after:
            return [*blocks, use]  # paused: the model's next search runs in the continuation
        number = done + count + 1
        exceeded = limit is not None and number > limit
        hits = [] if exceeded else _web_search.hits(ctx, query)
        found += hits
        blocks += [use, _web_search.search_result(ctx, query, hits, exceeded=exceeded)]
    return blocks + _web_search.cited_answer(ctx, found)


_FILTERING_SINCE = "20260209"
_PROGRAMMATIC_CALLER = "code_execution_20260120"


def _filters_with_code(tool: Mapping[str, Any]) -> bool:
    """Whether the model calls this web tool from code: its ``allowed_callers`` leave out ``"direct"``, or (when
    it names none) it is a version from ``20260209`` on ("dynamic filtering")."""
    callers = tool.get("allowed_callers")
    if isinstance(callers, list) and callers:
        return "direct" not in callers
    date = str(tool.get("type", "")).rsplit("_", 1)[-1]
    return date.isdigit() and date >= _FILTERING_SINCE


def _filtered(ctx: Context, tool: Mapping[str, Any], kind: str) -> list[Block]:
    """Code that calls the web tool, the nested call and result (``caller`` the code), the code's result.

    Recorded (pydantic-ai ``…20260209_web_tools``): the outer ``code_execution`` use has no caller; the nested
    use and result carry ``caller: {"type": "code_execution_20260120", "tool_id": <outer id>}``. With
    ``response_inclusion: "excluded"`` the nested pair is left out of the response (sdk docstring).
    """
    caller = {"type": _PROGRAMMATIC_CALLER}
    if kind == "web_fetch":
        url = _web_fetch.target_url(ctx)
        nested_input: dict[str, Any] = {"url": url}
        result, page = _web_fetch.fetch_result(ctx, url)
        stdout = (page.title or page.text.split("\n", 1)[0]) if page is not None else "None"
    else:
        query = _web_search.queries(ctx)[0]
        nested_input = {"query": query}
        found = _web_search.hits(ctx, query)
        result = _web_search.search_result(ctx, query, found)
        stdout = "\n".join(str(h.get("title")) for h in found[:3])
    code = (f"result = await {kind}({nested_input!r})\nprint(result)" if kind == "web_search" else
            f"result = await {kind}({nested_input!r})\nprint(result['content'].get('title'))")
    outer: Block = {"type": "server_tool_use", "name": "code_execution", "input": {"code": code}}
    nested = [{"type": "server_tool_use", "name": kind, "input": nested_input, "caller": dict(caller)},
              {**result, "caller": dict(caller)}]
    ran = {"type": "code_execution_tool_result",
           "content": {"type": "code_execution_result", "stdout": stdout + "\n", "stderr": "", "return_code": 0,
                       "content": [], "abort_reason": None}}
    if tool.get("response_inclusion") == "excluded":  # run and counted, not shown
        nested = [{**block, EXCLUDED: True} for block in nested]
    return [outer, *nested, ran, _closing(ctx, f"{stdout.splitlines()[0]}. " if stdout.strip() else "")]


def _short_text(ctx: Context, salt: int) -> Block:
    return {"type": "text", "text": generate_text(ctx.seed ^ salt, prompt=ctx.prompt, min_words=5, max_words=12)}


def _closing(ctx: Context, prefix: str = "") -> Block:
    return {"type": "text", "text": prefix + generate_text(ctx.seed ^ 0xE2D, prompt=ctx.prompt, min_words=6,
                                                           max_words=24)}


def _fetch_blocks(ctx: Context, tool: Mapping[str, Any]) -> list[Block]:
    url = _web_fetch.target_url(ctx)
    limit = _max_uses(tool)
    exceeded = limit is not None and _uses_of(ctx.request.messages, "web_fetch") >= limit
    result, page = _web_fetch.fetch_result(ctx, url, exceeded=exceeded)
    return [ctx.use("web_fetch", {"url": url}), result, *_web_fetch.answer(ctx, tool, page)]


def _code_blocks(ctx: Context, tool: Mapping[str, Any]) -> list[Block]:
    blocks = _code_execution.calls(ctx, tool)
    content = blocks[-1].get("content") or {}
    out = str(content.get("stdout") or content.get("content") or "").strip()
    prefix = f"The result is {out}. " if out and len(out) < 200 else ""
    return [*blocks, _closing(ctx, prefix)]


def _search_tool_blocks(ctx: Context, tool: Mapping[str, Any], found: list[Block]) -> list[Block]:
    references = found[-1]["content"]["tool_references"]
    blocks = [_short_text(ctx, 0x7005), *found]
    if references:
        blocks += [_short_text(ctx, 0x7006), {"type": "tool_use", "name": references[0]["tool_name"]}]
    else:
        blocks.append(_closing(ctx))
    return blocks


def _programmatic(ctx: Context, tools: Sequence[Mapping[str, Any]]) -> list[Block] | None:
    """Code that calls a client tool allowed only from code execution (``allowed_callers``), as recorded."""
    for tool in tools:
        callers = tool.get("allowed_callers")
        if not isinstance(callers, list) or "direct" in callers or not any(relevance(tool, ctx.prompt)):
            continue
        kind = next((str(c) for c in callers if str(c).startswith("code_execution")), None)
        if kind is None:
            continue
        tool_input = generate_tool_input(tool, ctx.seed ^ 0x9C)
        name = str(tool.get("name"))
        code = f"result = await {name}({tool_input!r})\nprint(result)"
        return [_short_text(ctx, 0x9C1), {"type": "server_tool_use", "name": "code_execution", "input": {"code": code}},
                {"type": "tool_use", "name": name, "input": tool_input, "caller": {"type": kind}}]
    return None


def _finish_programmatic(ctx: Context) -> list[Block] | None:
    """After the client answered a programmatic call: the code's result, then text."""
    messages = ctx.request.messages
    if len(messages) < 2 or messages[-2].get("role") != "assistant":
        return None
    content = messages[-2].get("content")
    if not isinstance(content, list):
        return None
    pending = [b for b in content if isinstance(b, Mapping) and b.get("type") == "server_tool_use"
               and b.get("name") == "code_execution"]
    called = [b for b in content if isinstance(b, Mapping) and b.get("type") == "tool_use"
              and isinstance(b.get("caller"), Mapping) and str(b["caller"].get("type", "")).startswith("code_execution")]
    if not pending or not called:
        return None
    stdout = "\n".join(_text_of(r.get("content")) for r in ctx.request.tool_results) + "\n"
    scripted = ctx.script.output_for(str((pending[-1].get("input") or {}).get("code", "")))
    result: Block = {"type": "code_execution_tool_result", "tool_use_id": pending[-1].get("id"),
              "content": {"type": "code_execution_result", "stdout": scripted.stdout if scripted else stdout,
                          "stderr": scripted.stderr if scripted else "",
                          "return_code": scripted.return_code if scripted else 0, "content": [],
                          "abort_reason": None}}
    return [result, _closing(ctx)]


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(b.get("text", "")) for b in content if isinstance(b, Mapping) and b.get("type") == "text")
    return ""


def _paused_use(request: ParsedRequest) -> Block | None:
    messages = request.messages
    if not messages or messages[-1].get("role") != "assistant":
        return None
    content = messages[-1].get("content")
    if isinstance(content, list) and content and isinstance(content[-1], Mapping) \
            and content[-1].get("type") == "server_tool_use":
        return dict(content[-1])
    return None


def plan_server_tools(
    request: ParsedRequest, spec: ModelSpec, rng_seed: int, script: ServerToolScript, now: float,
    client_tools: Sequence[Mapping[str, Any]] = (),
) -> list[Block] | None:
    """The answer's blocks when the model uses a server tool (or MCP, or code calling a client tool); else None."""
    body = request.body
    server = [t for t in request.tools if is_server_tool(t)]
    programmatic = [t for t in client_tools if not _direct_allowed(t)]
    if not server and not body.get("mcp_servers") and not programmatic:
        return None
    given = body.get("tool_choice")
    choice: Mapping[str, Any] = given if isinstance(given, Mapping) else {"type": "auto"}
    if choice.get("type") == "none":
        return None
    ctx = Context(request, spec, rng_seed, script, now)
    pending = _paused_use(request)
    if pending is not None:
        if pending.get("name") == "web_search":
            tool = next((t for t in server if family(t) == "web_search"), {})
            return _searches(ctx, tool, pending)
        return None
    if request.tool_results:
        return _finish_programmatic(ctx)
    if request.messages and request.messages[-1].get("role") == "assistant":
        return None
    forced = choice.get("name") if choice.get("type") == "tool" else None
    ranked: list[tuple[tuple[int, int], int, str, Mapping[str, Any]]] = []
    loaded = _tool_search.loaded_tools(request.messages)
    deferred = [t for t in client_tools if t.get("defer_loading") and _direct_allowed(t) and t.get("name") not in loaded]
    searched: dict[int, list[Block]] = {}
    for order, tool in enumerate(server):
        kind = family(tool)
        if kind is None or kind == "mcp":
            continue
        if kind == "tool_search":
            found = _tool_search.search(ctx, tool, deferred) if deferred else None
            if found is None:
                continue
            searched[order] = found
            score = (5, 0)
        else:
            score = _score(ctx, tool, kind)
        if forced is not None and tool.get("name") == forced:
            score = (100, 0)
        elif forced is not None or not (score[0] or score[1] >= 2):
            continue
        ranked.append((score, order, kind, tool))
    ranked.sort(key=lambda item: (-item[0][0], -item[0][1], item[1]))
    mcp_tool = _mcp.choose(ctx) if body.get("mcp_servers") and forced is None else None
    if not ranked:
        if mcp_tool is not None:
            return [*_mcp.calls(ctx, mcp_tool), _closing(ctx)]
        return _programmatic(ctx, programmatic) if forced is None else None
    parallel = any(cue in ctx.prompt.lower() for cue in PARALLEL_CUES)
    blocks: list[Block] = []
    for _, order, kind, tool in ranked if parallel else ranked[:1]:
        if kind in ("web_search", "web_fetch") and _filters_with_code(tool):
            part = _filtered(ctx, tool, kind)
        elif kind == "web_search":
            part = _searches(ctx, tool, None)
        elif kind == "web_fetch":
            part = _fetch_blocks(ctx, tool)
        elif kind == "code_execution":
            part = _code_blocks(ctx, tool)
        elif kind == "tool_search":
            part = _search_tool_blocks(ctx, tool, searched[order])
        else:
            part = [_short_text(ctx, 0xAD), *_advisor.calls(ctx, tool), _closing(ctx)]
        blocks += part
        if blocks and blocks[-1].get("type") in ("server_tool_use", "tool_use"):
            break  # paused, or a client tool to run: nothing may follow
    return blocks
