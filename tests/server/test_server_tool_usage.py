"""Issue #13 with #11: the fake's own server-tool answers charge every sampling iteration's input.

The API re-reads the prompt (and the answer so far) on each iteration after a server tool's result, so
a web-search answer's ``usage.input_tokens`` is far above ``count_tokens`` of its request (recorded: 3
searches, 4 iterations; ``tests/server/test_token_causes.py`` checks the rule on the recording). Here:
the fake's answer follows the same rule, through the official SDK, streamed and not.
"""

from __future__ import annotations

from typing import Any

import anthropic
import httpx2

from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.catalog import resolve_model
from fakeclaude.server.tokens import iterations_input_tokens

MODEL = "claude-sonnet-4-6"
SEARCH: Any = [{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}]
QUESTION: Any = [{"role": "user", "content": "Search the web for today's weather in Paris."}]


def _client(fake: FakeClaude) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="test-key", base_url="http://fake", max_retries=0,
                               http_client=httpx2.Client(transport=fake.httpx2_transport()))


def test_a_web_search_answer_charges_each_sampling_iteration() -> None:
    client = _client(FakeClaude(seed=3, clock=FakeClock()))
    counted = client.messages.count_tokens(model=MODEL, messages=QUESTION, tools=SEARCH).input_tokens
    message = client.messages.create(model=MODEL, max_tokens=2048, messages=QUESTION, tools=SEARCH)
    assert [b.type for b in message.content][:2] == ["server_tool_use", "web_search_tool_result"]
    spec = resolve_model(MODEL)
    assert spec is not None
    content = [block.model_dump(mode="json", exclude_none=True) for block in message.content]
    expected = iterations_input_tokens(counted, content, spec)
    assert expected > 2 * counted  # the prompt again, plus the results, on the next iteration at least
    assert message.usage.input_tokens == expected
    with client.messages.stream(model=MODEL, max_tokens=2048, messages=QUESTION, tools=SEARCH) as stream:
        assert stream.get_final_message().usage.input_tokens == expected


def test_an_answer_without_server_tools_charges_the_prompt_once() -> None:
    client = _client(FakeClaude(seed=3, clock=FakeClock()))
    plain: Any = [{"role": "user", "content": "Say hello."}]
    counted = client.messages.count_tokens(model=MODEL, messages=plain, tools=SEARCH).input_tokens
    message = client.messages.create(model=MODEL, max_tokens=256, messages=plain, tools=SEARCH)
    assert all(b.type == "text" for b in message.content)
    assert message.usage.input_tokens == counted
