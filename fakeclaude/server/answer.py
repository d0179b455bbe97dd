"""What the fake answers to a validated Messages request: the content, the stop reason and the usage.

One path for generated and scripted answers alike: ``plan_content`` says what the model "wants" to
say (a scripted ``Reply`` or the default behaviour), then ``finish`` applies what the API applies to
any answer: prefill continuation, stop sequences, the ``max_tokens`` cut, the stop reason and usage.

Unscripted answers call tools as :mod:`~fakeclaude.server.tool_policy` decides, and answer a request
with a format (structured outputs) with JSON generated from its schema
(:mod:`~fakeclaude.server.structured`). Scripted answers reach it already checked
(:mod:`~fakeclaude.server.script_checks`): the engine never composes an impossible one.
An unscripted text answer to a request with citable documents or search results is split into cited
text blocks (:mod:`~fakeclaude.server.citations`).
Thinking ``display`` ``omitted`` and ``updates`` (beta) give thinking blocks with empty text and a
signature that verifies; ``output_config.task_budget`` adds ``usage.iterations`` (one ``message`` entry,
as recorded).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .catalog import ModelSpec
from .citations import citable_sources, cited_answer
from .generation import (
    THINKING_SECRET,
    IdFactory,
    generate_text,
    generate_thinking,
    generate_tool_input,
    is_fake_signature,
    redacted_thinking_data,
    request_seed,
    sign_thinking,
)
from .script import ParsedRequest, Reply, content_text
from .server_tools import (
    ServerToolScript,
    callable_client_tools,
    complete_server_blocks,
    container_for,
    ends_paused,
    included_blocks,
    is_server_tool,
    offers_server_side,
    plan_server_tools,
    server_tool_usage,
    uses_code_execution,
)
from .structured import json_answer, output_schema
from .tokens import block_output_tokens, iterations_input_tokens, split_into_tokens
from .tool_policy import ToolPolicy, choose_tools

__all__ = ["MODEL_BLOCKS", "Composed", "compose_message", "plan_content"]

Block = dict[str, Any]

@dataclass
class Composed:
    """A finished answer before it is sent: the Message JSON, plus stream faults to inject."""

    message: dict[str, Any]
    reply: Reply | None  # the scripted reply it came from, if any


#: The blocks a model writes itself; any other kind in an answer (a server tool's use or result, MCP,
#: compaction) comes from the server side, which ``compose_message`` then completes.
MODEL_BLOCKS = frozenset({"text", "thinking", "redacted_thinking", "tool_use"})


def _is_client_tool(tool: Mapping[str, Any]) -> bool:
    return not is_server_tool(tool)


def _thinking_on(body: Mapping[str, Any]) -> bool:
    config = body.get("thinking")
    return isinstance(config, Mapping) and config.get("type") in ("enabled", "adaptive")


def _prefill(body: Mapping[str, Any]) -> str | None:
    messages = body.get("messages") or []
    if messages and messages[-1].get("role") == "assistant":
        content = messages[-1].get("content")
        if isinstance(content, list) and content and all(b.get("type") == "compaction" for b in content):
            return None  # a paused compaction being resumed, not a prefill
        return content_text(content)
    return None


def plan_content(request: ParsedRequest, spec: ModelSpec, rng_seed: int, tool_policy: ToolPolicy = "relevant",
                 server_script: ServerToolScript | None = None, now: float = 0.0) -> list[Block]:
    """The default answer when nothing is scripted: a server tool the prompt calls for
    (:mod:`~fakeclaude.server.server_tools`), the client tools ``tool_policy`` picks, else text (or JSON)."""
    body = request.body
    blocks: list[Block] = []
    prompt = request.last_user_text
    if _thinking_on(body):
        blocks.append({"type": "thinking"})
    offered = [t for t in request.tools if _is_client_tool(t)]
    if output_schema(body) is None:
        server = plan_server_tools(request, spec, rng_seed, server_script or ServerToolScript(), now, offered)
        if server is not None:
            return blocks + server
    tools = callable_client_tools(request, offered)
    choice = body.get("tool_choice") or {"type": "auto"}
    called = choose_tools(tools, choice, prompt, answered=bool(request.tool_results), policy=tool_policy)
    found = output_schema(body)
    if called:
        if choice.get("type", "auto") == "auto" and found is None:
            blocks.append({"type": "text", "text": generate_text(rng_seed ^ 0x7E57, prompt=prompt, min_words=6, max_words=14)})
        blocks.extend({"type": "tool_use", "name": t.get("name")} for t in called)
        return blocks
    if found is not None:
        blocks.append({"type": "text", "text": json_answer(found[1], rng_seed)})
        return blocks
    sources = citable_sources(body)
    if sources:
        blocks.extend(cited_answer(sources, rng_seed,
                                   generate_text(rng_seed ^ 0xC17E, prompt=prompt or None, min_words=5, max_words=12),
                                   generate_text(rng_seed ^ 0xE2D, prompt=prompt or None, min_words=5, max_words=12)))
    else:
        blocks.append({"type": "text", "text": generate_text(rng_seed, prompt=prompt or None)})
    return blocks


class _RequestSeed:
    """``request_seed(seed, body)``, computed on first use: a scripted text reply never needs it."""

    __slots__ = ("_body", "_seed", "_value")

    def __init__(self, seed: int, body: Mapping[str, Any], value: int | None = None) -> None:
        self._seed, self._body, self._value = seed, body, -1 if value is None else value

    def __call__(self, index: int = -1) -> int:
        """The request's seed; with ``index``, the seed of the answer's block at that index."""
        if self._value < 0:
            self._value = request_seed(self._seed, self._body)
        return self._value if index < 0 else self._value + 7919 * (index + 1)


def _complete_blocks(blocks: list[Block], request: ParsedRequest, ids: IdFactory, seed: _RequestSeed) -> list[Block]:
    """Fill in what a plan leaves out: ids, generated tool inputs, thinking text and signatures."""
    tools = {str(t.get("name")): t for t in request.tools}
    out: list[Block] = []
    for index, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "tool_use":
            tool = tools.get(str(block.get("name")), {"name": block.get("name"), "input_schema": {"type": "object"}})
            tool_input = block["input"] if "input" in block else generate_tool_input(tool, seed(index))
            done: Block = {"type": "tool_use", "id": block.get("id") or ids.new("toolu"), "name": block["name"], "input": tool_input}
            if "caller" in block:
                done["caller"] = block["caller"]
            out.append(done)
        elif kind == "thinking":
            if "thinking" in block:
                text = str(block["thinking"])
            else:
                text = generate_thinking(seed(index), prompt=request.last_user_text)[0]
            signature = block.get("signature") or sign_thinking(text, THINKING_SECRET)  # verifies when sent back
            display = (request.body.get("thinking") or {}).get("display")
            shown = "" if display in ("omitted", "updates") else text
            out.append({"type": "thinking", "thinking": shown, "signature": signature})
        elif kind == "redacted_thinking":
            out.append({"type": "redacted_thinking", "data": block.get("data") or redacted_thinking_data(seed(index))})
        elif kind == "text":
            done = {"type": "text", "text": str(block.get("text", ""))}
            if block.get("citations"):
                done["citations"] = block["citations"]
            out.append(done)
        else:
            out.append(dict(block))
    return out


def _cut_at_stop_sequence(blocks: list[Block], stops: Sequence[str]) -> tuple[list[Block], str | None]:
    """Cut the first text block containing a stop sequence before it; drop what follows."""
    for index, block in enumerate(blocks):
        if block.get("type") != "text" or not stops:
            continue
        value = block["text"]
        hits = [(value.find(s), s) for s in stops if s and s in value]
        if hits:
            position, matched = min(hits)
            cut = {**block, "text": value[:position]}
            return [*blocks[:index], cut], matched
    return blocks, None


def _cut_at_max_tokens(blocks: list[Block], budget: int, spec: ModelSpec) -> tuple[list[Block], bool, int]:
    """Keep whole blocks while they fit; cut the text (or thinking) of the first that does not.

    Also returns the output tokens of the kept blocks when nothing was cut (counted once, here).
    """
    out: list[Block] = []
    remaining = budget
    for block in blocks:
        cost = block_output_tokens(block, spec)
        if cost <= remaining:
            out.append(block)
            remaining -= cost
            continue
        key = {"text": "text", "thinking": "thinking"}.get(str(block.get("type")))
        if key is not None and remaining > 0:
            pieces = split_into_tokens(str(block[key]), spec)
            allowed = remaining - (8 if key == "thinking" else 0)
            if allowed > 0:
                cut = {**block, key: "".join(pieces[:allowed])}
                if key == "thinking":  # the cut text gets its own signature (a real one is kept as it is)
                    signature = str(block.get("signature", ""))
                    if is_fake_signature(signature):
                        signature = sign_thinking(cut["thinking"], THINKING_SECRET)
                    cut = {**cut, "signature": signature}
                out.append(cut)
        return out, True, budget
    return out, False, budget - remaining


def compose_message(
    *,
    request: ParsedRequest,
    spec: ModelSpec,
    reply: Reply | None,
    ids: IdFactory,
    seed: int,
    usage_in: Mapping[str, Any],
    service_tier: str = "standard",
    tool_policy: ToolPolicy = "relevant",
    server_script: ServerToolScript | None = None,
    now: float = 0.0,
    body_seed: int | None = None,
    planned: list[Block] | None = None,
) -> Composed:
    """The Message JSON for a validated request, scripted (``reply``) or generated from ``seed`` and the body
    (``body_seed``: ``request_seed(seed, body)``, and ``planned``: :func:`plan_content`, when the caller
    has them already; ``planned`` is read, never changed)."""
    body = request.body
    request_seed = _RequestSeed(seed, body, body_seed)
    if reply is not None:
        planned = reply.blocks()
    elif planned is None:
        planned = plan_content(request, spec, request_seed(), tool_policy, server_script, now)
    blocks = _complete_blocks(planned, request, ids, request_seed)
    server_side = offers_server_side(request) or any(b.get("type") not in MODEL_BLOCKS for b in blocks)
    server_usage = None
    if server_side:
        blocks = complete_server_blocks(blocks, ids)
        server_usage = server_tool_usage(request, blocks)  # counted before response_inclusion drops blocks
        blocks = included_blocks(blocks)
    prefill = _prefill(body)
    if prefill is not None and reply is None and blocks and blocks[0].get("type") == "text" and output_schema(body) is None:
        # a continuation never repeats the prefill and usually starts with a space
        blocks[0]["text"] = " " + blocks[0]["text"].lstrip()
    max_tokens = int(body.get("max_tokens", 0) or 0)
    stop_reason = reply.stop_reason if reply is not None else None
    stop_sequence = reply.stop_sequence if reply is not None else None

    blocks, matched = _cut_at_stop_sequence(blocks, list(body.get("stop_sequences") or []))
    blocks, truncated, output_tokens = _cut_at_max_tokens(blocks, max_tokens, spec)  # max_tokens when cut
    if stop_reason is None:
        if truncated:
            stop_reason = "max_tokens"
        elif matched is not None:
            stop_reason, stop_sequence = "stop_sequence", matched
        elif ends_paused(blocks):
            stop_reason = "pause_turn"
        elif any(b.get("type") == "tool_use" for b in blocks):
            stop_reason = "tool_use"
        else:
            stop_reason = "end_turn"
    usage: dict[str, Any] = {
        **usage_in,
        "output_tokens": max(output_tokens, 1) if max_tokens > 0 else 0,
        "service_tier": service_tier,
        "inference_geo": "not_available",
    }
    budget = (body.get("output_config") or {}).get("task_budget")
    if budget:  # recorded: a task budget makes the answer report its (single) sampling iteration
        usage["iterations"] = [{
            "type": "message",
            **{k: usage_in[k] for k in ("cache_creation", "cache_creation_input_tokens", "cache_read_input_tokens",
                                        "input_tokens") if k in usage_in},
            "output_tokens": usage["output_tokens"],
        }]  # fmt: skip
    if server_usage is not None:
        usage["server_tool_use"] = server_usage
        _add_sampling_iterations(usage, blocks, spec)
    if reply is not None and reply.usage:
        usage.update(reply.usage)
    message: dict[str, Any] = {
        "model": spec.id,
        "id": ids.new("msg"),
        "type": "message",
        "role": "assistant",
        "content": blocks,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
    }
    if server_side and uses_code_execution(blocks):
        message["container"] = container_for(body, ids, now)
    message["stop_details"] = dict(reply.stop_details) if reply is not None and reply.stop_details else None
    message["usage"] = usage
    return Composed(message=message, reply=reply)


def _add_sampling_iterations(usage: dict[str, Any], blocks: Sequence[Block], spec: ModelSpec) -> None:
    """The API re-reads the prompt and the answer so far on each sampling iteration after a server tool's
    result: the extra input is charged as uncached input (recorded: 3 searches, 4 iterations)."""
    prompt = sum(int(usage.get(k) or 0) for k in ("input_tokens", "cache_read_input_tokens",
                                                  "cache_creation_input_tokens"))
    usage["input_tokens"] = int(usage.get("input_tokens") or 0) + iterations_input_tokens(prompt, blocks, spec) - prompt
