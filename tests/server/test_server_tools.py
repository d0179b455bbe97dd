"""Server tools answered in their recorded shapes, with the official SDK (in-process and over a socket).

Each family's blocks, citations and stream order; usage counters; ``pause_turn`` continued; ``max_uses``;
a tool search that loads a deferred tool which the loop then calls; programmatic calling; MCP; scripting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock, Reply, text
from fakeclaude.server.server_tools import (
    server_tool_use,
    web_search_result,
    web_search_tool_result,
)

MODEL = "claude-sonnet-4-5"
WEB_SEARCH = {"type": "web_search_20250305", "name": "web_search"}
WEB_FETCH = {"type": "web_fetch_20250910", "name": "web_fetch"}
CODE = {"type": "code_execution_20260120", "name": "code_execution"}
PYTHON = {"type": "code_execution_20250522", "name": "code_execution"}
REGEX = {"type": "tool_search_tool_regex_20251119", "name": "tool_search_tool_regex"}
BM25 = {"type": "tool_search_tool_bm25_20251119", "name": "tool_search_tool_bm25"}
ADVISOR = {"type": "advisor_20260301", "name": "advisor", "model": "claude-opus-4-8"}
WEATHER = {"name": "get_weather", "description": "Get the current weather for a city",
           "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
SRVTOOLU = re.compile(r"^srvtoolu_01[1-9A-HJ-NP-Za-km-z]{22}$")


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=3, clock=FakeClock())


@pytest.fixture
def sdk(fake: FakeClaude) -> Iterator[anthropic.Anthropic]:
    http = httpx2.Client(transport=fake.httpx2_transport())
    with anthropic.Anthropic(api_key="k", base_url="http://fake.local", http_client=http, max_retries=0) as client:
        yield client


def ask(client: anthropic.Anthropic, prompt: str, tools: list[dict[str, Any]], **kwargs: Any) -> Any:
    return client.messages.create(model=MODEL, max_tokens=2048, messages=[{"role": "user", "content": prompt}],
                                  tools=tools, **kwargs)  # type: ignore[arg-type]


def streamed(client: anthropic.Anthropic, prompt: str, tools: list[dict[str, Any]], **kwargs: Any) -> Any:
    with client.messages.stream(model=MODEL, max_tokens=2048, messages=[{"role": "user", "content": prompt}],
                                tools=tools, **kwargs) as stream:  # type: ignore[arg-type]
        events = list(stream)
        return stream.get_final_message(), events


def kinds(message: Any) -> list[str]:
    return [b.type for b in message.content]


def _ids_renamed(value: Any, names: dict[str, str]) -> Any:
    """``value`` with every minted id replaced by its order of appearance (two answers mint different ids)."""
    if isinstance(value, dict):
        return {k: _ids_renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_ids_renamed(v, names) for v in value]
    if isinstance(value, str) and re.match(r"^(msg|srvtoolu|mcptoolu|toolu|container)_01", value):
        return names.setdefault(value, f"id-{len(names)}")
    return value


def same_message(a: Any, b: Any) -> None:
    assert _ids_renamed(a.to_dict(), {}) == _ids_renamed(b.to_dict(), {})


# ----- web_search ----------------------------------------------------------------------------------------
def test_web_search_answers_use_result_and_cited_text(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "What is the weather in San Francisco today?", [WEB_SEARCH])
    assert kinds(message)[:2] == ["server_tool_use", "web_search_tool_result"]
    use, result = message.content[0], message.content[1]
    assert SRVTOOLU.match(use.id) and use.name == "web_search" and use.input["query"]
    assert use.caller is not None and use.caller.type == "direct"  # a 4.5-era model
    assert result.tool_use_id == use.id
    hits = result.content
    assert hits and all(h.type == "web_search_result" and h.url.startswith("https://") and h.encrypted_content
                        for h in hits)
    assert "text" not in result.to_dict()["content"][0]  # the fake's quote never reaches the wire
    cited = [b for b in message.content[2:] if b.type == "text" and b.citations]
    assert cited and all(b.type == "text" for b in message.content[2:])
    urls = {h.url for h in hits}
    for block in cited:
        (citation,) = block.citations
        assert citation.type == "web_search_result_location" and citation.url in urls
        assert len(citation.cited_text) <= 153 and citation.encrypted_index
    uncited = message.to_dict()["content"][2]
    assert "citations" not in uncited  # uncited blocks have no citations key (rec)
    assert message.usage.server_tool_use.web_search_requests == 1
    assert message.usage.server_tool_use.web_fetch_requests == 0
    assert message.stop_reason == "end_turn"


def test_web_search_stream_rebuilds_the_message_in_recorded_order(sdk: anthropic.Anthropic) -> None:
    prompt = "Search the web for the latest bitcoin price"
    final, events = streamed(sdk, prompt, [WEB_SEARCH])
    same_message(final, ask(sdk, prompt, [WEB_SEARCH]))
    starts = [e for e in events if e.type == "content_block_start"]
    assert starts[0].content_block.type == "server_tool_use" and starts[0].content_block.input == {}
    deltas = [e.delta for e in events if e.type == "content_block_delta" and e.index == 0]
    assert deltas[0].type == "input_json_delta" and deltas[0].partial_json == ""
    result_index = starts[1].index
    assert starts[1].content_block.type == "web_search_tool_result" and starts[1].content_block.content
    assert not [e for e in events if e.type == "content_block_delta" and e.index == result_index]
    cited = next(i for i, b in enumerate(final.content) if b.type == "text" and b.citations)
    start = next(s for s in starts if s.index == cited).content_block
    assert start.citations == [] and start.text == ""
    order = [e.delta.type for e in events if e.type == "content_block_delta" and e.index == cited]
    assert order[0] == "citations_delta" and set(order[1:]) == {"text_delta"}


def test_scripted_search_results_are_cited(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.web_search([web_search_result("Paris - Wikipedia", "https://en.wikipedia.org/wiki/Paris",
                                       page_age="2 days ago", text="Paris is the capital of France. " * 10)])
    message = ask(sdk, "Search the web: what is the capital of France?", [WEB_SEARCH])
    (hit,) = message.content[1].content
    assert (hit.title, hit.url, hit.page_age) == ("Paris - Wikipedia", "https://en.wikipedia.org/wiki/Paris", "2 days ago")
    citation = next(b for b in message.content if b.type == "text" and b.citations).citations[0]
    assert citation.cited_text == ("Paris is the capital of France. " * 10)[:150] + "..."


def test_max_uses_gives_the_error_result_and_counts_only_searches_run(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.web_search(queries=["one", "two", "three"])
    message = ask(sdk, "Search the web for three things", [{**WEB_SEARCH, "max_uses": 2}])
    results = [b for b in message.content if b.type == "web_search_tool_result"]
    assert len(results) == 3
    assert isinstance(results[0].content, list) and isinstance(results[1].content, list)
    assert results[2].content.type == "web_search_tool_result_error"
    assert results[2].content.error_code == "max_uses_exceeded"
    assert message.usage.server_tool_use.web_search_requests == 2


def test_pause_turn_then_continuation_begins_with_the_pending_result(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.web_search(queries=[f"topic {n}" for n in range(5)], pause_after=3)
    question = {"role": "user", "content": "Search the web about five topics"}
    first = sdk.messages.create(model=MODEL, max_tokens=2048, messages=[question], tools=[WEB_SEARCH])  # type: ignore[list-item]
    assert first.stop_reason == "pause_turn"
    assert kinds(first)[-1] == "server_tool_use" and kinds(first).count("web_search_tool_result") == 3
    pending = first.content[-1]
    again = sdk.messages.create(model=MODEL, max_tokens=2048, tools=[WEB_SEARCH],  # type: ignore[list-item]
                                messages=[question, {"role": "assistant", "content": first.content}])  # type: ignore[list-item]
    assert again.content[0].type == "web_search_tool_result" and again.content[0].tool_use_id == pending.id
    assert [b.input["query"] for b in again.content if b.type == "server_tool_use"] == ["topic 4"]
    assert again.stop_reason == "end_turn"
    assert again.usage.server_tool_use.web_search_requests == 2


def test_ten_searches_pause_by_default(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.web_search(queries=[f"q{n}" for n in range(12)])
    message = ask(sdk, "Search the web for a dozen things", [WEB_SEARCH])
    assert message.stop_reason == "pause_turn"
    assert message.usage.server_tool_use.web_search_requests == 10


# ----- web_fetch -----------------------------------------------------------------------------------------
def test_web_fetch_returns_the_page_as_a_document(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.web_fetch("https://ai.pydantic.dev", "Pydantic AI\nAgent framework", title="Pydantic AI")
    message = ask(sdk, "Read https://ai.pydantic.dev and summarise it", [WEB_FETCH])
    assert kinds(message) == ["server_tool_use", "web_fetch_tool_result", "text"]
    assert message.content[0].input == {"url": "https://ai.pydantic.dev"}
    content = message.content[1].content
    assert content.type == "web_fetch_result" and content.url == "https://ai.pydantic.dev"
    assert content.content.source.data == "Pydantic AI\nAgent framework" and content.content.title == "Pydantic AI"
    assert content.retrieved_at.endswith("+00:00")
    assert message.usage.server_tool_use.web_fetch_requests == 1
    assert not message.content[2].citations  # citations are off by default


def test_web_fetch_of_a_url_not_in_the_context_is_an_error_result(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "Fetch the pydantic website page", [WEB_FETCH], tool_choice={"type": "tool", "name": "web_fetch"})
    assert message.content[1].content.type == "web_fetch_tool_result_error"
    assert message.content[1].content.error_code == "url_not_in_prior_context"
    assert message.usage.server_tool_use.web_fetch_requests == 0


def test_web_fetch_citations_when_enabled(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "Read https://example.com/a please", [{**WEB_FETCH, "citations": {"enabled": True}}])
    cited = [b for b in message.content if b.type == "text" and b.citations]
    assert cited and cited[0].citations[0].type == "char_location"


# ----- code execution ------------------------------------------------------------------------------------
def test_bash_code_execution_computes_and_carries_a_container(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "what is 3 * 12390", [CODE])
    assert kinds(message) == ["server_tool_use", "bash_code_execution_tool_result", "text"]
    assert message.content[0].name == "bash_code_execution" and "command" in message.content[0].input
    result = message.content[1].content
    assert (result.type, result.stdout, result.return_code) == ("bash_code_execution_result", "37170\n", 0)
    assert message.container is not None and message.container.id.startswith("container_011C")
    assert message.usage.server_tool_use.web_search_requests == 0  # zeros, as recorded


def test_python_code_execution_20250522(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.code_execution("hello\n", files=["file_011CabcdefghijkmnopqrstU"])
    message = ask(sdk, "Run some python code to say hello", [PYTHON])
    assert kinds(message)[:2] == ["server_tool_use", "code_execution_tool_result"]
    assert message.content[0].name == "code_execution" and "code" in message.content[0].input
    result = message.content[1].content
    assert result.stdout == "hello\n" and result.content[0].type == "code_execution_output"


def test_text_editor_code_execution_create_then_view(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "Use the text editor to create /tmp/hello.txt with the text: Hello, world! Then view it", [CODE])
    names = [b.name for b in message.content if b.type == "server_tool_use"]
    assert names == ["text_editor_code_execution", "text_editor_code_execution"]
    results = [b.content.type for b in message.content if b.type == "text_editor_code_execution_tool_result"]
    assert results == ["text_editor_code_execution_create_result", "text_editor_code_execution_view_result"]
    view = [b for b in message.content if b.type == "text_editor_code_execution_tool_result"][1].content
    assert view.content == "Hello, world!" and view.num_lines == 1
    assert message.content[0].input == {"command": "create", "path": "/tmp/hello.txt", "file_text": "Hello, world!"}


def test_code_execution_stream_has_the_container_in_message_delta(sdk: anthropic.Anthropic) -> None:
    final, events = streamed(sdk, "what is 65465-6544 * 2", [CODE])
    same_message(final, ask(sdk, "what is 65465-6544 * 2", [CODE]))
    (delta,) = [e for e in events if e.type == "message_delta"]
    assert delta.delta.container is not None and final.container == delta.delta.container


# ----- tool search and deferred tools ---------------------------------------------------------------------
@pytest.mark.parametrize("search_tool", [REGEX, BM25], ids=["regex", "bm25"])
def test_tool_search_finds_a_deferred_tool_which_the_loop_then_calls(sdk: anthropic.Anthropic,
                                                                     search_tool: dict[str, Any]) -> None:
    tools = [search_tool, {**WEATHER, "defer_loading": True},
             {"name": "read_database", "description": "Query the SQL database", "defer_loading": True,
              "input_schema": {"type": "object"}}]
    messages: list[Any] = [{"role": "user", "content": "What's the weather in Paris?"}]
    first = sdk.messages.create(model=MODEL, max_tokens=1024, messages=messages, tools=tools)  # type: ignore[arg-type]
    assert kinds(first) == ["text", "server_tool_use", "tool_search_tool_result", "text", "tool_use"]
    key = "pattern" if search_tool is REGEX else "query"
    assert key in first.content[1].input
    references = first.content[2].content.tool_references
    assert references[0].tool_name == "get_weather"
    assert first.content[4].name == "get_weather" and first.stop_reason == "tool_use"
    messages += [{"role": "assistant", "content": first.content},
                 {"role": "user", "content": [{"type": "tool_result", "tool_use_id": first.content[4].id,
                                               "content": "18C and sunny"}]}]
    second = sdk.messages.create(model=MODEL, max_tokens=1024, messages=messages, tools=tools)  # type: ignore[arg-type]
    assert kinds(second) == ["text"] and second.stop_reason == "end_turn"
    # the tool is loaded now: a later question calls it directly
    messages += [{"role": "assistant", "content": second.content},
                 {"role": "user", "content": "And the weather in Rome?"}]
    third = sdk.messages.create(model=MODEL, max_tokens=1024, messages=messages, tools=tools)  # type: ignore[arg-type]
    assert kinds(third)[-1] == "tool_use" and third.content[-1].name == "get_weather"
    assert "server_tool_use" not in kinds(third)


#: Claude Code 2.1's stub tool, as its bundle defines it (``ecosystem/node_modules/@anthropic-ai/claude-code``;
#: no recording in ``real-traffic`` carries it): sent with ``defer_loading`` to keep deferred loading active.
DEFERRED_PLACEHOLDER = {
    "name": "DeferredToolPlaceholder",
    "description": "Reserved placeholder that keeps deferred tool loading active; never call this tool.",
    "input_schema": {"type": "object", "properties": {}}, "defer_loading": True,
}
READ = {"name": "Read", "description": "Reads a file from the local filesystem.",
        "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"}}, "required": ["file_path"]}}


@pytest.mark.parametrize(("policy", "prompt"), [("relevant", "say hi"), ("every", "say hi"),
                                                ("every", "use every tool"), ("relevant", "read the file notes.txt")])
def test_claude_codes_deferred_placeholder_is_never_called(policy: str, prompt: str) -> None:
    """Issue 11: the fake called ``DeferredToolPlaceholder`` in every Claude Code run."""
    client = FakeClaude(seed=0, tool_policy=policy).client()  # type: ignore[arg-type]
    for tools in ([DEFERRED_PLACEHOLDER, READ], [DEFERRED_PLACEHOLDER, READ, BM25]):
        message = client.messages.create(model=MODEL, max_tokens=512, messages=[{"role": "user", "content": prompt}],
                                         tools=tools)  # type: ignore[arg-type]
        called = [b.name for b in message.content if b.type == "tool_use"]
        assert "DeferredToolPlaceholder" not in called


# ----- programmatic tool calling (allowed_callers) ---------------------------------------------------------
def test_allowed_callers_code_execution_only_calls_from_code(sdk: anthropic.Anthropic) -> None:
    tool = {**WEATHER, "allowed_callers": ["code_execution_20260120"]}
    question = {"role": "user", "content": "What is the weather in London?"}
    first = sdk.messages.create(model=MODEL, max_tokens=1024, messages=[question], tools=[tool])  # type: ignore[list-item]
    assert kinds(first) == ["text", "server_tool_use", "tool_use"] and first.stop_reason == "tool_use"
    code, call = first.content[1], first.content[2]
    assert code.name == "code_execution" and "await get_weather(" in code.input["code"]
    assert call.caller.type == "code_execution_20260120" and call.caller.tool_id == code.id
    assert first.container is not None
    second = sdk.messages.create(
        model=MODEL, max_tokens=1024, tools=[tool], container=first.container.id,  # type: ignore[list-item]
        messages=[question, {"role": "assistant", "content": first.content},  # type: ignore[list-item]
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "12C"}]}])
    assert kinds(second) == ["code_execution_tool_result", "text"]
    assert second.content[0].tool_use_id == code.id and second.content[0].content.stdout == "12C\n"
    assert second.container is not None and second.container.id == first.container.id


def test_allowed_callers_direct_is_called_directly(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "What is the weather in London?", [{**WEATHER, "allowed_callers": ["direct"]}])
    assert kinds(message)[-1] == "tool_use" and message.content[-1].caller is None
    assert "server_tool_use" not in kinds(message)


# ----- advisor, memory, MCP --------------------------------------------------------------------------------
def test_advisor_result(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.advisor("Check the edge cases first.")
    message = sdk.beta.messages.create(model="claude-sonnet-5", max_tokens=1024, tools=[ADVISOR],  # type: ignore[list-item]
                                       betas=["advisor-tool-2026-03-01"],
                                       messages=[{"role": "user", "content": "Ask the advisor to review my plan"}])
    assert kinds(message) == ["text", "server_tool_use", "advisor_tool_result", "text"]
    assert message.content[1].name == "advisor" and message.content[1].input == {}
    assert message.content[2].content.type == "advisor_result"
    assert message.content[2].content.text == "Check the edge cases first."


def test_memory_is_a_client_tool_use(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "Check your memory for notes", [{"type": "memory_20250818", "name": "memory"}])
    assert kinds(message)[-1] == "tool_use" and message.content[-1].name == "memory"
    assert message.content[-1].input["command"] in ("view", "create")
    assert message.stop_reason == "tool_use"


MCP_SERVERS = [{"type": "url", "url": "https://mcp.deepwiki.com/mcp", "name": "deepwiki"}]


def test_mcp_call_with_a_scripted_answer_streamed_and_not(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.mcp_tool("ask_question", "Pydantic AI is a Python agent framework.", server_name="deepwiki")
    kwargs: dict[str, Any] = {"model": MODEL, "max_tokens": 1024, "mcp_servers": MCP_SERVERS,
                              "betas": ["mcp-client-2025-11-20"],
                              "tools": [{"type": "mcp_toolset", "mcp_server_name": "deepwiki"}],
                              "messages": [{"role": "user", "content": "Tell me about the pydantic/pydantic-ai repo"}]}
    message = sdk.beta.messages.create(**kwargs)
    assert kinds(message) == ["mcp_tool_use", "mcp_tool_result", "text"]
    use, result = message.content[0], message.content[1]
    assert use.id.startswith("mcptoolu_01") and use.server_name == "deepwiki" and use.name == "ask_question"
    assert result.tool_use_id == use.id and result.is_error is False
    assert result.content[0].text == "Pydantic AI is a Python agent framework."
    assert message.usage.server_tool_use.web_search_requests == 0
    with sdk.beta.messages.stream(**kwargs) as stream:
        events = list(stream)
        final = stream.get_final_message()
    same_message(final, message)
    start = next(e for e in events if e.type == "content_block_start")
    assert start.content_block.type == "mcp_tool_use" and start.content_block.input == {}


# ----- scripted replies -------------------------------------------------------------------------------------
def test_a_scripted_server_tool_use_gets_ids_and_pairing(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.reply(server_tool_use("web_search", {"query": "bitcoin"}),
               web_search_tool_result([web_search_result("BTC", "https://example.com/btc")]), text("It rose."))
    message = ask(sdk, "bitcoin?", [WEB_SEARCH])
    assert SRVTOOLU.match(message.content[0].id) and message.content[1].tool_use_id == message.content[0].id
    assert message.usage.server_tool_use.web_search_requests == 1


def test_a_scripted_server_tool_use_of_a_tool_not_offered_is_a_script_error(fake: FakeClaude) -> None:
    fake.reply(Reply([server_tool_use("web_search", {"query": "x"}), "done"]))
    with pytest.raises(fakeclaude.BadRequestError, match="did not offer that server tool"):
        ask(fake.client(max_retries=0), "hi", [WEATHER])
    assert fake.failures and "did not offer that server tool" in str(fake.failures[0])


# ----- over a real socket -------------------------------------------------------------------------------------
def test_over_the_aiohttp_server(fake: FakeClaude) -> None:
    with fake.serve() as base_url, anthropic.Anthropic(base_url=base_url, api_key="k", max_retries=0) as client:
        message = ask(client, "Search the web for today's news", [WEB_SEARCH])
        final, _ = streamed(client, "Search the web for today's news", [WEB_SEARCH])
    assert kinds(message)[:2] == ["server_tool_use", "web_search_tool_result"]
    same_message(final, message)


# ----- dynamic filtering (web tools 20260209+) -----------------------------------------------------------------
@pytest.mark.parametrize("inclusion", [None, "excluded"])
def test_web_fetch_20260209_fetches_from_code(sdk: anthropic.Anthropic, inclusion: str | None) -> None:
    tool: dict[str, Any] = {"type": "web_fetch_20260209", "name": "web_fetch"}
    if inclusion:
        tool = {**tool, "type": "web_fetch_20260318", "response_inclusion": inclusion}
    message = ask(sdk, "Use web fetch to read https://ai.pydantic.dev and reply with the page title", [tool])
    outer = message.content[0]
    assert outer.type == "server_tool_use" and outer.name == "code_execution" and outer.caller is None
    if inclusion == "excluded":
        assert kinds(message) == ["server_tool_use", "code_execution_tool_result", "text"]
    else:
        assert kinds(message) == ["server_tool_use", "server_tool_use", "web_fetch_tool_result",
                                  "code_execution_tool_result", "text"]
        nested, fetched = message.content[1], message.content[2]
        assert nested.name == "web_fetch" and nested.caller.type == "code_execution_20260120"
        assert nested.caller.tool_id == outer.id and fetched.caller.tool_id == outer.id
        assert fetched.tool_use_id == nested.id
    assert message.content[-2].tool_use_id == outer.id and message.container is not None
    assert message.to_dict()["content"][-2]["content"]["abort_reason"] is None  # recorded extra field
    assert message.usage.server_tool_use.web_fetch_requests == 1  # run (and counted) even when not shown


# ----- every family: stream == non-stream, and the blocks are accepted back ----------------------------------
FAMILIES: list[tuple[str, str, list[dict[str, Any]], dict[str, Any]]] = [
    ("web_search", "Search the web for the latest rust release", [WEB_SEARCH], {}),
    ("web_fetch", "Read https://example.com/docs and summarise it", [{**WEB_FETCH, "citations": {"enabled": True}}], {}),
    ("python", "Run python code to print hello", [PYTHON], {}),
    ("bash", "what is 17 * 23", [CODE], {}),
    ("text_editor", "Use the text editor to create /tmp/a.txt with the text: hi", [CODE], {}),
    ("tool_search", "What's the weather in Oslo?", [BM25, {**WEATHER, "defer_loading": True}], {}),
    ("advisor", "Ask the advisor to review this plan", [ADVISOR], {"betas": ["advisor-tool-2026-03-01"]}),
    ("mcp", "What is the pydantic-ai repo about?", [{"type": "mcp_toolset", "mcp_server_name": "deepwiki"}],
     {"betas": ["mcp-client-2025-11-20"], "mcp_servers": MCP_SERVERS}),
    ("dynamic", "Search the web for the latest python release", [{"type": "web_search_20260209", "name": "web_search"}], {}),
]


@pytest.mark.parametrize(("prompt", "tools", "extra"), [f[1:] for f in FAMILIES], ids=[f[0] for f in FAMILIES])
def test_every_family_streams_the_same_message_and_is_accepted_back(
    fake: FakeClaude, sdk: anthropic.Anthropic, prompt: str, tools: list[dict[str, Any]], extra: dict[str, Any],
) -> None:
    fake.mcp_tool("ask_question", "An agent framework.", server_name="deepwiki")
    kwargs: dict[str, Any] = {"model": MODEL, "max_tokens": 2048, "tools": tools,
                              "messages": [{"role": "user", "content": prompt}], **extra}
    message = sdk.beta.messages.create(**kwargs)
    assert {b.type for b in message.content} & {"server_tool_use", "mcp_tool_use"}, kinds(message)
    with sdk.beta.messages.stream(**kwargs) as stream:
        same_message(stream.get_final_message(), message)
    # fakeclaude's own client (and its accumulator) agree with the official SDK
    ours = fake.client().beta.messages.create(**kwargs)
    assert [b.type for b in ours.content] == kinds(message)
    with fake.client().beta.messages.stream(**kwargs) as own_stream:
        assert [b.type for b in own_stream.get_final_message().content] == kinds(message)
    # the next turn sends every block back unchanged (tool results answered when the model called a client tool)
    follow: list[Any] = [{"role": "assistant", "content": message.content}]
    if message.stop_reason == "tool_use":
        follow.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": message.content[-1].id,
                                                    "content": "done"}]})
    else:
        follow.append({"role": "user", "content": "Thanks, and one more detail?"})
    again = sdk.beta.messages.create(**{**kwargs, "messages": [*kwargs["messages"], *follow]})
    assert again.content


async def test_the_async_client_gets_the_same_blocks(fake: FakeClaude) -> None:
    client = fake.async_client()
    message = await client.messages.create(model=MODEL, max_tokens=2048, tools=[WEB_SEARCH],  # type: ignore[list-item]
                                           messages=[{"role": "user", "content": "Search the web for news"}])
    assert [b.type for b in message.content][:2] == ["server_tool_use", "web_search_tool_result"]
    assert message.usage.server_tool_use is not None and message.usage.server_tool_use.web_search_requests == 1


def test_server_tools_inside_a_batch(fake: FakeClaude) -> None:
    client = fake.client()
    batch = client.messages.batches.create(requests=[{"custom_id": "s", "params": {
        "model": MODEL, "max_tokens": 1024, "tools": [WEB_SEARCH],
        "messages": [{"role": "user", "content": "Search the web for today's weather"}]}}])
    (result,) = list(client.messages.batches.results(batch.id))
    assert result.result.type == "succeeded"
    assert [b.type for b in result.result.message.content][:2] == ["server_tool_use", "web_search_tool_result"]


@pytest.mark.parametrize(("call", "match"), [
    (lambda fake: fake.web_search(pause_after=0), "pause_after"),
    (lambda fake: fake.web_search(queries="one query"), "queries"),
    (lambda fake: fake.web_search(queries=["ok", ""]), "queries"),
])
def test_bad_server_tool_scripts_fail_at_once(fake: FakeClaude, call: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call(fake)


def test_an_mcp_use_of_a_server_not_offered_is_a_script_error(fake: FakeClaude) -> None:
    from fakeclaude.server.server_tools import mcp_tool_result, mcp_tool_use

    fake.reply(mcp_tool_use("ask_question", {"question": "x"}, server_name="other"), mcp_tool_result("y"), "z")
    with pytest.raises(fakeclaude.BadRequestError, match="mcp_servers do not include it"):
        fake.client(max_retries=0).beta.messages.create(
            model=MODEL, max_tokens=64, mcp_servers=MCP_SERVERS, betas=["mcp-client-2025-04-04"],  # type: ignore[list-item]
            messages=[{"role": "user", "content": "hi"}])


def test_tool_choice_none_never_uses_a_server_tool(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "Search the web for the latest news today", [WEB_SEARCH], tool_choice={"type": "none"})
    assert kinds(message) == ["text"]
    assert message.usage.server_tool_use is not None  # zeros: the request offered a server tool
    assert message.usage.server_tool_use.web_search_requests == 0


def test_a_plain_prompt_gets_text_even_with_server_tools(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "say hi", [WEB_SEARCH, CODE, WEB_FETCH, BM25, {**WEATHER, "defer_loading": True}])
    assert kinds(message) == ["text"] and message.stop_reason == "end_turn"


def test_scripted_tool_errors_come_back_inside_a_200(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.web_fetch("https://example.com/big", error_code="content_too_large")
    fake.code_execution(lambda command: "", stderr="boom\n", return_code=1)
    fetched = ask(sdk, "Read https://example.com/big for me", [WEB_FETCH])
    assert fetched.content[1].content.type == "web_fetch_tool_result_error"
    assert fetched.content[1].content.error_code == "content_too_large"
    ran = ask(sdk, "what is 2 + 2", [CODE])
    assert (ran.content[1].content.stderr, ran.content[1].content.return_code) == ("boom\n", 1)


def test_search_results_may_be_a_function_of_the_query(fake: FakeClaude, sdk: anthropic.Anthropic) -> None:
    fake.web_search(lambda query: [web_search_result(f"About {query}", "https://example.com/" + query.replace(" ", "-"))],
                    queries=["red apples", "green pears"])
    message = ask(sdk, "Search the web for fruit", [WEB_SEARCH])
    titles = [b.content[0].title for b in message.content if b.type == "web_search_tool_result"]
    assert titles == ["About red apples", "About green pears"]
    assert message.usage.server_tool_use.web_search_requests == 2
    fake.reset()  # forgets the server tools' script too
    again = ask(sdk, "Search the web for fruit", [WEB_SEARCH])
    assert [b.input["query"] for b in again.content if b.type == "server_tool_use"] != ["red apples", "green pears"]


@pytest.mark.parametrize(("tool", "from_code"), [
    ({**WEB_SEARCH, "allowed_callers": ["code_execution_20260120"]}, True),
    ({"type": "web_search_20260209", "name": "web_search", "allowed_callers": ["direct"]}, False),
    ({"type": "web_search_20260209", "name": "web_search"}, True),
    (WEB_SEARCH, False),
])
def test_web_search_allowed_callers(sdk: anthropic.Anthropic, tool: dict[str, Any], from_code: bool) -> None:
    message = ask(sdk, "Search the web for the latest news", [tool])
    first = message.content[0]
    assert first.type == "server_tool_use"
    assert first.name == ("code_execution" if from_code else "web_search")
